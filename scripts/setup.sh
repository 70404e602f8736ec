#!/usr/bin/env bash
# The README's first command: install what is needed, build the desktop app and start it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
prerequisites
install_ui
install_pyxform

say "building the app (the first build compiles Tauri: several minutes)"
cargo build --locked --workspace "${FEATURES[@]}"
APP="$CARGO_TARGET_DIR/debug/cx-maturity"
echo "app: $APP"
echo "cli: $CARGO_TARGET_DIR/debug/cxm"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  say "starting CX Maturity"
  exec "$APP"
else
  say "no display: starting CX Maturity under Xvfb for 10 seconds as a smoke test"
  rc=0
  timeout 10 xvfb-run -a -s '-screen 0 1280x800x24' "$APP" || rc=$?
  # timeout's 124: the app was still running after 10 s, as it should be.
  [ "$rc" = 124 ] || die "the app stopped after less than 10 s (exit code $rc)"
  echo "the app started and ran for 10 s; on a desktop, start it with: $APP"
fi
