//! The demo engagement: one organisation, two rounds six months apart, realistic
//! answers and interview notes, real progress between the rounds and a clear gap
//! between executives and the front line. Seeded: the same data every time.

use crate::answer::Answer;
use crate::model::Model;

/// The demo organisation and its rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoData {
    /// Organisation name.
    pub organisation: String,
    /// Rounds, oldest first.
    pub rounds: Vec<DemoRound>,
}

/// One demo round.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRound {
    /// Title.
    pub title: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// Target phase.
    pub target_phase: Option<u32>,
    /// Whether the round is closed.
    pub closed: bool,
    /// The interviews.
    pub respondents: Vec<DemoRespondent>,
}

impl DemoRound {
    /// The round's respondents as scoring takes them.
    pub fn scoring_respondents(&self) -> Vec<crate::answer::Respondent> {
        self.respondents
            .iter()
            .map(|r| crate::answer::Respondent {
                role_group: r.role_group,
                answers: r.answers.clone(),
            })
            .collect()
    }
}

/// One demo interview.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRespondent {
    /// Name.
    pub name: String,
    /// Role-group index.
    pub role_group: usize,
    /// Department.
    pub department: String,
    /// Interview date, `YYYY-MM-DD`.
    pub interview_date: String,
    /// Answers, indexed like the model's questions.
    pub answers: Vec<Option<Answer>>,
    /// Notes, indexed like the model's questions.
    pub notes: Vec<Option<String>>,
}

/// The demo's seed.
pub const SEED: u64 = 20_260_310;

const PEOPLE: [(&str, usize, &str); 16] = [
    ("Helen Marsh", 0, "Executive board"),
    ("Tomás Ortega", 0, "Finance"),
    ("Priya Raman", 0, "Customer operations"),
    ("Daniel Okafor", 0, "Marketing"),
    ("Sofia Lindqvist", 1, "Customer service"),
    ("Mark Brennan", 1, "Billing"),
    ("Aisha Karimi", 1, "Field operations"),
    ("Lukas Weber", 1, "Digital channels"),
    ("Grace Adeyemi", 1, "Complaints"),
    ("Jamie Fletcher", 2, "Contact centre"),
    ("Noor Haddad", 2, "Contact centre"),
    ("Ben Carter", 2, "Field operations"),
    ("Mia Novak", 2, "Billing"),
    ("Oliver Grant", 2, "Retail stores"),
    ("Chloe Dubois", 2, "Contact centre"),
    ("Ravi Menon", 1, "Network planning"),
];

/// Notes an interviewer writes, per block (model order), for a low and a high answer.
const NOTES: [[&[&str]; 2]; 4] = [
    [
        &[
            "No written document; the ambition lives in the CEO's town-hall slides.",
            "Targets are still set on cost-to-serve alone; customer measures are not in the plan.",
            "Sponsor named, but the steering group met twice this year.",
            "Could not say who the core customer groups are beyond tariff segments.",
        ],
        &[
            "Shown the signed CX strategy, revised in January, owned by the COO.",
            "Board pack has a customer page every month since Q2.",
            "Stretch goal on churn is written next to the revenue target.",
            "Investment committee template now asks for customer impact.",
        ],
    ],
    [
        &[
            "Survey results go to the insight team and stop there.",
            "Complaints data is kept in a separate tool nobody outside complaints reads.",
            "No callback to customers after a complaint is closed.",
            "NPS measured only for the contact centre, not for field visits.",
        ],
        &[
            "Weekly VoC digest reaches every department head; saw three editions.",
            "Closed-loop callbacks within 48 hours, 82% completion last month.",
            "Effort score on the move-home journey, reported monthly.",
            "Root-cause review of the top five complaint themes each quarter.",
        ],
    ],
    [
        &[
            "Journey maps exist for billing only; drawn in 2023, never updated.",
            "Nobody owns the move-home journey end to end.",
            "First-contact resolution not tracked by reason code.",
            "Process changes are decided inside one department at a time.",
        ],
        &[
            "Journey owners named for the six main journeys, with monthly reviews.",
            "Pain-point backlog visible on the operations wall; 14 fixed since March.",
            "FCR at 71%, tracked weekly by reason code.",
            "Change board includes service, billing and digital.",
        ],
    ],
    [
        &[
            "Front-line staff need a supervisor for any goodwill credit over 20 euros.",
            "Recognition scheme rewards handling time, not outcomes.",
            "Staff could not name the company's customer priorities.",
            "Customer topics rarely come up in leadership meetings, per the team leads.",
        ],
        &[
            "Leaders open every all-hands with a customer story.",
            "Agents may refund up to 150 euros without approval since May.",
            "Quarterly awards now nominated from customer compliments.",
            "New starters spend a day with the complaints team.",
        ],
    ],
];

struct Rng(fastrand::Rng);

impl Rng {
    fn normal(&mut self) -> f64 {
        // Box–Muller.
        let u1 = self.0.f64().max(1e-12);
        let u2 = self.0.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Latent maturity of each block (model order) in each round: how far up the ladder
/// practice really is. Blocks beyond the fourth reuse the last level.
const LEVELS: [[f64; 4]; 2] = [[1.75, 1.55, 1.95, 1.35], [2.6, 2.95, 3.1, 2.9]];

/// How much each role group over- or under-rates a block, in phases: executives see a
/// rosier Culture and Voice of the Customer than the front line does.
fn role_bias(role_group: usize, block: usize) -> f64 {
    match (role_group, block) {
        (0, 1) | (0, 3) => 1.2,
        (0, _) => 0.15,
        (1, _) => 0.05,
        (2, 1) | (2, 3) => -1.0,
        (2, 0) => -0.1,
        _ => 0.0,
    }
}

/// Generate the demo data for `model` (the default model gives the richest demo; any
/// valid model works).
pub fn demo(model: &Model) -> DemoData {
    let mut rng = Rng(fastrand::Rng::with_seed(SEED));
    let q_count = model.questions.len();
    let max = f64::from(model.scale.max);
    // A fixed difficulty per question, so some practices lag in both rounds.
    let difficulty: Vec<f64> = (0..q_count).map(|_| (rng.0.f64() - 0.5) * 0.5).collect();
    let groups = model.role_groups.len().max(1);

    let plans = [
        ("Baseline assessment", "2026-03-10", Some(2u32), 14usize),
        ("Six-month review", "2026-09-08", Some(3u32), 16usize),
    ];
    let rounds = plans
        .iter()
        .enumerate()
        .map(|(r, &(title, date, target, people))| {
            let respondents = PEOPLE[..people]
                .iter()
                .enumerate()
                .map(|(i, &(name, role, department))| {
                    let role_group = role.min(groups - 1);
                    let mut answers = vec![None; q_count];
                    let mut notes = vec![None; q_count];
                    // The last interview of the review is unfinished.
                    let answered = if r == 1 && i == people - 1 {
                        q_count * 2 / 3
                    } else {
                        q_count
                    };
                    for (qi, q) in model.questions.iter().enumerate().take(answered) {
                        // An interview covers what the respondent's role group is asked.
                        if !model.asks(qi, role_group) {
                            continue;
                        }
                        let level = LEVELS[r][q.block.min(3)] + role_bias(role_group, q.block);
                        let into = level - f64::from(q.phase - 1) - difficulty[qi];
                        let expected = max / (1.0 + (-3.0 * (into - 0.634)).exp());
                        let roll = rng.0.f64();
                        let unsure = role_group == 2 && q.block == 0 && q.phase >= 3;
                        answers[qi] = Some(if roll < if unsure { 0.12 } else { 0.02 } {
                            Answer::DontKnow
                        } else if roll > 0.993 {
                            Answer::NotApplicable
                        } else {
                            let v = (expected + 0.65 * rng.normal()).round().clamp(0.0, max);
                            Answer::Scale(v as u8)
                        });
                        if let Some(Answer::Scale(v)) = answers[qi]
                            && rng.0.f64() < 0.12
                        {
                            let high = f64::from(v) >= max * 0.75;
                            let low = f64::from(v) <= max * 0.25;
                            if high || low {
                                let pool = NOTES[q.block.min(3)][usize::from(high)];
                                notes[qi] = Some(pool[rng.0.usize(..pool.len())].to_string());
                            }
                        }
                    }
                    let day = 10 + (i as u32 % 12);
                    DemoRespondent {
                        name: name.to_string(),
                        role_group,
                        department: department.to_string(),
                        interview_date: format!("{}-{day:02}", &date[..7]),
                        answers,
                        notes,
                    }
                })
                .collect();
            DemoRound {
                title: title.to_string(),
                date: date.to_string(),
                target_phase: target.filter(|&t| t <= model.phase_count()),
                closed: true,
                respondents,
            }
        })
        .collect();
    DemoData {
        organisation: "Northwind Energy".to_string(),
        rounds,
    }
}

/// One item of the demo's plan.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPlanItem {
    /// The item (its `id` is left empty: the store gives it one).
    pub item: crate::plan::PlanItem,
    /// The round it was planned from (0: the baseline, 1: the review).
    pub from_round: usize,
}

/// The demo's plan, so that the review's results show the carry-over, its flags and the
/// projected phase at once. Made after the baseline: four of its first-tier actions
/// (three done, one still in progress and overdue, all four lifted over the
/// threshold by the review), one practice worked on whose attainment did not move, a
/// dropped action and a free item. Added after the review: its first-tier actions in
/// every block but one, which therefore still holds the projected phase back. Pure:
/// chosen from the two rounds' results.
pub fn demo_plan(
    model: &Model,
    baseline: &crate::scoring::Results,
    review: &crate::scoring::Results,
) -> Vec<DemoPlanItem> {
    use crate::plan::{Due, Effort, PlanItem, PlanStatus};
    use crate::scoring::{Action, at_least};
    let tau = model.threshold;
    let attainment = |r: &crate::scoring::Results, q: &str| {
        r.questions
            .iter()
            .find(|x| x.question == q)
            .and_then(|x| x.attainment)
    };
    const OWNERS: [&str; 5] = [
        "Chief Operating Officer",
        "HR Director",
        "Head of Customer Insight",
        "Digital Lead",
        "Contact Centre Manager",
    ];
    let quarter = |year: i32, quarter: u32| Some(Due::Quarter { year, quarter });
    let mut n = 0usize;
    let mut item = |question: Option<&str>, block: &str, title: String, status, due, from_round| {
        n += 1;
        DemoPlanItem {
            item: PlanItem {
                id: String::new(),
                title,
                block: block.to_string(),
                question: question.map(str::to_string),
                owner: Some(OWNERS[n % OWNERS.len()].to_string()),
                due,
                effort: Some(Effort::ALL[n % 3]),
                status,
                notes: None,
            },
            from_round,
        }
    };
    let recommendation = |q: &str| {
        model
            .question_index(q)
            .map(|i| model.questions[i].recommendation.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let tier1: Vec<&Action> = baseline.actions.iter().filter(|a| a.tier == 1).collect();
    let (lifted, rest): (Vec<&Action>, Vec<&Action>) = tier1
        .iter()
        .partition(|a| attainment(review, &a.question).is_some_and(|now| at_least(now, tau)));
    let plan = [
        (PlanStatus::Done, quarter(2026, 2)),
        (PlanStatus::Done, quarter(2026, 2)),
        (PlanStatus::Done, quarter(2026, 3)),
        (PlanStatus::InProgress, quarter(2026, 3)),
    ];
    for (a, (status, due)) in lifted.iter().zip(plan) {
        out.push(item(
            Some(&a.question),
            &a.block,
            recommendation(&a.question),
            status,
            due,
            0,
        ));
    }
    // A practice worked on that did not move: below the threshold at the baseline, no
    // higher at the review.
    if let Some(q) = model.questions.iter().find(|q| {
        match (attainment(baseline, &q.id), attainment(review, &q.id)) {
            (Some(then), Some(now)) => !at_least(then, tau) && now <= then,
            _ => false,
        }
    }) {
        let block = &model.blocks[q.block].id;
        out.push(item(
            Some(&q.id),
            block,
            q.recommendation.clone(),
            PlanStatus::Done,
            quarter(2026, 3),
            0,
        ));
    }
    if let Some(a) = rest.first().or_else(|| lifted.get(4)) {
        let mut dropped = item(
            Some(&a.question),
            &a.block,
            recommendation(&a.question),
            PlanStatus::Dropped,
            None,
            0,
        );
        dropped.item.notes =
            Some("Folded into the wider operating-model review; no separate budget.".into());
        out.push(dropped);
    }
    if let Some(block) = model.blocks.first() {
        let mut free = item(
            None,
            &block.id,
            "Publish a one-page customer promise for all staff, signed off by the executive team."
                .into(),
            PlanStatus::InProgress,
            quarter(2026, 4),
            0,
        );
        free.item.notes = Some("Draft shared with the executive team in November.".into());
        out.push(free);
    }
    // After the review: its first-tier actions, but for the first block that has any.
    let review_tier1: Vec<&Action> = review.actions.iter().filter(|a| a.tier == 1).collect();
    let skipped = review_tier1
        .iter()
        .map(|a| a.block.clone())
        .min_by_key(|b| model.block_index(b).unwrap_or(usize::MAX));
    for (i, a) in review_tier1
        .iter()
        .filter(|a| Some(&a.block) != skipped.as_ref())
        .enumerate()
    {
        let (status, due) = if i % 3 == 0 {
            (PlanStatus::InProgress, quarter(2027, 1))
        } else {
            (PlanStatus::Planned, quarter(2027, 2))
        };
        out.push(item(
            Some(&a.question),
            &a.block,
            recommendation(&a.question),
            status,
            due,
            1,
        ));
    }
    out
}
