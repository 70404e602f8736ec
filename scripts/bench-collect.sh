#!/usr/bin/env bash
# Many-hands benchmark (not a test): a 5,000-respondent ODK Central export previewed and
# imported as the app does, that round's results and board report; then the workshop
# server with 100 phones submitting at once (latency p50/p99, every submission stored
# once, memory, the app's own calls meanwhile). Release build; Markdown on stdout.
# Usage: scripts/bench-collect.sh [--respondents N] [--phones N]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --locked --release -p cxm-bench --bin cxm-bench-collect
"$CARGO_TARGET_DIR/release/cxm-bench-collect" "$dir" "$@"
