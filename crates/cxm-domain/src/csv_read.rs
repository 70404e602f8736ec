//! What the two CSV readers share ([`crate::responses_csv`], [`crate::survey_csv`]):
//! the csv crate set up as real files need, the separator taken from the header, header
//! cells as they are matched, line numbers as an editor shows them, counted once front
//! to back, and the list of problems.

use crate::responses_csv::{CsvError, CsvIssue, MAX_ISSUES, from_spreadsheet_safe};
use crate::text;

/// The separator of the file: `,`, `;` or tab, whichever the header record has most of
/// outside quotes (a KoboToolbox header of labels has commas inside its quoted cells).
pub(crate) fn detect_delimiter(data: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut tabs) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for &b in data {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas && tabs > semicolons {
        b'\t'
    } else {
        b','
    }
}

/// A reader of `data` with `delimiter`: no header handling, rows of any length.
pub(crate) fn reader(data: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(data)
}

/// A header cell as it is matched: lossy UTF-8, trimmed, one spreadsheet quote off.
pub(crate) fn header_name(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    from_spreadsheet_safe(s.trim().trim_start_matches('\u{feff}')).to_string()
}

/// Line breaks in `bytes`: `\n`, and a `\r` that no `\n` follows (the line ends of old
/// Mac spreadsheets). A `\r` at the end of `bytes` counts: [`Lines`] never cuts a file
/// between `\r` and `\n`.
pub(crate) fn line_breaks(bytes: &[u8]) -> u64 {
    let lone_cr = bytes
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(bytes.last() == Some(&b'\r'));
    (bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr) as u64
}

/// The line numbers of the byte offsets where records start, counted front to back:
/// each query counts only the line breaks between the previous offset and this one,
/// so numbering every record of a file reads each byte at most twice.
pub(crate) struct Lines<'a> {
    data: &'a [u8],
    /// Where the count stands: `breaks` line breaks in `data[..at]`; `at` is 0, the
    /// end, or an offset whose byte is neither `\r` nor `\n`.
    at: usize,
    breaks: u64,
    /// Bytes examined so far (what the tests hold to a multiple of the file's size).
    pub(crate) scanned: u64,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Lines<'a> {
        Lines {
            data,
            at: 0,
            breaks: 0,
            scanned: 0,
        }
    }

    /// 1-based line where the record at `byte` starts. The csv crate's own line count
    /// misses blank lines and CRLF, and its offset is where the previous record's
    /// terminator began: skip line ends from there.
    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        let data = self.data;
        let from = usize::try_from(byte).unwrap_or(usize::MAX).min(data.len());
        let skipped = data[from..]
            .iter()
            .take_while(|&&b| matches!(b, b'\r' | b'\n'))
            .count();
        let end = from + skipped;
        if end >= self.at {
            self.breaks += line_breaks(&data[self.at..end]);
        } else {
            // Offsets only move forward while reading; this keeps any order correct.
            self.breaks -= line_breaks(&data[end..self.at]);
        }
        self.scanned += (skipped + end.abs_diff(self.at)) as u64;
        self.at = end;
        self.breaks + 1
    }
}

/// A cell's text as a message shows it: nothing a terminal would interpret, at most
/// 60 characters.
pub(crate) fn shown(cell: &str) -> String {
    const MAX: usize = 60;
    let safe = text::terminal_safe(cell);
    match safe.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &safe[..cut]),
        None => safe.into_owned(),
    }
}

/// The problems found, in the order found, up to [`MAX_ISSUES`] (then `.1`: more were
/// found).
pub(crate) struct Issues(pub(crate) Vec<CsvIssue>, pub(crate) bool);

impl Issues {
    /// Adds a problem at `line` (and `column`: its number and header).
    pub(crate) fn push(
        &mut self,
        line: u64,
        column: Option<(usize, &str)>,
        message: impl Into<String>,
    ) {
        if self.0.len() >= MAX_ISSUES {
            self.1 = true;
            return;
        }
        self.0.push(CsvIssue {
            line,
            column: column.map(|(c, n)| (c, n.to_string())),
            message: message.into(),
        });
    }

    /// The problems as an error, sorted by line and column.
    pub(crate) fn into_error(mut self) -> CsvError {
        self.0
            .sort_by_key(|i| (i.line, i.column.as_ref().map(|c| c.0)));
        CsvError {
            issues: self.0,
            truncated: self.1,
        }
    }
}

/// Reads the next row that is not blank into `record`: its 1-based line, or `None` at
/// the end of the file or at a row that cannot be read (then a problem is listed).
pub(crate) fn next_record(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut csv::ByteRecord,
    lines: &mut Lines<'_>,
    issues: &mut Issues,
) -> Option<u64> {
    loop {
        match reader.read_byte_record(record) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
                issues.push(line, None, format!("cannot read this row: {e}"));
                return None;
            }
        }
        let line = record
            .position()
            .map(|p| lines.line_at(p.byte()))
            .unwrap_or(0);
        if !record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            return Some(line);
        }
    }
}
