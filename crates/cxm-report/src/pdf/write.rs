//! Serialisation: font subsetting, metadata and the final bytes, deterministically.
//!
//! printpdf 0.12 draws every resource id, the trailer `/ID` and the XMP instance id
//! from a process-wide counter, and (without its heavy `text_layout` feature) embeds
//! fonts whole. So this module:
//! - names every resource itself (fonts `F1`/`F2`, graphics states `GAnnn`, images
//!   `Imn`; see `ops.rs` and `layout.rs`);
//! - subsets each font to the glyphs used, with allsorts (already a printpdf
//!   dependency), renumbers the glyph ids in the content streams and names the font
//!   `ABCDEF+NotoSans-…`, the six-letter tag derived from the glyph set;
//! - writes no XMP (printpdf only adds it for PDF/X conformance levels);
//! - replaces the trailer `/ID` with a hash of the finished file.
//!
//! The result depends only on the document's content and [`DocMeta`]: the same
//! inputs give the same bytes, in one process or in several.

use std::collections::BTreeMap;
use std::io::Write;

use printpdf::{
    OffsetDateTime, Op, ParsedFont, PdfDocument, PdfFont, PdfParseErrorSeverity, PdfSaveOptions,
    TextItem,
};

use super::PdfError;
use super::fonts::Weight;
use super::layout::{DocMeta, used_glyphs};
use super::ops::{font_id, weight_of};

/// What the file says produced it.
pub const PRODUCER: &str = "CX Maturity";

/// Placeholder for the trailer's file identifier, replaced by a content hash after
/// serialisation (same length, so no offsets move).
const ID_PLACEHOLDER: &[u8; 32] = b"CXMIDPLACEHOLDERCXMIDPLACEHOLDER";

/// Serialises a fully laid-out document.
pub(crate) fn serialise(mut doc: PdfDocument, meta: &DocMeta) -> Result<Vec<u8>, PdfError> {
    // Fonts: subset to the used glyphs and renumber the content streams' glyph ids.
    let used = used_glyphs(&doc.pages);
    let mut remaps: BTreeMap<Weight, BTreeMap<u16, u16>> = BTreeMap::new();
    for (weight, glyphs) in &used {
        let (font, remap) = subset(*weight, glyphs)?;
        doc.resources
            .fonts
            .map
            .insert(font_id(*weight), PdfFont::new(font));
        remaps.insert(*weight, remap);
    }
    for page in &mut doc.pages {
        let mut current = None;
        for op in &mut page.ops {
            match op {
                Op::SetFont {
                    font: printpdf::PdfFontHandle::External(id),
                    ..
                } => current = weight_of(id),
                Op::ShowText { items } => {
                    let Some(remap) = current.and_then(|w| remaps.get(&w)) else {
                        continue;
                    };
                    for item in items {
                        if let TextItem::GlyphIds(glyphs) = item {
                            for g in glyphs {
                                g.gid = remap.get(&g.gid).copied().unwrap_or(0);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // Metadata: dates from the caller, never the clock.
    let date = OffsetDateTime::from_unix_timestamp(meta.created_unix)
        .map_err(|e| PdfError::Write(format!("creation date {}: {e}", meta.created_unix)))?;
    let info = &mut doc.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.keywords = meta.keywords.clone();
    info.creator = PRODUCER.to_string();
    info.producer = PRODUCER.to_string();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    doc.metadata.xmp = None;

    let opts = PdfSaveOptions {
        optimize: false, // compressed below, after the trailer is fixed
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    let errors: Vec<String> = warnings
        .into_iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| w.msg)
        .collect();
    if !errors.is_empty() {
        return Err(PdfError::Write(errors.join("; ")));
    }
    // Opacity (ExtGState ca/CA) is PDF 1.4.
    lo.version = "1.4".to_string();
    let placeholder = lopdf::Object::String(ID_PLACEHOLDER.to_vec(), lopdf::StringFormat::Literal);
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![placeholder.clone(), placeholder]),
    );
    fix_font_descriptors(&mut lo);
    strip_empty_info(&mut lo);
    // Compress every stream (printpdf leaves image data raw).
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            let _ = stream.compress();
        }
    }
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    out.flush().map_err(|e| PdfError::Write(e.to_string()))?;
    patch_id(&mut out)?;
    Ok(out)
}

/// Writes the real capital height into the font descriptors (printpdf's build
/// without `text_layout` writes the ascender there).
fn fix_font_descriptors(lo: &mut lopdf::Document) {
    for object in lo.objects.values_mut() {
        let lopdf::Object::Dictionary(dict) = object else {
            continue;
        };
        if !matches!(dict.get(b"Type"), Ok(lopdf::Object::Name(n)) if n == b"FontDescriptor") {
            continue;
        }
        let weight = match dict.get(b"FontName") {
            Ok(lopdf::Object::Name(n)) if n.ends_with(b"NotoSans-Bold") => Weight::Bold,
            Ok(lopdf::Object::Name(n)) if n.ends_with(b"NotoSans-Regular") => Weight::Regular,
            _ => continue,
        };
        let cap = crate::pdf::fonts::cap_height(weight, 1000.0).round() as i64;
        dict.set("CapHeight", lopdf::Object::Integer(cap));
    }
}

/// Drops the empty entries printpdf writes into the Info dictionary (PDF/X version,
/// identifier, and title, author, subject or keywords when not given).
fn strip_empty_info(lo: &mut lopdf::Document) {
    let Ok(lopdf::Object::Reference(id)) = lo.trailer.get(b"Info").cloned() else {
        return;
    };
    if let Some(lopdf::Object::Dictionary(info)) = lo.objects.get_mut(&id) {
        for key in [
            "GTS_PDFXVersion",
            "Identifier",
            "Title",
            "Author",
            "Subject",
            "Keywords",
        ] {
            let empty = matches!(
                info.get(key.as_bytes()),
                Ok(lopdf::Object::String(s, _)) if s.is_empty()
            );
            if empty {
                info.remove(key.as_bytes());
            }
        }
    }
}

/// Replaces the two placeholder file identifiers in the trailer with a hash of the file.
fn patch_id(out: &mut [u8]) -> Result<(), PdfError> {
    let id = hex_hash(out);
    let mut replaced = 0;
    let mut end = out.len();
    while replaced < 2 {
        let Some(pos) = out[..end]
            .windows(ID_PLACEHOLDER.len())
            .rposition(|w| w == ID_PLACEHOLDER)
        else {
            break;
        };
        out[pos..pos + ID_PLACEHOLDER.len()].copy_from_slice(id.as_bytes());
        end = pos;
        replaced += 1;
    }
    if replaced != 2 {
        return Err(PdfError::Write(
            "file identifier not found in the trailer".into(),
        ));
    }
    Ok(())
}

/// 128-bit FNV-1a style hash of `bytes` as 32 upper-case hex digits (an identifier,
/// not a security measure).
fn hex_hash(bytes: &[u8]) -> String {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    for &byte in bytes {
        a = (a ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        b = (b ^ u64::from(byte))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(5);
    }
    format!("{a:016X}{b:016X}")
}

/// Subsets the font of `weight` to `glyphs` (original id → text), returning the
/// parsed subset and the map from original to subset glyph ids.
fn subset(
    weight: Weight,
    glyphs: &BTreeMap<u16, String>,
) -> Result<(ParsedFont, BTreeMap<u16, u16>), PdfError> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};

    let err = |e: String| PdfError::Font(format!("{}: {e}", weight.postscript_name()));
    let file = ReadScope::new(weight.bytes())
        .read::<FontData<'_>>()
        .map_err(|e| err(e.to_string()))?;
    let provider = file.table_provider(0).map_err(|e| err(e.to_string()))?;
    // .notdef first, then the used glyphs in ascending order: allsorts numbers the
    // subset's glyphs by their position in this list.
    let ids: Vec<u16> = std::iter::once(0)
        .chain(glyphs.keys().copied().filter(|g| *g != 0))
        .collect();
    let bytes = allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| err(e.to_string()))?;
    let remap = ids
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, new as u16))
        .collect();
    let mut warnings = Vec::new();
    let mut font = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
        .ok_or_else(|| err("the subset font cannot be read back".into()))?;
    // The subset tag marks a subset font (ISO 32000-1, 9.6.4); derived from the glyph
    // set so that it is stable.
    let mut h = u64::from_str_radix(&hex_hash(format!("{weight:?}{ids:?}").as_bytes())[..16], 16)
        .unwrap_or(0);
    let tag: String = (0..6)
        .map(|_| {
            let c = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            c
        })
        .collect();
    font.font_name = Some(format!("{tag}+{}", weight.postscript_name()));
    Ok((font, remap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_sensitive() {
        assert_eq!(hex_hash(b"abc"), hex_hash(b"abc"));
        assert_ne!(hex_hash(b"abc"), hex_hash(b"abd"));
        assert_eq!(hex_hash(b"").len(), 32);
    }
}
