//! Text styling primitives and the line breaker.
//!
//! `wrap` turns styled spans into lines no wider than a measure: greedy filling at
//! spaces, explicit `\n` line breaks, and words longer than a line broken between
//! characters. Every width comes from [`fonts`], the same measurements the glyph runs
//! are drawn with, so a line measured to fit is drawn to fit.

use printpdf::{Op, TextItem};

use super::fonts::{self, Weight};
use super::ops::{codepoints, rgb, set_font, set_text_matrix};

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

/// Spans for one plain string.
pub fn plain(text: impl Into<String>) -> Vec<Span> {
    vec![Span::new(text)]
}

/// A piece of a laid-out line: a word fragment in one style, or one space.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    pub text: String,
    pub weight: Weight,
    pub colour: Colour,
    /// Width in points at the size the line was laid out for.
    pub width: f32,
    pub space: bool,
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct LaidLine {
    pub pieces: Vec<Piece>,
    /// Natural width in points (without justification).
    pub width: f32,
    /// Last line of a paragraph or ended by `\n`: never justified.
    pub ends_paragraph: bool,
}

impl LaidLine {
    /// The line's text (for tests and debugging).
    #[cfg(test)]
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

/// Tolerance for "fits", in points.
pub(crate) const EPS: f32 = 0.01;

enum Tok {
    Word(Vec<Piece>),
    Space(Piece),
    Break,
}

fn tokenize(spans: &[Span], colour: Colour, size: f32) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut word: Vec<Piece> = Vec::new();
    let flush = |word: &mut Vec<Piece>, toks: &mut Vec<Tok>| {
        if !word.is_empty() {
            let mut w = std::mem::take(word);
            for p in &mut w {
                p.width = fonts::text_width(p.weight, size, &p.text);
            }
            toks.push(Tok::Word(w));
        }
    };
    for span in spans {
        let weight = Weight::from_bold(span.bold);
        let colour = span.colour.unwrap_or(colour);
        for c in span.text.chars() {
            if c == '\n' {
                flush(&mut word, &mut toks);
                toks.push(Tok::Break);
            } else if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                flush(&mut word, &mut toks);
                if !matches!(toks.last(), Some(Tok::Space(_))) {
                    toks.push(Tok::Space(Piece {
                        text: " ".into(),
                        weight,
                        colour,
                        width: fonts::text_width(weight, size, " "),
                        space: true,
                    }));
                }
            } else {
                match word.last_mut() {
                    Some(p) if p.weight == weight && p.colour == colour => p.text.push(c),
                    _ => word.push(Piece {
                        text: c.to_string(),
                        weight,
                        colour,
                        width: 0.0,
                        space: false,
                    }),
                }
            }
        }
    }
    flush(&mut word, &mut toks);
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
    if ww <= max_width + EPS {
        cur.width = ww;
        cur.pieces = pieces;
        return;
    }
    for piece in pieces {
        let mut text = String::new();
        let mut width = 0.0f32;
        let mut prev: Option<char> = None;
        for c in piece.text.chars() {
            let kern = prev.map_or(0.0, |p| fonts::char_kern(piece.weight, size, p, c));
            let cw = fonts::char_width(piece.weight, size, c);
            let add = kern + cw;
            let has_content = !cur.pieces.is_empty() || !text.is_empty();
            if has_content && cur.width + width + add > max_width + EPS {
                if !text.is_empty() {
                    cur.pieces.push(Piece {
                        text: std::mem::take(&mut text),
                        width,
                        ..piece.clone()
                    });
                    cur.width += width;
                }
                lines.push(std::mem::take(cur));
                width = cw;
                text.push(c);
            } else {
                width += add;
                text.push(c);
            }
            prev = Some(c);
        }
        if !text.is_empty() {
            cur.pieces.push(Piece {
                text,
                width,
                ..piece
            });
            cur.width += width;
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
                    let space = Piece {
                        text: " ".into(),
                        width: fonts::text_width(last.weight, size, " "),
                        space: true,
                        ..last.clone()
                    };
                    pieces.push(space);
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
    // Truncate, leaving room for the ellipsis in the style of the last kept piece.
    let mut out = LaidLine {
        ends_paragraph: true,
        ..LaidLine::default()
    };
    for piece in pieces {
        let ell = fonts::text_width(piece.weight, size, "…");
        let mut text = String::new();
        let mut w = 0.0f32;
        let mut prev: Option<char> = None;
        let mut full = false;
        for c in piece.text.chars() {
            let add = prev.map_or(0.0, |p| fonts::char_kern(piece.weight, size, p, c))
                + fonts::char_width(piece.weight, size, c);
            if out.width + w + add + ell > max_width + EPS {
                full = true;
                break;
            }
            w += add;
            text.push(c);
            prev = Some(c);
        }
        if full {
            let text = format!("{}…", text.trim_end());
            let width = fonts::text_width(piece.weight, size, &text);
            if width > 0.0 && out.width + width <= max_width + EPS {
                out.width += width;
                out.pieces.push(Piece {
                    text,
                    width,
                    space: false,
                    ..piece
                });
            }
            break;
        }
        out.width += w;
        out.pieces.push(Piece {
            text,
            width: w,
            ..piece
        });
    }
    out
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
    let mut font: Option<Weight> = None;
    let pieces = &line.pieces;
    let mut i = 0;
    while i < pieces.len() {
        // A run: consecutive pieces in one face and (spaces aside) one colour, shown
        // with a single TJ; justification goes into the spaces' TJ offsets.
        let weight = pieces[i].weight;
        let run_colour = pieces[i].colour;
        let mut glyphs = Vec::new();
        let mut width = 0.0;
        let mut j = i;
        while j < pieces.len()
            && pieces[j].weight == weight
            && (pieces[j].space || pieces[j].colour == run_colour)
        {
            let p = &pieces[j];
            glyphs.extend(codepoints(p.weight, &p.text));
            width += p.width;
            if p.space && extra != 0.0 {
                if let Some(last) = glyphs.last_mut() {
                    last.offset -= (extra * 1000.0 / size * 100.0).round() / 100.0;
                }
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
        if font != Some(weight) {
            set_font(ops, weight, size);
            font = Some(weight);
        }
        set_text_matrix(ops, [1.0, 0.0, 0.0, 1.0, pen, baseline]);
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(glyphs)],
        });
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
}
