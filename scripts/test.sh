#!/usr/bin/env bash
# The README's second command (and CI's): every check and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
prerequisites

say "format"
cargo fmt --all -- --check

say "lints"
cargo clippy --locked --workspace --all-targets -- -D warnings

say "tests"
cargo test --locked --workspace 2>&1 | tee "${TMPDIR:-/tmp}/cxm-cargo-test.log"

say "scoring oracle: an independent Python implementation of PRODUCT.md's rules"
python3 tests/oracle/oracle.py selftest
# `cargo test` built target/debug/cxm for the CLI's integration tests: reuse it.
tests/oracle/run.sh "$CARGO_TARGET_DIR/debug/cxm" "${ORACLE_SEEDS:-20}"

say "all checks passed"
