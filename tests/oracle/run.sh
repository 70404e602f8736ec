#!/usr/bin/env bash
# Differential test: the cxm CLI's scoring against the independent Python oracle.
#
#   tests/oracle/run.sh PATH_TO_CXM [N_SEEDS]     (N_SEEDS defaults to 20)
#
# For each seed and each model case it generates two rounds of random responses (gen.py),
# imports them with the CLI, and compares `cxm results --json` and `cxm compare --json`
# with oracle.py. The model cases:
#   default-v1  built-in cx-maturity@1 (crates/cxm-domain/models/cx-maturity-v1.toml)
#   default-v2  built-in cx-maturity@2 (cx-maturity-v2.toml, format 2: each question's
#               `ask` audience; respondents answer mostly what their role group is asked)
#   custom-v1   tests/oracle/custom-model.toml (0..5 scale, τ 0.6, own role groups)
#   custom-v2   tests/oracle/custom-model-v2.toml (a later version of custom-v1)
# Both built-ins are in every database; the custom models are imported once. The
# default-v2 and custom-v2 cases also compare a round on the earlier version (v1) with a
# later round on v2 of the same organisation (rescored on the shared questions, rule 7).
# Checked: phases, maturity, alignment, actions, not-yet-assessed, comparison deltas,
# and the round's `respondents` and `interviews_complete` (completion counts only the
# questions a respondent's role group is asked).
# Mismatch details go to stderr; the last line on stdout is "N passed, M failed" (one
# per seed and model case). On failure the temp dir is kept and the exit status is 1.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PATH_TO_CXM [N_SEEDS]" >&2
    exit 2
fi
CXM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
NSEEDS=${2:-20}
if [ ! -x "$CXM" ]; then
    echo "not an executable: $CXM" >&2
    exit 2
fi

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ORACLE="$HERE/oracle.py"
GEN="$HERE/gen.py"
DEFAULT1="$HERE/../../crates/cxm-domain/models/cx-maturity-v1.toml"
DEFAULT2="$HERE/../../crates/cxm-domain/models/cx-maturity-v2.toml"
CUSTOM1="$HERE/custom-model.toml"
CUSTOM2="$HERE/custom-model-v2.toml"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cxm-oracle.XXXXXX")
DB="$TMP/cxm.sqlite"

# --- helpers (each returns non-zero on failure; callers check explicitly, because
#     errexit does not apply inside functions called from `if`) ------------------------

# cli ARGS... : run cxm on the test database; stdout passes through, stderr kept.
cli() {
    local err="$TMP/last-stderr.txt" rc=0
    "$CXM" --db "$DB" "$@" 2>"$err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "  command failed (exit $rc): cxm --db $DB $*" >&2
        sed 's/^/    /' "$err" >&2
        return 1
    fi
}

# new_id ARGS... : run cxm and print the last whitespace-separated token of its stdout.
new_id() {
    local out id
    out=$(cli "$@") || return 1
    id=$(printf '%s\n' "$out" | awk '{ if (NF) t = $NF } END { print t }')
    if [ -z "$id" ]; then
        echo "  no id in the output of: cxm $*" >&2
        return 1
    fi
    printf '%s\n' "$id"
}

# model_ref FILE : "id@version"
model_ref() {
    python3 -c 'import sys, tomllib
d = tomllib.load(open(sys.argv[1], "rb"))
print(d["id"] + "@" + str(d["version"]))' "$1"
}

# check WHAT ORACLE_JSON CLI_JSON
check() {
    local what=$1 msg
    if ! msg=$(python3 "$ORACLE" diff "$2" "$3"); then
        echo "MISMATCH seed=$SEED model=$LABEL ($what): $msg" >&2
        echo "  oracle: $2" >&2
        echo "  cli:    $3" >&2
        return 1
    fi
}

# round_with FILE_MODEL ORG TITLE DATE CSV : create a round, import CSV, print round id
round_with() {
    local ref rid
    ref=$(model_ref "$1") || return 1
    rid=$(new_id round add --org "$2" --title "$3" --date "$4" --model "$ref") || return 1
    cli import-responses --round "$rid" "$5" >/dev/null || return 1
    printf '%s\n' "$rid"
}

# results_case DIR NAME MODEL CSV RID
results_case() {
    local d=$1 name=$2
    python3 "$ORACLE" results "$3" "$4" >"$d/$name.oracle.json" || return 1
    cli results "$5" --json >"$d/$name.cli.json" || return 1
    check "results $name (round $5)" "$d/$name.oracle.json" "$d/$name.cli.json"
}

# compare_case DIR NAME MODEL_A CSV_A RID_A MODEL_B CSV_B RID_B
compare_case() {
    local d=$1 name=$2
    python3 "$ORACLE" compare "$3" "$4" "$6" "$7" >"$d/$name.oracle.json" || return 1
    cli compare "$5" "$8" --json >"$d/$name.cli.json" || return 1
    check "compare $name (rounds $5 -> $8)" "$d/$name.oracle.json" "$d/$name.cli.json"
}

# run_case : uses SEED, LABEL, MODEL, EARLIER (the v1 model for a v1 -> v2 comparison,
#            or empty)
run_case() {
    local d="$TMP/seed$SEED-$LABEL" na nb org ra rb org2 rx
    mkdir -p "$d" || return 1
    if [ ! -f "$MODEL" ]; then
        echo "MISSING model file for $LABEL: $MODEL" >&2
        return 1
    fi
    # respondent counts vary with the seed, including single-respondent rounds
    na=$(( (SEED * 7) % 15 + 1 ))
    nb=$(( (SEED * 11 + 4) % 20 + 1 ))
    python3 "$GEN" "$MODEL" $(( SEED * 1000 + 1 )) "$na" "$d/a.csv" || return 1
    python3 "$GEN" "$MODEL" $(( SEED * 1000 + 2 )) "$nb" "$d/b.csv" || return 1

    org=$(new_id org add "Oracle org") || return 1
    ra=$(round_with "$MODEL" "$org" "Seed $SEED $LABEL A" 2026-01-15 "$d/a.csv") || return 1
    rb=$(round_with "$MODEL" "$org" "Seed $SEED $LABEL B" 2026-07-15 "$d/b.csv") || return 1

    results_case "$d" a "$MODEL" "$d/a.csv" "$ra" || return 1
    results_case "$d" b "$MODEL" "$d/b.csv" "$rb" || return 1
    compare_case "$d" a-b "$MODEL" "$d/a.csv" "$ra" "$MODEL" "$d/b.csv" "$rb" || return 1

    if [ -n "$EARLIER" ]; then
        # earlier round on v1, later round on v2 (same organisation)
        python3 "$GEN" "$EARLIER" $(( SEED * 1000 + 3 )) "$na" "$d/x.csv" || return 1
        org2=$(new_id org add "Oracle org") || return 1
        rx=$(round_with "$EARLIER" "$org2" "Seed $SEED v1" 2026-01-15 "$d/x.csv") || return 1
        rb=$(round_with "$MODEL" "$org2" "Seed $SEED v2" 2026-07-15 "$d/b.csv") || return 1
        results_case "$d" x "$EARLIER" "$d/x.csv" "$rx" || return 1
        compare_case "$d" x-b "$EARLIER" "$d/x.csv" "$rx" "$MODEL" "$d/b.csv" "$rb" || return 1
    fi
}

# --- main -----------------------------------------------------------------------------

# import the non-default models once into this database
for f in "$CUSTOM1" "$CUSTOM2"; do
    if ! cli model import "$f" >/dev/null; then
        echo "warning: importing $f failed (continuing; it may already be imported)" >&2
    fi
done

passed=0
failed=0
for SEED in $(seq 1 "$NSEEDS"); do
    for LABEL in default-v1 default-v2 custom-v1 custom-v2; do
        case $LABEL in
            default-v1) MODEL=$DEFAULT1 EARLIER= ;;
            default-v2) MODEL=$DEFAULT2 EARLIER=$DEFAULT1 ;;
            custom-v1) MODEL=$CUSTOM1 EARLIER= ;;
            custom-v2) MODEL=$CUSTOM2 EARLIER=$CUSTOM1 ;;
        esac
        if run_case; then
            passed=$((passed + 1))
        else
            echo "FAILED seed=$SEED model=$LABEL (files in $TMP/seed$SEED-$LABEL)" >&2
            failed=$((failed + 1))
        fi
    done
done

if [ "$failed" -gt 0 ]; then
    echo "kept temp dir: $TMP" >&2
else
    rm -rf "$TMP"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
