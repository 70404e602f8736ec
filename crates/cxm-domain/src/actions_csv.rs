//! The next-phase actions as CSV, for a backlog or an action plan (`cxm export
//! --format actions-csv`, the app's "Export actions (CSV)").
//!
//! One row per action of [`Results::actions`], in their order (tier, then priority,
//! then model order). Columns: `tier`, `block` (id), `block_name`, `question` (id),
//! `text`, `phase`, `phase_name`, `attainment`, `priority`, `recommendation`.
//! Attainment and priority are written as on screen: two decimals, rounded down
//! ([`crate::explain::figure`]), so 0.7499 never reads as 0.75.
//!
//! Every cell goes through [`spreadsheet_safe`], so a model's text that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return (an imported model can say anything)
//! is written with a `'` in front and no spreadsheet runs it as a formula. The figures
//! (`tier`, `phase`, `attainment`, `priority`) are never negative — attainment is in
//! [0, 1] and priority is (τ − attainment) × weight for an attainment below τ — so they
//! never start with `-` and always go out as plain numbers; were one ever negative, it
//! would go out as text (`'-0.25`), never as a formula.

use crate::explain::figure;
use crate::model::Model;
use crate::responses_csv::spreadsheet_safe;
use crate::scoring::Results;

/// The header of the actions CSV.
pub const HEADER: [&str; 10] = [
    "tier",
    "block",
    "block_name",
    "question",
    "text",
    "phase",
    "phase_name",
    "attainment",
    "priority",
    "recommendation",
];

/// Writes the actions of `results` (scored with `model`) as CSV, every cell through
/// [`spreadsheet_safe`].
pub fn write(model: &Model, results: &Results) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(HEADER)
        .expect("writing to memory cannot fail");
    for a in &results.actions {
        let block_name = model
            .block_index(&a.block)
            .map(|b| model.blocks[b].name.as_str())
            .unwrap_or(a.block.as_str());
        let cells = [
            a.tier.to_string().as_str(),
            &a.block,
            block_name,
            &a.question,
            &a.text,
            &a.phase.to_string(),
            &model.phase_name(a.phase),
            &figure(a.attainment),
            &figure(a.priority),
            &a.recommendation,
        ]
        .map(|cell| spreadsheet_safe(cell).into_owned());
        w.write_record(&cells)
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{Answer, Respondent};
    use crate::scoring::score;

    #[test]
    fn one_row_per_action_in_order_with_figures_rounded_down() {
        let m = Model::default_model();
        let mut answers = vec![Some(Answer::Scale(4)); m.questions.len()];
        answers[0] = Some(Answer::Scale(1));
        answers[1] = Some(Answer::Scale(2));
        let r = score(
            &m,
            &[Respondent {
                role_group: 0,
                answers,
            }],
        );
        assert!(!r.actions.is_empty());
        let text = write(&m, &r);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap(), HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), r.actions.len());
        let first = &rows[0];
        let a = &r.actions[0];
        assert_eq!(&first[0], a.tier.to_string());
        assert_eq!(&first[3], a.question);
        assert_eq!(&first[4], a.text);
        assert_eq!(&first[7], figure(a.attainment));
        assert_eq!(&first[9], a.recommendation);
        assert_eq!(&first[2], m.blocks[m.block_index(&a.block).unwrap()].name);
    }
}
