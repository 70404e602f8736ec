//! Tests of the PDF layer on whole documents: page breaking, tables, headings,
//! extractable text (poppler's `pdftotext`), embedded subset fonts (`pdffonts`),
//! metadata (`pdfinfo`) and byte-for-byte reproducibility across processes.
//!
//! The poppler tools are expected on the test machine (Debian `poppler-utils`); the
//! tests that need one are skipped, with a note, where it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use plotters::prelude::*;
use printpdf::{Op, TextItem, TextMatrix};

use super::fonts::{self, Weight};
use super::ops::{face_of_id, pdf_width};
use super::*;

const CREATED: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn meta() -> DocMeta {
    DocMeta {
        title: "CX maturity — board report".into(),
        author: "Jane Analyst".into(),
        subject: "Acme Ltd, round 2026-Q1".into(),
        keywords: vec!["CX".into(), "maturity".into()],
        created_unix: CREATED,
        footer_left: "Acme Ltd · CX maturity · Round 2026-Q1".into(),
    }
}

const LOREM: &str = "Customer experience maturity grows block by block: each building block \
    moves through the phases only when its questions are answered consistently across \
    the organisation, and the weakest block sets the pace for the whole.";

/// A PNG logo made on the fly (so the test needs no binary fixture).
fn logo_png() -> Vec<u8> {
    let (w, h) = (120usize, 40usize);
    let mut px = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            let on = (x / 10 + y / 10) % 2 == 0;
            px.extend_from_slice(if on { &[0, 114, 178] } else { &[230, 159, 0] });
        }
    }
    let raw = printpdf::RawImage {
        pixels: printpdf::RawImageData::U8(px),
        width: w,
        height: h,
        data_format: printpdf::RawImageFormat::RGB8,
        tag: Vec::new(),
    };
    raw.encode_to_bytes(&[printpdf::OutputImageFormat::Png])
        .unwrap()
        .0
}

/// A small chart through the generic plotters API, like the chart module's.
fn demo_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |e: &dyn std::fmt::Display| e.to_string();
    area.fill(&WHITE).map_err(|x| e(&x))?;
    let mut chart = ChartBuilder::on(area)
        .caption("Maturity trend ZEBRA", ("Noto Sans", 36).into_font())
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..4f64, 0f64..5f64)
        .map_err(|x| e(&x))?;
    chart
        .configure_mesh()
        .label_style(("Noto Sans", 22))
        .y_desc("Phase (QUOKKA)")
        .x_desc("Round")
        .draw()
        .map_err(|x| e(&x))?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, 1.0), (1.0, 1.8), (2.0, 2.4), (3.0, 3.1), (4.0, 3.3)],
            RGBColor(0, 114, 178).stroke_width(4),
        ))
        .map_err(|x| e(&x))?;
    chart
        .draw_series(
            [(1.0, 1.8), (2.0, 2.4), (3.0, 3.1)]
                .into_iter()
                .map(|p| Circle::new(p, 8, RGBColor(230, 159, 0).filled())),
        )
        .map_err(|x| e(&x))?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.5, 0.0), (1.5, 1.0)],
            RGBColor(0, 158, 115).mix(0.3).filled(),
        )))
        .map_err(|x| e(&x))?;
    area.draw(&Text::new(
        "threshold",
        (700, 140),
        ("Noto Sans", 22)
            .into_font()
            .style(FontStyle::Bold)
            .color(&RGBColor(213, 94, 0)),
    ))
    .map_err(|x| e(&x))?;
    Ok(())
}

/// A document exercising every block type; deterministic.
fn sample_document(paper: Paper) -> Document {
    let mut doc = Document::new(paper, meta());
    // Cover.
    doc.no_footer_on_this_page();
    doc.image_png_at(20.0, 20.0, &logo_png(), 40.0, 20.0)
        .unwrap();
    doc.rect_at(
        0.0,
        80.0,
        doc.page_size_mm().0,
        50.0,
        Some(Colour::rgb(0, 114, 178)),
        None,
    );
    doc.text_at(
        20.0,
        92.0,
        &[Span::bold("CX maturity report").with_colour(Colour::WHITE)],
        &ParaStyle::body().with_size(26.0),
        170.0,
    );
    doc.text_at(
        20.0,
        108.0,
        &[Span::new("Acme Ltd · Round 2026-Q1").with_colour(Colour::WHITE)],
        &ParaStyle::body().with_size(14.0),
        170.0,
    );
    doc.page_break();

    doc.heading(1, "Executive summary");
    doc.callout(
        &[
            Span::bold("PROVISIONAL. "),
            Span::new("The round is still open: 7 of 12 interviews are complete."),
        ],
        Colour::rgb(255, 243, 224),
        Colour::rgb(213, 94, 0),
    );
    doc.paragraph(
        &[
            Span::new("Acme is in "),
            Span::bold("phase 2 (Defined)"),
            Span::new(". "),
            Span::new(LOREM),
        ],
        &ParaStyle::body().with_align(Align::Justify),
    );
    doc.bullets(&[
        vec![
            Span::bold("Strength: "),
            Span::new("insight and measurement (78 %)."),
        ],
        vec![Span::bold("Bottleneck: "), Span::new(LOREM)],
    ]);
    doc.chart(170.0, 100.0, 1000, 600, demo_chart).unwrap();
    doc.heading(2, "Charts side by side");
    doc.charts_row(
        60.0,
        6.0,
        vec![
            RowChart::new(800, 600, demo_chart),
            RowChart::new(800, 600, demo_chart),
        ],
    )
    .unwrap();

    doc.heading(1, "A long section");
    let long: String = (1..=40)
        .map(|i| format!("Sentence {i} of the long section. {LOREM} "))
        .collect();
    doc.paragraph(
        &[Span::new(long), Span::bold("FINALWORD")],
        &ParaStyle::body(),
    );

    doc.heading(2, "Question detail");
    let columns = [
        Column::new("Question", ColWidth::Fr(3.0)),
        Column::new("Phase", ColWidth::Mm(18.0)).with_align(Align::Center),
        Column::new("Attainment", ColWidth::Mm(24.0)).with_align(Align::Right),
    ];
    let rows: Vec<Vec<Cell>> = (1..=60)
        .map(|i| {
            vec![
                Cell::text(if i % 7 == 0 {
                    format!("Row {i}: {LOREM}")
                } else {
                    format!("Row {i}: do we measure customer effort at every touchpoint?")
                }),
                Cell::text(format!("{}", 1 + i % 4)),
                Cell::bold(format!("{} %", (i * 37) % 101)).with_fill(if i % 10 == 0 {
                    Colour::rgb(255, 230, 230)
                } else {
                    Colour::WHITE
                }),
            ]
        })
        .collect();
    doc.table(
        &columns,
        &rows,
        &TableStyle {
            zebra: Some(Colour::rgb(248, 249, 250)),
            ..TableStyle::default()
        },
    )
    .unwrap();
    doc.rule();
    doc.paragraph(&plain("Method appendix follows."), &ParaStyle::small());
    doc
}

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cxm-pdf-test-{}-{name}", std::process::id()))
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl std::ops::Deref for TempFile {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn write_temp(name: &str, bytes: &[u8]) -> TempFile {
    let p = temp_path(name);
    std::fs::write(&p, bytes).unwrap();
    TempFile(p)
}

/// Runs a poppler tool; `None` (and a note) if it is not installed.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> Option<String> {
    let out = match Command::new(tool).args(args).arg(pdf).args(["-"]).output() {
        Ok(o) => o,
        Err(_) => {
            eprintln!("note: {tool} not found (poppler-utils); skipping this check");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `pdftotext` of page `n` (1-based).
fn page_text(pdf: &Path, n: usize) -> Option<String> {
    let n = n.to_string();
    poppler("pdftotext", &["-layout", "-f", &n, "-l", &n], pdf)
}

fn page_count(pdf: &Path) -> Option<usize> {
    let info = run_plain("pdfinfo", pdf)?;
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|v| v.trim().parse().unwrap())
}

fn run_plain(tool: &str, pdf: &Path) -> Option<String> {
    let out = match Command::new(tool).arg(pdf).output() {
        Ok(o) => o,
        Err(_) => {
            eprintln!("note: {tool} not found (poppler-utils); skipping this check");
            return None;
        }
    };
    assert!(out.status.success(), "{tool} failed");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A text run as drawn: its box on the page (points, y up) and its text.
#[derive(Debug, Clone)]
pub(crate) struct TextBox {
    pub page: usize,
    pub x0: f32,
    pub x1: f32,
    /// Descender line and capital height: the ink of most text.
    pub bottom: f32,
    pub top: f32,
    pub upright: bool,
    pub text: String,
    /// Inside a chart (between a clip rectangle and its restore).
    pub clip: Option<[f32; 4]>,
}

/// Every text-showing operation of the document with its box, from the recorded
/// operations (fonts, text matrices, glyph widths and TJ offsets), as a viewer
/// would place it.
pub(crate) fn text_boxes(doc: &Document) -> Vec<TextBox> {
    let mut out = Vec::new();
    for (p, ops) in doc.page_ops().iter().enumerate() {
        let mut face = fonts::Face::Sans(Weight::Regular);
        let mut size = 0.0;
        let (mut x, mut y) = (0.0f32, 0.0f32);
        let mut upright = true;
        let mut clip: Option<[f32; 4]> = None;
        let mut depth = 0usize;
        let mut clip_depth = 0usize;
        for op in ops.iter() {
            match op {
                Op::SaveGraphicsState => depth += 1,
                Op::RestoreGraphicsState => {
                    if clip.is_some() && depth == clip_depth {
                        clip = None;
                    }
                    depth = depth.saturating_sub(1);
                }
                Op::DrawRectangle { rectangle }
                    if rectangle.mode == Some(printpdf::PaintMode::Clip) =>
                {
                    clip = Some([
                        rectangle.x.0,
                        rectangle.y.0,
                        rectangle.x.0 + rectangle.width.0,
                        rectangle.y.0 + rectangle.height.0,
                    ]);
                    clip_depth = depth;
                }
                Op::SetFont { font, size: s } => {
                    if let printpdf::PdfFontHandle::External(id) = font {
                        face = face_of_id(id).unwrap();
                    }
                    size = s.0;
                }
                Op::SetTextMatrix {
                    matrix: TextMatrix::Raw(m),
                } => {
                    upright = m[0] == 1.0 && m[1] == 0.0;
                    x = m[4];
                    y = m[5];
                }
                Op::ShowText { items } => {
                    let mut w = 0.0;
                    let mut text = String::new();
                    for item in items {
                        match item {
                            TextItem::GlyphIds(gs) => {
                                for g in gs {
                                    w += (pdf_width(face, g.gid) - g.offset) * size / 1000.0;
                                    text.push_str(g.cid.as_deref().unwrap_or(""));
                                }
                            }
                            TextItem::Offset(o) => w -= o * size / 1000.0,
                            TextItem::Text(t) => text.push_str(t),
                        }
                    }
                    out.push(TextBox {
                        page: p + 1,
                        x0: x,
                        x1: x + w,
                        bottom: y + fonts::descender(Weight::Regular, size),
                        top: y + fonts::cap_height(Weight::Regular, size),
                        upright,
                        text,
                        clip,
                    });
                    if upright {
                        x += w;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Every upright text run outside charts lies between the left and right margins,
/// and above the page's bottom edge and below its top.
fn assert_no_overflow(doc: &Document) {
    let right = doc.right_edge_pt();
    let left = doc.left_margin_mm() * PT_PER_MM;
    let (_, page_h) = doc.page_size_mm();
    for b in text_boxes(doc) {
        if !b.upright || b.clip.is_some() {
            continue;
        }
        assert!(
            b.x1 <= right + 0.05 && b.x0 >= left - 0.05,
            "page {}: text run {:?} spans {}..{}, the column is {left}..{right}",
            b.page,
            b.text,
            b.x0,
            b.x1,
        );
        assert!(
            b.bottom >= 0.0 && b.top <= page_h * PT_PER_MM,
            "page {}: {:?} off the page",
            b.page,
            b.text
        );
    }
}

/// No two text runs on a page overlap (chart text is checked against its chart's
/// rectangle only), and text in a chart stays inside it.
fn assert_no_overlap(doc: &Document) {
    let boxes = text_boxes(doc);
    for (i, a) in boxes.iter().enumerate() {
        if let Some(c) = a.clip {
            if a.upright {
                assert!(
                    a.x0 >= c[0] - 0.05
                        && a.x1 <= c[2] + 0.05
                        && a.bottom >= c[1] - 0.05
                        && a.top <= c[3] + 0.05,
                    "page {}: chart text {:?} leaves its chart",
                    a.page,
                    a.text
                );
            }
            continue;
        }
        if a.text.trim().is_empty() || !a.upright {
            continue;
        }
        for b in &boxes[i + 1..] {
            if b.page != a.page || b.clip.is_some() || !b.upright || b.text.trim().is_empty() {
                continue;
            }
            let overlap_x = a.x0.max(b.x0) < a.x1.min(b.x1) - 0.05;
            let overlap_y = a.bottom.max(b.bottom) < a.top.min(b.top) - 0.05;
            assert!(
                !(overlap_x && overlap_y),
                "page {}: {:?} overlaps {:?}",
                a.page,
                a.text,
                b.text
            );
        }
    }
}

#[test]
fn sample_lays_out_without_overflow() {
    let doc = sample_document(Paper::A4);
    assert!(doc.page_count() >= 5, "{} pages", doc.page_count());
    assert_no_overflow(&doc);
    let doc = sample_document(Paper::Letter);
    assert_no_overflow(&doc);
}

#[test]
fn same_document_twice_in_one_process_is_byte_identical() {
    let a = sample_document(Paper::A4).finish().unwrap();
    let b = sample_document(Paper::A4).finish().unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with(b"%PDF-1.4"));
    // A different creation date changes the file.
    let mut m = meta();
    m.created_unix += 1;
    let c = Document::new(Paper::A4, m).finish().unwrap();
    let d = Document::new(Paper::A4, meta()).finish().unwrap();
    assert_ne!(c, d);
}

/// Helper for the cross-process test: when `CXM_PDF_SAMPLE_OUT` is set, writes the
/// sample document there (run by [`same_document_in_two_processes_is_byte_identical`]
/// in a fresh process); otherwise does nothing.
#[test]
fn write_sample_when_asked() {
    if let Ok(path) = std::env::var("CXM_PDF_SAMPLE_OUT") {
        let bytes = sample_document(Paper::A4).finish().unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[test]
fn same_document_in_two_processes_is_byte_identical() {
    let exe = std::env::current_exe().unwrap();
    let mut files = Vec::new();
    for i in 0..2 {
        let out = TempFile(temp_path(&format!("cross-process-{i}.pdf")));
        let status = Command::new(&exe)
            .args([
                "--exact",
                "pdf::tests::write_sample_when_asked",
                "--test-threads=1",
            ])
            .env("CXM_PDF_SAMPLE_OUT", &*out)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stdout)
        );
        files.push(std::fs::read(&*out).unwrap());
    }
    // And in this process, after other renders may have run here.
    let here = sample_document(Paper::A4).finish().unwrap();
    assert_eq!(files[0], files[1], "two fresh processes differ");
    assert_eq!(files[0], here, "a fresh process and this one differ");
}

#[test]
fn text_is_extractable_including_chart_text() {
    let bytes = sample_document(Paper::A4).finish().unwrap();
    let pdf = write_temp("extract.pdf", &bytes);
    let Some(all) = poppler("pdftotext", &[], &pdf) else {
        return;
    };
    for needle in [
        "CX maturity report",
        "PROVISIONAL.",
        "phase 2 (Defined)",
        "Maturity trend ZEBRA", // chart caption through PdfBackend
        "Phase (QUOKKA)",       // rotated axis description
        "threshold",
        "FINALWORD",
        "Page 2 of",
        "Acme Ltd · CX maturity · Round 2026-Q1",
        "78 %",
    ] {
        assert!(all.contains(needle), "{needle:?} not in extracted text");
    }
    // Axis tick labels drawn through the backend.
    assert!(all.contains("3.0") || all.contains('3'), "tick labels");
}

#[test]
fn long_paragraph_continues_on_the_next_page() {
    let mut doc = Document::new(Paper::A4, meta());
    let long: String = (1..=60).map(|i| format!("S{i} {LOREM} ")).collect();
    doc.paragraph(&[Span::new(long), Span::new("ENDMARK")], &ParaStyle::body());
    assert!(doc.page_count() >= 2);
    assert_no_overflow(&doc);
    let pages = doc.page_count();
    let pdf = write_temp("long.pdf", &doc.finish().unwrap());
    let Some(first) = page_text(&pdf, 1) else {
        return;
    };
    let last = page_text(&pdf, pages).unwrap();
    assert!(first.contains("S1 "));
    assert!(!first.contains("ENDMARK"));
    assert!(last.contains("ENDMARK"));
    assert_eq!(page_count(&pdf), Some(pages));
}

#[test]
fn table_header_repeats_after_a_page_break() {
    let mut doc = Document::new(Paper::A4, meta());
    let columns = [
        Column::new("QuestionHeader", ColWidth::Fr(1.0)),
        Column::new("ScoreHeader", ColWidth::Mm(30.0)).with_align(Align::Right),
    ];
    let rows: Vec<Vec<Cell>> = (1..=80)
        .map(|i| {
            vec![
                Cell::text(format!("RowStart{i}: {LOREM} RowEnd{i}.")),
                Cell::text(format!("{i}")),
            ]
        })
        .collect();
    doc.table(&columns, &rows, &TableStyle::default()).unwrap();
    let pages = doc.page_count();
    assert!(pages >= 3);
    assert_no_overflow(&doc);
    let pdf = write_temp("table.pdf", &doc.finish().unwrap());
    let mut seen = 0;
    for p in 1..=pages {
        let Some(t) = page_text(&pdf, p) else { return };
        assert!(
            t.contains("QuestionHeader") && t.contains("ScoreHeader"),
            "header missing on page {p}"
        );
        // Rows are never split: every row that starts on this page ends on it.
        for i in 1..=80 {
            let starts = t.contains(&format!("RowStart{i}:"));
            let ends = t.contains(&format!("RowEnd{i}."));
            assert_eq!(starts, ends, "row {i} split on page {p}");
            if starts {
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 80);
}

#[test]
fn tall_table_row_splits_rather_than_looping() {
    let mut doc = Document::new(Paper::A4, meta());
    let huge: String = (0..300).map(|i| format!("word{i} ")).collect();
    let rows = vec![vec![Cell::text(huge), Cell::text("x")]];
    doc.table(
        &[
            Column::new("A", ColWidth::Mm(20.0)),
            Column::new("B", ColWidth::Fr(1.0)),
        ],
        &rows,
        &TableStyle::default(),
    )
    .unwrap();
    assert!(doc.page_count() >= 2);
    assert_no_overflow(&doc);
}

#[test]
fn table_errors_are_reported() {
    let mut doc = Document::new(Paper::A4, meta());
    let cols = [
        Column::new("A", ColWidth::Fr(1.0)),
        Column::new("B", ColWidth::Fr(1.0)),
    ];
    let err = doc.table(
        &cols,
        &[vec![Cell::text("only one")]],
        &TableStyle::default(),
    );
    assert!(matches!(err, Err(PdfError::Table(_))));
    let wide = [Column::new("A", ColWidth::Mm(400.0))];
    assert!(matches!(
        doc.table(&wide, &[], &TableStyle::default()),
        Err(PdfError::Table(_))
    ));
}

#[test]
fn heading_is_kept_with_the_next_block() {
    let mut doc = Document::new(Paper::A4, meta());
    // Fill the page until there is room for a heading but not for it plus two lines.
    while doc.remaining_height_mm() > 22.0 {
        doc.paragraph(
            &plain("Filler line."),
            &ParaStyle::body().with_space_after(0.0),
        );
    }
    let before = doc.page_count();
    doc.heading(2, "KEPTHEADING");
    doc.paragraph(&plain(LOREM.repeat(2)), &ParaStyle::body());
    assert_eq!(doc.page_count(), before + 1);
    // A chart that does not fit takes its heading with it.
    let mut doc2 = Document::new(Paper::A4, meta());
    while doc2.remaining_height_mm() > 60.0 {
        doc2.paragraph(
            &plain("Filler line."),
            &ParaStyle::body().with_space_after(0.0),
        );
    }
    doc2.heading(1, "CHARTHEADING");
    doc2.chart(170.0, 100.0, 1000, 600, demo_chart).unwrap();
    let pdf = write_temp("keep.pdf", &doc.finish().unwrap());
    let pdf2 = write_temp("keep2.pdf", &doc2.finish().unwrap());
    let Some(p1) = page_text(&pdf, before) else {
        return;
    };
    let p2 = page_text(&pdf, before + 1).unwrap();
    assert!(!p1.contains("KEPTHEADING"));
    assert!(p2.contains("KEPTHEADING") && p2.contains("Customer experience maturity"));
    let c1 = page_text(&pdf2, 1).unwrap();
    let c2 = page_text(&pdf2, 2).unwrap();
    assert!(!c1.contains("CHARTHEADING"));
    assert!(c2.contains("CHARTHEADING") && c2.contains("Maturity trend ZEBRA"));
}

#[test]
fn fonts_are_embedded_subsets() {
    let bytes = sample_document(Paper::A4).finish().unwrap();
    let pdf = write_temp("fonts.pdf", &bytes);
    let Some(list) = run_plain("pdffonts", &pdf) else {
        return;
    };
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{list}");
    for (row, face) in rows.iter().zip(["NotoSans-Regular", "NotoSans-Bold"]) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let name = cols[0];
        assert!(
            name.len() == 7 + face.len() && name.ends_with(&format!("+{face}")),
            "{row}"
        );
        assert!(name[..6].chars().all(|c| c.is_ascii_uppercase()), "{row}");
        // name, type (CID TrueType), encoding (Identity-H), emb, sub, uni, object id.
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            &["yes", "yes", "yes"],
            "{row}"
        );
    }
}

#[test]
fn metadata_comes_from_docmeta() {
    let bytes = Document::new(Paper::Letter, meta()).finish().unwrap();
    let pdf = write_temp("meta.pdf", &bytes);
    let Some(info) = run_plain("pdfinfo", &pdf) else {
        return;
    };
    let field = |k: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(field("Title"), "CX maturity — board report");
    assert_eq!(field("Author"), "Jane Analyst");
    assert_eq!(field("Subject"), "Acme Ltd, round 2026-Q1");
    assert_eq!(field("Producer"), "CX Maturity");
    assert!(field("CreationDate").contains("2026"), "{info}");
    assert!(field("Page size").starts_with("612 x 792"), "{info}");
}

#[test]
fn logo_must_be_a_png() {
    let mut doc = Document::new(Paper::A4, meta());
    assert!(matches!(
        doc.image_png(b"GIF89a....", 30.0, 30.0),
        Err(PdfError::Image(_))
    ));
    let mut broken = logo_png();
    broken.truncate(40);
    assert!(matches!(
        doc.image_png(&broken, 30.0, 30.0),
        Err(PdfError::Image(_))
    ));
    let (w, h) = doc.image_png(&logo_png(), 30.0, 30.0).unwrap();
    assert!(
        (w - 30.0).abs() < 0.01 && (h - 10.0).abs() < 0.01,
        "{w} × {h}"
    );
}

#[test]
fn chart_errors_are_reported() {
    let mut doc = Document::new(Paper::A4, meta());
    let err = doc.chart(100.0, 60.0, 1000, 600, |_| Err("no data".to_string()));
    assert!(matches!(err, Err(PdfError::Chart(m)) if m == "no data"));
    assert!(matches!(
        doc.chart(100.0, 60.0, 0, 600, |_| Ok(())),
        Err(PdfError::Chart(_))
    ));
}

#[test]
fn document_can_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<Document>();
    assert_send::<PdfError>();
}

#[test]
fn sample_is_small() {
    let bytes = sample_document(Paper::A4).finish().unwrap();
    // Fonts are subset: the whole sample (7 pages, 3 charts, a logo) stays small.
    assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
}

/// Writes the sample PDF and its pages as PNG (`pdftoppm -r 60`) for a look:
/// `CXM_PDF_LOOK=dir cargo test -p cxm-report look_at_sample -- --nocapture`.
#[test]
fn look_at_sample() {
    let Ok(dir) = std::env::var("CXM_PDF_LOOK") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("sample.pdf");
    let t = std::time::Instant::now();
    let bytes = sample_document(Paper::A4).finish().unwrap();
    eprintln!("sample: {} bytes in {:?}", bytes.len(), t.elapsed());
    std::fs::write(&pdf, bytes).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&pdf)
        .arg(dir.join("page"))
        .status()
        .unwrap();
    assert!(status.success());
    eprintln!("wrote {}", dir.display());
}

/// Names in many scripts, as a consultant's clients and interviewees write them.
pub(crate) const SCRIPT_NAMES: &[&str] = &[
    "山田 さくら",
    "株式会社トヨタ自動車",
    "王小明",
    "北京科技有限公司",
    "김민준",
    "삼성전자 주식회사",
    "محمد عبد الله",
    "شركة الأمل للتجارة",
    "דוד כהן",
    "חברת אור בע״מ",
    "Ana Lima 😀🚀",
    "✓ Done ✔ ★",
    "Ünïcödé Ñandú",
];

#[test]
fn every_script_extracts_as_itself() {
    let mut doc = Document::new(Paper::A4, meta());
    doc.heading(1, "Names in every script");
    for name in SCRIPT_NAMES {
        doc.paragraph(
            &[Span::new("Name: "), Span::bold(*name)],
            &ParaStyle::body(),
        );
    }
    doc.paragraph(
        &plain("Mixed: Acme شركة الأمل 2024 Ltd and דוד כהן (CX) ✓ 😀 王小明."),
        &ParaStyle::body(),
    );
    // Characters no face has (Ethiopic, Tifinagh): boxes, each extracting as itself.
    doc.paragraph(&plain("Missing: ሰላም ⵣⵣ end"), &ParaStyle::body());
    assert_no_overflow(&doc);
    let bytes = doc.finish().unwrap();
    let pdf = write_temp("scripts.pdf", &bytes);
    if let Ok(dir) = std::env::var("CXM_PDF_LOOK") {
        std::fs::write(PathBuf::from(dir).join("scripts.pdf"), &bytes).unwrap();
    }
    let Some(all) = poppler("pdftotext", &[], &pdf) else {
        return;
    };
    eprintln!("{all}");
    for name in SCRIPT_NAMES {
        assert!(all.contains(name), "{name:?} not in extracted text");
    }
    assert!(all.contains("Missing: ሰላም ⵣⵣ end"), "{all}");
}

/// 200 characters with no space to break at.
fn unbroken() -> String {
    "CustomerExperienceMaturityAssessment"
        .chars()
        .cycle()
        .take(200)
        .collect()
}

#[test]
fn long_texts_stay_inside_their_boxes() {
    let word = unbroken();
    let name: String = "Northwind Regional Energy Cooperative for Sustainable Power "
        .chars()
        .cycle()
        .take(200)
        .collect();
    let mut doc = Document::new(Paper::A4, meta());
    // Absolute text (a cover), at most three lines.
    let h = doc.text_at_max_lines(
        20.0,
        40.0,
        &[Span::bold(name.clone())],
        &ParaStyle::body().with_size(30.0),
        170.0,
        3,
    );
    assert!((h - 3.0 * 30.0 * 1.4 / PT_PER_MM).abs() < 0.01, "{h}");
    doc.set_cursor_mm(40.0 + h + 5.0);
    // Headings: wrapped, at most three lines.
    doc.heading(1, &format!("{word} {name}"));
    doc.paragraph(
        &[Span::new(format!("Round {word} of {name}."))],
        &ParaStyle::body(),
    );
    doc.bullets(&[vec![
        Span::bold(word.clone()),
        Span::new(" reached phase 2."),
    ]]);
    doc.callout(&[Span::new(word.clone())], Colour::LIGHT, Colour::RULE);
    let columns = [
        Column::new("Respondent", ColWidth::Fr(2.0)),
        Column::new(word.clone(), ColWidth::Mm(30.0)),
        Column::new("Department", ColWidth::Fr(1.0)),
    ];
    let rows = vec![vec![
        Cell::text(name.clone()),
        Cell::text(word.clone()).single_line(),
        Cell::bold(word.clone()),
    ]];
    doc.table(&columns, &rows, &TableStyle::default()).unwrap();
    assert_no_overflow(&doc);
    assert_no_overlap(&doc);
    let boxes = text_boxes(&doc);
    // The heading took three lines, the last one cut with "…".
    let heading: Vec<&TextBox> = boxes
        .iter()
        .filter(|b| (b.top - b.bottom - (17.0 * 1.007)).abs() < 0.1)
        .collect();
    assert_eq!(heading.len(), 3, "{heading:?}");
    assert!(heading[2].text.ends_with('…'), "{:?}", heading[2].text);
    // The single-line cell ends with "…" and stays in its 30 mm column.
    let cell = boxes
        .iter()
        .find(|b| {
            b.text.starts_with("Cust") && b.text.ends_with('…') && b.x1 - b.x0 < 30.0 * PT_PER_MM
        })
        .expect("cut cell");
    assert!(cell.x1 - cell.x0 <= 30.0 * PT_PER_MM - 2.0 * 1.6 * PT_PER_MM + 0.05);
}

#[test]
fn right_to_left_lines_are_drawn_in_visual_order() {
    let mut doc = Document::new(Paper::A4, meta());
    doc.paragraph(
        &[
            Span::new("Prepared by "),
            Span::new(isolate("דוד כהן (CX)")),
        ],
        &ParaStyle::body(),
    );
    let boxes = text_boxes(&doc);
    let line: Vec<&TextBox> = boxes.iter().filter(|b| b.bottom > 400.0).collect();
    // "Prepared by " then the name, right to left: its parenthesis first (drawn
    // mirrored), the first word last (rightmost). Each glyph keeps its own text.
    let drawn: String = line.iter().map(|b| b.text.clone()).collect();
    assert_eq!(drawn, "Prepared by )CX( ןהכ דוד", "{line:?}");
    let mirrored = fonts::shape_run(fonts::Face::Sans(Weight::Regular), ")", true);
    let open = fonts::shape_run(fonts::Face::Sans(Weight::Regular), "(", false);
    assert_eq!(mirrored.glyphs[0].gid, open.glyphs[0].gid);
    assert_eq!(mirrored.glyphs[0].text.to_text(), ")");
}
