//! Organisations: the list, create, rename, archive, the demo, an organisation's page.

use cxm_report::chart_svg;
use cxm_report::charts::{Chart, trend_data};

use crate::*;

impl Api {
    /// `app_status`.
    pub fn app_status(&self) -> AppStatus {
        let db_path = self
            .db_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let mut guard = self.lock();
        if guard.is_err() {
            *guard = open_store(self.db_path.as_deref());
        }
        let counted = match &*guard {
            Err(e) => Err(e.clone()),
            Ok(store) => store.organisations(false).map_err(ApiError::from),
        };
        let (error, organisations) = match counted {
            Ok(orgs) => (None, orgs.len() as u32),
            Err(e) => (Some(e), 0),
        };
        AppStatus {
            db_path,
            error,
            organisations,
        }
    }

    /// `list_organisations`.
    pub fn list_organisations(
        &self,
        include_archived: bool,
    ) -> ApiResult<Vec<OrganisationSummary>> {
        let store = self.store()?;
        Ok(store
            .organisations(include_archived)?
            .iter()
            .map(organisation_summary)
            .collect())
    }

    /// `create_organisation`.
    pub fn create_organisation(&self, name: &str) -> ApiResult<i64> {
        Ok(self.store()?.add_organisation(name)?)
    }

    /// `rename_organisation`.
    pub fn rename_organisation(&self, id: i64, name: &str) -> ApiResult<()> {
        Ok(self.store()?.rename_organisation(id, name)?)
    }

    /// `archive_organisation`.
    pub fn archive_organisation(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.archive_organisation(id)?)
    }

    /// `restore_organisation`.
    pub fn restore_organisation(&self, id: i64) -> ApiResult<()> {
        Ok(self.store()?.restore_organisation(id)?)
    }

    /// `load_demo`: the demo organisation's id; loads it unless it is already there.
    pub fn load_demo(&self) -> ApiResult<i64> {
        Ok(self.load_demo_with(false)?.organisation.id)
    }

    /// `organisation_page`.
    pub fn organisation_page(&self, id: i64) -> ApiResult<OrganisationPage> {
        let store = self.store()?;
        let organisation = store.organisation(id)?;
        let rounds = store.rounds(Some(id))?;
        let models = model_versions(&store)?;
        let default_model = store.default_model_key()?;
        let latest_scored = rounds.iter().rev().find(|r| r.phase.is_some());
        let model = match latest_scored {
            Some(last) => Some((store.model_for_round(last.id)?, last.phase.unwrap_or(0))),
            None => None,
        };
        // The chart is drawn after the store is released.
        drop(store);
        let (trend_svg, suggested_target) = match model {
            Some((model, reached)) => {
                let history = history_points(&rounds);
                let trend = (history.len() >= 2)
                    .then(|| chart_svg(&Chart::Trend(trend_data(&model, &history))));
                (trend, Some((reached + 1).min(model.phase_count())))
            }
            None => (None, None),
        };
        Ok(OrganisationPage {
            organisation: organisation_summary(&organisation),
            rounds: rounds.iter().map(round_info).collect(),
            trend_svg,
            models,
            default_model,
            suggested_target,
        })
    }
}
