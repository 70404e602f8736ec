#!/usr/bin/env bash
# Storage benchmark (not a test): builds a 6-million-answer database and times open,
# list, one round's results and a 500-respondent CSV import; then imports responses
# CSVs of 5,000, 20,000 and 100,000 rows (60 questions) into fresh databases as
# `cxm import-responses` does, each in a process of its own, and reports parse and
# import time, CPU time and peak memory. Release build; Markdown tables on stdout.
# With --only merge: engagement files merging (issue 14), --respondents N (5,000).
# Usage: scripts/bench-store.sh [--orgs N --rounds N --respondents N]
#                               [--csv-rows N,N,...] [--only database|csv|merge]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --locked --release -p cxm-bench
"$CARGO_TARGET_DIR/release/cxm-bench" "$dir" "$@"
