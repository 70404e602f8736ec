//! Use cases the `cxm` command line has and no screen of the app calls (yet): the
//! rounds list across organisations, one round or organisation by id, the demo loaded
//! again, and a round's export as text (for standard output; [`Api::export_round`]
//! writes the same text through the save dialog). Plain methods like the others, for
//! any face; they are not in [`crate::for_each_command!`] because the UI does not use
//! them.

use crate::*;

/// What [`Api::load_demo_with`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOutcome {
    /// The demo organisation with its rounds (oldest first).
    pub organisation: OrganisationSummary,
    /// Whether it was loaded now (`false`: it was already there).
    pub loaded: bool,
}

/// A round's answers or actions as the text of a file ([`Api::round_export`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundExport {
    /// The file's text.
    pub text: String,
    /// The file name a save dialog offers: "Organisation - Round - answers.csv".
    pub suggested_name: String,
}

impl Api {
    /// The rounds of one organisation, or of all of them (archived ones too), by
    /// organisation, then date, then creation.
    pub fn list_rounds(&self, organisation: Option<i64>) -> ApiResult<Vec<RoundInfo>> {
        Ok(self
            .store()?
            .rounds(organisation)?
            .iter()
            .map(round_info)
            .collect())
    }

    /// One round with its summary.
    pub fn round(&self, id: i64) -> ApiResult<RoundInfo> {
        Ok(round_info(&self.store()?.round(id)?))
    }

    /// One organisation with its rounds (archived or not).
    pub fn organisation(&self, id: i64) -> ApiResult<OrganisationSummary> {
        Ok(organisation_summary(&self.store()?.organisation(id)?))
    }

    /// The demo engagement: loaded unless it is already there, or with `again` another
    /// copy in any case (in one transaction, like [`Api::load_demo`]).
    pub fn load_demo_with(&self, again: bool) -> ApiResult<DemoOutcome> {
        let mut store = self.store()?;
        if !again && let Some(existing) = store.demo_organisation()? {
            return Ok(DemoOutcome {
                organisation: organisation_summary(&existing),
                loaded: false,
            });
        }
        let id = store.load_demo()?.organisation;
        Ok(DemoOutcome {
            organisation: organisation_summary(&store.organisation(id)?),
            loaded: true,
        })
    }

    /// A round's answers (CSV in the layout the responses import reads, or JSON with
    /// notes) or its next-phase actions (CSV), as text.
    pub fn round_export(&self, round: i64, format: RoundExportFormat) -> ApiResult<RoundExport> {
        let data = self.store()?.round_data(round)?;
        let (text, what) = match format {
            RoundExportFormat::AnswersCsv => {
                (cxm_store::transfer::answers_csv(&data), "answers.csv")
            }
            RoundExportFormat::AnswersJson => (
                serde_json::to_string_pretty(&cxm_store::transfer::answers_json(&data))
                    .expect("serialisable")
                    + "\n",
                "answers.json",
            ),
            RoundExportFormat::ActionsCsv => {
                let results = cxm_domain::score(&data.model, &data.scoring_respondents());
                (
                    cxm_store::transfer::actions_csv(&data, &results),
                    "actions.csv",
                )
            }
        };
        Ok(RoundExport {
            text,
            suggested_name: format!(
                "{} - {} - {what}",
                data.info.organisation_name, data.info.title
            ),
        })
    }
}
