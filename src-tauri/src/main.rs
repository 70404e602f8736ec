//! `cx-maturity`: the CX Maturity desktop app.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    cxm_app::run();
}
