//! Serialisation: font subsetting, metadata and the final bytes, deterministically.
//!
//! printpdf 0.12 draws every resource id, the trailer `/ID` and the XMP instance id
//! from a process-wide counter, and (without its heavy `text_layout` feature) embeds
//! fonts whole, with one ToUnicode entry per glyph. So this module:
//! - names every resource itself (fonts `Cn`, graphics states `GAnnn`, images `Imn`;
//!   see `ops.rs` and `layout.rs`);
//! - writes the fonts itself (see `fonts_pdf.rs`): each face subset to the glyphs
//!   used, with allsorts (already a printpdf dependency), as a Type 0 font whose
//!   character codes stand for one (glyph, text) pair each, so every character
//!   extracts as itself, even where two characters share a glyph or no face has one;
//!   the content streams' glyph ids are renumbered to these codes;
//! - writes no XMP (printpdf only adds it for PDF/X conformance levels);
//! - replaces the trailer `/ID` with a hash of the finished file.
//!
//! The result depends only on the document's content and [`DocMeta`]: the same
//! inputs give the same bytes, in one process or in several.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use printpdf::{
    OffsetDateTime, Op, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, TextItem,
};

use super::PdfError;
use super::fonts::Face;
use super::fonts_pdf;
use super::layout::DocMeta;
use super::ops::face_of_id;

/// What the file says produced it.
pub const PRODUCER: &str = "CX Maturity";

/// Placeholder for the trailer's file identifier, replaced by a content hash after
/// serialisation (same length, so no offsets move).
const ID_PLACEHOLDER: &[u8; 32] = b"CXMIDPLACEHOLDERCXMIDPLACEHOLDER";

/// Serialises a fully laid-out document.
pub(crate) fn serialise(mut doc: PdfDocument, meta: &DocMeta) -> Result<Vec<u8>, PdfError> {
    // Fonts: subset each face to the glyphs used and renumber the content streams'
    // glyph ids to the fonts' character codes.
    let used = used_glyphs(&doc.pages);
    let mut fonts = Vec::new();
    for (face, glyphs) in &used {
        fonts.push(fonts_pdf::embed(*face, glyphs)?);
    }
    for page in &mut doc.pages {
        let mut current: Option<usize> = None;
        for op in &mut page.ops {
            match op {
                Op::SetFont {
                    font: printpdf::PdfFontHandle::External(id),
                    ..
                } => current = face_of_id(id).and_then(|f| fonts.iter().position(|e| e.face == f)),
                Op::ShowText { items } => {
                    let Some(font) = current.map(|i| &fonts[i]) else {
                        continue;
                    };
                    for item in items {
                        if let TextItem::GlyphIds(glyphs) = item {
                            for g in glyphs {
                                g.gid = font.code(g.gid, g.cid.as_deref().unwrap_or(""));
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
    fonts_pdf::add_to_document(&mut lo, &fonts)?;
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

/// Glyph usage per face over all pages: the (original glyph id, text) pairs shown.
pub(crate) fn used_glyphs(pages: &[PdfPage]) -> BTreeMap<Face, BTreeSet<(u16, String)>> {
    // Most glyphs stand for one text: look up before copying it.
    let mut used: BTreeMap<Face, BTreeMap<u16, Vec<String>>> = BTreeMap::new();
    for page in pages {
        let mut current = None;
        for op in &page.ops {
            match op {
                Op::SetFont {
                    font: printpdf::PdfFontHandle::External(id),
                    ..
                } => current = face_of_id(id),
                Op::ShowText { items } => {
                    let Some(face) = current else { continue };
                    let map = used.entry(face).or_default();
                    for item in items {
                        if let TextItem::GlyphIds(glyphs) = item {
                            for g in glyphs {
                                let text = g.cid.as_deref().unwrap_or("");
                                let texts = map.entry(g.gid).or_default();
                                if !texts.iter().any(|t| t == text) {
                                    texts.push(text.to_string());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    used.into_iter()
        .map(|(face, map)| {
            let pairs = map
                .into_iter()
                .flat_map(|(gid, texts)| texts.into_iter().map(move |t| (gid, t)))
                .collect();
            (face, pairs)
        })
        .collect()
}

/// 128-bit FNV-1a style hash of `bytes` as 32 upper-case hex digits (an identifier,
/// not a security measure).
pub(crate) fn hex_hash(bytes: &[u8]) -> String {
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
