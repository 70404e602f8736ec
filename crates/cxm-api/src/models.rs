//! Model versions: the list and importing a model file.

use crate::*;

impl Api {
    /// `list_models`: every stored model version, by model id then version.
    pub fn list_models(&self) -> ApiResult<Vec<ModelVersionInfo>> {
        model_versions(&*self.store()?)
    }

    /// `import_model`: asks for a model file (or takes `CXM_OPEN_PATH`), validates it and
    /// stores it as a new model version. A file that does not validate is refused with
    /// `invalid_model` and each of its problems (`ApiError.problems`; the message has
    /// one per line, `file:line: field: what`).
    /// Cancelling the dialog imports nothing.
    pub fn import_model(&self) -> ApiResult<ImportModelOutcome> {
        let path = match &self.seams.open_path {
            Some(p) => p.clone(),
            None => match self.host.open_dialog(&DialogSpec::MODEL)? {
                Some(p) => p,
                None => {
                    return Ok(ImportModelOutcome {
                        model: None,
                        already_present: false,
                    });
                }
            },
        };
        let (name, source) = read_model_file(&path)?;
        let mut store = self.store()?;
        let imported = store.import_model(&source, &name)?;
        let already_present = imported.already_present;
        let model = model_versions(&store)?
            .into_iter()
            .find(|m| m.key == imported.key)
            .ok_or_else(|| {
                ApiError::new(ErrorCode::Internal, "the imported model is not listed")
            })?;
        Ok(ImportModelOutcome {
            model: Some(model),
            already_present,
        })
    }
}
