//! A report whose organisation, round, preparer, respondents, departments and notes are
//! written in Japanese, Chinese, Korean, Arabic, Hebrew, with emoji and ✓: every name
//! is drawn in a font that has it (embedded as subsets) and extracts as itself.
//!
//! poppler rebuilds reading order from the glyphs' positions, and takes the neutral
//! characters (punctuation, symbols, emoji) drawn to the right of right-to-left text
//! as part of it: a note in Hebrew that ends with an emoji is drawn correctly (the
//! emoji at its left end) but extracted with the emoji first. So the right-to-left
//! texts here start, rather than end, with their symbols.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

mod common;

use common::{Engagement, Names, TempFile, normalise, poppler};
use cxm_domain::Model;
use cxm_report::document::{Item, Report};
use cxm_report::pdf::fonts;
use cxm_report::sections;

const ORGANISATION: &str = "شركة الأمل للتجارة";
const ROUNDS: [&str; 2] = ["第一回 顧客体験レビュー", "第二回 顧客体験レビュー ✓ 😀"];
const PREPARED_BY: &str = "김민준 (CX 파트너스)";
/// Given in turn to the demo's review respondents: the order puts a name in every
/// script on respondents whose notes the report quotes.
const RESPONDENTS: &[&str] = &[
    "محمد عبد الله",
    "דוד כהן",
    "王小明",
    "山田 さくら",
    "김서연",
    "Ana Lima 😀",
    "✓ Priya Nair",
    "李娜",
];
const DEPARTMENTS: &[&str] = &["销售部", "מכירות", "خدمة العملاء", "営業部", "고객지원팀"];
const NOTES: &[&str] = &[
    "顧客の声を毎週共有しています ✓",
    "نشارك ملاحظات العملاء مع الإدارة كل أسبوع",
    "😀 אנחנו משתפים משוב לקוחות עם ההנהלה",
    "我们每月审查客户旅程",
    "고객 피드백을 매주 공유합니다 ✓",
];

/// The first built-in model (version 1) with a building block and role groups named
/// in other scripts (they label the charts and tables).
fn model() -> Model {
    let source = include_str!("../../cxm-domain/models/cx-maturity-v1.toml")
        .replacen("name = \"Culture\"", &format!("name = \"{BLOCK}\""), 1)
        .replacen(
            "name = \"Manager\"",
            &format!("name = \"{}\"", GROUPS[0]),
            1,
        )
        .replacen(
            "name = \"Front line\"",
            &format!("name = \"{}\"", GROUPS[1]),
            1,
        );
    Model::from_toml(&source, "scripts.toml").expect("the model is valid")
}

const BLOCK: &str = "ثقافة المؤسسة";
const GROUPS: [&str; 2] = ["マネージャー", "צוות קדמי"];

fn engagement() -> Engagement {
    Engagement::new(
        model(),
        &Names {
            organisation: Some(ORGANISATION),
            rounds: [Some(ROUNDS[0]), Some(ROUNDS[1])],
            prepared_by: Some(PREPARED_BY),
            respondents: RESPONDENTS,
            departments: DEPARTMENTS,
            notes: NOTES,
        },
    )
}

/// The notes and attributions the report quotes.
fn quotes(report: &Report) -> Vec<(String, String)> {
    report
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| match i {
            Item::Quote { text, by } => Some((text.clone(), by.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn names_in_every_script_extract_as_themselves() {
    let e = engagement();
    let report = sections::build(&e.input());
    let bytes = e.pdf();
    common::look("scripts", &bytes);
    let pdf = TempFile::with("scripts.pdf", &bytes);
    let text = normalise(&poppler("pdftotext", &[], &pdf.0));

    for name in [
        ORGANISATION,
        ROUNDS[1],
        PREPARED_BY,
        BLOCK,
        GROUPS[0],
        GROUPS[1],
    ] {
        assert!(
            text.contains(name),
            "{name:?} not in the extracted text:\n{text}"
        );
    }
    // The quoted notes, and the names and departments of who said them (the
    // attribution around them is English: "Name, Role group (Department)").
    let quoted = quotes(&report);
    assert!(quoted.len() >= 4, "{quoted:?}");
    for (note, by) in &quoted {
        assert!(
            text.contains(&normalise(note)),
            "{note:?} not in the extracted text"
        );
        for value in RESPONDENTS
            .iter()
            .chain(DEPARTMENTS)
            .filter(|v| by.contains(**v))
        {
            assert!(
                text.contains(value),
                "{value:?} (from {by:?}) not in the extracted text"
            );
        }
    }
    let mentioned: Vec<&&str> = RESPONDENTS.iter().filter(|r| text.contains(**r)).collect();
    assert!(mentioned.len() >= 4, "respondents named: {mentioned:?}");
    for scripts in [
        &["王小明", "李娜"][..],
        &["דוד כהן"],
        &["محمد عبد الله"],
        &["山田 さくら"],
        &["김서연"],
    ] {
        assert!(
            scripts.iter().any(|n| text.contains(n)),
            "none of {scripts:?} in the extracted text; quoted: {:#?}",
            quoted.iter().map(|q| &q.1).collect::<Vec<_>>()
        );
    }
    // Nothing is lost to a box: with Noto Sans CJK installed every character has a
    // glyph, and the report carries no note about missing characters.
    if fonts::cjk_available() {
        assert!(
            !text.contains("cannot be shown") && !text.contains("appears as boxes"),
            "{text}"
        );
    }
}

#[test]
fn fonts_are_embedded_as_subsets() {
    let e = engagement();
    let pdf = TempFile::with("scripts-fonts.pdf", &e.pdf());
    let list = poppler("pdffonts", &[], &pdf.0);
    let rows: Vec<&str> = list.lines().skip(2).collect();
    let mut names = Vec::new();
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let name = cols[0];
        let (tag, face) = name
            .split_once('+')
            .unwrap_or_else(|| panic!("no subset tag: {row}"));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{row}"
        );
        // emb, sub, uni, then the object number and generation.
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            &["yes", "yes", "yes"],
            "{row}"
        );
        names.push(face.to_string());
    }
    for face in [
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSansArabic-Regular",
        "NotoSansHebrew-Regular",
        "NotoSansSymbols2-Regular",
        "Symbola",
    ] {
        assert!(
            names.iter().any(|n| n == face),
            "{face} not embedded:\n{list}"
        );
    }
    if fonts::cjk_available() {
        for face in [
            "NotoSansCJKjp-Regular",
            "NotoSansCJKkr-Regular",
            "NotoSansCJKsc-Regular",
        ] {
            assert!(
                names.iter().any(|n| n == face),
                "{face} not embedded:\n{list}"
            );
        }
    }
}

#[test]
fn report_in_every_script_stays_inside_its_margins() {
    let e = engagement();
    let pdf = TempFile::with("scripts-layout.pdf", &e.pdf());
    common::assert_laid_out_inside_margins(&common::words(&pdf.0));
}

#[test]
fn a_character_no_font_has_still_extracts_as_itself_and_is_noted() {
    // Ethiopic and Tifinagh: in none of the embedded fonts.
    let missing = "ሰላም ⵣⵉⵔⵉ";
    let e = Engagement::new(
        Model::default_model(),
        &Names {
            organisation: Some(missing),
            ..Names::default()
        },
    );
    let bytes = e.pdf();
    common::look("missing", &bytes);
    let pdf = TempFile::with("missing.pdf", &bytes);
    let text = normalise(&poppler("pdftotext", &[], &pdf.0));
    assert!(text.contains(missing), "{text}");
    // The cover says which characters cannot be shown, not silent boxes.
    let first = normalise(&poppler("pdftotext", &["-l", "1"], &pdf.0));
    assert!(
        first.contains("cannot be shown") && first.contains("ሰ") && first.contains("ⵣ"),
        "{first}"
    );
}

/// Set in the child process of [`without_noto_sans_cjk_the_cover_says_how_to_get_it`]:
/// where to write the report.
const CHILD_OUT: &str = "CXM_SCRIPTS_TEST_PDF_OUT";

#[test]
fn without_noto_sans_cjk_the_cover_says_how_to_get_it() {
    if let Ok(out) = std::env::var(CHILD_OUT) {
        // In the child: Noto Sans CJK is looked for only in an empty folder.
        assert!(!fonts::cjk_available());
        std::fs::write(out, engagement().pdf()).unwrap();
        return;
    }
    let name = "without_noto_sans_cjk_the_cover_says_how_to_get_it";
    let empty = std::env::temp_dir().join(format!("cxm-no-fonts-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let pdf = TempFile(std::env::temp_dir().join(format!("cxm-no-cjk-{}.pdf", std::process::id())));
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--test-threads=1"])
        .env(fonts::FONT_DIR_ENV, &empty)
        .env(CHILD_OUT, &pdf.0)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir(&empty);
    assert!(
        child.status.success(),
        "{}",
        String::from_utf8_lossy(&child.stdout)
    );
    let bytes = std::fs::read(&pdf.0).unwrap();
    common::look("no-cjk", &bytes);
    // The characters still extract as themselves, from boxes.
    let text = normalise(&poppler("pdftotext", &[], &pdf.0));
    for name in [ROUNDS[1], PREPARED_BY, "山田 さくら", "김서연"] {
        assert!(text.contains(name), "{name:?} not in the extracted text");
    }
    let cover = normalise(&poppler("pdftotext", &["-l", "1"], &pdf.0));
    assert!(
        cover.contains("appears as boxes")
            && cover.contains("fonts-noto-cjk")
            && cover.contains("write the report again"),
        "{cover}"
    );
    let list = poppler("pdffonts", &[], &pdf.0);
    assert!(!list.contains("CJK"), "{list}");
}
