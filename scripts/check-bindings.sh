#!/usr/bin/env bash
# Regenerates what the UI takes from Rust — the TypeScript types of the IPC and the
# typed client of every command (ui/src/lib/bindings/, from crates/cxm-api by ts-rs and
# `for_each_command!`), and the Vitest fixtures (ui/src/lib/fixtures/) — and fails when
# they differ from the committed ones: commit the regenerated files.
#
# cxm-api has no Tauri: this needs neither ui/dist nor the app's build.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cxm-target}"
cargo test -p cxm-api --test bindings --quiet
if ls crates/cxm-api/tests/ui_fixtures*.rs >/dev/null 2>&1; then
    for t in crates/cxm-api/tests/ui_fixtures*.rs; do
        cargo test -p cxm-api --test "$(basename "$t" .rs)" --quiet
    done
fi
stale=$(git status --porcelain -- ui/src/lib/bindings ui/src/lib/fixtures)
if [ -n "$stale" ]; then
    echo "check-bindings: generated UI files are stale; commit the regenerated files:" >&2
    echo "$stale" >&2
    git --no-pager diff --stat -- ui/src/lib/bindings ui/src/lib/fixtures >&2
    exit 1
fi
echo "check-bindings: ui/src/lib/bindings and ui/src/lib/fixtures are up to date"
