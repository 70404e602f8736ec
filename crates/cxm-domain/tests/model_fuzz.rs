//! Fuzzing the model reader (`Model::from_toml`): arbitrary text, and the default model
//! mutated line by line (numbers pushed to extremes, texts given control characters or
//! made huge, lines dropped, duplicated or cut), never panics; every model it accepts is
//! within the documented bounds and scores any answers to finite figures.
//!
//! Cases per property: 2,000 by default; `CXM_FUZZ_CASES` sets more.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

use cxm_domain::model::{
    DEFAULT_MODEL_TOML, MAX_QUESTIONS, MAX_TITLE_CHARS, THRESHOLD_RANGE, WEIGHT_RANGE,
};
use cxm_domain::{Answer, Model, Respondent, score, text};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("CXM_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2_000),
        max_shrink_iters: 1_000,
        ..ProptestConfig::default()
    }
}

/// A replacement for a value on a `key = value` line.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1.7e308".to_string()),
        Just("-1.7e308".to_string()),
        Just("5e-324".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-0.0".to_string()),
        Just("0".to_string()),
        Just("9223372036854775807".to_string()),
        Just("-9223372036854775808".to_string()),
        Just("\"\"".to_string()),
        Just("\"\\u001b[31mred\"".to_string()),
        Just("\"\\u202Egnp.exe\"".to_string()),
        Just("\"\\u200B\\u200B\"".to_string()),
        Just("\"a\\u0000b\"".to_string()),
        (1usize..5_000).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
        any::<f64>().prop_map(|v| format!("{v:e}")),
        any::<i64>().prop_map(|v| v.to_string()),
        "[a-z-]{1,12}".prop_map(|s| format!("\"{s}\"")),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value on line `at` (modulo the line count).
    Value(usize, String),
    Drop(usize),
    Duplicate(usize),
    /// Cut the file at this fraction of its length (in thousandths).
    Truncate(u16),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<usize>(), hostile_value()).prop_map(|(at, v)| Mutation::Value(at, v)),
        2 => any::<usize>().prop_map(Mutation::Drop),
        2 => any::<usize>().prop_map(Mutation::Duplicate),
        1 => (0u16..1000).prop_map(Mutation::Truncate),
    ]
}

fn mutate(source: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match m {
            Mutation::Value(at, v) => {
                let line = &mut lines[at % n];
                if let Some((key, _)) = line.split_once(" = ") {
                    *line = format!("{key} = {v}");
                }
            }
            Mutation::Drop(at) => {
                lines.remove(at % n);
            }
            Mutation::Duplicate(at) => {
                let line = lines[at % n].clone();
                lines.insert(at % n, line);
            }
            Mutation::Truncate(per_mille) => {
                let keep = n * usize::from(*per_mille) / 1000;
                lines.truncate(keep);
            }
        }
    }
    lines.join("\n")
}

/// What every accepted model satisfies.
fn check_invariants(m: &Model) {
    let (wl, wh) = WEIGHT_RANGE;
    let (tl, th) = THRESHOLD_RANGE;
    assert!(
        (tl..=th).contains(&m.threshold),
        "threshold {}",
        m.threshold
    );
    assert!(m.anonymity_threshold >= 1);
    assert!(!m.questions.is_empty() && m.questions.len() <= MAX_QUESTIONS);
    assert!(m.title.chars().count() <= MAX_TITLE_CHARS);
    for q in &m.questions {
        assert!((wl..=wh).contains(&q.weight), "weight {}", q.weight);
        for t in [&q.text, &q.guidance, &q.recommendation] {
            assert_eq!(
                text::clean_text(t, "text", usize::MAX).as_deref(),
                Ok(t.as_str())
            );
        }
    }
    for (i, g) in m.role_groups.iter().enumerate() {
        assert_eq!(
            text::clean_name(&g.name, "name", usize::MAX).as_deref(),
            Ok(g.name.as_str())
        );
        for (j, other) in m.role_groups.iter().enumerate() {
            if i != j {
                for a in [&g.id, &g.name] {
                    for b in [&other.id, &other.name] {
                        assert_ne!(text::fold(a), text::fold(b), "role groups {i} and {j}");
                    }
                }
            }
        }
    }
    for b in 0..m.blocks.len() {
        for p in 1..=m.phase_count() {
            assert!(m.questions.iter().any(|q| q.block == b && q.phase == p));
        }
    }
    // Any answers score to finite figures.
    let respondents: Vec<Respondent> = (0..m.role_groups.len())
        .map(|g| Respondent {
            role_group: g,
            answers: (0..m.questions.len())
                .map(|i| {
                    Some(Answer::Scale(
                        ((i + g) % (usize::from(m.scale.max) + 1)) as u8,
                    ))
                })
                .collect(),
        })
        .collect();
    let results = score(m, &respondents);
    for b in &results.blocks {
        assert!(b.maturity.is_finite(), "maturity {}", b.maturity);
    }
    for a in &results.actions {
        assert!(a.priority.is_finite() && a.attainment.is_finite());
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(source in any::<String>()) {
        if let Ok(m) = Model::from_toml(&source, "fuzz.toml") {
            check_invariants(&m);
        }
    }

    #[test]
    fn the_default_model_mutated_is_refused_or_within_bounds(
        mutations in prop::collection::vec(mutation(), 1..6)
    ) {
        let source = mutate(DEFAULT_MODEL_TOML, &mutations);
        match Model::from_toml(&source, "fuzz.toml") {
            Ok(m) => check_invariants(&m),
            Err(e) => {
                // Every problem names the file.
                let message = e.to_string();
                prop_assert!(message.starts_with("fuzz.toml"), "{}", message);
                prop_assert!(!e.issues.is_empty());
            }
        }
    }
}
