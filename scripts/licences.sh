#!/usr/bin/env bash
# The third-party licence notice, and the check that everything shipped is under a
# licence we accept (the allow-list: `accepted` in packaging/licences/about.toml).
#
#   bash scripts/licences.sh [--target TRIPLE]... [OUT_DIR]
#       Checks, then writes OUT_DIR/THIRD-PARTY-LICENSES.html (default:
#       $CARGO_TARGET_DIR/licences): CX Maturity's own licence (LICENSE), every Rust
#       crate the app (cxm-app, with its custom-protocol feature) and the `cxm` command
#       (cxm-cli) ship — their normal dependency graphs for Linux, or for the targets
#       given — with its licence text (cargo-about), the npm packages bundled into the UI
#       (ui/dist/licences-npm.json, which the UI's build writes; the UI is built again
#       when that file is missing or older than its inputs) and the fonts
#       (packaging/licences/fonts.toml).
#   bash scripts/licences.sh --check [--target TRIPLE]...
#       The check alone, in seconds once cargo-about is installed (the UI is built into a
#       temporary folder): exits non-zero, naming each crate or npm package and its
#       licence, when one is outside the allow-list.
#   bash scripts/licences.sh --self-test
#       Shows the check can fail: with the real list it passes; with a copy without MIT,
#       the Rust check and the UI's build must both fail and name what they refused.
#
# CXM_LICENCES_CONFIG=FILE uses another allow-list (a copy of about.toml, to try a
# change); the UI's build (ui/licences.mjs) reads the same variable.
set -euo pipefail
# Paths given are from the folder the script is started in.
CALLER_DIR=$PWD
if [ -n "${CXM_LICENCES_CONFIG:-}" ]; then CXM_LICENCES_CONFIG=$(realpath -m -- "$CXM_LICENCES_CONFIG"); fi
cd "$(dirname "$0")/.."
. scripts/lib.sh

CONFIG=${CXM_LICENCES_CONFIG:-$PWD/packaging/licences/about.toml}
[ -f "$CONFIG" ] || die "no allow-list at $CONFIG"
export CXM_LICENCES_CONFIG=$CONFIG
NOTICE=THIRD-PARTY-LICENSES.html
NPM_NOTICE=ui/dist/licences-npm.json
# The shipped binaries: name, cargo-about's arguments for its graph.
GRAPHS=("app -m src-tauri/Cargo.toml --features custom-protocol" "cli -m crates/cxm-cli/Cargo.toml")

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }

# Prints cargo-about's messages but the expected ones: each graph is checked with the one
# configuration, so a clarification for a crate of the other graph is "not present".
show_log() {
  awk 'BEGIN { RS = ""; ORS = "\n\n" } !/config found for a crate not present in the graph/' "$1" |
    sed 's/\x1b\[[0-9;]*m//g'  # cargo-about's log lines are coloured even with --color never
}

# The crates a failed run refused, one a line: `name-version (licence "…")`.
refused_crates() {
  awk '
    /failed to satisfy license requirements/ { want = 1; next }
    want && /┌─/ { n = split($0, p, "/"); crate = p[n - 1]; next }
    want && /license = / { sub(/^.*license = /, ""); print "  " crate " (licence " $0 ")"; want = 0 }
  ' "$1"
}

# about WHAT CONFIG OUT_JSON ARGS...: one cargo-about run; on failure, its messages and
# the refused crates.
about() {
  local what=$1 config=$2 out=$3 log="$3.log"
  shift 3
  local args=(--color never generate --locked --fail -c "$config" --format json -o "$out" "$@")
  for t in "${TARGETS[@]}"; do args+=(--target "$t"); done
  if "$CARGO_ABOUT" "${args[@]}" 2>"$log"; then
    if grep -q 'WARN' "$log"; then show_log "$log" >&2; fi
    return 0
  fi
  show_log "$log" >&2
  local refused
  refused=$(refused_crates "$log")
  if [ -n "$refused" ]; then
    printf 'error: licence check failed for %s: these crates have no licence on the allow-list (accepted in %s):\n%s\n' \
      "$what" "${LIST:-$CONFIG}" "$refused" >&2
  else
    printf 'error: cargo-about failed for %s: see its messages above\n' "$what" >&2
  fi
  return 1
}

# check_rust CONFIG: the allow-list check of each shipped graph, exactly; writes
# $WORK/<graph>.json, the graph's crates. `max-depth = 0` skips the search for licence
# texts, which a check does not need (that is the slow part).
check_rust() {
  LIST=$1
  printf 'max-depth = 0\n%s\n' "$(cat "$1")" >"$WORK/check.toml"
  local g name args
  for g in "${GRAPHS[@]}"; do
    read -r name args <<<"$g"
    # shellcheck disable=SC2086 # $args: the graph's arguments, split on purpose
    about "the $name's crates" "$WORK/check.toml" "$WORK/$name.json" $args || return 1
    echo "the $name's $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["crates"]))' "$WORK/$name.json") crates: every licence on the allow-list"
  done
}

# The UI's build into FOLDER: it fails, naming the package and its licence, when a bundled
# npm package's licence is outside the allow-list.
build_ui() {
  [ -d ui/node_modules ] || die "ui/node_modules is missing: run npm ci in ui/ (bash scripts/setup.sh does)"
  (cd ui && npx vite build --logLevel warn --outDir "$1" --emptyOutDir) ||
    die "the UI's build failed (a bundled npm package with a licence outside $CONFIG is named above)"
  [ -f "$1/licences-npm.json" ] || die "the UI's build wrote no $1/licences-npm.json (is licenceNotice() in ui/vite.config.ts?)"
}

# Is ui/dist's npm notice newer than its inputs and checked against this allow-list?
npm_notice_fresh() {
  [ -f "$NPM_NOTICE" ] && [ ! "$NPM_NOTICE" -ot ui/package-lock.json ] &&
    [ ! "$NPM_NOTICE" -ot ui/licences.mjs ] && [ ! "$NPM_NOTICE" -ot "$CONFIG" ] &&
    python3 - "$NPM_NOTICE" "$CONFIG" <<'PY'
import json, sys, tomllib
notice = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(notice.get("accepted") != tomllib.load(open(sys.argv[2], "rb"))["accepted"])
PY
}

target_names() {
  if [ ${#TARGETS[@]} -gt 0 ]; then
    echo "${TARGETS[*]}"
  else
    python3 -c 'import sys, tomllib; print(", ".join(tomllib.load(open(sys.argv[1], "rb"))["targets"]))' "$CONFIG"
  fi
}

check() {
  say "licence check: Rust crates for $(target_names) ($CONFIG)"
  check_rust "$CONFIG" || exit 1
  say "licence check: npm packages bundled into the UI (a build into a temporary folder)"
  build_ui "$WORK/dist"
  echo "the bundled npm packages: every licence on the allow-list"
}

notice() {
  local out_dir=$1
  say "licence check: Rust crates for $(target_names) ($CONFIG)"
  check_rust "$CONFIG" || exit 1
  if npm_notice_fresh; then
    echo "$NPM_NOTICE is up to date (the bundled npm packages were checked when it was built)"
  else
    say "front end: vite build (checks the bundled npm packages' licences, writes $NPM_NOTICE)"
    build_ui "$PWD/ui/dist"
  fi
  # The texts: one scan of the workspace's graph, which holds both shipped graphs (and
  # the few crates of the development server and benchmarks, which the notice leaves
  # out), so a crate both binaries use is read once. It takes minutes: every file of
  # every crate is searched, for the licences of code vendored in subfolders too.
  say "cargo-about: the licence texts"
  local t0=$SECONDS
  about "the workspace's crates" "$CONFIG" "$WORK/texts.json" \
    --workspace --features cxm-app/custom-protocol ||
    die "cargo-about could not gather the licence texts (the shipped graphs passed the check: a crate refused here is only the development server's or the benchmarks')"
  echo "found in $((SECONDS - t0)) s"
  say "writing $out_dir/$NOTICE"
  python3 packaging/licences/notice.py --root "$PWD" --config "$CONFIG" \
    --graph "$WORK/app.json" --graph "$WORK/cli.json" --texts "$WORK/texts.json" \
    --npm "$NPM_NOTICE" --fonts packaging/licences/fonts.toml --targets "$(target_names)" \
    --out "$out_dir/$NOTICE"
}

# expect_failure WHAT LOG PATTERN: the run failed; its messages must match PATTERN.
expect_failure() {
  grep -q -- "$3" "$2" || { cat "$2" >&2; die "self-test: $1 did not say what it refused (expected /$3/)"; }
  echo "ok: $1 failed as it must:"
  grep -- "$3" "$2" | head -n 3 | sed 's/^/    /'
}

self_test() {
  say "self-test: the allow-list as it is: the Rust check passes"
  check_rust "$CONFIG" || die "self-test: the check fails with the real allow-list"

  # A copy of the list with a licence in use taken out.
  sed '/^ *"MIT",$/d' "$CONFIG" >"$WORK/without-mit.toml"
  cmp -s "$CONFIG" "$WORK/without-mit.toml" && die "self-test: could not take MIT out of a copy of $CONFIG"

  say "self-test: MIT taken out of the allow-list: the Rust check must fail"
  if check_rust "$WORK/without-mit.toml" 2>"$WORK/rust.err"; then
    die "self-test: the Rust check passed without MIT on the allow-list"
  fi
  expect_failure "the Rust check" "$WORK/rust.err" '(licence ".*MIT'

  say "self-test: MIT taken out of the allow-list: the UI's build must fail"
  if (CXM_LICENCES_CONFIG="$WORK/without-mit.toml" build_ui "$WORK/dist") >"$WORK/npm.err" 2>&1; then
    die "self-test: the UI's build passed without MIT on the allow-list"
  fi
  expect_failure "the UI's build" "$WORK/npm.err" 'has a license (MIT)'
  say "self-test passed"
}

TARGETS=()
OUT_DIR=""
MODE=notice
while [ $# -gt 0 ]; do
  case $1 in
    --check) MODE=check ;;
    --self-test) MODE=self-test ;;
    --target) [ $# -ge 2 ] || die "--target needs a target triple"; TARGETS+=("$2"); shift ;;
    -h | --help) usage ;;
    -*) echo "unknown option: $1" >&2; usage 2 ;;
    *) [ -z "$OUT_DIR" ] || die "one output folder only (got $OUT_DIR and $1)"; OUT_DIR=$1 ;;
  esac
  shift
done
[ "$MODE" = notice ] || [ -z "$OUT_DIR" ] || die "--$MODE writes no notice: no output folder"

install_cargo_about
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
case $MODE in
  check) check; say "licence check passed" ;;
  self-test) self_test ;;
  notice) notice "$(cd "$CALLER_DIR" && realpath -m -- "${OUT_DIR:-$CARGO_TARGET_DIR/licences}")" ;;
esac
