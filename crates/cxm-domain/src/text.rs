//! Text that people type and other programs read: the one set of rules every entry
//! point applies to names and longer texts, the one way names are compared, and the
//! one way text is made safe to print on a terminal.
//!
//! - Names (organisations, rounds, respondents, departments, role groups, …) are
//!   trimmed, put in Unicode normalisation form C, and refused when they hold a
//!   control character (C0, DEL, C1: the bytes of ANSI/OSC escape sequences, NUL, line
//!   breaks), a bidirectional override, embedding or isolate (text that reads
//!   differently from what it is), a line or paragraph separator, or nothing visible
//!   (only spaces and zero-width characters).
//! - Longer texts (notes, descriptions, guidance) follow the same rules but may hold
//!   line breaks and tabs; `\r\n` and `\r` become `\n`.
//! - Two names are the same when their [`fold`]s are equal: NFC, Unicode full case
//!   folding, NFC again, runs of white space as one space. `TOMÁS ORTEGA`, `Tomás
//!   Ortega` and `Tomás  Ortega` (with a decomposed `á`) are one person.
//! - [`terminal_safe`] escapes what a terminal would interpret (for text that reached
//!   the database before these rules, or comes from a file being refused).

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Longest organisation, round, respondent, department and "prepared by" text, in
/// characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// Whether `c` is a bidirectional formatting character that changes how the text
/// around it is displayed: LRE, RLE, PDF, LRO, RLO (U+202A–U+202E) and the isolates
/// LRI, RLI, FSI, PDI (U+2066–U+2069). The plain marks LRM, RLM and ALM are allowed:
/// right-to-left names need them and they reorder nothing beyond themselves.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room and show nothing: zero-width spaces and joiners, word
/// joiner, the byte-order mark, directional marks, soft hyphen, variation selectors
/// and the other default-ignorable code points a name could be made of.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}')
}

/// What is wrong with one character of a name or text, if anything.
fn char_problem(c: char, multiline: bool) -> Option<&'static str> {
    if multiline && (c == '\n' || c == '\t') {
        return None;
    }
    if c == '\0' {
        Some("a NUL character")
    } else if c == '\u{1B}' {
        Some("an escape character")
    } else if c == '\n' || c == '\r' {
        Some("a line break")
    } else if c.is_control() {
        Some("a control character")
    } else if is_bidi_control(c) {
        Some("a bidirectional override")
    } else if c == '\u{2028}' || c == '\u{2029}' {
        Some("a line or paragraph separator")
    } else {
        None
    }
}

/// Why a name or text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing but white space.
    Empty,
    /// Only spaces and zero-width characters.
    Invisible,
    /// A character that is not allowed.
    Char {
        /// What kind of character ("a NUL character", "a bidirectional override", …).
        kind: &'static str,
        /// The character.
        found: char,
        /// Its 1-based position, in characters, after trimming.
        at: usize,
    },
    /// Longer than allowed.
    TooLong {
        /// Its length, in characters.
        chars: usize,
        /// The most allowed.
        max: usize,
    },
}

impl TextProblem {
    /// The problem as the end of a sentence whose subject is the value: "must not be
    /// empty", "is too long (250 characters; at most 200)".
    pub fn predicate(&self) -> String {
        match self {
            TextProblem::Empty => "must not be empty".into(),
            TextProblem::Invisible => {
                "has nothing visible in it (only spaces or zero-width characters)".into()
            }
            TextProblem::Char { kind, found, at } => format!(
                "contains {kind} (U+{:04X} at character {at}); remove it",
                *found as u32
            ),
            TextProblem::TooLong { chars, max } => {
                format!("is too long ({chars} characters; at most {max})")
            }
        }
    }
}

/// Checks a name (`multiline` false) or a longer text and returns it as stored.
pub fn check(value: &str, max: usize, multiline: bool) -> Result<String, TextProblem> {
    let value: Cow<'_, str> = if multiline && value.contains('\r') {
        Cow::Owned(value.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(value)
    };
    let value = value.trim();
    // A cheap bound first: a value many times too long is refused without more work.
    if value.len() > max.saturating_mul(4) {
        return Err(TextProblem::TooLong {
            chars: value.chars().count(),
            max,
        });
    }
    if let Some((i, found, kind)) = value
        .chars()
        .enumerate()
        .find_map(|(i, c)| char_problem(c, multiline).map(|kind| (i, c, kind)))
    {
        return Err(TextProblem::Char {
            kind,
            found,
            at: i + 1,
        });
    }
    if value.is_empty() {
        return Err(TextProblem::Empty);
    }
    if value.chars().all(is_invisible) {
        return Err(TextProblem::Invisible);
    }
    let value: String = value.nfc().collect();
    let chars = value.chars().count();
    if chars > max {
        return Err(TextProblem::TooLong { chars, max });
    }
    Ok(value)
}

/// A name as it is stored: trimmed, NFC, checked (see the module's documentation);
/// `Err` says what is wrong, naming `what` ("respondent's name").
pub fn clean_name(value: &str, what: &str, max: usize) -> Result<String, String> {
    check(value, max, false).map_err(|p| format!("the {what} {}", p.predicate()))
}

/// A longer text as it is stored (a note, a description): like [`clean_name`], but
/// line breaks (as `\n`) and tabs are kept.
pub fn clean_text(value: &str, what: &str, max: usize) -> Result<String, String> {
    check(value, max, true).map_err(|p| format!("the {what} {}", p.predicate()))
}

/// The key two names are compared by (see the module's documentation).
pub fn fold(name: &str) -> String {
    let nfc: String = name.nfc().collect();
    let folded: String = caseless::default_case_fold_str(&nfc).nfc().collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with everything a terminal could interpret made visible: control characters
/// other than line feed and tab, and bidirectional overrides, are written as `\u{…}`.
/// Text without them is returned as it is.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_composed() {
        assert_eq!(
            clean_name("  Toma\u{301}s Ortega ", "name", 200).unwrap(),
            "Tomás Ortega"
        );
        assert_eq!(clean_name("أحمد", "name", 200).unwrap(), "أحمد");
        assert_eq!(clean_name("山田 太郎", "name", 200).unwrap(), "山田 太郎");
        // Directional marks are allowed inside a visible name.
        assert_eq!(
            clean_name("\u{200F}שרה", "name", 200).unwrap(),
            "\u{200F}שרה"
        );
    }

    #[test]
    fn names_with_controls_or_nothing_visible_are_refused() {
        let cases = [
            ("\u{1b}[31mRed\u{1b}[0m", "escape character"),
            ("\u{1b}]8;;http://x\u{7}link", "escape character"),
            ("a\0b", "NUL"),
            ("evil\u{202E}gnp.exe", "bidirectional override"),
            ("a\u{2066}b", "bidirectional override"),
            ("two\nlines", "line break"),
            ("tab\there", "control character"),
            ("c1\u{9b}x", "control character"),
            ("\u{200B}\u{200C}\u{FEFF}", "nothing visible"),
            ("", "must not be empty"),
            ("   ", "must not be empty"),
            ("a\u{2028}b", "separator"),
        ];
        for (name, why) in cases {
            let e = clean_name(name, "respondent's name", 200).unwrap_err();
            assert!(e.contains(why), "{name:?}: {e}");
            assert!(e.starts_with("the respondent's name"), "{e}");
        }
        let e = clean_name(&"x".repeat(201), "round title", 200).unwrap_err();
        assert_eq!(
            e,
            "the round title is too long (201 characters; at most 200)"
        );
    }

    #[test]
    fn texts_keep_line_breaks() {
        assert_eq!(
            clean_text("line 1\r\nline 2\rline 3\tend", "note", 100).unwrap(),
            "line 1\nline 2\nline 3\tend"
        );
        assert!(clean_text("bell\u{7}", "note", 100).is_err());
    }

    #[test]
    fn folding_makes_one_person_of_case_and_composition() {
        assert_eq!(fold("TOMÁS ORTEGA"), fold("Tomás Ortega"));
        assert_eq!(fold("Toma\u{301}s  Ortega"), fold("tomás ortega"));
        assert_eq!(fold("STRASSE"), fold("Straße"));
        assert_ne!(fold("Ana"), fold("Anna"));
    }

    #[test]
    fn terminal_safe_shows_escapes() {
        assert_eq!(terminal_safe("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            terminal_safe("\u{1b}[2Jx\u{202E}y"),
            "\\u{1b}[2Jx\\u{202e}y"
        );
    }
}
