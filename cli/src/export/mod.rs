//! `chatrace export --out DIR`: the inbox as JSON-lines files, through the SDK's paging.
//!
//! Page after page of conversations (`list_conversations`), each conversation's contact
//! (`get_contact`: its notes and custom field values) and every page of its messages
//! (`list_messages`) are appended to `conversations.jsonl`, `notes.jsonl`,
//! `custom_fields.jsonl` and `messages.jsonl`; a line of the last three carries its
//! conversation's `ms_id`. After each page of conversations the state file records where the
//! export stands ([`checkpoint`]): a run that stops (a failure, Ctrl-C, a crash) is resumed
//! by the same command, from the last record, writing nothing twice. Memory holds one page at
//! a time, whatever the size of the inbox.

pub mod checkpoint;

use std::path::{Path, PathBuf};

use chatrace::types::ContactId;
use chatrace::Client;
use clap::{Arg, ArgAction, ArgMatches, Command};
use futures::StreamExt;
use serde_json::{json, Value};

use crate::error::CliError;
use crate::output::{print_json, print_text};
use crate::progress::Progress;
use crate::settings::{sdk_client, Settings};
use checkpoint::{Checkpoint, ExportFile, ExportWriter, STATE_FILE};

/// The name of the subcommand.
pub const EXPORT: &str = "export";

/// How many conversations each page asks for: the catalogue's maximum (the listing is long, so
/// its first page shows whether the server answers that many). A conversation's messages are
/// asked for at the operation's default page size, which the server is known to answer in full:
/// most conversations then take one call, where a larger size would take a second to be sure a
/// short page was the last (see `chatrace::Pager`).
const PAGE_SIZE: u64 = 100;

/// `chatrace export`.
pub fn export_command() -> Command {
    Command::new(EXPORT)
        .about("Write the inbox to JSON-lines files: conversations, messages, notes, custom fields")
        .long_about(
            "Write the account's inbox to JSON-lines files in --out: conversations.jsonl (one \
             conversation per line, as the inbox lists them), messages.jsonl (every message of \
             each conversation, newest first), notes.jsonl and custom_fields.jsonl (each \
             contact's notes and custom field values); their lines carry the conversation's \
             `ms_id`. export-state.json records after each page of conversations how far the \
             export is: when a run stops (an error, Ctrl-C), the same command resumes it where \
             it stopped and writes nothing twice. Progress is shown on a terminal.",
        )
        .arg(
            Arg::new("out")
                .long("out")
                .value_name("DIR")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("The folder to write to (made when missing)"),
        )
        .arg(
            Arg::new("fresh")
                .long("fresh")
                .action(ArgAction::SetTrue)
                .help("Start over: remove an export already in --out first"),
        )
}

/// Runs `chatrace export`.
///
/// # Errors
///
/// A usage error for what is missing or a folder that cannot be written; the SDK's error of
/// the call that failed, saying that the same command resumes the export.
pub async fn export(matches: &ArgMatches, settings: Settings) -> Result<(), CliError> {
    let command = EXPORT;
    let Some(dir) = matches
        .try_get_one::<PathBuf>("out")
        .ok()
        .flatten()
        .cloned()
    else {
        return Err(CliError::usage("export: --out DIR is required"));
    };
    let fresh = matches.try_get_one::<bool>("fresh").ok().flatten() == Some(&true);
    let (client, account) = sdk_client(command, &settings)?;
    let progress = Progress::items(&settings.terminal, settings.output, command);
    let state = export_inbox(&client, account, &dir, fresh, &progress).await?;
    let counts: serde_json::Map<String, Value> = ExportFile::ALL
        .iter()
        .map(|file| {
            (
                file.name().to_owned(),
                Value::from(state.lines[*file as usize]),
            )
        })
        .collect();
    if settings.output.is_json() {
        return print_json(
            &json!({"out": dir.display().to_string(), "lines": counts}),
            settings.output,
        );
    }
    let summary: Vec<String> = ExportFile::ALL
        .iter()
        .map(|file| format!("{} {}", state.lines[*file as usize], file.noun()))
        .collect();
    print_text(&format!(
        "exported {} to {}",
        summary.join(", "),
        dir.display()
    ))
}

/// Writes the inbox of `account_id` to `dir` through `client`: from where the export in `dir`
/// stands (from the start with `fresh`, or when there is none), to the end. Answers what is
/// written.
///
/// # Errors
///
/// A usage error for a folder that cannot be written or holds another export; the SDK's error
/// of the call that failed. Both say how many conversations are written, and that the same
/// command resumes from there.
pub async fn export_inbox(
    client: &Client,
    account_id: u64,
    dir: &Path,
    fresh: bool,
    progress: &Progress,
) -> Result<Checkpoint, CliError> {
    let command = EXPORT;
    let mut writer = ExportWriter::open(dir, account_id, fresh)
        .map_err(|e| CliError::usage(format!("{command}: {e}")))?;
    let result = write_inbox(client, &mut writer, progress).await;
    progress.finish();
    let state = writer.written().clone();
    result.map_err(|failure| {
        let mut error = match failure {
            Failure::Call(error) => CliError::from_sdk(command, &error),
            Failure::Write(error) => CliError::usage(format!(
                "{command}: cannot write in {}: {error}",
                dir.display()
            )),
        };
        error.message = format!(
            "{}; {} conversations are written: run the same command again to resume from \
             there ({STATE_FILE} in {} records it)",
            error.message,
            state.offset,
            dir.display()
        );
        error
    })?;
    Ok(state)
}

/// Why an export stopped.
enum Failure {
    /// A call failed.
    Call(chatrace::Error),
    /// A file could not be written.
    Write(std::io::Error),
}

impl From<chatrace::Error> for Failure {
    fn from(error: chatrace::Error) -> Self {
        Failure::Call(error)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Write(error)
    }
}

/// Writes every page of conversations from where `writer` stands, recording each.
async fn write_inbox(
    client: &Client,
    writer: &mut ExportWriter,
    progress: &Progress,
) -> Result<(), Failure> {
    if writer.written().done {
        return Ok(());
    }
    let mut offset = writer.written().offset;
    let mut pages = client
        .list_conversations()
        .offset(offset_param(offset))
        .limit(PAGE_SIZE as i64)
        .max_pages(u32::MAX)
        .pages();
    while let Some(page) = pages.next().await {
        let page = page?;
        for conversation in &page {
            write_conversation(client, writer, &conversation.contact_id).await?;
            writer.write(ExportFile::Conversations, conversation, None)?;
        }
        offset += page.len() as u64;
        writer.checkpoint(offset, false)?;
        let lines = writer.written().lines;
        progress.say(format!(
            "{} conversations, {} messages",
            lines[ExportFile::Conversations as usize],
            lines[ExportFile::Messages as usize]
        ));
    }
    writer.checkpoint(offset, true)?;
    Ok(())
}

/// Writes the notes, custom field values and messages of the conversation of `contact`.
async fn write_conversation(
    client: &Client,
    writer: &mut ExportWriter,
    contact: &ContactId,
) -> Result<(), Failure> {
    let details = client.get_contact(contact.clone()).send().await?;
    let id = Some(contact.as_str());
    for note in details.notes.iter().flatten() {
        writer.write(ExportFile::Notes, note, id)?;
    }
    for value in details.custom_fields.iter().flatten() {
        writer.write(ExportFile::CustomFields, value, id)?;
    }
    let mut messages = client
        .list_messages(contact.clone())
        .max_pages(u32::MAX)
        .pages();
    while let Some(page) = messages.next().await {
        for message in page? {
            writer.write(ExportFile::Messages, &message, id)?;
        }
    }
    Ok(())
}

fn offset_param(offset: u64) -> i64 {
    i64::try_from(offset).unwrap_or(i64::MAX)
}
