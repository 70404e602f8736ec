// Serves the fake-backend build (ui/dist-fake) on 127.0.0.1 and starts Debian's
// Chromium through playwright-core (never a downloaded browser).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../dist-fake/', import.meta.url));
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The fake-backend UI served and Chromium started once per test file (before/after
 * hooks registered here), and `open(query, hash, viewport)`: a new page at
 * `?query#hash` with its page errors collected and a `tid(testId)` locator helper.
 */
export function session({ before, after }) {
  const state = { server: null, chrome: null };
  before(async () => {
    state.server = await serve();
    state.chrome = await browser();
  });
  after(async () => {
    await state.chrome?.close();
    await state.server?.close();
  });
  async function open(query, hash = '', viewport = { width: 1280, height: 800 }) {
    const page = await state.chrome.newPage({ viewport });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.setDefaultTimeout(10_000);
    await page.goto(`${state.server.url}?${query}${hash}`);
    return { page, errors, tid: (id) => page.getByTestId(id) };
  }
  return { open, url: () => state.server.url };
}
