//! The demo tells the story it is meant to tell.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use cxm_domain::demo::demo;
use cxm_domain::{Model, Side, compare, explain, score};

#[test]
fn demo_shows_progress_and_a_gap() {
    let model = Model::default_model();
    let data = demo(&model);
    assert_eq!(data, demo(&model), "seeded");
    assert_eq!(data.rounds.len(), 2);
    let before = data.rounds[0].scoring_respondents();
    let after = data.rounds[1].scoring_respondents();
    assert!(before.len() >= 12 && after.len() >= 12);
    let r1 = score(&model, &before);
    let r2 = score(&model, &after);
    for r in [&r1, &r2] {
        eprintln!("P = {}", r.organisation_phase);
        for b in &r.blocks {
            eprintln!("  {} R={} M={:.2}", b.id, b.reached_phase, b.maturity);
        }
        for a in &r.alignment {
            eprintln!("  gap {} {:.2} {}", a.block, a.gap, a.flagged);
        }
        eprintln!("{}", explain(&model, r).organisation);
    }
    assert!(
        r2.organisation_phase > r1.organisation_phase,
        "real progress"
    );
    // The story: leadership sees a rosier Voice of the Customer and Culture than the
    // front line does, in both rounds.
    for r in [&r1, &r2] {
        let flagged: Vec<&str> = r
            .alignment
            .iter()
            .filter(|a| a.flagged)
            .map(|a| a.block.as_str())
            .collect();
        assert_eq!(
            flagged,
            ["voice-of-customer", "culture"],
            "executive/front-line gaps"
        );
    }
    assert_eq!((r1.organisation_phase, r2.organisation_phase), (1, 2));
    // Each interview covers what the respondent's role group is asked.
    for round in &data.rounds {
        for p in &round.respondents {
            for (q, a) in p.answers.iter().enumerate() {
                assert!(
                    a.is_none() || model.asks(q, p.role_group),
                    "{}: {q}",
                    p.name
                );
            }
        }
    }
    let c = compare(
        Side {
            model: &model,
            respondents: &before,
        },
        Side {
            model: &model,
            respondents: &after,
        },
    );
    assert!(c.blocks.iter().all(|b| b.delta_maturity > 0.0));
    let notes = data.rounds[1]
        .respondents
        .iter()
        .flat_map(|r| r.notes.iter().flatten())
        .count();
    assert!(notes >= 20, "{notes} notes");
}
