# Shared by scripts/setup.sh and scripts/test.sh: prerequisites and the build directory.
# shellcheck shell=bash

RUST_MIN=1.95
NODE_MIN=20.19
# Tauri 2 on Linux (WebKitGTK), Xvfb + WebKitWebDriver for the end-to-end test,
# Chromium for the UI's browser tests, poppler for checking PDFs, Noto Sans for the UI,
# Noto Sans CJK for reports with Japanese, Chinese or Korean names (read at run time),
# python3-venv for pyxform (the XLSForm converter the survey-form tests run), dbus for
# the session bus the end-to-end test of the single instance starts (dbus-daemon).
APT_PACKAGES=(build-essential pkg-config python3 python3-venv ca-certificates poppler-utils
  libwebkit2gtk-4.1-dev xvfb xauth webkit2gtk-driver chromium fonts-noto-core fonts-noto-cjk
  dbus)

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cxm-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
TOOLS_DIR="${CXM_TOOLS_DIR:-$HOME/.cache/cxm-tools}"
# The one feature set every cargo command uses, so tauri compiles once.
FEATURES=(--features cxm-app/custom-protocol)

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
}

check_node() {
  command -v node >/dev/null 2>&1 || die "Node.js >= $NODE_MIN is not installed. Debian 12's own nodejs is 18: install Node 20 from NodeSource (https://github.com/nodesource/distributions) or with nvm (nvm install 20)."
  local have
  have=$(node --version | tr -d v)
  version_ge "$have" "$NODE_MIN" || die "Node.js $have is too old: the front end (Vite 8) needs Node >= $NODE_MIN (nvm install 20)."
  command -v npm >/dev/null 2>&1 || die "npm is missing (it comes with Node.js)."
  echo "node $have (>= $NODE_MIN), npm $(npm --version) ok"
}

# apt_install WHAT PACKAGE…: installs those of the packages that are missing (as root,
# or through sudo), saying WHAT they are for.
apt_install() {
  local what=$1 missing=()
  shift
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing $what: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  echo "$what ok"
}

install_system_packages() {
  command -v dpkg >/dev/null 2>&1 || { echo "not a Debian/Ubuntu system: install ${APT_PACKAGES[*]} yourself"; return; }
  apt_install "system packages" "${APT_PACKAGES[@]}"
}

install_ui() {
  say "front end: npm ci and build"
  (cd ui && npm ci --no-audit --no-fund && npm run build)
}

install_tauri_driver() {
  if [ ! -x "$TOOLS_DIR/bin/tauri-driver" ]; then
    say "installing tauri-driver 2.1.0 into $TOOLS_DIR"
    cargo install tauri-driver --version 2.1.0 --locked --root "$TOOLS_DIR"
  fi
  export TAURI_DRIVER="$TOOLS_DIR/bin/tauri-driver"
}

# The Tauri CLI, for its bundler (scripts/package.sh) and `cargo tauri icon`. Pinned to
# the newest 2.x release next to the `tauri` crate in Cargo.lock; reinstalled only when
# the pinned version changes.
TAURI_CLI_VERSION=2.12.4
install_tauri_cli() {
  local bin="$TOOLS_DIR/bin/cargo-tauri"
  if [ ! -x "$bin" ] || [ "$("$bin" tauri --version 2>/dev/null)" != "tauri-cli $TAURI_CLI_VERSION" ]; then
    say "installing tauri-cli $TAURI_CLI_VERSION into $TOOLS_DIR"
    cargo install tauri-cli --version "$TAURI_CLI_VERSION" --locked --root "$TOOLS_DIR"
  fi
  export CARGO_TAURI="$bin"
}

# Packaging only (scripts/package.sh, scripts/test-package.sh), not the developer set-up:
# dpkg-shlibdeps for the .deb's dependencies, the checks of the installed package
# (desktop entry, man page, MIME database, opening a file type), and rpm for reading the
# .rpm and installing it into a scratch root. Installed by those scripts themselves.
PACKAGING_APT_PACKAGES=(dpkg-dev desktop-file-utils man-db xdg-utils shared-mime-info
  libfile-mimeinfo-perl rpm xvfb xauth webkit2gtk-driver)
install_packaging_packages() {
  command -v dpkg >/dev/null 2>&1 || die "packaging needs a Debian/Ubuntu system (dpkg)"
  apt_install "packaging tools" "${PACKAGING_APT_PACKAGES[@]}"
}

# cargo-about, which writes the Rust half of the third-party licence notice and checks
# every shipped crate's licence against packaging/licences/about.toml
# (scripts/licences.sh). Pinned; reinstalled only when the pinned version changes. Its
# binary needs the crate's `cli` feature.
CARGO_ABOUT_VERSION=0.9.3
install_cargo_about() {
  local bin="$TOOLS_DIR/bin/cargo-about"
  if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "cargo-about $CARGO_ABOUT_VERSION" ]; then
    say "installing cargo-about $CARGO_ABOUT_VERSION into $TOOLS_DIR"
    cargo install cargo-about --version "$CARGO_ABOUT_VERSION" --features cli --locked --root "$TOOLS_DIR"
  fi
  export CARGO_ABOUT="$bin"
}

# pyxform, the reference XLSForm converter (`xls2xform`), and openpyxl, which it reads
# workbooks with: the tests of the survey form (crates/cxm-api/tests/xlsform.rs) convert
# every exported form with it and read the workbook back with openpyxl. Pinned, in a
# virtual environment of its own; reinstalled only when the pinned version changes.
PYXFORM_VERSION=4.5.0
OPENPYXL_VERSION=3.1.5
install_pyxform() {
  local venv="$TOOLS_DIR/pyxform"
  local stamp="$venv/.cxm-pyxform-$PYXFORM_VERSION-openpyxl-$OPENPYXL_VERSION"
  if [ ! -f "$stamp" ] || [ ! -x "$venv/bin/xls2xform" ]; then
    say "installing pyxform $PYXFORM_VERSION into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "pyxform==$PYXFORM_VERSION" "openpyxl==$OPENPYXL_VERSION"
    touch "$stamp"
  fi
  export CXM_XLS2XFORM="$venv/bin/xls2xform"
  echo "pyxform $PYXFORM_VERSION ok ($CXM_XLS2XFORM)"
}

prerequisites() {
  say "prerequisites"
  install_system_packages
  check_rust
  check_node
  echo "build output: $CARGO_TARGET_DIR"
}
