//! The fonts of the PDF and the text metrics every other part of the PDF layer
//! measures with.
//!
//! **Faces.** Noto Sans Regular and Bold are the report's typeface. Characters they
//! lack come from fallback faces, chosen per character cluster in this order: Noto
//! Sans Arabic, Noto Sans Hebrew, Noto Sans Symbols, Noto Sans Symbols 2, a subset of
//! Symbola for emoji (all compiled in, see `fonts/`), then Noto Sans CJK, which is
//! 20 MB a weight and so is read at run time from the system's font folder when a
//! character needs it ([`cjk_font_path`]). A character no face has is drawn with Noto
//! Sans's `.notdef` box and still extracts as itself.
//!
//! **Measuring is drawing.** One routine shapes a run of text into glyphs with
//! advances (`shape_run`); line wrapping, table cells, chart text anchoring and the
//! glyph runs written into the PDF all use its output, so what is measured is what is
//! drawn. Runs in Noto Sans that read left to right keep the simple, fast path (one
//! glyph per character from `cmap`, advances from `hmtx`, pair kerning from a `kern`
//! table where there is one: the same numbers plotters' `ab_glyph` measures with).
//! Every other run is shaped with rustybuzz (HarfBuzz's algorithm): Arabic joining
//! forms and ligatures, mark positioning, GPOS kerning and, in right-to-left runs,
//! mirrored brackets.
//!
//! [`register_chart_fonts`] registers Noto Sans with plotters, so chart code that
//! measures text through plotters gets the same numbers as [`text_width`] for text
//! in Noto Sans; the PDF backend measures every script with [`text_width`].

use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};

use ttf_parser::GlyphId;
use unicode_segmentation::UnicodeSegmentation;

/// Noto Sans Regular, embedded in the binary.
pub static REGULAR_TTF: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold, embedded in the binary.
pub static BOLD_TTF: &[u8] = include_bytes!("../../fonts/NotoSans-Bold.ttf");
static ARABIC_REGULAR_TTF: &[u8] = include_bytes!("../../fonts/NotoSansArabic-Regular.ttf");
static ARABIC_BOLD_TTF: &[u8] = include_bytes!("../../fonts/NotoSansArabic-Bold.ttf");
static HEBREW_REGULAR_TTF: &[u8] = include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf");
static HEBREW_BOLD_TTF: &[u8] = include_bytes!("../../fonts/NotoSansHebrew-Bold.ttf");
static SYMBOLS_TTF: &[u8] = include_bytes!("../../fonts/NotoSansSymbols-Regular.ttf");
static SYMBOLS2_TTF: &[u8] = include_bytes!("../../fonts/NotoSansSymbols2-Regular.ttf");
static EMOJI_TTF: &[u8] = include_bytes!("../../fonts/Symbola-Emoji.ttf");

/// The family name the fonts are registered under with plotters (also registered as
/// `"sans-serif"`, plotters' default family, so default labels need no system font).
pub const CHART_FONT_FAMILY: &str = "Noto Sans";

/// The file names of Noto Sans CJK (regular, bold) looked for at run time.
pub const CJK_FILES: [&str; 2] = ["NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"];

/// The environment variable naming the one folder to look for [`CJK_FILES`] in,
/// instead of the system's font folders.
pub const FONT_DIR_ENV: &str = "CXM_FONT_DIR";

/// The two weights of the report's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weight {
    /// Regular.
    Regular,
    /// Bold.
    Bold,
}

impl Weight {
    /// Bold if `bold`, else regular.
    pub fn from_bold(bold: bool) -> Self {
        if bold { Weight::Bold } else { Weight::Regular }
    }

    /// The TrueType bytes of Noto Sans in this weight.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR_TTF,
            Weight::Bold => BOLD_TTF,
        }
    }

    /// The PostScript name of Noto Sans in this weight.
    pub fn postscript_name(self) -> &'static str {
        match self {
            Weight::Regular => "NotoSans-Regular",
            Weight::Bold => "NotoSans-Bold",
        }
    }

    /// Both weights, regular first.
    pub const ALL: [Weight; 2] = [Weight::Regular, Weight::Bold];
}

/// The regional variant of Noto Sans CJK a run of Han characters is set in (the
/// same character is drawn differently in Japan, Korea and China). See
/// [`CjkLang::detect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum CjkLang {
    /// Japanese (Noto Sans CJK JP).
    Japanese,
    /// Korean (Noto Sans CJK KR).
    Korean,
    /// Simplified Chinese (Noto Sans CJK SC): the default for Han without kana or
    /// hangul.
    #[default]
    Chinese,
}

impl CjkLang {
    /// The variant for a paragraph: Japanese if it has kana, Korean if it has hangul,
    /// otherwise Chinese. Han characters alone do not say which language they are;
    /// kana or hangul anywhere in the same paragraph do.
    pub fn detect(text: &str) -> CjkLang {
        let mut korean = false;
        for c in text.chars() {
            match c {
                '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
                    return CjkLang::Japanese;
                }
                '\u{1100}'..='\u{11FF}'
                | '\u{3130}'..='\u{318F}'
                | '\u{A960}'..='\u{A97F}'
                | '\u{AC00}'..='\u{D7AF}' => korean = true,
                _ => {}
            }
        }
        if korean {
            CjkLang::Korean
        } else {
            CjkLang::Chinese
        }
    }

    /// The face's index in Noto Sans CJK's collection (JP, KR, SC, TC, HK, …).
    fn collection_index(self) -> u32 {
        match self {
            CjkLang::Japanese => 0,
            CjkLang::Korean => 1,
            CjkLang::Chinese => 2,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            CjkLang::Japanese => "JP",
            CjkLang::Korean => "KR",
            CjkLang::Chinese => "SC",
        }
    }
}

/// One font face the PDF can draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Noto Sans, the report's typeface.
    Sans(Weight),
    /// Noto Sans Arabic.
    Arabic(Weight),
    /// Noto Sans Hebrew.
    Hebrew(Weight),
    /// Noto Sans Symbols (regular only).
    Symbols,
    /// Noto Sans Symbols 2 (regular only): dingbats such as ✓.
    Symbols2,
    /// Symbola, subset to emoji and pictographs (monochrome outlines; regular only).
    Emoji,
    /// Noto Sans CJK, read from the system's font folder.
    Cjk(CjkLang, Weight),
}

/// Number of distinct faces.
pub const FACE_COUNT: usize = 15;

impl Face {
    /// Every face, in the order of [`Face::slot`].
    pub const ALL: [Face; FACE_COUNT] = [
        Face::Sans(Weight::Regular),
        Face::Sans(Weight::Bold),
        Face::Arabic(Weight::Regular),
        Face::Arabic(Weight::Bold),
        Face::Hebrew(Weight::Regular),
        Face::Hebrew(Weight::Bold),
        Face::Symbols,
        Face::Symbols2,
        Face::Emoji,
        Face::Cjk(CjkLang::Japanese, Weight::Regular),
        Face::Cjk(CjkLang::Japanese, Weight::Bold),
        Face::Cjk(CjkLang::Korean, Weight::Regular),
        Face::Cjk(CjkLang::Korean, Weight::Bold),
        Face::Cjk(CjkLang::Chinese, Weight::Regular),
        Face::Cjk(CjkLang::Chinese, Weight::Bold),
    ];

    /// The face with this [`Face::slot`].
    pub fn from_slot(slot: usize) -> Option<Face> {
        Face::ALL.get(slot).copied()
    }

    /// A small number naming the face (its place in [`Face::ALL`]).
    pub fn slot(self) -> usize {
        let w = |w: Weight| match w {
            Weight::Regular => 0,
            Weight::Bold => 1,
        };
        match self {
            Face::Sans(x) => w(x),
            Face::Arabic(x) => 2 + w(x),
            Face::Hebrew(x) => 4 + w(x),
            Face::Symbols => 6,
            Face::Symbols2 => 7,
            Face::Emoji => 8,
            Face::Cjk(lang, x) => 9 + 2 * lang.collection_index() as usize + w(x),
        }
    }

    /// The PostScript name (with a subset tag, the PDF's font name).
    pub fn postscript_name(self) -> String {
        match self {
            Face::Sans(w) => w.postscript_name().to_string(),
            Face::Arabic(Weight::Regular) => "NotoSansArabic-Regular".into(),
            Face::Arabic(Weight::Bold) => "NotoSansArabic-Bold".into(),
            Face::Hebrew(Weight::Regular) => "NotoSansHebrew-Regular".into(),
            Face::Hebrew(Weight::Bold) => "NotoSansHebrew-Bold".into(),
            Face::Symbols => "NotoSansSymbols-Regular".into(),
            Face::Symbols2 => "NotoSansSymbols2-Regular".into(),
            Face::Emoji => "Symbola".into(),
            Face::Cjk(lang, w) => format!(
                "NotoSansCJK{}-{}",
                lang.tag().to_lowercase(),
                match w {
                    Weight::Regular => "Regular",
                    Weight::Bold => "Bold",
                }
            ),
        }
    }

    /// The faces tried, in order, for a character of text set in `weight`.
    fn chain(weight: Weight, cjk: CjkLang) -> [Face; 7] {
        [
            Face::Sans(weight),
            Face::Arabic(weight),
            Face::Hebrew(weight),
            Face::Symbols,
            Face::Symbols2,
            Face::Emoji,
            Face::Cjk(cjk, weight),
        ]
    }
}

/// A parsed face with the metrics the layout needs, in font units.
pub(crate) struct FontFace {
    /// The parsed face.
    pub(crate) ttf: ttf_parser::Face<'static>,
    /// The face prepared for shaping (its layout tables indexed), made the first
    /// time a run in this face is shaped: a report in Latin script never needs it.
    shaper: OnceLock<rustybuzz::Face<'static>>,
    /// The font file (a collection for CJK) and the face's index in it.
    pub(crate) data: &'static [u8],
    pub(crate) index: u32,
    units_per_em: f32,
    ascender: f32,
    descender: f32,
    line_gap: f32,
    cap_height: f32,
    x_height: f32,
    /// Advance width per glyph id.
    advances: Vec<u16>,
    /// Glyph id per character for `char < FAST_CHARS` (0 = not in the font); Noto
    /// Sans only.
    fast_gids: Vec<u16>,
    has_kern: bool,
    /// The outlines are CFF (an `OTTO` font), not TrueType `glyf`.
    pub(crate) cff: bool,
}

/// Characters below this code point have their glyph ids cached in a table.
const FAST_CHARS: usize = 0x250;

impl FontFace {
    fn parse(data: &'static [u8], index: u32, fast: bool) -> Option<FontFace> {
        let rb = ttf_parser::Face::parse(data, index).ok()?;
        let n = rb.number_of_glyphs();
        let advances = (0..n)
            .map(|g| rb.glyph_hor_advance(GlyphId(g)).unwrap_or(0))
            .collect();
        let fast_gids = if fast {
            (0..FAST_CHARS as u32)
                .map(|c| {
                    char::from_u32(c)
                        .and_then(|c| rb.glyph_index(c))
                        .map_or(0, |g| g.0)
                })
                .collect()
        } else {
            Vec::new()
        };
        let has_kern = rb
            .tables()
            .kern
            .is_some_and(|k| k.subtables.into_iter().any(|s| s.horizontal && !s.variable));
        let upem = f32::from(rb.units_per_em());
        let cff = rb.tables().cff.is_some();
        Some(FontFace {
            units_per_em: upem,
            ascender: f32::from(rb.ascender()),
            descender: f32::from(rb.descender()),
            line_gap: f32::from(rb.line_gap()),
            cap_height: f32::from(rb.capital_height().unwrap_or((upem * 0.714) as i16)),
            x_height: f32::from(rb.x_height().unwrap_or((upem * 0.536) as i16)),
            advances,
            fast_gids,
            has_kern,
            cff,
            data,
            index,
            ttf: rb,
            shaper: OnceLock::new(),
        })
    }

    /// Glyph id for `c`, 0 (`.notdef`) if the face lacks it.
    fn gid(&self, c: char) -> u16 {
        let c = substitute(c);
        if (c as usize) < self.fast_gids.len() {
            return self.fast_gids[c as usize];
        }
        self.ttf.glyph_index(c).map_or(0, |g| g.0)
    }

    /// Whether the face has a glyph for `c` (as drawn: after [`substitute`]).
    pub(crate) fn has(&self, c: char) -> bool {
        self.gid(c) != 0
    }

    pub(crate) fn advance(&self, gid: u16) -> u16 {
        self.advances.get(usize::from(gid)).copied().unwrap_or(0)
    }

    /// Horizontal kerning between two glyphs from the `kern` table, in font units.
    fn kern(&self, left: u16, right: u16) -> i16 {
        if !self.has_kern {
            return 0;
        }
        self.ttf
            .tables()
            .kern
            .and_then(|k| {
                k.subtables
                    .into_iter()
                    .filter(|s| s.horizontal && !s.variable)
                    .find_map(|s| s.glyphs_kerning(GlyphId(left), GlyphId(right)))
            })
            .unwrap_or(0)
    }

    /// The face for rustybuzz.
    fn shaper(&self) -> &rustybuzz::Face<'static> {
        self.shaper
            .get_or_init(|| rustybuzz::Face::from_face(self.ttf.clone()))
    }

    /// Units per em.
    pub(crate) fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// Ascender and descender in font units (for the PDF font descriptor).
    pub(crate) fn ascent_descent(&self) -> (f32, f32) {
        (self.ascender, self.descender)
    }

    /// Capital height in font units.
    pub(crate) fn cap_height_units(&self) -> f32 {
        self.cap_height
    }
}

/// Characters drawn as another: whitespace and control characters as a space, and
/// a few typographic characters the font may lack as their plain equivalent.
fn substitute(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
        '\u{2011}' => '-',
        c if c.is_control() => ' ',
        c => c,
    }
}

/// Bidirectional formatting characters: they order the text (UAX #9) and are then
/// dropped; they draw nothing and are not part of the extracted text.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Invisible format characters (zero width joiners and spaces, variation
/// selectors, the soft hyphen, the byte order mark, bidi controls): never drawn as a
/// glyph of their own and never a reason to switch faces.
pub(crate) fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{E0100}'..='\u{E01EF}'
        )
}

static FACES: [OnceLock<Option<FontFace>>; FACE_COUNT] = [const { OnceLock::new() }; FACE_COUNT];

/// The parsed face, or `None` for a CJK face whose font is not installed. Parsed once
/// per process, the first time a character needs it.
pub(crate) fn try_face(face: Face) -> Option<&'static FontFace> {
    FACES[face.slot()]
        .get_or_init(|| {
            let (data, index, fast): (&'static [u8], u32, bool) = match face {
                Face::Sans(w) => (w.bytes(), 0, true),
                Face::Arabic(Weight::Regular) => (ARABIC_REGULAR_TTF, 0, false),
                Face::Arabic(Weight::Bold) => (ARABIC_BOLD_TTF, 0, false),
                Face::Hebrew(Weight::Regular) => (HEBREW_REGULAR_TTF, 0, false),
                Face::Hebrew(Weight::Bold) => (HEBREW_BOLD_TTF, 0, false),
                Face::Symbols => (SYMBOLS_TTF, 0, false),
                Face::Symbols2 => (SYMBOLS2_TTF, 0, false),
                Face::Emoji => (EMOJI_TTF, 0, false),
                Face::Cjk(lang, w) => (cjk_bytes(w)?, lang.collection_index(), false),
            };
            FontFace::parse(data, index, fast)
        })
        .as_ref()
}

/// The parsed face. Faces that can be missing (CJK) are only ever chosen when
/// present; a face that cannot be had falls back to Noto Sans.
pub(crate) fn face_of(face: Face) -> &'static FontFace {
    try_face(face).unwrap_or_else(|| sans(Weight::Regular))
}

/// Noto Sans in `weight` (compiled in: always there).
pub(crate) fn sans(weight: Weight) -> &'static FontFace {
    // The bytes are compiled in and known to be valid TrueType; a failure here is a
    // build defect, caught by every test.
    try_face(Face::Sans(weight)).expect("embedded Noto Sans must parse")
}

/// The folders searched for Noto Sans CJK: [`FONT_DIR_ENV`] alone when set, else the
/// usual system and user font folders of Linux, macOS and Windows.
pub fn font_dirs() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os(FONT_DIR_ENV) {
        return vec![PathBuf::from(dir)];
    }
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts/opentype/noto", // Debian, Ubuntu (fonts-noto-cjk)
        "/usr/share/fonts/noto-cjk",      // Arch (noto-fonts-cjk)
        "/usr/share/fonts/google-noto-cjk", // Fedora (google-noto-sans-cjk-ttc-fonts)
        "/usr/share/fonts/opentype/noto-cjk",
        "/usr/local/share/fonts",
        "/Library/Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        for sub in [".local/share/fonts", ".fonts", "Library/Fonts"] {
            dirs.push(home.join(sub));
        }
    }
    if let Some(local) = std::env::var_os("LOCALAPPDATA") {
        dirs.push(PathBuf::from(local).join("Microsoft/Windows/Fonts"));
    }
    if let Some(win) = std::env::var_os("WINDIR") {
        dirs.push(PathBuf::from(win).join("Fonts"));
    }
    dirs
}

/// Where Noto Sans CJK in `weight` is, if it is installed (see [`font_dirs`]).
pub fn cjk_font_path(weight: Weight) -> Option<PathBuf> {
    let file = match weight {
        Weight::Regular => CJK_FILES[0],
        Weight::Bold => CJK_FILES[1],
    };
    font_dirs()
        .into_iter()
        .map(|d| d.join(file))
        .find(|p| p.is_file())
}

/// Whether Noto Sans CJK can be had (regular or bold).
pub fn cjk_available() -> bool {
    cjk_bytes(Weight::Regular).is_some()
}

/// The bytes of Noto Sans CJK in `weight`, read once per process (and kept for its
/// lifetime). Bold falls back to regular and regular to bold when only one is there.
fn cjk_bytes(weight: Weight) -> Option<&'static [u8]> {
    static REGULAR: OnceLock<Option<&'static [u8]>> = OnceLock::new();
    static BOLD: OnceLock<Option<&'static [u8]>> = OnceLock::new();
    let read = |w: Weight| -> Option<&'static [u8]> {
        let path = cjk_font_path(w)?;
        let bytes = read_font(&path)?;
        Some(Box::leak(bytes.into_boxed_slice()))
    };
    let (own, other) = match weight {
        Weight::Regular => (&REGULAR, (&BOLD, Weight::Bold)),
        Weight::Bold => (&BOLD, (&REGULAR, Weight::Regular)),
    };
    own.get_or_init(|| read(weight))
        .or_else(|| other.0.get_or_init(|| read(other.1)).as_ref().copied())
}

/// Reads a font file, keeping it only if it parses as a font collection or font.
fn read_font(path: &Path) -> Option<Vec<u8>> {
    let bytes = std::fs::read(path).ok()?;
    ttf_parser::Face::parse(&bytes, 0).ok()?;
    Some(bytes)
}

/// One glyph of a shaped run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    /// Glyph id in the full (unsubset) face.
    pub gid: u16,
    /// The characters this glyph stands for, for the PDF's ToUnicode map (none for
    /// the second and later glyphs of one character).
    pub text: GlyphText,
    /// How far the pen moves after this glyph, in font units (kerning included).
    pub advance: i32,
    /// Horizontal and vertical displacement of the glyph from the pen, in font units
    /// (marks positioned over their base).
    pub x_offset: i32,
    pub y_offset: i32,
}

/// The text a glyph stands for: most often one character, kept without allocating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GlyphText {
    None,
    Char(char),
    Str(Box<str>),
}

impl GlyphText {
    fn from_str(s: &str) -> GlyphText {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (None, _) => GlyphText::None,
            (Some(c), None) => GlyphText::Char(c),
            _ => GlyphText::Str(s.into()),
        }
    }

    /// The text as a string.
    pub(crate) fn to_text(&self) -> String {
        match self {
            GlyphText::None => String::new(),
            GlyphText::Char(c) => c.to_string(),
            GlyphText::Str(s) => s.to_string(),
        }
    }
}

/// Text shaped in one face and one direction: glyphs left to right as drawn.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub face: Face,
    /// The text was shaped right to left (its glyphs are in visual order).
    pub rtl: bool,
    pub glyphs: Vec<Glyph>,
    /// The sum of the advances, in font units.
    pub units: i32,
}

impl Run {
    /// The run's width at `size` (points, or any unit: the result is in the same).
    pub fn width(&self, size: f32) -> f32 {
        self.units as f32 * size / face_of(self.face).units_per_em()
    }
}

/// Shapes `text` in `face` (left to right, or right to left as drawn by a reader of
/// Arabic and Hebrew); the single source of truth for both measuring and drawing.
pub(crate) fn shape_run(face: Face, text: &str, rtl: bool) -> Run {
    let f = face_of(face);
    let simple = matches!(face, Face::Sans(_)) && !rtl;
    let glyphs = if simple {
        shape_simple(f, text)
    } else {
        shape_complex(f, text, rtl)
    };
    let units = glyphs.iter().map(|g| g.advance).sum();
    Run {
        face,
        rtl,
        glyphs,
        units,
    }
}

/// One glyph per character, advances from `hmtx`, pair kerning from `kern`.
fn shape_simple(f: &FontFace, text: &str) -> Vec<Glyph> {
    let mut out: Vec<Glyph> = Vec::with_capacity(text.len());
    for ch in text.chars() {
        if is_invisible(ch) {
            continue;
        }
        let gid = f.gid(ch);
        if let Some(prev) = out.last_mut() {
            prev.advance += i32::from(f.kern(prev.gid, gid));
        }
        let shown = if ch.is_control() { substitute(ch) } else { ch };
        out.push(Glyph {
            gid,
            text: GlyphText::Char(shown),
            advance: i32::from(f.advance(gid)),
            x_offset: 0,
            y_offset: 0,
        });
    }
    out
}

/// HarfBuzz shaping (rustybuzz).
fn shape_complex(f: &FontFace, text: &str, rtl: bool) -> Vec<Glyph> {
    let clean: String = text
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { substitute(c) } else { c })
        .collect();
    if clean.is_empty() {
        return Vec::new();
    }
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(&clean);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer.set_cluster_level(rustybuzz::BufferClusterLevel::MonotoneCharacters);
    buffer
        .set_flags(rustybuzz::BufferFlags::BEGINNING_OF_TEXT | rustybuzz::BufferFlags::END_OF_TEXT);
    let shaped = rustybuzz::shape(f.shaper(), &[], buffer);
    let infos = shaped.glyph_infos();
    let positions = shaped.glyph_positions();
    // The text of a cluster runs from its start to the next cluster's start.
    let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let text_of = |cluster: usize| -> &str {
        let i = starts.partition_point(|s| *s <= cluster);
        let end = starts.get(i).copied().unwrap_or(clean.len());
        &clean[cluster..end]
    };
    let mut glyphs: Vec<Glyph> = infos
        .iter()
        .zip(positions)
        .map(|(info, pos)| Glyph {
            gid: u16::try_from(info.glyph_id).unwrap_or(0),
            text: GlyphText::None,
            advance: pos.x_advance,
            x_offset: pos.x_offset,
            y_offset: pos.y_offset,
        })
        .collect();
    // The first glyph of a cluster in reading order carries its text. A right-to-left
    // cluster of several characters (a lam-alef ligature) is written in visual order,
    // as text extraction reads glyphs of right-to-left text and then reverses them.
    let mut seen: Vec<usize> = Vec::new();
    let order: Vec<usize> = if rtl {
        (0..glyphs.len()).rev().collect()
    } else {
        (0..glyphs.len()).collect()
    };
    for i in order {
        let cluster = infos[i].cluster as usize;
        if seen.contains(&cluster) {
            continue;
        }
        seen.push(cluster);
        let t = text_of(cluster);
        glyphs[i].text = if rtl {
            GlyphText::from_str(&t.chars().rev().collect::<String>())
        } else {
            GlyphText::from_str(t)
        };
    }
    glyphs
}

/// A stretch of text set in one face: `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    pub start: usize,
    pub end: usize,
    pub face: Face,
}

/// Splits `text` into stretches by the face that draws them (see the module
/// documentation for the order). Clusters of a base character and its marks stay
/// together; punctuation, digits and spaces stay in the face of the text they follow
/// when it has them (so "(2024)" after an Arabic word is set in Noto Sans Arabic).
pub(crate) fn itemize(weight: Weight, text: &str, cjk: CjkLang) -> Vec<Item> {
    let sans = sans(weight);
    if text.is_empty() {
        return Vec::new();
    }
    // Text Noto Sans draws entirely (nearly every report text) is one stretch.
    if text
        .chars()
        .all(|c| c.is_whitespace() || c.is_control() || is_invisible(c) || sans.has(c))
    {
        return vec![Item {
            start: 0,
            end: text.len(),
            face: Face::Sans(weight),
        }];
    }
    let mut items: Vec<Item> = Vec::new();
    let mut prev: Option<Face> = None;
    for (start, cluster) in text.grapheme_indices(true) {
        let face = cluster_face(weight, cjk, cluster, prev);
        prev = Some(face);
        let end = start + cluster.len();
        match items.last_mut() {
            Some(last) if last.face == face => last.end = end,
            _ => items.push(Item { start, end, face }),
        }
    }
    items
}

/// The face a grapheme cluster is drawn in.
fn cluster_face(weight: Weight, cjk: CjkLang, cluster: &str, prev: Option<Face>) -> Face {
    let visible: Vec<char> = cluster.chars().filter(|c| !is_invisible(*c)).collect();
    let Some(&base) = visible.first() else {
        return prev.unwrap_or(Face::Sans(weight));
    };
    if base.is_whitespace() || base.is_control() {
        return match prev {
            Some(p) if try_face(p).is_some_and(|f| f.has(' ')) => p,
            _ => Face::Sans(weight),
        };
    }
    let covers = |face: Face| try_face(face).is_some_and(|f| visible.iter().all(|c| f.has(*c)));
    if let Some(p) = prev
        && !matches!(p, Face::Sans(_))
        && !base.is_alphabetic()
        && covers(p)
    {
        return p;
    }
    let chain = Face::chain(weight, cjk);
    if let Some(face) = chain.iter().copied().find(|f| covers(*f)) {
        return face;
    }
    // No face has the whole cluster: the face of its first character, else the box.
    chain
        .iter()
        .copied()
        .find(|f| try_face(*f).is_some_and(|x| x.has(base)))
        .unwrap_or(Face::Sans(weight))
}

/// Whether any face (compiled in, or Noto Sans CJK where installed) can draw `c`.
/// Whitespace, control and invisible format characters count as drawable.
pub fn can_draw(weight: Weight, c: char) -> bool {
    if c.is_whitespace() || c.is_control() || is_invisible(c) {
        return true;
    }
    Face::chain(weight, CjkLang::default())
        .iter()
        .any(|f| try_face(*f).is_some_and(|x| x.has(c)))
}

/// The distinct characters of `text` that no face can draw, in order of first
/// appearance (they are drawn as boxes, and still extract as themselves).
pub fn missing_characters(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        // Noto Sans has every printable ASCII character.
        if c.is_ascii() || out.contains(&c) {
            continue;
        }
        if !Weight::ALL.iter().any(|w| can_draw(*w, c)) {
            out.push(c);
        }
    }
    out
}

/// Whether `c` is a CJK character (Han, kana, hangul, CJK punctuation and
/// full-width forms): what Noto Sans CJK is for.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{9FFF}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// Shapes one line of `text` in `weight`: runs by face and direction (UAX #9, the
/// paragraph left to right), in visual order. What [`text_width`] measures and the
/// chart backend draws.
pub(crate) fn shape_line(weight: Weight, text: &str) -> Vec<Run> {
    let cjk = CjkLang::detect(text);
    let levels = super::text::bidi_levels(text);
    let mut runs: Vec<(u8, Run)> = Vec::new();
    for item in itemize(weight, text, cjk) {
        // Split the face's stretch where the embedding level changes.
        let mut start = item.start;
        while start < item.end {
            let level = levels.as_ref().map_or(0, |l| l[start]);
            let mut end = start;
            while end < item.end && levels.as_ref().map_or(0, |l| l[end]) == level {
                end += text[end..].chars().next().map_or(1, char::len_utf8);
            }
            let run = shape_run(item.face, &text[start..end], level % 2 == 1);
            runs.push((level, run));
            start = end;
        }
    }
    if runs.iter().any(|(l, _)| *l > 0) {
        let levels: Vec<unicode_bidi::Level> = runs
            .iter()
            .map(|(l, _)| {
                unicode_bidi::Level::new(*l).unwrap_or_else(|_| unicode_bidi::Level::ltr())
            })
            .collect();
        let order = unicode_bidi::BidiInfo::reorder_visual(&levels);
        let mut slots: Vec<Option<Run>> = runs.into_iter().map(|(_, r)| Some(r)).collect();
        return order.into_iter().filter_map(|i| slots[i].take()).collect();
    }
    runs.into_iter().map(|(_, r)| r).collect()
}

/// Width of `text` set in `weight` at `size` (points, or any unit: the result is in
/// the same unit), exactly as drawn: fallback faces, shaping and kerning included.
pub fn text_width(weight: Weight, size: f32, text: &str) -> f32 {
    shape_line(weight, text).iter().map(|r| r.width(size)).sum()
}

/// Width of `text` as [`text_width`] measures it but without pair kerning in Noto
/// Sans: never narrower than a renderer that kerns (what the charts lay out with, for
/// the screen as well as the PDF).
pub fn text_width_unkerned(weight: Weight, size: f32, text: &str) -> f32 {
    let kerned: f32 = text_width(weight, size, text);
    let sans = sans(weight);
    if !sans.has_kern {
        return kerned;
    }
    let unkerned: f32 = shape_line(weight, text)
        .iter()
        .map(|r| {
            if matches!(r.face, Face::Sans(_)) && !r.rtl {
                let units: i32 = r
                    .glyphs
                    .iter()
                    .map(|g| i32::from(sans.advance(g.gid)))
                    .sum();
                units as f32 * size / sans.units_per_em
            } else {
                r.width(size)
            }
        })
        .sum();
    unkerned.max(kerned)
}

/// Whether Noto Sans (the report's typeface) has a real glyph for `c` (whitespace and
/// control characters count as present: they are drawn as a space). See
/// [`can_draw`] for the fallback faces.
pub fn has_glyph(weight: Weight, c: char) -> bool {
    sans(weight).gid(c) != 0
}

/// Ascender at `size`: distance from the baseline up to the top of the line box
/// (positive).
pub fn ascender(weight: Weight, size: f32) -> f32 {
    let f = sans(weight);
    f.ascender * size / f.units_per_em
}

/// Descender at `size`: distance from the baseline down to the bottom of the line
/// box (negative, as in the font).
pub fn descender(weight: Weight, size: f32) -> f32 {
    let f = sans(weight);
    f.descender * size / f.units_per_em
}

/// The font's natural line height at `size`: ascender − descender + line gap.
pub fn line_height(weight: Weight, size: f32) -> f32 {
    let f = sans(weight);
    (f.ascender - f.descender + f.line_gap) * size / f.units_per_em
}

/// Height of capital letters above the baseline at `size`.
pub fn cap_height(weight: Weight, size: f32) -> f32 {
    let f = sans(weight);
    f.cap_height * size / f.units_per_em
}

/// Height of lower-case letters (x-height) at `size`.
pub fn x_height(weight: Weight, size: f32) -> f32 {
    let f = sans(weight);
    f.x_height * size / f.units_per_em
}

/// The em size that corresponds to a plotters font size.
///
/// plotters' `ab_glyph` measurement treats a font size `s` as the height of the
/// face's ascender − descender (ab_glyph's `PxScale`), not as the em: for Noto Sans
/// the em is `s / 1.362`. The PDF backend draws at this em so that text drawn in the
/// PDF is exactly as wide as plotters measured it. (plotters' SVG backend writes
/// `font-size: s / 1.24`, so the same chart's text is about 10 % larger on screen.)
pub fn plotters_em(weight: Weight, plotters_size: f64) -> f64 {
    let f = sans(weight);
    plotters_size * f64::from(f.units_per_em) / f64::from(f.ascender - f.descender)
}

/// Registers Noto Sans with plotters (family [`CHART_FONT_FAMILY`] and
/// `"sans-serif"`, normal and bold). Idempotent and cheap after the first call; call
/// it before drawing any chart on any backend. `Document::chart` calls it for you.
pub fn register_chart_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use plotters::style::{FontStyle, register_font};
        for family in [CHART_FONT_FAMILY, "sans-serif"] {
            // Registration only fails for bytes that are not a font; these are
            // compiled in and parsed by every test, so ignoring the result is safe.
            let _ = register_font(family, FontStyle::Normal, REGULAR_TTF);
            let _ = register_font(family, FontStyle::Bold, BOLD_TTF);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_sane() {
        for w in Weight::ALL {
            let f = sans(w);
            assert_eq!(f.units_per_em(), 1000.0);
            assert!(ascender(w, 10.0) > 9.0 && ascender(w, 10.0) < 12.0);
            assert!(descender(w, 10.0) < -1.5 && descender(w, 10.0) > -4.0);
            assert!(cap_height(w, 10.0) > 6.0 && cap_height(w, 10.0) < 8.0);
            assert!(x_height(w, 10.0) > 4.0 && x_height(w, 10.0) < cap_height(w, 10.0));
            assert!(line_height(w, 10.0) >= ascender(w, 10.0) - descender(w, 10.0));
        }
    }

    #[test]
    fn widths_scale_and_bold_is_wider() {
        let r = text_width(Weight::Regular, 10.0, "Customer experience");
        assert!(r > 50.0 && r < 150.0, "{r}");
        assert!((text_width(Weight::Regular, 20.0, "Customer experience") - 2.0 * r).abs() < 1e-3);
        assert!(text_width(Weight::Bold, 10.0, "Customer experience") > r);
        assert_eq!(text_width(Weight::Regular, 10.0, ""), 0.0);
    }

    #[test]
    fn every_compiled_in_face_parses() {
        // CJK faces are read from the system, not compiled in.
        for face in Face::ALL
            .into_iter()
            .filter(|f| !matches!(f, Face::Cjk(..)))
        {
            assert!(try_face(face).is_some(), "{face:?}");
        }
    }

    #[test]
    fn characters_fall_back_to_the_face_that_has_them() {
        let face_of_char = |c: char| {
            let s = c.to_string();
            itemize(Weight::Regular, &s, CjkLang::detect(&s))[0].face
        };
        assert_eq!(face_of_char('a'), Face::Sans(Weight::Regular));
        assert_eq!(face_of_char('ب'), Face::Arabic(Weight::Regular));
        assert_eq!(face_of_char('ש'), Face::Hebrew(Weight::Regular));
        assert_eq!(face_of_char('✓'), Face::Symbols2);
        assert_eq!(face_of_char('😀'), Face::Emoji);
        assert_eq!(face_of_char('→'), Face::Symbols);
        assert_eq!(face_of_char('≥'), Face::Emoji);
        // Digits and punctuation after Arabic stay in the Arabic face when it has them;
        // a Latin word does not.
        let text = "شركة 2024. Acme";
        let items = itemize(Weight::Bold, text, CjkLang::Chinese);
        assert_eq!(items[0].face, Face::Arabic(Weight::Bold));
        assert_eq!(&text[items[0].start..items[0].end], "شركة 2024. ");
        assert_eq!(items[1].face, Face::Sans(Weight::Bold));
    }

    #[test]
    fn cjk_variant_follows_kana_and_hangul() {
        assert_eq!(CjkLang::detect("山田 さくら"), CjkLang::Japanese);
        assert_eq!(CjkLang::detect("김민준"), CjkLang::Korean);
        assert_eq!(CjkLang::detect("王小明"), CjkLang::Chinese);
        if cjk_available() {
            let items = itemize(Weight::Regular, "山田", CjkLang::Japanese);
            assert_eq!(items[0].face, Face::Cjk(CjkLang::Japanese, Weight::Regular));
        }
    }

    #[test]
    fn arabic_is_shaped_with_joining_forms() {
        // "محمد": four letters, each in its contextual (joined) form, so none of the
        // glyphs is the isolated form the same letter has alone.
        let word = shape_run(Face::Arabic(Weight::Regular), "محمد", true);
        assert_eq!(word.glyphs.len(), 4, "{word:?}");
        let alone =
            |c: char| shape_run(Face::Arabic(Weight::Regular), &c.to_string(), true).glyphs[0].gid;
        let gids: Vec<u16> = word.glyphs.iter().map(|g| g.gid).collect();
        for (g, c) in gids.iter().rev().zip("محمد".chars()) {
            assert_ne!(*g, alone(c), "{c} joined");
        }
        // Glyphs are in visual order: the first letter is drawn rightmost, and every
        // glyph maps back to its own letter.
        let texts: Vec<String> = word.glyphs.iter().map(|g| g.text.to_text()).collect();
        assert_eq!(texts, ["د", "م", "ح", "م"]);
        // The lam-alef ligature: one glyph for two letters, mapped to both (in visual
        // order, as text extraction reverses right-to-left text).
        let la = shape_run(Face::Arabic(Weight::Regular), "سلام", true);
        assert_eq!(la.glyphs.len(), 3, "{la:?}");
        assert_eq!(la.glyphs[1].text.to_text(), "ال");
    }

    #[test]
    fn mixed_text_is_ordered_for_reading() {
        // An Arabic word inside English text: the Arabic run is drawn right to left,
        // the sentence left to right.
        let runs = shape_line(Weight::Regular, "Prepared by محمد today");
        let visual: String = runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.text.to_text()))
            .collect();
        assert_eq!(visual, "Prepared by دمحم today");
        assert_eq!(runs[1].face, Face::Arabic(Weight::Regular));
        assert!(runs[1].rtl && !runs[0].rtl);
        // Two Hebrew words: the second word is drawn to the left of the first.
        let runs = shape_line(Weight::Regular, "אבג דהו");
        let text: String = runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.text.to_text()))
            .collect();
        assert_eq!(text, "והד גבא");
    }

    #[test]
    fn missing_glyphs_fall_back_to_notdef() {
        // A private-use character no face has.
        assert!(!has_glyph(Weight::Regular, '\u{E000}'));
        assert!(!can_draw(Weight::Regular, '\u{E000}'));
        assert_eq!(
            missing_characters("a\u{E000}b\u{E000}\u{E001}"),
            ['\u{E000}', '\u{E001}']
        );
        let w = text_width(Weight::Regular, 10.0, "\u{E000}");
        assert!(w > 0.0, "notdef has an advance");
        let runs = shape_line(Weight::Regular, "a\u{E000}");
        let g = &runs[0].glyphs;
        assert_eq!(g[1].gid, 0);
        assert_eq!(g[1].text.to_text(), "\u{E000}");
        // Typographic characters used in reports are present.
        for c in "–—•…‘’“”€×·äöüéñßÅø°±½".chars() {
            assert!(has_glyph(Weight::Regular, c), "{c}");
            assert!(has_glyph(Weight::Bold, c), "{c}");
        }
        // Mathematical arrows and relations are not in Noto Sans (they come from the
        // fallback faces).
        for c in "≥≤→".chars() {
            assert!(!has_glyph(Weight::Regular, c), "{c}");
            assert!(can_draw(Weight::Regular, c), "{c}");
        }
        // Tabs and newlines measure as spaces.
        assert_eq!(
            text_width(Weight::Regular, 10.0, "a\tb"),
            text_width(Weight::Regular, 10.0, "a b")
        );
        // Invisible format characters draw and measure nothing.
        assert_eq!(
            text_width(Weight::Regular, 10.0, "a\u{2068}b\u{2069}\u{200B}"),
            text_width(Weight::Regular, 10.0, "ab")
        );
    }

    #[test]
    fn plotters_measurement_agrees_with_ours() {
        register_chart_fonts();
        let font = plotters::style::FontDesc::new(
            plotters::style::FontFamily::Name(CHART_FONT_FAMILY),
            24.0,
            plotters::style::FontStyle::Normal,
        );
        let text = "Phase 3 · Alignment AVATAR";
        let (w, _h) = font.box_size(text).unwrap();
        let ours = text_width(
            Weight::Regular,
            plotters_em(Weight::Regular, 24.0) as f32,
            text,
        );
        assert!(
            (w as f32 - ours).abs() <= 1.0,
            "plotters {w} vs ours {ours}"
        );
    }
}
