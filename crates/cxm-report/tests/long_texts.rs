//! The longest names and titles the app accepts (200 characters), a word with no
//! space to break at, and a custom model with long block and role-group names: every
//! word of the report stays inside the page's margins and no two overlap.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

mod common;

use common::{Engagement, Names, TempFile, normalise, poppler};
use cxm_domain::Model;

/// `words` repeated, cut to exactly `n` characters (no trailing space).
fn long(words: &str, n: usize) -> String {
    let s: String = words.chars().cycle().take(n).collect();
    let s = s.trim_end().to_string();
    let pad = n - s.chars().count();
    format!("{s}{}", "x".repeat(pad))
}

/// The default model with long block, role-group and phase names.
fn long_model() -> Model {
    let source = include_str!("../../cxm-domain/models/cx-maturity-v1.toml");
    let block = long(
        "Voice of the Customer and Insight Management across Channels ",
        100,
    );
    let group = long(
        "Front line customer service and field operations staff ",
        100,
    );
    let phase = long("Developing and Embedding Practices ", 80);
    let source = source
        .replacen(
            "name = \"Voice of the Customer\"",
            &format!("name = \"{block}\""),
            1,
        )
        .replacen("name = \"Front line\"", &format!("name = \"{group}\""), 1)
        .replacen("name = \"Developing\"", &format!("name = \"{phase}\""), 1);
    Model::from_toml(&source, "long.toml").expect("the long model is valid")
}

#[test]
fn long_names_and_titles_stay_inside_their_boxes() {
    let organisation = long(
        "Northwind Regional Energy Cooperative for Sustainable Power and Customer Service ",
        200,
    );
    let unbroken = long("CustomerExperienceMaturityAssessment", 200);
    let earlier = long("Baseline assessment of customer experience maturity ", 200);
    let prepared_by = long(
        "Jane Doe, Senior Principal Consultant, Customer Experience Strategy Practice, ",
        200,
    );
    let department = long(
        "Customer Operations and Service Excellence Department ",
        200,
    );
    let person = long("Maria Fernanda de los Santos Oliveira Pereira ", 200);
    let url_note = format!(
        "See https://intranet.example.com/{} for the journey maps.",
        long("customer-journey-maps/", 240)
    );
    let respondents = [person.as_str(), "Ana Lima", "Tom Berg"];
    let departments = [department.as_str(), "Sales"];
    let notes = [
        url_note.as_str(),
        &long("Feedback is reviewed weekly ", 400),
    ];
    let e = Engagement::new(
        long_model(),
        &Names {
            organisation: Some(&organisation),
            rounds: [Some(&earlier), Some(&unbroken)],
            prepared_by: Some(&prepared_by),
            respondents: &respondents,
            departments: &departments,
            notes: &notes,
        },
    );
    let bytes = e.pdf();
    common::look("long", &bytes);
    let pdf = TempFile::with("long.pdf", &bytes);
    common::assert_laid_out_inside_margins(&common::words(&pdf.0));
    // The cover shows the whole organisation name and round title, wrapped.
    let cover = normalise(&poppler("pdftotext", &["-l", "1"], &pdf.0)).replace(' ', "");
    assert!(cover.contains(&organisation.replace(' ', "")), "{cover}");
    assert!(cover.contains(&unbroken), "{cover}");
    assert!(cover.contains(&prepared_by.replace(' ', "")), "{cover}");
}
