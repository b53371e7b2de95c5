// `tributary localnet --demo` for the tests: the binary is $TRIBUTARY_BIN, else the debug build
// under $CARGO_TARGET_DIR, else under the workspace's target/ (`cargo build --bin tributary`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const workspace = join(__dirname, '..', '..', '..', '..');
export const binary =
  process.env.TRIBUTARY_BIN ??
  join(process.env.CARGO_TARGET_DIR ?? join(workspace, 'target'), 'debug', 'tributary');

/** What the localnet prints first: its URL, program id and demo pool. */
export interface Ready {
  url: string;
  program_id: string;
  demo: { pool: string; wallet: string; validators: string[] };
}

/** A running demo localnet, its first line, and the demo wallet's keypair file. */
export async function startDemo(): Promise<{ localnet: ChildProcess; ready: Ready; keypairPath: string }> {
  if (!existsSync(binary)) {
    throw new Error(`no ${binary}: build it with \`cargo build --bin tributary\` or set TRIBUTARY_BIN`);
  }
  const keypairPath = join(mkdtempSync(join(tmpdir(), 'tributary-demo-')), 'wallet.json');
  const localnet = spawn(binary, ['localnet', '--listen', '127.0.0.1:0', '--output', 'json-compact', '--demo', keypairPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    localnet.once('error', reject);
    localnet.once('exit', (code) => reject(new Error(`tributary localnet exited with ${code}`)));
    createInterface({ input: localnet.stdout! }).once('line', resolve);
  });
  return { localnet, ready: JSON.parse(firstLine), keypairPath };
}
