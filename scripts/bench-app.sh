#!/usr/bin/env bash
# The desktop app's benchmarks (not tests), on the real app under Xvfb, in the debug
# build the tests use:
#   - launch to the first interactive screen, side by side with a minimal Tauri window
#     (src-tauri/examples/minimal_window.rs), CXM_LAUNCH_RUNS each (default 7);
#   - key press to committed answer over 200 answers by keyboard (p50, p99).
# Prints the `measure:` lines. Usage: bash scripts/bench-app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
prerequisites
[ -f ui/dist/index.html ] || install_ui
install_tauri_driver
cargo build --locked -p cxm-app "${FEATURES[@]}" --example minimal_window
CXM_E2E=1 xvfb-run -a -s '-screen 0 1280x800x24' \
  cargo test --locked -p cxm-app "${FEATURES[@]}" --test e2e -- \
  --ignored --nocapture --test-threads 1 2>&1 | grep -E '^measure:|^test |panicked'
