#!/usr/bin/env bash
# Regenerates the TypeScript types of the app's IPC (ui/src/lib/bindings/, generated
# from src-tauri/src/wire.rs by ts-rs) and fails when they differ from the committed
# ones: commit the regenerated files.
#
# Uses the same profile and features as the other app builds (debug, custom-protocol),
# so it needs ui/dist (npm run build in ui/) and reuses the tauri build.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cxm-target}"
if [ ! -f ui/dist/index.html ]; then
    echo "check-bindings: ui/dist is missing; build the UI first (cd ui && npm run build)" >&2
    exit 1
fi
cargo test -p cxm-app --features custom-protocol --test bindings --quiet
stale=$(git status --porcelain -- ui/src/lib/bindings)
if [ -n "$stale" ]; then
    echo "check-bindings: ui/src/lib/bindings is stale; commit the regenerated files:" >&2
    echo "$stale" >&2
    git --no-pager diff --stat -- ui/src/lib/bindings >&2
    exit 1
fi
echo "check-bindings: ui/src/lib/bindings is up to date"
