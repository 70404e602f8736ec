//! The embedded fonts as PDF objects: one Type 0 (composite) font per face used,
//! subset to the glyphs shown.
//!
//! **Codes.** Every distinct (glyph, text) pair a document shows gets its own two-byte
//! character code, numbered from 1 in a fixed order. The ToUnicode map gives each code
//! its text, so every character extracts as itself: characters that share a glyph
//! (a non-breaking hyphen drawn as a hyphen), characters no face has (all drawn with
//! the `.notdef` box), ligatures (one glyph, several characters). The code is mapped
//! to the glyph by the font:
//! - TrueType outlines (`CIDFontType2`): the codes are CIDs (`/Identity-H`) and a
//!   `/CIDToGIDMap` stream maps each to its glyph in the subset;
//! - CID-keyed CFF outlines (Noto Sans CJK, `CIDFontType0`, the bare CFF table as
//!   `/FontFile3 /CIDFontType0C`): an embedded CMap maps each code to the glyph's CID
//!   in the subset's charset (allsorts keeps the original CIDs, and every viewer
//!   resolves CIDs through the charset of a bare CID-keyed CFF).
//!
//! Everything is derived from the glyph set, so the same document gives the same
//! objects in the same order.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Object, Stream, StringFormat};

use super::PdfError;
use super::fonts::{self, Face};
use super::ops::{font_id, pdf_width};
use super::write::hex_hash;

/// One face, subset and ready to be written.
pub(crate) struct EmbeddedFont {
    pub face: Face,
    /// `ABCDEF+PostScriptName`.
    base_font: String,
    /// The font program: a TrueType font, or a bare CFF table.
    program: Vec<u8>,
    outlines: Outlines,
    /// Original glyph id → (text, character code).
    codes: BTreeMap<u16, Vec<(String, u16)>>,
    /// Per code (index = code): the glyph id in the subset.
    code_gid: Vec<u16>,
    /// Per code: the CID (TrueType: the code itself; CFF: the charset's CID).
    code_cid: Vec<u16>,
    /// Per code: the width in thousandths of an em.
    code_width: Vec<f32>,
    /// Per code: the text it stands for.
    code_text: Vec<String>,
    /// Font descriptor metrics in thousandths of an em.
    bbox: [i64; 4],
    ascent: i64,
    descent: i64,
    cap_height: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outlines {
    TrueType,
    CidCff,
}

impl EmbeddedFont {
    /// The character code for an original glyph id and its text (0, `.notdef`, for a
    /// pair the document never showed, which cannot happen).
    pub(crate) fn code(&self, gid: u16, text: &str) -> u16 {
        self.codes
            .get(&gid)
            .and_then(|v| v.iter().find(|(t, _)| t == text))
            .map_or(0, |(_, code)| *code)
    }
}

/// Subsets `face` to the glyphs of `used` and assigns the character codes.
pub(crate) fn embed(face: Face, used: &BTreeSet<(u16, String)>) -> Result<EmbeddedFont, PdfError> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    use allsorts::tables::FontTableProvider;

    let f = fonts::face_of(face);
    let name = face.postscript_name();
    let err = |e: String| PdfError::Font(format!("{name}: {e}"));
    let file = ReadScope::new(f.data)
        .read::<FontData<'_>>()
        .map_err(|e| err(e.to_string()))?;
    let provider = file
        .table_provider(f.index as usize)
        .map_err(|e| err(e.to_string()))?;
    // .notdef first, then the used glyphs in ascending order: allsorts numbers the
    // subset's glyphs by their position in this list.
    let gids: Vec<u16> = std::iter::once(0)
        .chain(
            used.iter()
                .map(|(g, _)| *g)
                .filter(|g| *g != 0)
                .collect::<BTreeSet<u16>>(),
        )
        .collect();
    let subset_gid: BTreeMap<u16, u16> = gids
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, new as u16))
        .collect();
    let bytes =
        allsorts::subset::subset(&provider, &gids, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| err(e.to_string()))?;

    let (program, outlines, cid_of_gid) = if f.cff {
        let sub = ReadScope::new(&bytes)
            .read::<FontData<'_>>()
            .map_err(|e| err(e.to_string()))?;
        let table: Vec<u8> = sub
            .table_provider(0)
            .map_err(|e| err(e.to_string()))?
            .read_table_data(allsorts::tag::CFF)
            .map_err(|e| err(e.to_string()))?
            .into_owned();
        let cff = ReadScope::new(&table)
            .read::<allsorts::cff::CFF<'_>>()
            .map_err(|e| err(e.to_string()))?;
        let font = cff
            .fonts
            .first()
            .ok_or_else(|| err("the subset has no CFF font".into()))?;
        if !font.is_cid_keyed() {
            return Err(err(
                "CFF outlines that are not CID-keyed are not supported".into()
            ));
        }
        let cids: Vec<u16> = (0..gids.len() as u16)
            .map(|g| font.charset.id_for_glyph(g).unwrap_or(0))
            .collect();
        (table, Outlines::CidCff, cids)
    } else {
        (bytes, Outlines::TrueType, Vec::new())
    };

    let mut codes: BTreeMap<u16, Vec<(String, u16)>> = BTreeMap::new();
    let (mut code_gid, mut code_cid, mut code_width, mut code_text) = (
        vec![0u16],
        vec![0u16],
        vec![pdf_width(face, 0)],
        vec![String::new()],
    );
    for (i, (gid, text)) in used.iter().enumerate() {
        let code = u16::try_from(i + 1).map_err(|_| err("more than 65535 glyphs".into()))?;
        let new = subset_gid.get(gid).copied().unwrap_or(0);
        codes.entry(*gid).or_default().push((text.clone(), code));
        code_gid.push(new);
        code_cid.push(match outlines {
            Outlines::TrueType => code,
            Outlines::CidCff => cid_of_gid.get(usize::from(new)).copied().unwrap_or(0),
        });
        code_width.push(pdf_width(face, *gid));
        code_text.push(text.clone());
    }

    // The subset tag marks a subset font (ISO 32000-1, 9.6.4); derived from the glyph
    // set so that it is stable.
    let mut key = format!("{name}{gids:?}").into_bytes();
    for (_, t) in used {
        key.extend_from_slice(t.as_bytes());
    }
    let mut h = u64::from_str_radix(&hex_hash(&key)[..16], 16).unwrap_or(0);
    let tag: String = (0..6)
        .map(|_| {
            let c = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            c
        })
        .collect();

    let scale = 1000.0 / f.units_per_em();
    let s = |v: f32| (v * scale).round() as i64;
    let r = f.ttf.global_bounding_box();
    let (ascent, descent) = f.ascent_descent();
    Ok(EmbeddedFont {
        face,
        base_font: format!("{tag}+{name}"),
        program,
        outlines,
        codes,
        code_gid,
        code_cid,
        code_width,
        code_text,
        bbox: [
            s(f32::from(r.x_min)),
            s(f32::from(r.y_min)),
            s(f32::from(r.x_max)),
            s(f32::from(r.y_max)),
        ],
        ascent: s(ascent),
        descent: s(descent),
        cap_height: s(f.cap_height_units()),
    })
}

/// Writes the fonts into the document and names them in the font resources every
/// page shares.
pub(crate) fn add_to_document(
    lo: &mut lopdf::Document,
    fonts: &[EmbeddedFont],
) -> Result<(), PdfError> {
    if fonts.is_empty() {
        return Ok(());
    }
    let mut refs = Vec::new();
    for font in fonts {
        refs.push((font_id(font.face).0, add_font(lo, font)));
    }
    // printpdf gives every page the same (here empty) font dictionary.
    let missing = || PdfError::Write("the pages have no font resources".into());
    let page = *lo.get_pages().values().next().ok_or_else(missing)?;
    let resources = match lo
        .get_object(page)
        .and_then(|p| p.as_dict())
        .and_then(|d| d.get(b"Resources"))
    {
        Ok(Object::Reference(id)) => *id,
        _ => return Err(missing()),
    };
    let font_dict = match lo
        .get_object(resources)
        .and_then(|r| r.as_dict())
        .and_then(|d| d.get(b"Font"))
    {
        Ok(Object::Reference(id)) => *id,
        _ => return Err(missing()),
    };
    let dict = lo
        .get_object_mut(font_dict)
        .and_then(|o| o.as_dict_mut())
        .map_err(|_| missing())?;
    for (name, id) in refs {
        dict.set(name, Object::Reference(id));
    }
    Ok(())
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

fn int(v: i64) -> Object {
    Object::Integer(v)
}

/// A width as a PDF number: an integer when it is one.
fn number(v: f32) -> Object {
    if v.fract() == 0.0 {
        Object::Integer(v as i64)
    } else {
        Object::Real(v)
    }
}

fn identity_system_info() -> Object {
    Object::Dictionary(Dictionary::from_iter(vec![
        (
            "Registry",
            Object::String(b"Adobe".to_vec(), StringFormat::Literal),
        ),
        (
            "Ordering",
            Object::String(b"Identity".to_vec(), StringFormat::Literal),
        ),
        ("Supplement", int(0)),
    ]))
}

fn add_font(lo: &mut lopdf::Document, font: &EmbeddedFont) -> lopdf::ObjectId {
    let program = match font.outlines {
        Outlines::TrueType => {
            let dict = Dictionary::from_iter(vec![("Length1", int(font.program.len() as i64))]);
            ("FontFile2", Stream::new(dict, font.program.clone()))
        }
        Outlines::CidCff => {
            let dict = Dictionary::from_iter(vec![("Subtype", name("CIDFontType0C"))]);
            ("FontFile3", Stream::new(dict, font.program.clone()))
        }
    };
    let program_id = lo.add_object(program.1);
    let descriptor = Dictionary::from_iter(vec![
        ("Type", name("FontDescriptor")),
        ("FontName", name(&font.base_font)),
        ("Flags", int(4)),
        (
            "FontBBox",
            Object::Array(font.bbox.iter().map(|v| int(*v)).collect()),
        ),
        ("ItalicAngle", int(0)),
        ("Ascent", int(font.ascent)),
        ("Descent", int(font.descent)),
        ("CapHeight", int(font.cap_height)),
        ("StemV", int(80)),
        (program.0, Object::Reference(program_id)),
    ]);
    let descriptor_id = lo.add_object(descriptor);

    // Widths by CID, in runs of consecutive CIDs.
    let by_cid: BTreeMap<u16, f32> = font
        .code_cid
        .iter()
        .zip(&font.code_width)
        .map(|(c, w)| (*c, *w))
        .collect();
    let mut w: Vec<Object> = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut run_start = 0u16;
    let mut last: Option<u16> = None;
    for (cid, width) in by_cid {
        if last.is_none_or(|l| l + 1 != cid) {
            if !run.is_empty() {
                w.push(int(i64::from(run_start)));
                w.push(Object::Array(std::mem::take(&mut run)));
            }
            run_start = cid;
        }
        run.push(number(width));
        last = Some(cid);
    }
    if !run.is_empty() {
        w.push(int(i64::from(run_start)));
        w.push(Object::Array(run));
    }

    let mut cid_font = Dictionary::from_iter(vec![
        ("Type", name("Font")),
        (
            "Subtype",
            name(match font.outlines {
                Outlines::TrueType => "CIDFontType2",
                Outlines::CidCff => "CIDFontType0",
            }),
        ),
        ("BaseFont", name(&font.base_font)),
        ("CIDSystemInfo", identity_system_info()),
        ("FontDescriptor", Object::Reference(descriptor_id)),
        ("DW", int(1000)),
        ("W", Object::Array(w)),
    ]);
    let encoding = match font.outlines {
        Outlines::TrueType => {
            let map: Vec<u8> = font.code_gid.iter().flat_map(|g| g.to_be_bytes()).collect();
            let map_id = lo.add_object(Stream::new(Dictionary::new(), map));
            cid_font.set("CIDToGIDMap", Object::Reference(map_id));
            name("Identity-H")
        }
        Outlines::CidCff => {
            let cmap_name = format!("{}-Codes-H", font.base_font.replace('+', "-"));
            let dict = Dictionary::from_iter(vec![
                ("Type", name("CMap")),
                ("CMapName", name(&cmap_name)),
                ("CIDSystemInfo", identity_system_info()),
            ]);
            let cmap = encoding_cmap(&cmap_name, &font.code_cid);
            Object::Reference(lo.add_object(Stream::new(dict, cmap)))
        }
    };
    let cid_font_id = lo.add_object(cid_font);
    let to_unicode = lo.add_object(Stream::new(
        Dictionary::new(),
        to_unicode_cmap(&font.code_text),
    ));
    lo.add_object(Dictionary::from_iter(vec![
        ("Type", name("Font")),
        ("Subtype", name("Type0")),
        ("BaseFont", name(&font.base_font)),
        ("Encoding", encoding),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font_id)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ]))
}

/// An embedded CMap mapping each two-byte code to its CID.
fn encoding_cmap(cmap_name: &str, code_cid: &[u16]) -> Vec<u8> {
    let mut out = format!(
        "%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def\n\
         /CMapName /{cmap_name} def\n/CMapType 1 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    );
    let entries: Vec<(usize, u16)> = code_cid.iter().copied().enumerate().skip(1).collect();
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} begincidchar\n", chunk.len()));
        for (code, cid) in chunk {
            out.push_str(&format!("<{code:04X}> {cid}\n"));
        }
        out.push_str("endcidchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

/// The ToUnicode CMap: each code to its text (UTF-16BE); codes without text
/// (the second glyph of one character) are left out.
fn to_unicode_cmap(code_text: &[String]) -> Vec<u8> {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(usize, &String)> = code_text
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, t)| !t.is_empty())
        .collect();
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (code, text) in chunk {
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            out.push_str(&format!("<{code:04X}> <{hex}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}
