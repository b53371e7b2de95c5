// What the browser tests run against: `tributary localnet --demo` (the binary at
// $TRIBUTARY_BIN, else the debug build under $CARGO_TARGET_DIR or the workspace's target/), the
// production build in dist/ served on a free port, and Debian's Chromium ($CHROMIUM, else
// /usr/bin/chromium) driven by playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { registerTestWallet } from './wallet.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspace = join(root, '..', '..');
const binary =
  process.env.TRIBUTARY_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(workspace, 'target'), 'debug', 'tributary');

/** A running demo localnet: its first line (url, demo pool and wallet) and the wallet's keypair. */
export async function startLocalnet() {
  if (!existsSync(binary)) throw new Error(`no ${binary}: build it with \`cargo build --bin tributary\` or set TRIBUTARY_BIN`);
  const wallet = join(mkdtempSync(join(tmpdir(), 'tributary-web-')), 'wallet.json');
  const process_ = spawn(binary, ['localnet', '--listen', '127.0.0.1:0', '--output', 'json-compact', '--demo', wallet], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    process_.once('error', reject);
    process_.once('exit', (code) => reject(new Error(`tributary localnet exited with ${code}`)));
    createInterface({ input: process_.stdout }).once('line', resolve);
  });
  const ready = JSON.parse(line);
  const secretKey = JSON.parse(readFileSync(wallet, 'utf8'));
  return { process: process_, ready, secretKey };
}

/** The CLI's JSON answer to `args`, against the localnet at `url`. */
export function tributary(url, args) {
  return JSON.parse(execFileSync(binary, ['--url', url, '--output', 'json', ...args], { encoding: 'utf8' }));
}

/** One JSON-RPC call to the localnet. */
export async function rpc(url, method, params = []) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const reply = await response.json();
  if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** dist/ served on a free port of 127.0.0.1; returns the server and its URL. */
export async function serveBuild() {
  const dist = join(root, 'dist');
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = join(dist, path);
    if (!file.startsWith(dist) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** Chromium, headless, with nothing reaching outside this machine. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page at `width`×`height` with the test wallet registered, signing as the demo wallet. */
export async function walletPage(browser, { secretKey, address }, viewport = { width: 1280, height: 900 }, colorScheme = 'light') {
  const context = await browser.newContext({ viewport, colorScheme });
  await context.addInitScript(registerTestWallet, {
    secretKey: secretKey.slice(0, 32),
    publicKey: secretKey.slice(32),
    address,
  });
  return context.newPage();
}

/** Waits until the app has drawn its page from the chain. */
export async function drawn(page) {
  await page.waitForSelector('main[data-ready]', { timeout: 30_000 });
}

export { root };
