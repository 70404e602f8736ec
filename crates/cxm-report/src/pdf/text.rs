//! Text styling primitives and the line breaker.
//!
//! `wrap` turns styled spans into lines no wider than a measure: greedy filling at
//! the line break opportunities of UAX #14 (spaces, and between CJK characters or
//! after a hyphen), explicit `\n` line breaks, and words longer than a line broken
//! between characters (grapheme clusters). Text is split into pieces by style, by the
//! face that draws it (see `fonts::itemize`) and by direction (UAX #9); each piece
//! is shaped once, measured by its glyphs and drawn with the same glyphs, so a line
//! measured to fit is drawn to fit. Lines keep their pieces in reading order and are
//! drawn in visual order: right-to-left runs reversed, mixed lines ordered by the
//! bidirectional algorithm.

use printpdf::Op;

use super::fonts::{self, CjkLang, Face, Run, Weight};
use super::ops::{GlyphItems, rgb, set_font, set_text_matrix};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Colour {
    /// A colour from its components.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Colour {
        Colour { r, g, b }
    }
    /// Black.
    pub const BLACK: Colour = Colour::rgb(0, 0, 0);
    /// White.
    pub const WHITE: Colour = Colour::rgb(255, 255, 255);
    /// The default text colour (near black, the charts' `INK`).
    pub const TEXT: Colour = Colour::rgb(33, 37, 41);
    /// Secondary text: footers, captions (the charts' `MUTED`).
    pub const MUTED: Colour = Colour::rgb(108, 117, 125);
    /// Thin rules and table lines.
    pub const RULE: Colour = Colour::rgb(206, 212, 218);
    /// A light grey fill (table headers, zebra rows).
    pub const LIGHT: Colour = Colour::rgb(241, 243, 245);

    pub(crate) fn pdf(self) -> printpdf::Color {
        rgb(self.r, self.g, self.b)
    }
}

impl From<plotters::style::RGBColor> for Colour {
    fn from(c: plotters::style::RGBColor) -> Colour {
        Colour::rgb(c.0, c.1, c.2)
    }
}

/// Horizontal alignment of text in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Ragged right.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Ragged left (numbers in tables).
    Right,
    /// Both edges flush; the last line of a paragraph and lines ending in `\n` are set
    /// ragged right.
    Justify,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text; `\n` forces a line break, other whitespace is a breakable space.
    pub text: String,
    /// Bold face.
    pub bold: bool,
    /// Colour; `None` takes the colour of the paragraph, cell or box.
    pub colour: Option<Colour>,
}

impl Span {
    /// Regular text in the context's colour.
    pub fn new(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: false,
            colour: None,
        }
    }

    /// Bold text in the context's colour.
    pub fn bold(text: impl Into<String>) -> Span {
        Span {
            bold: true,
            ..Span::new(text)
        }
    }

    /// The same span in `colour`.
    pub fn with_colour(mut self, colour: Colour) -> Span {
        self.colour = Some(colour);
        self
    }

    /// The same span, bold or not.
    pub fn with_bold(mut self, bold: bool) -> Span {
        self.bold = bold;
        self
    }
}

impl From<&str> for Span {
    fn from(s: &str) -> Span {
        Span::new(s)
    }
}

impl From<String> for Span {
    fn from(s: String) -> Span {
        Span::new(s)
    }
}

/// `text` as a bidirectional isolate (FIRST STRONG ISOLATE … POP DIRECTIONAL
/// ISOLATE, UAX #9): a value the user typed (a name, a title, a note) takes its own
/// direction from its first letter, so a name in Arabic or Hebrew reads right to left
/// as a whole, with its digits and punctuation, inside a left-to-right sentence. The
/// two marks draw nothing and are not part of the extracted text.
pub fn isolate(text: &str) -> String {
    format!("\u{2068}{text}\u{2069}")
}

/// Spans for one plain string.
pub fn plain(text: impl Into<String>) -> Vec<Span> {
    vec![Span::new(text)]
}

/// A piece of a laid-out line: a word fragment in one style, face and direction, or
/// one space, with its glyphs already shaped (so it is drawn exactly as measured).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    pub text: String,
    pub weight: Weight,
    pub colour: Colour,
    /// Width in points at the size the line was laid out for.
    pub width: f32,
    pub space: bool,
    /// Bidirectional embedding level (UAX #9): odd reads right to left.
    pub level: u8,
    /// The shaped glyphs of `text`.
    pub run: Run,
}

impl Piece {
    fn new(
        text: String,
        weight: Weight,
        colour: Colour,
        face: Face,
        level: u8,
        space: bool,
        size: f32,
    ) -> Piece {
        let run = fonts::shape_run(face, &text, level % 2 == 1);
        Piece {
            width: run.width(size),
            text,
            weight,
            colour,
            space,
            level,
            run,
        }
    }

    /// The same style, face and direction with other text, shaped anew.
    fn with_text(&self, text: String, size: f32) -> Piece {
        Piece::new(
            text,
            self.weight,
            self.colour,
            self.run.face,
            self.level,
            self.space,
            size,
        )
    }

    pub(crate) fn face(&self) -> Face {
        self.run.face
    }
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct LaidLine {
    /// The pieces in logical (reading) order; [`line_ops`] draws them in visual order.
    pub pieces: Vec<Piece>,
    /// Natural width in points (without justification).
    pub width: f32,
    /// Last line of a paragraph or ended by `\n`: never justified.
    pub ends_paragraph: bool,
}

impl LaidLine {
    /// The line's text in logical order (for tests and debugging).
    #[cfg(test)]
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

/// Tolerance for "fits", in points.
pub(crate) const EPS: f32 = 0.01;

/// The bidirectional embedding level of every byte of `text` (UAX #9, paragraphs
/// left to right: the report is written in English, and names in other scripts sit
/// inside its sentences), or `None` when the text has nothing that reads right to
/// left (every level is 0). Text that must take its own direction, such as a name
/// on its own, is put between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.
pub(crate) fn bidi_levels(text: &str) -> Option<Vec<u8>> {
    use unicode_bidi::BidiClass::{AL, R, RLE, RLI, RLO};
    if text.is_ascii() {
        return None;
    }
    // Nothing before Hebrew (U+0590) reads right to left.
    let rtl = text.chars().any(|c| {
        c >= '\u{0590}' && matches!(unicode_bidi::bidi_class(c), R | AL | RLE | RLO | RLI)
    });
    if !rtl {
        return None;
    }
    let info = unicode_bidi::BidiInfo::new(text, Some(unicode_bidi::Level::ltr()));
    Some(info.levels.iter().map(|l| l.number()).collect())
}

enum Tok {
    Word(Vec<Piece>),
    Space(Piece),
    Break,
}

/// Where a line may break without a space (UAX #14): between CJK characters, after
/// hyphens and dashes. Byte offsets of the character after the opportunity.
fn break_opportunities(text: &str) -> Vec<usize> {
    if text.is_ascii() && !text.contains(['-', '/', '?', '!', '}', ')', ']', '%']) {
        // Plain words and spaces: only spaces break, and those are handled directly.
        return Vec::new();
    }
    unicode_linebreak::linebreaks(text)
        .filter(|(_, o)| *o == unicode_linebreak::BreakOpportunity::Allowed)
        .map(|(i, _)| i)
        .collect()
}

fn is_breaking_space(c: char) -> bool {
    c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' && c != '\u{2007}'
}

fn tokenize(spans: &[Span], colour: Colour, size: f32) -> Vec<Tok> {
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    let levels = bidi_levels(&text);
    let cjk = CjkLang::detect(&text);
    let breaks = break_opportunities(&text);
    let mut toks = Vec::new();
    // The word being collected: finished pieces and the one being filled.
    let mut word: Vec<Piece> = Vec::new();
    let mut cur: Option<(String, Weight, Colour, Face, u8)> = None;
    let close = |cur: &mut Option<(String, Weight, Colour, Face, u8)>, word: &mut Vec<Piece>| {
        if let Some((t, w, c, f, l)) = cur.take() {
            word.push(Piece::new(t, w, c, f, l, false, size));
        }
    };
    let flush = |cur: &mut Option<(String, Weight, Colour, Face, u8)>,
                 word: &mut Vec<Piece>,
                 toks: &mut Vec<Tok>| {
        close(cur, word);
        if !word.is_empty() {
            toks.push(Tok::Word(std::mem::take(word)));
        }
    };
    let mut base = 0;
    let mut prev_space = true;
    for span in spans {
        let weight = Weight::from_bold(span.bold);
        let colour = span.colour.unwrap_or(colour);
        let items = fonts::itemize(weight, &span.text, cjk);
        let mut item = 0;
        for (i, c) in span.text.char_indices() {
            while item + 1 < items.len() && items[item].end <= i {
                item += 1;
            }
            let face = items.get(item).map_or(Face::Sans(weight), |it| it.face);
            let at = base + i;
            let level = levels.as_ref().map_or(0, |l| l[at]);
            if c == '\n' {
                flush(&mut cur, &mut word, &mut toks);
                toks.push(Tok::Break);
                prev_space = true;
            } else if is_breaking_space(c) {
                flush(&mut cur, &mut word, &mut toks);
                if !matches!(toks.last(), Some(Tok::Space(_))) {
                    toks.push(Tok::Space(Piece::new(
                        " ".into(),
                        weight,
                        colour,
                        face,
                        level,
                        true,
                        size,
                    )));
                }
                prev_space = true;
            } else if fonts::is_bidi_control(c) {
                // Orders the text (see `bidi_levels`); draws nothing.
            } else {
                if !prev_space && breaks.binary_search(&at).is_ok() {
                    flush(&mut cur, &mut word, &mut toks);
                }
                match &mut cur {
                    Some((t, w, col, f, l))
                        if *w == weight && *col == colour && *f == face && *l == level =>
                    {
                        t.push(c)
                    }
                    _ => {
                        close(&mut cur, &mut word);
                        cur = Some((c.to_string(), weight, colour, face, level));
                    }
                }
                prev_space = false;
            }
        }
        base += span.text.len();
    }
    flush(&mut cur, &mut word, &mut toks);
    toks
}

/// Breaks `spans` into lines at most `max_width` points wide at `size` points.
/// `colour` is the colour of spans without their own. Returns no lines for text with
/// nothing but whitespace.
pub(crate) fn wrap(spans: &[Span], colour: Colour, size: f32, max_width: f32) -> Vec<LaidLine> {
    let toks = tokenize(spans, colour, size);
    let mut lines = Vec::new();
    let mut cur = LaidLine::default();
    let mut pending_space: Option<Piece> = None;
    let mut any_word = false;
    for tok in toks {
        match tok {
            Tok::Break => {
                cur.ends_paragraph = true;
                lines.push(std::mem::take(&mut cur));
                pending_space = None;
            }
            Tok::Space(p) => {
                if !cur.pieces.is_empty() {
                    pending_space = Some(p);
                }
            }
            Tok::Word(pieces) => {
                any_word = true;
                let ww: f32 = pieces.iter().map(|p| p.width).sum();
                let sw = pending_space.as_ref().map_or(0.0, |p| p.width);
                if !cur.pieces.is_empty() && cur.width + sw + ww <= max_width + EPS {
                    if let Some(sp) = pending_space.take() {
                        cur.width += sp.width;
                        cur.pieces.push(sp);
                    }
                    cur.width += ww;
                    cur.pieces.extend(pieces);
                } else {
                    if !cur.pieces.is_empty() {
                        lines.push(std::mem::take(&mut cur));
                    }
                    place_word(&mut lines, &mut cur, pieces, ww, size, max_width);
                }
                pending_space = None;
            }
        }
    }
    if !cur.pieces.is_empty() {
        lines.push(cur);
    }
    if let Some(last) = lines.last_mut() {
        last.ends_paragraph = true;
    }
    if !any_word {
        return Vec::new();
    }
    lines
}

/// [`wrap`] in at most `max_lines` lines: the last one holds the rest of the text,
/// cut to fit with "…" (see [`single_line`]).
pub(crate) fn wrap_max_lines(
    spans: &[Span],
    colour: Colour,
    size: f32,
    max_width: f32,
    max_lines: usize,
) -> Vec<LaidLine> {
    let mut lines = wrap(spans, colour, size, max_width);
    if lines.len() <= max_lines || max_lines == 0 {
        lines.truncate(max_lines);
        return lines;
    }
    // The rest, from the last line that is kept, as spans in reading order.
    let mut rest: Vec<Span> = Vec::new();
    for (i, line) in lines[max_lines - 1..].iter().enumerate() {
        if i > 0 {
            rest.push(Span::new(" "));
        }
        for p in &line.pieces {
            rest.push(Span {
                text: p.text.clone(),
                bold: p.weight == Weight::Bold,
                colour: Some(p.colour),
            });
        }
    }
    lines.truncate(max_lines - 1);
    lines.push(single_line(&rest, colour, size, max_width));
    lines
}

/// The longest prefix of `text`, cut between grapheme clusters (never inside a
/// character with its marks, an emoji sequence or a CRLF), whose width shaped in the
/// style of `piece` is at most `room`, as a piece; `None` if not even the first
/// cluster fits. Widths grow with the prefix: a doubling probe, then a binary search,
/// so the work is in proportion to what fits, however long the text.
fn longest_prefix(piece: &Piece, text: &str, room: f32, size: f32) -> Option<Piece> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut cuts = text.grapheme_indices(true).map(|(i, g)| i + g.len());
    let mut known: Vec<usize> = Vec::new();
    let fits = |n: usize, known: &[usize]| {
        let p = piece.with_text(text[..known[n - 1]].to_string(), size);
        (p.width <= room + EPS).then_some(p)
    };
    // `lo` clusters fit (`best`), `hi` is the most that might.
    let (mut lo, mut best) = (0usize, None);
    let mut n = 1;
    let mut hi = loop {
        while known.len() < n {
            match cuts.next() {
                Some(c) => known.push(c),
                None => break,
            }
        }
        let k = n.min(known.len());
        if k == 0 || k == lo {
            return best; // the whole text fits (or it is empty)
        }
        match fits(k, &known) {
            Some(p) => {
                lo = k;
                best = Some(p);
                n *= 2;
            }
            None => break k - 1,
        }
    };
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        match fits(mid, &known) {
            Some(p) => {
                lo = mid;
                best = Some(p);
            }
            None => hi = mid - 1,
        }
    }
    best
}

/// Puts a word at the start of an empty line, breaking it between characters if it
/// is wider than the line. Full lines go to `lines`; the rest stays in `cur`.
fn place_word(
    lines: &mut Vec<LaidLine>,
    cur: &mut LaidLine,
    pieces: Vec<Piece>,
    ww: f32,
    size: f32,
    max_width: f32,
) {
    use unicode_segmentation::UnicodeSegmentation;
    if ww <= max_width + EPS {
        cur.width = ww;
        cur.pieces = pieces;
        return;
    }
    for piece in pieces {
        if cur.width + piece.width <= max_width + EPS {
            cur.width += piece.width;
            cur.pieces.push(piece);
            continue;
        }
        let mut rest: &str = &piece.text;
        while !rest.is_empty() {
            let head = match longest_prefix(&piece, rest, max_width - cur.width, size) {
                Some(head) => head,
                None if !cur.pieces.is_empty() => {
                    lines.push(std::mem::take(cur));
                    continue;
                }
                // Not even one character fits an empty line: it goes there anyway.
                None => {
                    let first = rest.graphemes(true).next().unwrap_or(rest);
                    piece.with_text(first.to_string(), size)
                }
            };
            rest = &rest[head.text.len()..];
            cur.width += head.width;
            cur.pieces.push(head);
            if !rest.is_empty() {
                lines.push(std::mem::take(cur));
            }
        }
    }
}

/// Lays `spans` out on a single line of at most `max_width` points, collapsing
/// whitespace and ending with "…" if the text does not fit.
pub(crate) fn single_line(spans: &[Span], colour: Colour, size: f32, max_width: f32) -> LaidLine {
    let toks = tokenize(spans, colour, size);
    let mut pieces: Vec<Piece> = Vec::new();
    for tok in toks {
        match tok {
            Tok::Word(w) => pieces.extend(w),
            Tok::Space(p) => {
                if pieces.last().is_some_and(|l| !l.space) {
                    pieces.push(p);
                }
            }
            Tok::Break => {
                if let Some(last) = pieces.last().filter(|l| !l.space) {
                    let space = last.with_text(" ".into(), size);
                    pieces.push(Piece {
                        space: true,
                        ..space
                    });
                }
            }
        }
    }
    while pieces.last().is_some_and(|p| p.space) {
        pieces.pop();
    }
    let width: f32 = pieces.iter().map(|p| p.width).sum();
    if width <= max_width + EPS {
        return LaidLine {
            pieces,
            width,
            ends_paragraph: true,
        };
    }
    // Truncate, leaving room for the ellipsis in the style and direction of the
    // piece that is cut.
    let mut out = LaidLine {
        ends_paragraph: true,
        ..LaidLine::default()
    };
    for piece in pieces {
        let ell = Piece::new(
            "…".into(),
            piece.weight,
            piece.colour,
            Face::Sans(piece.weight),
            piece.level,
            false,
            size,
        );
        if out.width + piece.width + ell.width <= max_width + EPS {
            out.width += piece.width;
            out.pieces.push(piece);
            continue;
        }
        if !piece.space
            && let Some(head) =
                longest_prefix(&piece, &piece.text, max_width - out.width - ell.width, size)
        {
            let trimmed = head.text.trim_end().to_string();
            let head = if trimmed.len() == head.text.len() {
                head
            } else {
                head.with_text(trimmed, size)
            };
            if !head.text.is_empty() {
                out.width += head.width;
                out.pieces.push(head);
            }
        }
        while out.pieces.last().is_some_and(|p| p.space) {
            let sp = out.pieces.pop().expect("checked");
            out.width -= sp.width;
        }
        if out.width + ell.width <= max_width + EPS {
            out.width += ell.width;
            out.pieces.push(ell);
        }
        break;
    }
    out
}

/// The order in which `pieces` are drawn from left to right (UAX #9 rule L2).
pub(crate) fn visual_order(pieces: &[Piece]) -> Vec<usize> {
    if pieces.iter().all(|p| p.level == 0) {
        return (0..pieces.len()).collect();
    }
    let levels: Vec<unicode_bidi::Level> = pieces
        .iter()
        .map(|p| unicode_bidi::Level::new(p.level).unwrap_or_else(|_| unicode_bidi::Level::ltr()))
        .collect();
    unicode_bidi::BidiInfo::reorder_visual(&levels)
}

/// Appends the operations that draw `line` with its left edge at `x` and its baseline
/// at `baseline` (page space, points), aligned in a box `max_width` wide.
pub(crate) fn line_ops(
    ops: &mut Vec<Op>,
    line: &LaidLine,
    x: f32,
    baseline: f32,
    size: f32,
    max_width: f32,
    align: Align,
) {
    if line.pieces.is_empty() {
        return;
    }
    let slack = (max_width - line.width).max(0.0);
    let spaces = line.pieces.iter().filter(|p| p.space).count();
    let (mut pen, extra) = match align {
        Align::Left => (x, 0.0),
        Align::Center => (x + slack / 2.0, 0.0),
        Align::Right => (x + slack, 0.0),
        Align::Justify if !line.ends_paragraph && spaces > 0 => (x, slack / spaces as f32),
        Align::Justify => (x, 0.0),
    };
    ops.push(Op::StartTextSection);
    let mut colour: Option<Colour> = None;
    let mut font: Option<Face> = None;
    let order = visual_order(&line.pieces);
    let pieces: Vec<&Piece> = order.iter().map(|i| &line.pieces[*i]).collect();
    let mut i = 0;
    while i < pieces.len() {
        // A run: consecutive pieces in one face and (spaces aside) one colour, shown
        // with one text matrix; justification goes into the spaces' TJ offsets.
        let face = pieces[i].face();
        let run_colour = pieces[i].colour;
        let mut glyphs = GlyphItems::default();
        let mut width = 0.0;
        let mut j = i;
        while j < pieces.len()
            && pieces[j].face() == face
            && (pieces[j].space || pieces[j].colour == run_colour)
        {
            let p = pieces[j];
            glyphs.push_run(&p.run);
            width += p.width;
            if p.space && extra != 0.0 {
                glyphs.add_space(extra * 1000.0 / size);
                width += extra;
            }
            j += 1;
        }
        if colour != Some(run_colour) {
            ops.push(Op::SetFillColor {
                col: run_colour.pdf(),
            });
            colour = Some(run_colour);
        }
        if font != Some(face) {
            set_font(ops, face, size);
            font = Some(face);
        }
        set_text_matrix(ops, [1.0, 0.0, 0.0, 1.0, pen, baseline]);
        glyphs.show(ops, size);
        pen += width;
        i = j;
    }
    ops.push(Op::EndTextSection);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths_ok(lines: &[LaidLine], size: f32, max: f32) {
        for l in lines {
            let measured: f32 = l
                .pieces
                .iter()
                .map(|p| fonts::text_width(p.weight, size, &p.text))
                .sum();
            assert!(
                (measured - l.width).abs() < 0.01,
                "{} vs {}",
                measured,
                l.width
            );
            assert!(
                l.width <= max + EPS,
                "line {:?} is {} wide > {}",
                l.text(),
                l.width,
                max
            );
        }
    }

    #[test]
    fn wraps_at_spaces_and_keeps_all_words() {
        let text = "The organisation has reached phase two in most building blocks, \
                    with journey management as the bottleneck that holds it back.";
        let lines = wrap(&plain(text), Colour::TEXT, 10.0, 150.0);
        assert!(lines.len() >= 3);
        widths_ok(&lines, 10.0, 150.0);
        let joined = lines
            .iter()
            .map(LaidLine::text)
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, text);
        assert!(lines.last().unwrap().ends_paragraph);
        assert!(!lines[0].ends_paragraph);
    }

    #[test]
    fn breaks_long_words_by_character() {
        let word = "Supercalifragilisticexpialidocious".repeat(3);
        let lines = wrap(&plain(format!("a {word} b")), Colour::TEXT, 10.0, 60.0);
        widths_ok(&lines, 10.0, 60.0);
        let joined: String = lines.iter().map(LaidLine::text).collect();
        assert_eq!(joined.replace(' ', ""), format!("a{word}b"));
    }

    #[test]
    fn narrow_boxes_still_progress() {
        let lines = wrap(&plain("WWW"), Colour::TEXT, 10.0, 1.0);
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn hard_breaks_and_mixed_styles() {
        let spans = vec![
            Span::new("Phase: "),
            Span::bold("Defined").with_colour(Colour::rgb(0, 114, 178)),
            Span::new(".\nNext line"),
        ];
        let lines = wrap(&spans, Colour::TEXT, 10.0, 400.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text(), "Phase: Defined.");
        assert!(lines[0].ends_paragraph);
        assert_eq!(lines[1].text(), "Next line");
        assert!(lines[0].pieces.iter().any(|p| p.weight == Weight::Bold));
    }

    #[test]
    fn whitespace_only_gives_no_lines() {
        assert!(wrap(&plain("  \t "), Colour::TEXT, 10.0, 100.0).is_empty());
        assert!(wrap(&[], Colour::TEXT, 10.0, 100.0).is_empty());
    }

    #[test]
    fn single_line_ellipsis_fits() {
        let l = single_line(
            &plain("Customer journey management and governance"),
            Colour::TEXT,
            10.0,
            80.0,
        );
        assert!(l.width <= 80.0 + EPS);
        assert!(l.text().ends_with('…'), "{}", l.text());
        let short = single_line(&plain("Short"), Colour::TEXT, 10.0, 80.0);
        assert_eq!(short.text(), "Short");
    }

    #[test]
    fn at_most_so_many_lines_ending_with_an_ellipsis() {
        let text = "The organisation has reached phase two in most building blocks, \
                    with journey management as the bottleneck that holds it back.";
        let all = wrap(&plain(text), Colour::TEXT, 10.0, 100.0);
        assert!(all.len() > 3);
        let lines = wrap_max_lines(&plain(text), Colour::TEXT, 10.0, 100.0, 3);
        assert_eq!(lines.len(), 3);
        widths_ok(&lines, 10.0, 100.0);
        assert_eq!(lines[..2], all[..2]);
        assert!(lines[2].text().ends_with('…'), "{}", lines[2].text());
        assert_eq!(
            wrap_max_lines(&plain(text), Colour::TEXT, 10.0, 100.0, 9),
            all
        );
    }

    #[test]
    fn cjk_breaks_between_characters_and_words_after_hyphens() {
        let lines = wrap(
            &plain("顧客体験の成熟度を毎四半期に評価しています"),
            Colour::TEXT,
            10.0,
            60.0,
        );
        assert!(lines.len() >= 3, "{lines:?}");
        widths_ok(&lines, 10.0, 60.0);
        // The first line is full: CJK needs no space to break.
        assert!(lines[0].width > 50.0, "{}", lines[0].width);
        let lines = wrap(
            &plain("customer-experience-maturity"),
            Colour::TEXT,
            10.0,
            80.0,
        );
        assert_eq!(lines[0].text(), "customer-");
    }

    #[test]
    fn long_words_break_between_characters_not_inside_them() {
        // "é" as e + combining acute, and a flag of two regional indicators: never
        // split from their base.
        let word = "e\u{301}".repeat(40);
        let lines = wrap(&plain(&word), Colour::TEXT, 10.0, 30.0);
        for l in &lines {
            assert!(!l.text().starts_with('\u{301}'), "{:?}", l.text());
        }
        let joined: String = lines.iter().map(LaidLine::text).collect();
        assert_eq!(joined, word);
    }

    #[test]
    fn mixed_directions_are_drawn_in_visual_order() {
        let lines = wrap(&plain("Acme שלום עולם Ltd"), Colour::TEXT, 10.0, 400.0);
        let order = visual_order(&lines[0].pieces);
        let drawn: Vec<&str> = order
            .iter()
            .map(|i| lines[0].pieces[*i].text.as_str())
            .collect();
        assert_eq!(drawn, ["Acme", " ", "עולם", " ", "שלום", " ", "Ltd"]);
    }

    #[test]
    fn a_note_of_twenty_thousand_characters_without_a_space_wraps_quickly() {
        // The longest note the app accepts, with nothing to break at: each line costs
        // in proportion to what fits on it, not to the rest of the note.
        let word = "x".repeat(20_000);
        let start = std::time::Instant::now();
        let lines = wrap(&plain(&word), Colour::TEXT, 10.0, 100.0);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            start.elapsed()
        );
        widths_ok(&lines, 10.0, 100.0);
        assert_eq!(lines.iter().map(LaidLine::text).collect::<String>(), word);
    }
}
