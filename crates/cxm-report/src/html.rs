//! The report as one HTML page (same text, same charts as inline SVG), for printing
//! with a browser: the benchmark's point of comparison for the native PDF
//! (`scripts/bench-report.sh`). Built only with the feature `bench`.

use std::fmt::Write;

use crate::charts::chart_svg;
use crate::document::{ALERT, GOOD, Item, Report};
use crate::pdf::{Align, ColWidth, Colour, Span};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn spans(s: &[Span]) -> String {
    s.iter()
        .map(|s| match (s.bold, s.text.as_str()) {
            (_, "\n") => "<br>".to_string(),
            (true, text) => format!("<strong>{}</strong>", esc(text)),
            (false, text) => esc(text),
        })
        .collect()
}

/// A column's share of the table's width.
fn share(width: ColWidth) -> f32 {
    match width {
        ColWidth::Fr(w) | ColWidth::Mm(w) => w,
    }
}

/// The class of a table cell's colour.
fn tone(colour: Option<Colour>) -> Option<&'static str> {
    match colour? {
        GOOD => Some("good"),
        ALERT => Some("alert"),
        Colour::MUTED => Some("muted"),
        _ => None,
    }
}

const STYLE: &str = r#"
@page { size: A4; margin: 20mm 20mm 22mm 20mm;
  @bottom-left { content: var(--footer); font: 8pt "Noto Sans", sans-serif; color: #6c757d; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt "Noto Sans", sans-serif; color: #6c757d; } }
body { font: 10pt/1.4 "Noto Sans", sans-serif; color: #212529; margin: 0; }
section { break-before: page; }
h1 { font-size: 20pt; margin: 0 0 6mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; }
p { margin: 0 0 3mm; }
.callout { background: #eef4fa; border-left: 3pt solid #0072b2; padding: 3mm 4mm; margin: 0 0 3mm; }
blockquote { margin: 0 0 3mm 6mm; font-style: italic; }
blockquote cite { display: block; font-style: normal; color: #6c757d; font-size: 8.5pt; }
table { width: 100%; border-collapse: collapse; margin: 0 0 4mm; font-size: 8.5pt; }
thead { display: table-header-group; }
th { text-align: left; background: #e9ecef; padding: 1.5mm 2mm; }
td { padding: 1.5mm 2mm; border-bottom: 0.5pt solid #dee2e6; vertical-align: top; white-space: pre-line; }
tr { break-inside: avoid; }
.r { text-align: right; }
.good { color: #00795a; } .alert { color: #b34700; font-weight: bold; } .muted { color: #6c757d; }
figure { margin: 0 0 4mm; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 8.5pt; color: #6c757d; }
.cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
.cover .org { font-size: 30pt; font-weight: bold; }
.cover .title { font-size: 16pt; color: #0072b2; }
"#;

/// Render the report as a standalone HTML page.
pub fn render(report: &Report) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE} :root {{ --footer: \"{}\"; }}</style></head><body>",
        esc(&report.title),
        esc(&report.footer).replace('"', "'")
    );
    let c = &report.cover;
    let _ = write!(
        h,
        "<div class=\"cover\"><div class=\"title\">{}</div><div class=\"org\">{}</div><p>{}</p><p><strong>{}</strong></p>",
        esc(&c.title),
        esc(&c.organisation),
        esc(&c.round),
        esc(&c.headline)
    );
    if let Some(p) = &c.provisional {
        let _ = write!(h, "<div class=\"callout\">{}</div>", esc(p));
    }
    if let Some(p) = &c.prepared_by {
        let _ = write!(h, "<p>Prepared by {}</p>", esc(p));
    }
    let _ = write!(h, "<p class=\"muted\">{}</p></div>", esc(&c.generated_on));
    for section in &report.sections {
        let _ = write!(h, "<section><h1>{}</h1>", esc(&section.title));
        for item in &section.items {
            match item {
                Item::Heading(text) => {
                    let _ = write!(h, "<h2>{}</h2>", esc(text));
                }
                Item::Paragraph(s) => {
                    let _ = write!(h, "<p>{}</p>", spans(s));
                }
                Item::Bullets(list) => {
                    h.push_str("<ul>");
                    for s in list {
                        let _ = write!(h, "<li>{}</li>", spans(s));
                    }
                    h.push_str("</ul>");
                }
                Item::Callout(s) => {
                    let _ = write!(h, "<div class=\"callout\">{}</div>", spans(s));
                }
                Item::Quote { text, by } => {
                    let _ = write!(
                        h,
                        "<blockquote>“{}”<cite>– {}</cite></blockquote>",
                        esc(text),
                        esc(by)
                    );
                }
                Item::Table { columns, rows } => {
                    let total: f32 = columns.iter().map(|c| share(c.width)).sum();
                    h.push_str("<table><thead><tr>");
                    for col in columns {
                        let _ = write!(
                            h,
                            "<th style=\"width:{:.1}%\"{}>{}</th>",
                            share(col.width) / total * 100.0,
                            if col.align == Align::Right {
                                " class=\"r\""
                            } else {
                                ""
                            },
                            esc(&col.header)
                        );
                    }
                    h.push_str("</tr></thead><tbody>");
                    for row in rows {
                        h.push_str("<tr>");
                        for (cell, col) in row.iter().zip(columns) {
                            let mut classes = Vec::new();
                            if col.align == Align::Right {
                                classes.push("r");
                            }
                            classes.extend(tone(cell.spans.first().and_then(|s| s.colour)));
                            let _ = write!(
                                h,
                                "<td class=\"{}\">{}</td>",
                                classes.join(" "),
                                spans(&cell.spans)
                            );
                        }
                        h.push_str("</tr>");
                    }
                    h.push_str("</tbody></table>");
                }
                Item::Chart { chart, caption, .. } => {
                    let _ = write!(
                        h,
                        "<figure>{}<figcaption>{}</figcaption></figure>",
                        chart_svg(chart),
                        esc(caption)
                    );
                }
            }
        }
        h.push_str("</section>");
    }
    h.push_str("</body></html>");
    h
}
