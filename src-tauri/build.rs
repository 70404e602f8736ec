//! Reads `tauri.conf.json` at the repository root (the Tauri CLI is not used).

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri-build failed");
}
