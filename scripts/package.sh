#!/usr/bin/env bash
# Builds the release packages, a .deb and an .rpm, with Tauri's own bundler:
#
#   bash scripts/package.sh [OUT_DIR]
#
# OUT_DIR (default: $CARGO_TARGET_DIR/packages) receives cx-maturity_<version>_amd64.deb
# and cx-maturity-<version>-1.x86_64.rpm. Each holds the app (/usr/bin/cx-maturity), the
# CLI (/usr/bin/cxm), the icons, a desktop entry that opens engagement files (.cxmx), the
# engagement MIME type, cxm's man page and shell completions, and the licences.
#
# How: the UI is built, cargo builds both binaries with the release profile (one
# invocation, so the crates they share compile once), then `cargo tauri bundle` packs
# them. The Tauri CLI looks for its config beside the app crate's Cargo.toml; ours sits
# at the repository root over a virtual workspace, where the CLI stops ("No package info
# in the config file"). So the bundler runs in a project folder made here, under the
# build directory: links to tauri.conf.json, icons/ and packaging/ (the config's relative
# paths resolve as in the sources), a Cargo.toml describing the two binaries for the
# bundler (never compiled: cargo built them already), and a config merged over
# tauri.conf.json with what is only known now: the generated files' paths and the
# dependencies read from the binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/lib.sh

OUT_DIR="${1:-$CARGO_TARGET_DIR/packages}"
WORK="$CARGO_TARGET_DIR/cxm-package"
PROJECT="$WORK/project"
FILES="$WORK/files"
RELEASE="$CARGO_TARGET_DIR/release"

prerequisites
install_packaging_packages
install_tauri_cli

# The package version is tauri.conf.json's; `cxm --version` and the app print the
# workspace's. They must agree.
VERSION=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' tauri.conf.json)
WS_VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
[ "$VERSION" = "$WS_VERSION" ] ||
  die "tauri.conf.json has version $VERSION but Cargo.toml's [workspace.package] has $WS_VERSION: make them the same"
[ -f LICENSE ] || die "LICENSE (the project's licence) is missing at the repository root"

say "front end: build ui/dist"
if [ ! -d ui/node_modules ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
(cd ui && npm run build)

say "release build of cx-maturity and cxm (LTO: this takes a while)"
cargo build --release --locked -p cxm-app -p cxm-cli "${FEATURES[@]}"
APP_BIN="$RELEASE/cx-maturity"
CLI_BIN="$RELEASE/cxm"
"$CLI_BIN" --version >/dev/null || die "$CLI_BIN --version failed"

say "files for the packages: licences, man page, completions"
rm -rf "$FILES"
mkdir -p "$FILES"
bash scripts/licences.sh "$FILES"
[ -s "$FILES/THIRD-PARTY-LICENSES.html" ] || die "scripts/licences.sh wrote no $FILES/THIRD-PARTY-LICENSES.html"
"$CLI_BIN" manpage >"$FILES/cxm.1"
grep -q '^\.TH' "$FILES/cxm.1" || die "'cxm manpage' printed no man page (no .TH line)"
gzip -9n "$FILES/cxm.1"
for shell in bash zsh fish; do
  "$CLI_BIN" completions "$shell" >"$FILES/cxm.$shell"
  [ -s "$FILES/cxm.$shell" ] || die "'cxm completions $shell' printed nothing"
done

say "dependencies read from the binaries"
# Debian: dpkg-shlibdeps maps each linked library to the runtime package and the lowest
# version with the symbols used (libc6 (>= 2.34), libwebkit2gtk-4.1-0 (>= …), …), as a
# package built by Debian's own tools would declare. It wants a debian/control.
shlibs="$WORK/shlibdeps"
rm -rf "$shlibs"
mkdir -p "$shlibs/debian"
printf 'Source: cx-maturity\n\nPackage: cx-maturity\nArchitecture: any\n' >"$shlibs/debian/control"
DEB_DEPENDS=$(cd "$shlibs" && dpkg-shlibdeps -O -e"$APP_BIN" -e"$CLI_BIN" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$DEB_DEPENDS" ] || die "dpkg-shlibdeps found no dependencies of $APP_BIN"
# RPM: the sonames and symbol versions, as rpmbuild's own elfdeps writes them.
RPM_REQUIRES=$(/usr/lib/rpm/elfdeps --requires "$APP_BIN" "$CLI_BIN" | sort -u)
[ -n "$RPM_REQUIRES" ] || die "elfdeps found no requirements of $APP_BIN"
echo "deb Depends: $DEB_DEPENDS"
echo "rpm Requires: $(echo "$RPM_REQUIRES" | tr '\n' ' ')"

say "the bundler's project folder: $PROJECT"
rm -rf "$PROJECT"
mkdir -p "$PROJECT"
ln -s "$ROOT/tauri.conf.json" "$PROJECT/tauri.conf.json"
ln -s "$ROOT/icons" "$PROJECT/icons"
ln -s "$ROOT/packaging" "$PROJECT/packaging"
cat >"$PROJECT/Cargo.toml" <<EOF
# Written by scripts/package.sh for \`cargo tauri bundle\` only: the binaries the bundler
# packs (already built by cargo from the workspace in $ROOT). Never compiled.
[package]
name = "cx-maturity"
version = "$VERSION"
edition = "2024"
publish = false

[[bin]]
name = "cx-maturity"
path = "$ROOT/src-tauri/src/main.rs"

[[bin]]
name = "cxm"
path = "$ROOT/crates/cxm-cli/src/main.rs"

[workspace]
EOF

# Merged over tauri.conf.json. Debian keeps zsh completions of packages in
# vendor-completions, Fedora in site-functions; the rest is the same in both.
python3 - "$PROJECT/package.conf.json" "$FILES" "$ROOT" "$DEB_DEPENDS" "$RPM_REQUIRES" <<'EOF'
import json, sys
out, files, root, deb_depends, rpm_requires = sys.argv[1:]
common = {
    "/usr/share/doc/cx-maturity/THIRD-PARTY-LICENSES.html": f"{files}/THIRD-PARTY-LICENSES.html",
    "/usr/share/doc/cx-maturity/LICENSE": f"{root}/LICENSE",
    "/usr/share/man/man1/cxm.1.gz": f"{files}/cxm.1.gz",
    "/usr/share/bash-completion/completions/cxm": f"{files}/cxm.bash",
    "/usr/share/fish/vendor_completions.d/cxm.fish": f"{files}/cxm.fish",
}
deb_files = dict(common)
deb_files["/usr/share/zsh/vendor-completions/_cxm"] = f"{files}/cxm.zsh"
# Debian policy 12.5: every package has /usr/share/doc/<package>/copyright.
deb_files["/usr/share/doc/cx-maturity/copyright"] = f"{root}/LICENSE"
rpm_files = dict(common)
rpm_files["/usr/share/zsh/site-functions/_cxm"] = f"{files}/cxm.zsh"
config = {
    "bundle": {
        "linux": {
            "deb": {"depends": deb_depends.split(", "), "files": deb_files},
            "rpm": {"depends": rpm_requires.split("\n"), "files": rpm_files},
        }
    }
}
with open(out, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
EOF

say "cargo tauri bundle --bundles deb,rpm"
(
  cd "$PROJECT"
  TAURI_APP_PATH="$PROJECT" TAURI_FRONTEND_PATH="$ROOT/ui" \
    "$CARGO_TAURI" tauri bundle --ci --bundles deb,rpm --config "$PROJECT/package.conf.json"
)

# The bundler names the files after productName ("CX Maturity", with a space); the
# packages themselves are called cx-maturity. Copy them out under that name.
DEB_ARCH=$(dpkg --print-architecture)
RPM_ARCH=$(uname -m)
mkdir -p "$OUT_DIR"
DEB="$OUT_DIR/cx-maturity_${VERSION}_${DEB_ARCH}.deb"
RPM="$OUT_DIR/cx-maturity-${VERSION}-1.${RPM_ARCH}.rpm"
cp "$RELEASE/bundle/deb/CX Maturity_${VERSION}_${DEB_ARCH}.deb" "$DEB"
cp "$RELEASE/bundle/rpm/CX Maturity-${VERSION}-1.${RPM_ARCH}.rpm" "$RPM"

say "packages"
ls -l "$DEB" "$RPM"
printf '%s: %s\n' "$(basename "$DEB")" "$(du -h --apparent-size "$DEB" | cut -f1)" \
  "$(basename "$RPM")" "$(du -h --apparent-size "$RPM" | cut -f1)"
echo "deb: $DEB"
echo "rpm: $RPM"
