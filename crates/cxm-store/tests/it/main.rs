//! Integration tests of the store: one binary, one module per area.
#![allow(clippy::unwrap_used)] // a failed unwrap is the test failing, with its message

mod common;

mod answers;
mod backup;
mod demo_copy;
mod engagement;
mod fixtures;
mod fuzz;
mod inbox;
mod merge;
mod models;
mod open;
mod orgs_rounds;
mod perf;
mod plan;
mod safety;
