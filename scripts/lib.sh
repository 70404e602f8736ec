# Shared by scripts/setup.sh and scripts/test.sh: prerequisites and the build directory.
# shellcheck shell=bash

RUST_MIN=1.95
NODE_MIN=20.19
APT_PACKAGES=(build-essential pkg-config python3 ca-certificates poppler-utils)

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cxm-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

version_ge() { # version_ge HAVE NEED
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

check_rust() {
  command -v cargo >/dev/null 2>&1 || die "Rust is not installed. Install it with rustup (https://rustup.rs): curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y --default-toolchain ${RUST_MIN}; then open a new shell."
  local have
  have=$(rustc --version | awk '{print $2}')
  version_ge "$have" "$RUST_MIN" || die "Rust $have is too old: CX Maturity needs Rust >= $RUST_MIN (rustup update stable)."
  echo "rust $have (>= $RUST_MIN) ok"
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1 || true
}

check_node() { # Node is needed from the desktop app on; warn only until then.
  if command -v node >/dev/null 2>&1; then
    local have
    have=$(node --version | tr -d v)
    if version_ge "$have" "$NODE_MIN"; then
      echo "node $have (>= $NODE_MIN) ok"
    else
      echo "warning: node $have is older than $NODE_MIN, which the desktop app's front end will need (Debian 12's nodejs is 18: install Node 20 from NodeSource or with nvm: nvm install 20)"
    fi
  else
    echo "note: Node.js >= $NODE_MIN is not installed; the desktop app's front end will need it (nvm install 20)"
  fi
}

install_system_packages() {
  command -v dpkg >/dev/null 2>&1 || { echo "not a Debian/Ubuntu system: install ${APT_PACKAGES[*]} yourself"; return; }
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  echo "system packages ok"
}

prerequisites() {
  say "prerequisites"
  install_system_packages
  check_rust
  check_node
  echo "build output: $CARGO_TARGET_DIR"
}
