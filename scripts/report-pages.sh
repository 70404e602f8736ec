#!/usr/bin/env bash
# Render the demo's board report and turn every page into a PNG, to look at it as a
# board member would. Usage: scripts/report-pages.sh [OUT_DIR] [extra cxm report args]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
APT_PACKAGES+=(poppler-utils)
install_system_packages
out=${1:-out/report}
shift || true
mkdir -p "$out"
cargo build --locked -p cxm-cli
cxm="$CARGO_TARGET_DIR/debug/cxm"
db="$out/demo.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
round=$("$cxm" --db "$db" demo | tail -n1 | awk '{print $NF}')
"$cxm" --db "$db" report "$round" -o "$out/demo-report.pdf" --prepared-by "Jane Doe, CX Partners" "$@"
rm -f "$out"/page-*.png
pdftoppm -png -r 70 "$out/demo-report.pdf" "$out/page"
ls "$out"/page-*.png
