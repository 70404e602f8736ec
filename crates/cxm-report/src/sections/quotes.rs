//! Whom the notes quoted in the report are attributed to when quotes name no one: role
//! groups, and departments only where enough respondents share them.

use std::collections::{BTreeMap, BTreeSet};

use cxm_domain::scored::RespondentView;
use cxm_domain::{Answer, Model};

/// Whom a respondent's notes are attributed to when quotes name no one
/// ([`QuoteAttribution::RoleGroup`](crate::input::QuoteAttribution::RoleGroup)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteSource {
    /// "a respondent": a member of a role group the anonymity threshold hides, or a
    /// respondent who gave no rating (counted in no group).
    Anonymous,
    /// The role group (its index in the model).
    Group(usize),
    /// The role group and the department (as first spelled among its respondents).
    GroupAndDepartment(usize, String),
}

/// Whether the respondent gave at least one rating: who counts in a role group
/// (PRODUCT.md rule 6, as `cxm_domain::Respondent::has_scale_value`).
pub(super) fn rated(p: &RespondentView) -> bool {
    p.answers
        .iter()
        .any(|a| matches!(a, Some(Answer::Scale(_))))
}

/// The default attribution of each respondent's notes, indexed like `respondents`.
///
/// Respondents are counted as the alignment counts them (PRODUCT.md rule 6): a
/// respondent counts when they gave at least one scale value in the round. With k the
/// model's anonymity threshold:
///
/// - a respondent who does not count, or whose role group has fewer than k respondents
///   (hidden), is "a respondent";
/// - otherwise the role group, and the department too when at least k respondents share
///   both that role group and that department (so the department has at least k as
///   well: a department that passes the threshold overall but where the group has only
///   one member would name that person by role and department). Departments are
///   compared trimmed and case-folded; a blank one is none;
/// - the group's respondents quoted without a department are the ones outside the named
///   departments. When they would be fewer than k but not none, a reader who knows the
///   rule could single them out, so the smallest named department of that group (the
///   first by its folded name among equals) is not named either.
pub fn quote_sources(model: &Model, respondents: &[RespondentView]) -> Vec<QuoteSource> {
    let k = model.anonymity_threshold as usize;
    let counts = |p: &RespondentView| p.role_group < model.role_groups.len() && rated(p);
    let key = |p: &RespondentView| {
        p.department
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| (cxm_domain::text::fold(d), d.to_string()))
    };
    let mut group_size = vec![0usize; model.role_groups.len()];
    // (group, folded department) → (respondents, the first spelling).
    let mut cells: BTreeMap<(usize, String), (usize, String)> = BTreeMap::new();
    for p in respondents.iter().filter(|p| counts(p)) {
        group_size[p.role_group] += 1;
        if let Some((folded, shown)) = key(p) {
            cells.entry((p.role_group, folded)).or_insert((0, shown)).0 += 1;
        }
    }
    let mut named: BTreeSet<(usize, String)> = BTreeSet::new();
    for (g, &size) in group_size.iter().enumerate() {
        if size < k {
            continue;
        }
        let mut big: Vec<(&String, usize)> = cells
            .iter()
            .filter(|((cg, _), (n, _))| *cg == g && *n >= k)
            .map(|((_, d), (n, _))| (d, *n))
            .collect();
        let rest = size - big.iter().map(|(_, n)| n).sum::<usize>();
        if rest > 0 && rest < k {
            // Sorted by folded name already: the first smallest one goes.
            if let Some(i) = (0..big.len()).min_by_key(|&i| big[i].1) {
                big.remove(i);
            }
        }
        named.extend(big.into_iter().map(|(d, _)| (g, d.clone())));
    }
    respondents
        .iter()
        .map(|p| {
            if !counts(p) || group_size[p.role_group] < k {
                return QuoteSource::Anonymous;
            }
            match key(p) {
                Some((folded, _)) if named.contains(&(p.role_group, folded.clone())) => {
                    let shown = &cells[&(p.role_group, folded)].1;
                    QuoteSource::GroupAndDepartment(p.role_group, shown.clone())
                }
                _ => QuoteSource::Group(p.role_group),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use cxm_domain::scored::RoundMeta;

    use super::*;
    use crate::document::Item;
    use crate::input::{QuoteAttribution, ReportInput};
    use crate::sections::build;

    /// The default model (Executive 0, Manager 1, Front line 2; threshold 3).
    fn model() -> Model {
        Model::default_model()
    }

    /// A respondent of `group` in `department` who rated the first question 2, or
    /// only said "don't know" (`rated` false).
    fn person(m: &Model, group: usize, department: Option<&str>, rated: bool) -> RespondentView {
        let mut answers = vec![None; m.questions.len()];
        answers[0] = Some(if rated {
            Answer::Scale(2)
        } else {
            Answer::DontKnow
        });
        RespondentView {
            name: format!("P{group}"),
            role_group: group,
            department: department.map(str::to_string),
            answers,
            notes: vec![None; m.questions.len()],
        }
    }

    fn many(m: &Model, group: usize, department: Option<&str>, n: usize) -> Vec<RespondentView> {
        (0..n).map(|_| person(m, group, department, true)).collect()
    }

    use QuoteSource::{Anonymous, Group, GroupAndDepartment};

    #[test]
    fn a_department_is_named_where_enough_of_the_group_share_it() {
        let m = model();
        assert_eq!(m.anonymity_threshold, 3);
        let mut people = many(&m, 2, Some("Contact centre"), 3);
        people.extend(many(&m, 2, Some("Billing"), 2));
        people.extend(many(&m, 2, None, 1));
        let sources = quote_sources(&m, &people);
        let cc = GroupAndDepartment(2, "Contact centre".into());
        assert_eq!(
            sources,
            [cc.clone(), cc.clone(), cc, Group(2), Group(2), Group(2)]
        );
    }

    #[test]
    fn a_large_department_is_not_named_for_the_only_member_of_a_group_in_it() {
        let m = model();
        let mut people = many(&m, 2, Some("Contact centre"), 3);
        people.extend(many(&m, 1, Some("Contact centre"), 1));
        people.extend(many(&m, 1, Some("Billing"), 2));
        let sources = quote_sources(&m, &people);
        assert_eq!(
            sources[3],
            Group(1),
            "the department has 4, the manager is alone in it"
        );
        assert!(matches!(sources[0], GroupAndDepartment(2, _)));
    }

    #[test]
    fn a_department_stays_unnamed_when_it_would_single_out_the_rest_of_the_group() {
        let m = model();
        // Four front-line respondents, three in one department: naming it would point at
        // the fourth whenever a quote says only "Front line".
        let mut people = many(&m, 2, Some("Contact centre"), 3);
        people.extend(many(&m, 2, Some("Retail stores"), 1));
        assert_eq!(quote_sources(&m, &people), vec![Group(2); 4]);
        // Seven: three and three in two departments and one elsewhere. Leaving out one
        // department (the smaller, else the first by name) is enough.
        let mut people = many(&m, 2, Some("Retail stores"), 3);
        people.extend(many(&m, 2, Some("Contact centre"), 3));
        people.extend(many(&m, 2, Some("Billing"), 1));
        let sources = quote_sources(&m, &people);
        assert_eq!(sources[0], GroupAndDepartment(2, "Retail stores".into()));
        assert_eq!(
            sources[3],
            Group(2),
            "contact centre sorts first: not named"
        );
        assert_eq!(sources[6], Group(2));
        // Nobody outside the named departments: nothing to protect.
        let mut people = many(&m, 2, Some("Retail stores"), 3);
        people.extend(many(&m, 2, Some("Contact centre"), 4));
        assert!(
            quote_sources(&m, &people)
                .iter()
                .all(|s| matches!(s, GroupAndDepartment(2, _)))
        );
    }

    #[test]
    fn hidden_groups_and_respondents_without_a_rating_are_a_respondent() {
        let m = model();
        let mut people = many(&m, 0, Some("Board"), 2); // hidden: 2 < 3
        people.extend(many(&m, 2, Some("Contact centre"), 3));
        people.push(person(&m, 2, Some("Contact centre"), false)); // no rating: not counted
        people.push(person(&m, 1, Some("Contact centre"), false)); // a group with no one counted
        let sources = quote_sources(&m, &people);
        assert_eq!(&sources[..2], [Anonymous, Anonymous]);
        assert_eq!(sources[2], GroupAndDepartment(2, "Contact centre".into()));
        assert_eq!(&sources[5..], [Anonymous, Anonymous]);
    }

    #[test]
    fn departments_are_compared_trimmed_and_case_folded_and_blank_is_none() {
        let m = model();
        let people = vec![
            person(&m, 2, Some(" Contact centre"), true),
            person(&m, 2, Some("CONTACT  CENTRE"), true),
            person(&m, 2, Some("contact centre "), true),
            person(&m, 2, Some("  "), true),
            person(&m, 2, Some(""), true),
            person(&m, 2, None, true),
        ];
        let sources = quote_sources(&m, &people);
        let cc = GroupAndDepartment(2, "Contact centre".into());
        assert_eq!(&sources[..3], [cc.clone(), cc.clone(), cc]);
        assert_eq!(&sources[3..], [Group(2), Group(2), Group(2)]);
    }

    #[test]
    fn quotes_in_a_block_section_follow_the_chosen_attribution() {
        let m = model();
        let mut people = many(&m, 2, Some("Contact centre"), 3);
        people.push(person(&m, 1, Some("Billing"), true)); // hidden group
        people[0].name = "Jamie Fletcher".into();
        people[0].notes[0] = Some("Shown the strategy.".into());
        people[3].name = "Mark Brennan".into();
        people[3].notes[0] = Some("Never seen it.".into());
        let scoring: Vec<_> = people.iter().map(RespondentView::scoring).collect();
        let results = cxm_domain::score(&m, &scoring);
        let input = ReportInput {
            organisation: "Acme",
            round: RoundMeta {
                title: "Baseline".into(),
                date: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
                open: false,
                target_phase: None,
            },
            model: &m,
            respondents: &people,
            results: &results,
            comparison: None,
            history: vec![],
            prepared_by: None,
            generated_on: NaiveDate::from_ymd_opt(2026, 1, 16).unwrap(),
            quotes: QuoteAttribution::default(),
            plan: Vec::new(),
            plan_summary: None,
        };
        let quotes = |input: &ReportInput<'_>| -> Vec<String> {
            build(input)
                .sections
                .iter()
                .flat_map(|s| &s.items)
                .filter_map(|i| match i {
                    // Typed values are bidi isolates (drawn as nothing): compare the words.
                    Item::Quote { by, .. } => Some(by.replace(['\u{2068}', '\u{2069}'], "")),
                    _ => None,
                })
                .collect()
        };
        let q = &m.questions[0].id;
        assert_eq!(
            quotes(&input),
            [
                format!("Front line (Contact centre), on {q}"),
                format!("a respondent, on {q}")
            ]
        );
        assert_eq!(
            quotes(&input.clone().with_quotes(QuoteAttribution::Name)),
            [
                format!("Jamie Fletcher, Front line (Contact centre), on {q}"),
                format!("a respondent, on {q}")
            ]
        );
    }
}
