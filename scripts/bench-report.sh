#!/usr/bin/env bash
# Report benchmark (not a test): native PDF vs headless Chromium printing the same
# report as HTML, for the demo round and a 200-respondent round. Release build.
# Usage: scripts/bench-report.sh [RUNS]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
APT_PACKAGES+=(chromium fonts-noto-core)
install_system_packages
cargo build --locked --release -p cxm-cli
python3 scripts/bench_report.py "$CARGO_TARGET_DIR/release/cxm" "${1:-7}"
