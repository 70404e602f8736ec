//! `cxm-dev-server`: the UI and the app's commands over HTTP on 127.0.0.1, for the
//! browser tests and for working on the UI in a browser (see the library's docs).
//!
//! ```text
//! cxm-dev-server --db /tmp/try/cxm.sqlite --ui ui/dist [--save-dir DIR]
//!                [--check-after MS|never] [--quit-on-stdin-eof]
//! ```
//!
//! The first line on stdout is `listening http://127.0.0.1:PORT/ token=TOKEN`; the
//! second, the address to open in a browser (with `?token=`).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use cxm_dev_server::{DevServer, Options};

const USAGE: &str = "usage: cxm-dev-server --db PATH [--ui DIR] [--save-dir DIR] [--check-after MS|never] [--quit-on-stdin-eof]

  --db PATH            the database (a temporary one: never your real data)
  --ui DIR             the built UI to serve (ui/dist)
  --save-dir DIR       where save dialogs save, under the suggested name (default: cancelled)
  --check-after MS     run the check the app runs after start (damage, then the automatic
                       backup) MS milliseconds after start; `never`: only on POST /test/check
                       (default: 3000, as the app)
  --quit-on-stdin-eof  stop (closing the database cleanly) when stdin closes";

fn fail(message: &str) -> ! {
    eprintln!("cxm-dev-server: {message}\n{USAGE}");
    std::process::exit(2);
}

fn parse(mut args: impl Iterator<Item = String>) -> (Options, bool) {
    let mut db = None;
    let mut ui = None;
    let mut save_dir = None;
    let mut check_after = Some(cxm_api::AUTOMATIC_BACKUP_DELAY);
    let mut lifeline = false;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--db" => db = Some(PathBuf::from(value("--db"))),
            "--ui" => ui = Some(PathBuf::from(value("--ui"))),
            "--save-dir" => save_dir = Some(PathBuf::from(value("--save-dir"))),
            "--check-after" => {
                let v = value("--check-after");
                check_after = match v.as_str() {
                    "never" => None,
                    ms => Some(Duration::from_millis(ms.parse().unwrap_or_else(|_| {
                        fail("--check-after takes milliseconds or `never`")
                    }))),
                }
            }
            "--quit-on-stdin-eof" => lifeline = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => fail(&format!("unknown argument `{other}`")),
        }
    }
    let db = db.unwrap_or_else(|| fail("--db is required"));
    (
        Options {
            db,
            ui,
            save_dir,
            check_after,
        },
        lifeline,
    )
}

fn main() {
    let (options, lifeline) = parse(std::env::args().skip(1));
    if let Some(ui) = &options.ui
        && !ui.join("index.html").is_file()
    {
        eprintln!(
            "cxm-dev-server: warning: {} has no index.html (run `npm run build` in ui/)",
            ui.display()
        );
    }
    let server = match DevServer::start(options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cxm-dev-server: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening {} token={}", server.url(), server.token());
    let _ = writeln!(out, "open {}?token={}", server.url(), server.token());
    let _ = out.flush();
    drop(out);
    if lifeline {
        let stopper = server.stopper();
        let _ = std::thread::Builder::new()
            .name("cxm-dev-stdin".into())
            .spawn(move || {
                let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
                stopper.stop();
            });
    }
    server.run();
}
