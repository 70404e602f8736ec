#!/usr/bin/env python3
"""Writes THIRD-PARTY-LICENSES.html, CX Maturity's licence notice (scripts/licences.sh).

Its inputs are already checked against the allow-list of about.toml: cargo-about's JSON
for each shipped Rust graph (the app, the cxm command), the npm notice the UI's build
writes (ui/dist/licences-npm.json) and fonts.toml. This script merges them into one page:
the project's own licence first, then the Rust crates by licence, each licence text with
the crates it covers, then the npm packages bundled into the interface, then the fonts.
It refuses what would make an unreadable or incomplete notice (a crate without a text,
an empty text, an npm notice built against another allow-list, a font file no entry of
fonts.toml covers) with what and where.
"""

import argparse
import fnmatch
import html
import json
import os
import sys
import tomllib
from pathlib import Path

TITLE = "CX Maturity — third-party licences"
# Top-level keys of cargo-about's configuration; every other table names a crate.
ABOUT_KEYS = {
    "accepted",
    "targets",
    "ignore-build-dependencies",
    "ignore-dev-dependencies",
    "ignore-transitive-dependencies",
    "private",
    "workarounds",
    "max-depth",
    "filter-noassertion",
}
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
SKIP_DIRS = {".git", "node_modules", "target", "dist"}
# Licences whose terms the page explains next to their name.
NOTES = {
    "MPL-2.0": (
        "The Mozilla Public License is a file-level copyleft: the files of these crates stay "
        "under it, and their source code is available, unmodified, from crates.io at the "
        "links given (CX Maturity does not change them)."
    ),
}

CSS = """
:root { color-scheme: light dark; }
body { font-family: system-ui, sans-serif; line-height: 1.45; margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.7rem; margin-bottom: .25rem; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #8884; padding-bottom: .25rem; }
h3 { margin-top: 2rem; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: .2rem 1rem .2rem 0; }
td.n { text-align: right; }
.block { margin: 1rem 0 1.5rem; }
.users { margin: .25rem 0; }
.users a { white-space: nowrap; }
.note { font-style: italic; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem;
      background: #8881; padding: .75rem; border-radius: 4px; }
summary { cursor: pointer; }
"""


def fail(message):
    print(f"licence notice: {message}", file=sys.stderr)
    sys.exit(1)


def read_text(path, what):
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except OSError as e:
        fail(f"cannot read {what} {path}: {e.strerror}")
    if not text:
        fail(f"{what} {path} is empty")
    return text


def esc(text):
    return html.escape(text, quote=True)


def anchor(text):
    return "".join(c if c.isalnum() else "-" for c in text).strip("-").lower()


def copyright_line(text):
    """ ": Copyright …" from a licence text's first copyright line, or nothing."""
    for line in text.splitlines():
        line = line.strip(" \t*#/-")
        if line.lower().startswith(("copyright (c)", "copyright ©", "copyright 1", "copyright 2")):
            return f": {line[:120]}{'…' if len(line) > 120 else ''}"
    return ""


def crate_link(name, version):
    return (
        f'<a href="https://crates.io/crates/{esc(name)}/{esc(version)}">'
        f"{esc(name)}&nbsp;{esc(version)}</a>"
    )


def npm_link(name, version):
    return (
        f'<a href="https://www.npmjs.com/package/{esc(name)}/v/{esc(version)}">'
        f"{esc(name)}&nbsp;{esc(version)}</a>"
    )


def read_json(path, what):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        fail(f"cannot read {what} {path}: {e}")


def load_rust(graph_paths, texts_path):
    """The shipped crates (each graph's JSON from the check) and their licence texts
    (the scan of the workspace's graph, which holds them): {(id, text): entry}."""
    crates = {}
    for path in graph_paths:
        for c in read_json(path, "cargo-about's output")["crates"]:
            pkg = c["package"]
            crates[(pkg["name"], pkg["version"])] = pkg
    texts = {}
    names = {}
    listed = set()
    for lic in read_json(texts_path, "cargo-about's output")["licenses"]:
        lid, text = lic["id"], (lic["text"] or "").strip()
        users = {(u["crate"]["name"], u["crate"]["version"]) for u in lic["used_by"]} & crates.keys()
        if not users:
            continue  # only the development server's or the benchmarks' crates
        if not text:
            fail(f"{texts_path}: the {lid} text of {', '.join(map(' '.join, sorted(users)))} is empty")
        names[lid] = lic["name"]
        entry = texts.setdefault((lid, text), {"id": lid, "text": text, "standard": True, "crates": set()})
        entry["standard"] = entry["standard"] and lic["source_path"] is None
        entry["crates"].update(users)
        listed.update(users)
    for key in sorted(crates.keys() - listed):
        fail(f"crate {key[0]} {key[1]} ({crates[key]['license']}) has no licence text in {texts_path}")
    return texts, names, crates


def crate_tables(about):
    return sorted(k for k in about if k not in ABOUT_KEYS)


def load_npm(path, accepted, config):
    data = read_json(path, "the npm notice (npm run build in ui/ writes it)")
    if data.get("accepted") != accepted:
        fail(
            f"{path} was checked against another allow-list ({', '.join(data.get('accepted') or [])}) "
            f"than {config}: run `npm run build` in ui/"
        )
    for p in data["packages"]:
        if not p["files"] or not all(f["text"].strip() for f in p["files"]):
            fail(f"{path}: npm package {p['name']} {p['version']} has no licence text")
    return data["packages"]


def load_fonts(path, root):
    fonts = tomllib.loads(read_text(path, "the font list"))["font"]
    patterns = []
    for font in fonts:
        for key in ("name", "used", "licence", "files", "text"):
            if key not in font:
                fail(f"{path}: a [[font]] entry has no `{key}`")
        font["body"] = read_text(root / font["text"], f"the licence of {font['name']}")
        patterns.extend(font["files"])
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for f in files:
            if f.lower().endswith(FONT_SUFFIXES):
                rel = (Path(folder) / f).relative_to(root).as_posix()
                if not any(fnmatch.fnmatch(rel, p) for p in patterns):
                    fail(f"font {rel} is in the repository but {path} names no licence for it")
    return fonts


def licence_sections(texts, names, order):
    """The Rust part: one section per licence, one block per distinct text."""
    by_id = {}
    for entry in texts.values():
        by_id.setdefault(entry["id"], []).append(entry)
    ids = sorted(by_id, key=lambda i: (order.index(i) if i in order else len(order), i))
    out = []
    for lid in ids:
        entries = sorted(by_id[lid], key=lambda e: sorted(e["crates"])[0])
        count = len(set().union(*(e["crates"] for e in entries)))
        out.append(
            f'<h3 id="rust-{anchor(lid)}">{esc(names[lid])} ({esc(lid)}): '
            f"{count} crate{'s' if count != 1 else ''}</h3>"
        )
        if lid in NOTES:
            out.append(f'<p class="note">{esc(NOTES[lid])}</p>')
        for e in entries:
            users = ", ".join(crate_link(n, v) for n, v in sorted(e["crates"]))
            remark = (
                "The standard text of the licence: cargo-about found no copy of it in "
                "these crates (their copyright holders are their authors: see each "
                "crate's page)."
                if e["standard"]
                else f"Licence text{copyright_line(e['text'])}"
            )
            out.append(
                '<div class="block">'
                f'<p class="users">{users}</p>'
                f"<details><summary>{esc(remark)}</summary><pre>{esc(e['text'])}</pre></details>"
                "</div>"
            )
    return ids, out


def npm_sections(packages):
    by_expr = {}
    for p in packages:
        by_expr.setdefault(p["license"], []).append(p)
    out = []
    for expr in sorted(by_expr):
        pkgs = by_expr[expr]
        out.append(
            f'<h3 id="npm-{anchor(expr)}">{esc(expr)}: {len(pkgs)} package{"s" if len(pkgs) != 1 else ""}</h3>'
        )
        for p in pkgs:
            files = "".join(
                f"<details><summary>{esc(f['file'] + copyright_line(f['text']))}</summary>"
                f"<pre>{esc(f['text'])}</pre></details>"
                for f in p["files"]
            )
            out.append(f'<div class="block"><p class="users">{npm_link(p["name"], p["version"])}</p>{files}</div>')
    return sorted(by_expr), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", required=True, type=Path, help="the repository")
    ap.add_argument("--config", required=True, type=Path, help="cargo-about's about.toml")
    ap.add_argument("--graph", required=True, action="append", help="cargo-about's JSON of a shipped graph (repeat)")
    ap.add_argument("--texts", required=True, help="cargo-about's JSON of the workspace, with the texts")
    ap.add_argument("--npm", required=True, type=Path, help="ui/dist/licences-npm.json")
    ap.add_argument("--fonts", required=True, type=Path, help="fonts.toml")
    ap.add_argument("--targets", required=True, help="the target triples, for the page")
    ap.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    args = ap.parse_args()

    about = tomllib.loads(read_text(args.config, "cargo-about's configuration"))
    accepted = about["accepted"]
    version = tomllib.loads(read_text(args.root / "Cargo.toml", "the workspace manifest"))[
        "workspace"
    ]["package"]["version"]
    own = read_text(args.root / "LICENSE", "the project's licence")

    texts, names, crates = load_rust(args.graph, args.texts)
    for name in crate_tables(about):
        if not any(n == name for n, _ in crates):
            print(
                f"warning: {args.config} configures [{name}], which no shipped crate is: remove it",
                file=sys.stderr,
            )
    packages = load_npm(args.npm, accepted, args.config)
    fonts = load_fonts(args.fonts, args.root)

    rust_ids, rust_html = licence_sections(texts, names, accepted)
    npm_exprs, npm_html = npm_sections(packages)

    counts = {}
    for e in texts.values():
        counts.setdefault(e["id"], set()).update(e["crates"])
    overview = "".join(
        f'<tr><td><a href="#rust-{anchor(i)}">{esc(names[i])}</a></td><td>{esc(i)}</td>'
        f'<td class="n">{len(counts[i])}</td></tr>'
        for i in rust_ids
    )
    npm_overview = "".join(
        f'<tr><td><a href="#npm-{anchor(x)}">{esc(x)}</a></td><td class="n">'
        f"{sum(1 for p in packages if p['license'] == x)}</td></tr>"
        for x in npm_exprs
    )
    font_html = "".join(
        f'<h3 id="font-{anchor(f["name"])}">{esc(f["name"])}</h3>'
        f"<p>{esc(f['used'])}. Licence: {esc(f['licence'])}.</p>"
        f"<details><summary>{esc(Path(f['text']).name)}</summary><pre>{esc(f['body'])}</pre></details>"
        for f in fonts
    )

    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(TITLE)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>{esc(TITLE)}</h1>
<p>CX Maturity {esc(version)} — the desktop app <code>cx-maturity</code> and the command
<code>cxm</code> — is free software under the MIT licence below. It is built with
{len(crates)} Rust crates (for {esc(args.targets)}), {len(packages)} npm packages bundled
into the app's interface, and {len(fonts)} fonts. Each is used under the licence named
here, whose text follows; where a component offers a choice of licences, the one it is
used under is the one it is listed under. Open a text with its name.</p>
<ul>
<li><a href="#cx-maturity">CX Maturity's licence</a></li>
<li><a href="#rust">Rust crates</a> ({len(crates)})</li>
<li><a href="#npm">npm packages in the interface</a> ({len(packages)})</li>
<li><a href="#fonts">Fonts</a> ({len(fonts)})</li>
</ul>

<h2 id="cx-maturity">CX Maturity's licence</h2>
<pre>{esc(own)}</pre>

<h2 id="rust">Rust crates</h2>
<table>
<thead><tr><th>Licence</th><th>SPDX</th><th>Crates</th></tr></thead>
<tbody>{overview}</tbody>
</table>
{"".join(rust_html)}

<h2 id="npm">npm packages in the interface</h2>
<p>The packages whose code is bundled into the app's interface (the build tools are not
shipped and not listed).</p>
<table>
<thead><tr><th>Licence</th><th>Packages</th></tr></thead>
<tbody>{npm_overview}</tbody>
</table>
{"".join(npm_html)}

<h2 id="fonts">Fonts</h2>
{font_html}
</main>
</body>
</html>
"""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(args.out)
    summary = ", ".join(f"{i} {len(counts[i])}" for i in rust_ids)
    npm_summary = ", ".join(
        f"{x} {sum(1 for p in packages if p['license'] == x)}" for x in npm_exprs
    )
    print(f"Rust crates: {len(crates)} ({summary})")
    print(f"npm packages: {len(packages)} ({npm_summary})")
    print(f"fonts: {len(fonts)}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
