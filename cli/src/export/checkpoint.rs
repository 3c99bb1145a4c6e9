//! The files of an export and how far they are written: appended line by line, and a state
//! file that records, after each page of conversations, where the listing stands and how long
//! each file is. A run that stops anywhere is resumed from the last record: the files are cut
//! back to the recorded lengths, so nothing is written twice.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{json, Value};

/// The name of the state file in the export's folder.
pub const STATE_FILE: &str = "export-state.json";

/// The version of the state file's format.
const FORMAT: u64 = 1;

/// One JSON-lines file of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFile {
    /// `conversations.jsonl`: one conversation per line, as the inbox lists it.
    Conversations,
    /// `messages.jsonl`: every message of every conversation, newest first per conversation.
    Messages,
    /// `notes.jsonl`: the notes on each conversation.
    Notes,
    /// `custom_fields.jsonl`: each contact's custom field values.
    CustomFields,
}

impl ExportFile {
    /// Every file, in the order of the state file's records.
    pub const ALL: [ExportFile; 4] = [
        ExportFile::Conversations,
        ExportFile::Messages,
        ExportFile::Notes,
        ExportFile::CustomFields,
    ];

    /// The file's name in the export's folder.
    pub fn name(self) -> &'static str {
        match self {
            ExportFile::Conversations => "conversations.jsonl",
            ExportFile::Messages => "messages.jsonl",
            ExportFile::Notes => "notes.jsonl",
            ExportFile::CustomFields => "custom_fields.jsonl",
        }
    }

    /// What the file's lines are, in the summary (`42 messages`).
    pub fn noun(self) -> &'static str {
        match self {
            ExportFile::Conversations => "conversations",
            ExportFile::Messages => "messages",
            ExportFile::Notes => "notes",
            ExportFile::CustomFields => "custom field values",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Where an export stands, as its state file records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkpoint {
    /// The account exported.
    pub account_id: u64,
    /// The offset of the next page of conversations.
    pub offset: u64,
    /// Whether every page was written.
    pub done: bool,
    /// The length in bytes of each file ([`ExportFile::ALL`] order).
    pub bytes: [u64; 4],
    /// The lines of each file.
    pub lines: [u64; 4],
}

impl Checkpoint {
    fn to_json(&self) -> Value {
        let files: serde_json::Map<String, Value> = ExportFile::ALL
            .iter()
            .map(|file| {
                let i = file.index();
                let record = json!({"bytes": self.bytes[i], "lines": self.lines[i]});
                (file.name().to_owned(), record)
            })
            .collect();
        json!({
            "format": FORMAT,
            "account_id": self.account_id,
            "offset": self.offset,
            "done": self.done,
            "files": files,
        })
    }

    fn from_json(value: &Value) -> Option<Checkpoint> {
        if value.get("format")?.as_u64()? != FORMAT {
            return None;
        }
        let mut checkpoint = Checkpoint {
            account_id: value.get("account_id")?.as_u64()?,
            offset: value.get("offset")?.as_u64()?,
            done: value.get("done")?.as_bool()?,
            ..Checkpoint::default()
        };
        for file in ExportFile::ALL {
            let record = value.get("files")?.get(file.name())?;
            checkpoint.bytes[file.index()] = record.get("bytes")?.as_u64()?;
            checkpoint.lines[file.index()] = record.get("lines")?.as_u64()?;
        }
        Some(checkpoint)
    }
}

/// The open files of an export, and what is written of them.
pub struct ExportWriter {
    dir: PathBuf,
    files: Vec<BufWriter<File>>,
    written: Checkpoint,
    line: Vec<u8>,
}

impl ExportWriter {
    /// Opens the export of `account_id` in `dir`: a new one (the folder is made; with `fresh`,
    /// a previous export there is removed first), or the one a state file records, its files
    /// cut back to the recorded lengths.
    ///
    /// # Errors
    ///
    /// A message when the folder holds export files without a state file, the state of another
    /// account, files shorter than recorded, or cannot be written.
    pub fn open(dir: &Path, account_id: u64, fresh: bool) -> Result<ExportWriter, String> {
        let shown = dir.display();
        fs::create_dir_all(dir).map_err(|e| format!("cannot make {shown}: {e}"))?;
        let state_path = dir.join(STATE_FILE);
        if fresh {
            for path in ExportFile::ALL
                .iter()
                .map(|f| dir.join(f.name()))
                .chain([state_path.clone()])
            {
                match fs::remove_file(&path) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => {
                        return Err(format!("cannot remove {}: {e}", path.display()))
                    }
                    _ => {}
                }
            }
        }
        let checkpoint = match fs::read(&state_path) {
            Ok(bytes) => {
                let state = serde_json::from_slice(&bytes)
                    .ok()
                    .as_ref()
                    .and_then(Checkpoint::from_json)
                    .ok_or_else(|| {
                        format!(
                            "{} is not an export state this chatrace reads: pass --fresh to \
                             start over",
                            state_path.display()
                        )
                    })?;
                if state.account_id != account_id {
                    return Err(format!(
                        "{shown} holds an export of account {}, not {account_id}: pass --fresh \
                         to start over, or another --out",
                        state.account_id
                    ));
                }
                state
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(file) = ExportFile::ALL.iter().find(|f| dir.join(f.name()).exists()) {
                    return Err(format!(
                        "{shown} already holds {} but no {STATE_FILE}: pass --fresh to replace \
                         it, or another --out",
                        file.name()
                    ));
                }
                Checkpoint {
                    account_id,
                    ..Checkpoint::default()
                }
            }
            Err(e) => return Err(format!("cannot read {}: {e}", state_path.display())),
        };
        let mut files = Vec::with_capacity(ExportFile::ALL.len());
        for file in ExportFile::ALL {
            let path = dir.join(file.name());
            let handle = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
            let length = handle
                .metadata()
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?
                .len();
            let recorded = checkpoint.bytes[file.index()];
            if length < recorded {
                return Err(format!(
                    "{} is shorter than {STATE_FILE} records: pass --fresh to start over",
                    path.display()
                ));
            }
            // What was written after the last record is written again from there.
            handle
                .set_len(recorded)
                .map_err(|e| format!("cannot cut {} back: {e}", path.display()))?;
            files.push(BufWriter::new(handle));
        }
        let writer = ExportWriter {
            dir: dir.to_owned(),
            files,
            written: checkpoint,
            line: Vec::new(),
        };
        writer
            .record()
            .map_err(|e| format!("cannot write {STATE_FILE}: {e}"))?;
        Ok(writer)
    }

    /// Where the export stands: the last record, and what is written since.
    pub fn written(&self) -> &Checkpoint {
        &self.written
    }

    /// Appends `item` to `file` as one line of JSON; with `contact`, an object gets the key
    /// `ms_id` first (unless it has one), naming the conversation it belongs to.
    ///
    /// # Errors
    ///
    /// When the item cannot be serialized or the file written.
    pub fn write(
        &mut self,
        file: ExportFile,
        item: &impl Serialize,
        contact: Option<&str>,
    ) -> io::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, item)?;
        let mut rest = 0;
        let mut prefix = Vec::new();
        if let (Some(contact), Some(b'{')) = (contact, self.line.first()) {
            if !contains(&self.line, b"\"ms_id\":") {
                // Written straight into the line, without a map of the item's fields.
                prefix.extend_from_slice(b"{\"ms_id\":");
                serde_json::to_writer(&mut prefix, contact)?;
                if self.line.len() > 2 {
                    prefix.push(b',');
                }
                rest = 1;
            }
        }
        self.line.push(b'\n');
        let out = &mut self.files[file.index()];
        out.write_all(&prefix)?;
        out.write_all(&self.line[rest..])?;
        self.written.bytes[file.index()] += (prefix.len() + self.line.len() - rest) as u64;
        self.written.lines[file.index()] += 1;
        Ok(())
    }

    /// Records that the conversations before `offset` are written whole (with `done`: the
    /// last of them): writes the files out, then the state.
    ///
    /// # Errors
    ///
    /// When a file or the state cannot be written.
    pub fn checkpoint(&mut self, offset: u64, done: bool) -> io::Result<()> {
        for file in &mut self.files {
            file.flush()?;
        }
        self.written.offset = offset;
        self.written.done = done;
        self.record()
    }

    /// Writes the state file whole (a new file renamed over the old one), so that a run that
    /// stops while it writes leaves the previous record.
    fn record(&self) -> io::Result<()> {
        let temporary = self.dir.join(format!("{STATE_FILE}.new"));
        let text = serde_json::to_vec_pretty(&self.written.to_json())?;
        fs::write(&temporary, text)?;
        fs::rename(&temporary, self.dir.join(STATE_FILE))
    }
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    fn read(dir: &Path, file: ExportFile) -> String {
        fs::read_to_string(dir.join(file.name())).unwrap_or_default()
    }

    #[test]
    fn a_resumed_export_cuts_back_what_was_written_after_the_record() {
        let dir = dir();
        let mut writer = ExportWriter::open(dir.path(), 7, false).unwrap_or_else(|e| panic!("{e}"));
        writer
            .write(ExportFile::Conversations, &json!({"ms_id": "1"}), Some("1"))
            .unwrap_or_else(|e| panic!("{e}"));
        writer
            .write(ExportFile::Messages, &json!({"id": "m"}), Some("1"))
            .unwrap_or_else(|e| panic!("{e}"));
        writer
            .write(ExportFile::Messages, &json!({}), Some("1"))
            .unwrap_or_else(|e| panic!("{e}"));
        writer
            .checkpoint(1, false)
            .unwrap_or_else(|e| panic!("{e}"));
        writer
            .write(ExportFile::Conversations, &json!({"ms_id": "2"}), None)
            .unwrap_or_else(|e| panic!("{e}"));
        writer
            .write(ExportFile::Notes, &json!({"id": "n"}), Some("2"))
            .unwrap_or_else(|e| panic!("{e}"));
        // Written out, as a run that stops before its next record leaves it.
        for file in &mut writer.files {
            file.flush().unwrap_or_else(|e| panic!("{e}"));
        }
        drop(writer);
        assert_eq!(
            read(dir.path(), ExportFile::Notes),
            "{\"ms_id\":\"2\",\"id\":\"n\"}\n"
        );

        let resumed = ExportWriter::open(dir.path(), 7, false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resumed.written().offset, 1);
        assert_eq!(resumed.written().lines[0], 1);
        assert_eq!(
            read(dir.path(), ExportFile::Conversations),
            "{\"ms_id\":\"1\"}\n"
        );
        assert_eq!(
            read(dir.path(), ExportFile::Messages),
            "{\"ms_id\":\"1\",\"id\":\"m\"}\n{\"ms_id\":\"1\"}\n"
        );
        assert_eq!(read(dir.path(), ExportFile::Notes), "");
        drop(resumed);

        let other = ExportWriter::open(dir.path(), 8, false)
            .err()
            .unwrap_or_default();
        assert!(other.contains("account 7, not 8"), "{other}");
        let fresh = ExportWriter::open(dir.path(), 8, true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            fresh.written(),
            &Checkpoint {
                account_id: 8,
                ..Checkpoint::default()
            }
        );
        assert_eq!(read(dir.path(), ExportFile::Conversations), "");
    }

    #[test]
    fn files_without_a_state_are_not_taken_over() {
        let dir = dir();
        fs::write(dir.path().join("messages.jsonl"), "{}\n").unwrap_or_else(|e| panic!("{e}"));
        let refused = ExportWriter::open(dir.path(), 7, false)
            .err()
            .unwrap_or_default();
        assert!(refused.contains("messages.jsonl"), "{refused}");
        fs::write(dir.path().join(STATE_FILE), "{}").unwrap_or_else(|e| panic!("{e}"));
        let unreadable = ExportWriter::open(dir.path(), 7, false)
            .err()
            .unwrap_or_default();
        assert!(unreadable.contains("--fresh"), "{unreadable}");
    }
}
