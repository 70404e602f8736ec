//! End-to-end test of the real desktop app: the binary cargo built, driven through
//! tauri-driver and WebKitWebDriver (run under Xvfb by `scripts/test.sh`), with its own
//! empty HOME and data directory.
//!
//! Runs only with `CXM_E2E=1` (it needs a display, tauri-driver and WebKitWebDriver);
//! `scripts/test.sh` sets it and provides all three.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const APP: &str = env!("CARGO_BIN_EXE_cx-maturity");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for_port(port: u16, timeout: Duration) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < timeout, "port {port} did not open");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// tauri-driver with its WebKitWebDriver, stopped with SIGTERM on drop (SIGKILL would
/// orphan WebKitWebDriver).
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(home: &Path, save_path: &Path) -> Driver {
        let driver = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let (port, native) = (free_port(), free_port());
        let child = Command::new(driver)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env_remove("CXM_DB")
            .env("CXM_SAVE_PATH", save_path)
            .env("CXM_NO_OPEN", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver starts (scripts/test.sh installs it)");
        // tauri-driver's port opens before WebKitWebDriver's: wait for both.
        wait_for_port(port, Duration::from_secs(20));
        wait_for_port(native, Duration::from_secs(20));
        Driver { child, port }
    }

    async fn session(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": APP }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session with the app")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// With `CXM_E2E_SHOTS=DIR`, save a screenshot of the app as DIR/NAME.png (to look at
/// the real app's screens; the test never compares them).
async fn shot(c: &Client, name: &str) {
    if let Ok(dir) = std::env::var("CXM_E2E_SHOTS") {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = c.screenshot().await.expect("a screenshot");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

async fn find(c: &Client, id: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(&tid(id)))
        .await
        .unwrap_or_else(|e| panic!("no element {id}: {e}"))
}

async fn click(c: &Client, id: &str) {
    find(c, id)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {id}: {e}"));
}

async fn type_into(c: &Client, id: &str, text: &str) {
    let el = find(c, id).await;
    el.clear().await.ok();
    el.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {id}: {e}"));
}

async fn text_of(c: &Client, id: &str) -> String {
    find(c, id).await.text().await.unwrap_or_default()
}

/// Wait until the element's text satisfies `ok`.
async fn wait_text(c: &Client, id: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let t = text_of(c, id).await;
        if ok(&t) {
            return t;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{id} stayed {t:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every `[data-testid]` starting with `prefix`, as ids.
async fn ids_with_prefix(c: &Client, prefix: &str) -> Vec<String> {
    let els = c
        .find_all(Locator::Css(&format!("[data-testid^=\"{prefix}\"]")))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for e in els {
        if let Ok(Some(id)) = e.attr("data-testid").await {
            ids.push(id);
        }
    }
    ids
}

/// Resident memory of the newest `cx-maturity` process, in kB.
fn app_rss_kb() -> Option<u64> {
    let out = Command::new("pgrep")
        .args(["-n", "-x", "cx-maturity"])
        .output()
        .ok()?;
    let pid = String::from_utf8(out.stdout).ok()?.trim().to_string();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

fn data_dir(home: &Path) -> PathBuf {
    home.join("data").join("io.cxmaturity.app")
}

#[tokio::test(flavor = "current_thread")]
async fn a_consultant_runs_a_round_end_to_end() {
    if std::env::var("CXM_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: set CXM_E2E=1 (scripts/test.sh does, under Xvfb)");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let save = home.path().join("board.pdf");
    let driver = Driver::start(home.path(), &save);

    let launched = Instant::now();
    let c = driver.session().await;
    find(&c, "welcome").await;
    // Figures, printed (never asserted): see the README's performance section.
    eprintln!(
        "measure: launch to the first interactive screen: {:?}",
        launched.elapsed()
    );
    e2e_flow(&c, &save).await;
    if let Some(rss) = app_rss_kb() {
        eprintln!(
            "measure: app process resident memory after a full interview: {} MB",
            rss / 1024
        );
    }
    let _ = c.close().await;

    // Quit, restart, and find everything still there.
    assert!(
        data_dir(home.path()).join("cxm.sqlite").exists(),
        "the app used the default database"
    );
    let c = driver.session().await;
    restart_checks(&c).await;
    let _ = c.close().await;
}

async fn e2e_flow(c: &Client, save: &Path) {
    // First run: the welcome screen offers the demo or our own organisation.
    find(c, "welcome").await;
    shot(c, "01-welcome").await;
    type_into(c, "org-name-input", "Acme Insurance").await;
    click(c, "create-org").await;
    find(c, "organisation-page").await;
    assert_eq!(text_of(c, "org-title").await.trim(), "Acme Insurance");

    // A round (today's date, the default model and target).
    click(c, "new-round").await;
    type_into(c, "round-title", "Baseline").await;
    click(c, "create-round").await;
    find(c, "round-page").await;
    assert!(text_of(c, "round-heading").await.contains("Baseline"));

    // Three respondents.
    for (name, role) in [
        ("Ana Silva", "executive"),
        ("Ben Cole", "manager"),
        ("Cleo Park", "front-line"),
    ] {
        click(c, "add-respondent").await;
        type_into(c, "respondent-name", name).await;
        find(c, "respondent-role")
            .await
            .select_by_value(role)
            .await
            .unwrap();
        type_into(c, "respondent-department", "Operations").await;
        click(c, "save-respondent").await;
        let start = Instant::now();
        while c.find(Locator::Css(&tid("respondent-form"))).await.is_ok() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the respondent form stayed open"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let starts = ids_with_prefix(c, "start-interview-").await;
    assert_eq!(starts.len(), 3, "{starts:?}");
    shot(c, "02-round").await;

    // The whole questionnaire for the first respondent, by keyboard.
    click(c, &starts[0]).await;
    find(c, "questionnaire").await;
    let total = ids_with_prefix(c, "jump-")
        .await
        .iter()
        .filter(|id| !id.starts_with("jump-list"))
        .count();
    assert_eq!(total, 60);
    let area = find(c, "question-area").await;
    let keys = ["4", "3", "3", "2", "4", "d", "3", "1", "4", "n"];
    for i in 0..total {
        area.send_keys(keys[i % keys.len()]).await.unwrap();
    }
    wait_text(c, "answered-count", |t| t.trim() == "60").await;
    find(c, "interview-complete").await;
    shot(c, "03-questionnaire").await;

    // Change an answer, then clear it, then answer it again.
    click(c, "jump-0").await;
    wait_text(c, "current-answer", |t| t.starts_with('4')).await;
    area.send_keys("1").await.unwrap();
    click(c, "jump-0").await;
    wait_text(c, "current-answer", |t| t.starts_with('1')).await;
    area.send_keys(&fantoccini::key::Key::Backspace.to_string())
        .await
        .unwrap();
    wait_text(c, "current-answer", |t| t.contains("Not answered")).await;
    wait_text(c, "answered-count", |t| t.trim() == "59").await;
    area.send_keys("2").await.unwrap();
    wait_text(c, "answered-count", |t| t.trim() == "60").await;
    // A note, saved while typing.
    click(c, "jump-1").await;
    type_into(c, "note", "Saw the signed strategy, dated March.").await;
    wait_text(c, "save-state", |t| {
        t.contains("saved") || t.contains("Saved")
    })
    .await;

    // The results, with charts.
    click(c, "back-to-round").await;
    find(c, "round-page").await;
    click(c, "results-link").await;
    find(c, "results-page").await;
    find(c, "provisional-banner").await;
    let phase = text_of(c, "org-phase").await;
    assert!(phase.trim().parse::<u32>().is_ok(), "phase {phase:?}");
    for chart in ["chart-radar", "chart-ladder", "chart-heatmap"] {
        let html = find(c, chart).await.html(true).await.unwrap();
        assert!(html.contains("<svg"), "{chart} has no SVG");
    }
    assert!(!text_of(c, "explanation").await.trim().is_empty());
    shot(c, "04-results").await;

    // Export the board PDF (the save dialog's seam writes to CXM_SAVE_PATH).
    click(c, "export-pdf").await;
    let start = Instant::now();
    loop {
        if let Ok(el) = c.find(Locator::Css(&tid("export-result"))).await
            && el.attr("data-kind").await.ok().flatten().as_deref() == Some("saved")
        {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no saved export");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    shot(c, "05-exported").await;
    let pdf = std::fs::read(save).expect("the exported PDF");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert!(pdf.len() > 20_000, "{} bytes", pdf.len());
}

async fn restart_checks(c: &Client) {
    // No welcome: the organisation, its round, respondents and answers are still there.
    find(c, "organisations-page").await;
    shot(c, "06-after-restart").await;
    let links = ids_with_prefix(c, "org-link-").await;
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(text_of(c, &links[0]).await.trim(), "Acme Insurance");
    let rounds = ids_with_prefix(c, "org-round-link-").await;
    assert_eq!(rounds.len(), 1);
    click(c, &rounds[0]).await;
    find(c, "round-page").await;
    let starts = ids_with_prefix(c, "start-interview-").await;
    assert_eq!(starts.len(), 3);
    let completes = ids_with_prefix(c, "respondent-complete-").await;
    assert_eq!(completes.len(), 1, "the first interview is complete");
    click(c, &starts[0]).await;
    find(c, "questionnaire").await;
    wait_text(c, "answered-count", |t| t.trim() == "60").await;
    click(c, "jump-0").await;
    wait_text(c, "current-answer", |t| t.starts_with('2')).await;
    click(c, "jump-1").await;
    let note = find(c, "note")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(note, "Saw the signed strategy, dated March.");
}
