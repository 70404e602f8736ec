// The npm half of the third-party licence notice (scripts/licences.sh writes the whole
// notice, THIRD-PARTY-LICENSES.html). rollup-plugin-license sees the packages whose code
// is rendered into a chunk of ui/dist (Svelte's runtime, @tauri-apps/api, …; never the
// build tools) and fails the build when one's licence is outside the allow-list of
// packaging/licences/about.toml, the list cargo-about checks the Rust crates against.
// Each package's own licence files (all of them: a dual-licensed package ships two) are
// written to ui/dist/licences-npm.json, which scripts/licences.sh reads.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import license from 'rollup-plugin-license';

/** The notice's file name inside the build's output folder. */
export const NOTICE_FILE = 'licences-npm.json';

const UI = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_CONFIG = path.join(UI, '..', 'packaging', 'licences', 'about.toml');
// Files a package ships its licence in: LICENSE, LICENSE.md, LICENSE_MIT, COPYING, NOTICE…
const LICENCE_FILE = /^(licen[cs]e|copying|notice)/i;

/**
 * The SPDX ids of the top-level `accepted = [...]` list of cargo-about's configuration
 * (comments removed), in their order.
 * @param {string} configPath
 * @returns {string[]}
 */
export function acceptedLicences(configPath) {
  let text;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the licence allow-list ${configPath}: ${e.message}`);
  }
  const code = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('\n');
  const list = /^accepted\s*=\s*\[([^\]]*)\]/m.exec(code);
  if (!list) throw new Error(`${configPath}: no top-level "accepted = [...]" list of licences`);
  const ids = [...list[1].matchAll(/"([^"]+)"|'([^']+)'/g)].map((m) => m[1] ?? m[2]);
  if (ids.length === 0) throw new Error(`${configPath}: the "accepted" list of licences is empty`);
  return ids;
}

/**
 * The folder of an installed package, from ui/package-lock.json (the folder npm ci makes),
 * so a package installed twice in two versions is read from the right one.
 * @param {any} lock
 * @param {string} name
 * @param {string} version
 * @returns {string}
 */
function packageFolder(lock, name, version) {
  const key = Object.keys(lock.packages ?? {})
    .filter((k) => k === `node_modules/${name}` || k.endsWith(`/node_modules/${name}`))
    .sort()
    .find((k) => lock.packages[k].version === version);
  if (!key) {
    throw new Error(`${name}@${version} is bundled into the UI but ui/package-lock.json does not list it: run npm install`);
  }
  return path.join(UI, key);
}

/**
 * What the notice says of one bundled package.
 * @param {any} lock
 * @param {{name: string, version: string, license: string}} dependency
 */
function noticeEntry(lock, dependency) {
  const { name, version, license: expression } = dependency;
  const folder = packageFolder(lock, name, version);
  const files = fs
    .readdirSync(folder)
    .filter((file) => LICENCE_FILE.test(file) && fs.statSync(path.join(folder, file)).isFile())
    .sort()
    .map((file) => ({ file, text: fs.readFileSync(path.join(folder, file), 'utf8').trim() }))
    .filter((f) => f.text.length > 0);
  if (files.length === 0) {
    throw new Error(
      `${name}@${version} (${expression}) is bundled into the UI but ships no licence file ` +
        `(LICENSE, COPYING, NOTICE…) in ${folder}: the notice needs the licence text with its copyright line`,
    );
  }
  return { name, version, license: expression, files };
}

/**
 * The Vite plugin (build only): the allow-list check and ui/dist/licences-npm.json.
 * `CXM_LICENCES_CONFIG` names another cargo-about configuration (scripts/licences.sh
 * --self-test builds with a copy that lacks a licence in use, and expects a failure).
 * @param {string} [configPath]
 * @returns {import('vite').Plugin}
 */
export function licenceNotice(configPath = process.env.CXM_LICENCES_CONFIG || DEFAULT_CONFIG) {
  const accepted = acceptedLicences(configPath);
  /** @type {{name: string, version: string, license: string}[]} */
  let bundled = [];
  const scanner = license({
    cwd: UI,
    sourcemap: false,
    thirdParty: {
      includePrivate: true,
      allow: { test: `(${accepted.join(' OR ')})`, failOnUnlicensed: true, failOnViolation: true },
      output: (dependencies) => {
        bundled = dependencies;
      },
    },
  });
  return {
    name: 'cxm-licence-notice',
    apply: 'build',
    renderChunk(code, chunk, options) {
      // Records the chunk's packages; the code is left as it is (no banner).
      scanner.renderChunk(code, chunk, options);
      return null;
    },
    generateBundle() {
      try {
        scanner.generateBundle();
      } catch (e) {
        this.error(
          `licence check of the bundled npm packages: ${e.message} ` +
            `The accepted licences (${configPath}): ${accepted.join(', ')}.`,
        );
      }
      const lock = JSON.parse(fs.readFileSync(path.join(UI, 'package-lock.json'), 'utf8'));
      const entries = bundled
        .map((dependency) => noticeEntry(lock, dependency))
        .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
      this.emitFile({
        type: 'asset',
        fileName: NOTICE_FILE,
        source: `${JSON.stringify({ accepted, packages: entries }, null, 2)}\n`,
      });
    },
  };
}
