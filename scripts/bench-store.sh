#!/usr/bin/env bash
# Storage benchmark (not a test): builds a 6-million-answer database and times open,
# list, one round's results and a 500-respondent CSV import. Release build.
# Usage: scripts/bench-store.sh [--orgs N --rounds N --respondents N]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --locked --release -p cxm-bench
"$CARGO_TARGET_DIR/release/cxm-bench" "$dir" "$@"
