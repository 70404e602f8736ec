//! The CLI's error: a message for a person, printed after `error: `.

use std::fmt;

/// A failed command.
#[derive(Debug)]
pub struct Fail(String);

impl Fail {
    /// A failure with this message.
    pub fn msg(message: impl Into<String>) -> Fail {
        Fail(message.into())
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<cxm_store::StoreError> for Fail {
    fn from(e: cxm_store::StoreError) -> Fail {
        Fail(e.to_string())
    }
}

/// A use case's error: its message (the code is for the app's UI to branch on).
impl From<cxm_api::wire::ApiError> for Fail {
    fn from(e: cxm_api::wire::ApiError) -> Fail {
        Fail(e.message)
    }
}

impl From<cxm_domain::ModelError> for Fail {
    fn from(e: cxm_domain::ModelError) -> Fail {
        Fail(format!("the model is not valid:\n{e}"))
    }
}

/// Add what was being done to an I/O error.
pub trait Context<T> {
    /// `what: cause`.
    fn context(self, what: impl Into<String>) -> Result<T, Fail>;
}

impl<T> Context<T> for std::io::Result<T> {
    fn context(self, what: impl Into<String>) -> Result<T, Fail> {
        self.map_err(|e| Fail(format!("{}: {e}", what.into())))
    }
}
