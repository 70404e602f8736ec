//! Shared by the report tests of scripts and long texts: the demo engagement with the
//! names, titles and notes a test chooses, its PDF, and what poppler reads from it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use cxm_domain::demo::{DemoData, demo};
use cxm_domain::scored::{HistoryPoint, RespondentView, RoundMeta};
use cxm_domain::scoring::Results;
use cxm_domain::{Comparison, Model, Side, compare, score};
use cxm_report::input::{QuoteAttribution, ReportInput};
use cxm_report::{Paper, PdfOptions, render_pdf};

/// The demo's two rounds, renamed, scored and compared; owned so a test can borrow a
/// [`ReportInput`] of the later round from it.
pub struct Engagement {
    pub model: Model,
    pub data: DemoData,
    pub results: [Results; 2],
    pub comparison: Comparison,
    pub views: Vec<RespondentView>,
    pub prepared_by: Option<String>,
}

/// What a test changes in the demo engagement.
#[derive(Default)]
pub struct Names<'a> {
    pub organisation: Option<&'a str>,
    /// Titles of the earlier and the later round.
    pub rounds: [Option<&'a str>; 2],
    pub prepared_by: Option<&'a str>,
    /// Respondents' names, used in turn.
    pub respondents: &'a [&'a str],
    /// Departments, used in turn.
    pub departments: &'a [&'a str],
    /// Notes, put in turn on every answered question that has one.
    pub notes: &'a [&'a str],
}

impl Engagement {
    pub fn new(model: Model, names: &Names<'_>) -> Engagement {
        let mut data = demo(&model);
        if let Some(o) = names.organisation {
            data.organisation = o.to_string();
        }
        for (round, title) in data.rounds.iter_mut().zip(names.rounds) {
            if let Some(t) = title {
                round.title = t.to_string();
            }
        }
        let mut note = 0;
        for (i, r) in data.rounds[1].respondents.iter_mut().enumerate() {
            if !names.respondents.is_empty() {
                r.name = names.respondents[i % names.respondents.len()].to_string();
            }
            if !names.departments.is_empty() {
                r.department = names.departments[i % names.departments.len()].to_string();
            }
            if !names.notes.is_empty() {
                for n in r.notes.iter_mut().filter(|n| n.is_some()) {
                    *n = Some(names.notes[note % names.notes.len()].to_string());
                    note += 1;
                }
            }
        }
        let (before, after) = (
            data.rounds[0].scoring_respondents(),
            data.rounds[1].scoring_respondents(),
        );
        let results = [score(&model, &before), score(&model, &after)];
        let comparison = compare(
            Side {
                model: &model,
                respondents: &before,
            },
            Side {
                model: &model,
                respondents: &after,
            },
        );
        let views = data.rounds[1]
            .respondents
            .iter()
            .map(|r| RespondentView {
                name: r.name.clone(),
                role_group: r.role_group,
                department: Some(r.department.clone()),
                answers: r.answers.clone(),
                notes: r.notes.clone(),
            })
            .collect();
        Engagement {
            model,
            data,
            results,
            comparison,
            views,
            prepared_by: names.prepared_by.map(str::to_string),
        }
    }

    /// The date of round `i` (the demo writes it `YYYY-MM-DD`).
    pub fn date(&self, i: usize) -> NaiveDate {
        self.data.rounds[i]
            .date
            .parse()
            .expect("the demo's dates are dates")
    }

    /// The later round's report input, quotes attributed by name.
    pub fn input(&self) -> ReportInput<'_> {
        let meta = |i: usize| RoundMeta {
            title: self.data.rounds[i].title.clone(),
            date: self.date(i),
            open: true,
            target_phase: self.data.rounds[i].target_phase,
        };
        let history = (0..2)
            .map(|i| HistoryPoint {
                date: self.date(i),
                title: self.data.rounds[i].title.clone(),
                phase: self.results[i].organisation_phase,
                maturity: self.results[i]
                    .blocks
                    .iter()
                    .map(|b| (b.id.clone(), b.maturity))
                    .collect(),
            })
            .collect();
        ReportInput {
            organisation: &self.data.organisation,
            round: meta(1),
            model: &self.model,
            respondents: &self.views,
            results: &self.results[1],
            comparison: Some((meta(0), &self.comparison)),
            history,
            prepared_by: self.prepared_by.clone(),
            generated_on: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            quotes: QuoteAttribution::default(),
            plan: Vec::new(),
            plan_summary: None,
        }
        .with_quotes(QuoteAttribution::Name)
    }

    /// The report as PDF bytes.
    pub fn pdf(&self) -> Vec<u8> {
        render_pdf(&self.input(), &options()).expect("the report renders")
    }
}

pub fn options() -> PdfOptions {
    PdfOptions {
        paper: Paper::A4,
        logo: None,
        creation: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
    }
}

/// A file in the temporary directory, removed when dropped.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn with(name: &str, bytes: &[u8]) -> TempFile {
        let p = std::env::temp_dir().join(format!("cxm-report-test-{}-{name}", std::process::id()));
        std::fs::write(&p, bytes).unwrap();
        TempFile(p)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs a poppler tool on `pdf`; its standard output.
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdffonts" {
            &[][..]
        } else {
            &["-"][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by scripts/test.sh): {e}"));
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Collapses runs of whitespace to one space and drops the bidi marks poppler puts
/// around right-to-left text.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word as `pdftotext -bbox` places it (points, origin top left).
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub page_w: f32,
    pub page_h: f32,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub text: String,
}

/// Every word of the PDF with its box.
pub fn words(pdf: &Path) -> Vec<Word> {
    let html = poppler("pdftotext", &["-bbox"], pdf);
    let attr = |tag: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let start = tag.find(&key).unwrap() + key.len();
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let mut out = Vec::new();
    let (mut page, mut page_w, mut page_h) = (0, 0.0, 0.0);
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
            page_w = attr(line, "width");
            page_h = attr(line, "height");
        } else if line.starts_with("<word ") {
            let text_start = line.find('>').unwrap() + 1;
            let text_end = line.rfind("</word>").unwrap();
            let text = line[text_start..text_end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            out.push(Word {
                page,
                page_w,
                page_h,
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
                text,
            });
        }
    }
    out
}

const MM: f32 = 72.0 / 25.4;

/// Every word lies inside the page's margins (20 mm at the sides; the footer's 12 mm
/// line and the cover's band excepted at the bottom and top), and no two words of a
/// page overlap (their boxes are compared in the middle half of their height, as
/// poppler's boxes run from the font's ascender to its descender).
pub fn assert_laid_out_inside_margins(words: &[Word]) {
    let mut problems = Vec::new();
    for w in words {
        let (left, right) = (20.0 * MM - 0.6, w.page_w - 20.0 * MM + 0.6);
        if w.x0 < left || w.x1 > right || w.y0 < 6.0 * MM || w.y1 > w.page_h - 8.0 * MM {
            problems.push(format!(
                "page {}: {:?} at x {:.1}..{:.1}, y {:.1}..{:.1} is outside the margins",
                w.page, w.text, w.x0, w.x1, w.y0, w.y1
            ));
        }
    }
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            if a.page != b.page {
                continue;
            }
            let mid = |w: &Word| {
                let h = w.y1 - w.y0;
                (w.y0 + h / 4.0, w.y1 - h / 4.0)
            };
            let ((ay0, ay1), (by0, by1)) = (mid(a), mid(b));
            let x = a.x0.max(b.x0) < a.x1.min(b.x1) - 0.6;
            let y = ay0.max(by0) < ay1.min(by1) - 0.1;
            if x && y {
                problems.push(format!(
                    "page {}: {:?} ({:.1}..{:.1}, {:.1}..{:.1}) overlaps {:?} ({:.1}..{:.1}, {:.1}..{:.1})",
                    a.page, a.text, a.x0, a.x1, a.y0, a.y1, b.text, b.x0, b.x1, b.y0, b.y1
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} layout problems:\n{}",
        problems.len(),
        problems[..problems.len().min(40)].join("\n")
    );
}

/// With `CXM_REPORT_LOOK=DIR`, writes the PDF and its pages as PNG (`pdftoppm -r 80`)
/// into DIR to look at.
pub fn look(name: &str, bytes: &[u8]) {
    let Ok(dir) = std::env::var("CXM_REPORT_LOOK") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf, bytes).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "80"])
        .arg(&pdf)
        .arg(dir.join(name))
        .status()
        .unwrap();
    assert!(status.success());
}
