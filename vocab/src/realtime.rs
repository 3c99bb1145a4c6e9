//! The words of the catalogue's `realtime:` section: the frames a client sends, the message
//! parts it builds, and the placeholders their templates are filled through.

crate::spelled! {
    /// A frame of the realtime socket that the client builds from a template.
    pub enum RealtimeFrame {
        /// Sent first on every socket, and again after each reconnect.
        Authenticate = "authenticate",
        /// Sent when a conversation is opened, and again after each reconnect.
        Subscribe = "subscribe",
        /// A message to a contact.
        Send = "send",
    }
}

crate::spelled! {
    /// A message part the client builds from a template.
    pub enum RealtimePart {
        /// A text.
        Text = "text",
        /// A text that answers one of the conversation's messages.
        Reply = "reply",
        /// A file uploaded first.
        File = "file",
    }
}

crate::spelled! {
    /// A `{placeholder}` of a realtime template: what the client fills in when it sends.
    pub enum Placeholder {
        /// The account's id (a number).
        Account = "account",
        /// The logged user's id, as the `user` lookup answers it.
        User = "user",
        /// The session token.
        Token = "token",
        /// The platform the app runs on.
        Platform = "platform",
        /// The time of sending, in milliseconds.
        Now = "now",
        /// The contact's id (a number when it is one).
        Contact = "contact",
        /// The contact's conversation hash.
        Hash = "hash",
        /// The channel the message goes on (its wire value).
        Channel = "channel",
        /// The message's parts.
        Parts = "parts",
        /// The text of a text part.
        Text = "text",
        /// The id of the message a reply answers.
        ReplyingTo = "replying_to",
        /// The URL of an uploaded file.
        Url = "url",
        /// The name of an uploaded file.
        FileName = "file_name",
        /// The size of an uploaded file, in bytes.
        Length = "length",
        /// The kind of an uploaded file.
        Kind = "kind",
    }
}
