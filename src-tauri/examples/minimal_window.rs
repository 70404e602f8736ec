//! The yardstick for the app's launch time: the smallest Tauri 2 app (one window, one
//! static HTML page, no commands, no plugins), built with the same tauri, profile and
//! features as `cx-maturity`. `tests/e2e.rs` (`launch_side_by_side`) starts both through
//! tauri-driver and compares the time to their first screen.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!(
            "../tests/minimal-window/tauri.conf.json"
        ))
        .expect("the minimal window could not start");
}
