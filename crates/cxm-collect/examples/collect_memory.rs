//! A workshop server over an in-memory inbox, for the participant's page's browser
//! test (`ui/tests/browser/collect.test.mjs`) and for trying the page by hand.
//!
//! Starts a [`Collector`] on 127.0.0.1 (a free port) over the default model and prints
//! one JSON line `{"url": …, "pin": …}`, then one line per submission received:
//! `{"submission_id": …, "role": …, "answers": n, "new": true|false}`. Runs until it is
//! killed or its standard input closes.
//!
//! `cargo run -p cxm-collect --example collect_memory`

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cxm_collect::{Collector, FormSource, Options, Received, Sink, SinkError};
use cxm_domain::Model;
use cxm_domain::submission::Submission;
use serde_json::json;

/// The inbox: the ids stored, and the model to name role groups.
struct Memory {
    model: Arc<Model>,
    stored: Mutex<Vec<String>>,
}

impl Sink for Memory {
    fn receive(&self, submission: &Submission) -> Result<Received, SinkError> {
        let mut stored = self
            .stored
            .lock()
            .map_err(|_| SinkError::Failed("poisoned".into()))?;
        let new = !stored.contains(&submission.id);
        if new {
            stored.push(submission.id.clone());
        }
        let line = json!({
            "submission_id": submission.id,
            "role": self.model.role_groups[submission.role_group].id,
            "answers": submission.answers.len(),
            "new": new,
        });
        // Printed while the lock is held: one whole line per submission, in order.
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}")
            .and_then(|()| out.flush())
            .map_err(|e| SinkError::Failed(e.to_string()))?;
        Ok(if new {
            Received::New
        } else {
            Received::Already
        })
    }
}

fn main() {
    let model = Arc::new(Model::default_model());
    let sink = Arc::new(Memory {
        model: Arc::clone(&model),
        stored: Mutex::new(Vec::new()),
    });
    let form = FormSource {
        round_title: "Customer workshop, spring".into(),
        model,
    };
    let options = Options {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        minutes: 60,
    };
    let collector = match Collector::start(sink, form, options) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            eprintln!("collect_memory: {e}");
            std::process::exit(1);
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let first = json!({"url": collector.url(), "pin": collector.pin()});
        if writeln!(out, "{first}").and_then(|()| out.flush()).is_err() {
            std::process::exit(1);
        }
    }
    // Standard input closing stops the server (the tests close it to end the run).
    let stopper = Arc::clone(&collector);
    std::thread::spawn(move || {
        let mut sink = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        stopper.stop();
    });
    while !collector.wait(Duration::from_secs(3600)) {}
    collector.stop();
}
