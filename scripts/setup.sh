#!/usr/bin/env bash
# The README's first command: install what is needed, build, and run the main job:
# load the demo engagement and score its latest round.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
prerequisites

say "building cxm"
cargo build --locked -p cxm-cli
CXM="$CARGO_TARGET_DIR/debug/cxm"

say "cxm demo"
out=$("$CXM" demo)
echo "$out"
round=$(echo "$out" | tail -n1 | awk '{print $NF}')

say "cxm results $round --explain"
"$CXM" results "$round" --explain

say "done"
echo "database: $("$CXM" db-path 2>/dev/null || true)"
echo "try: $CXM org list · $CXM compare <earlier> $round · $CXM --help"
