// README's TypeScript example, as written, in a fresh folder of ES modules with its own
// package.json, run by tsx against `tributary localnet --demo`: what a newcomer copies works.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDemo } from './localnet';

const packageRoot = join(__dirname, '..', '..');
const readme = readFileSync(join(packageRoot, '..', '..', 'README.md'), 'utf8');

/** The fenced block of `language` that follows `marker` in README. */
function block(marker: string, language: string): string {
  const start = readme.indexOf(marker);
  assert.ok(start >= 0, `README has no ${marker}`);
  const open = readme.indexOf('```' + language + '\n', start) + language.length + 4;
  return readme.slice(open, readme.indexOf('```', open));
}

test("README's example runs as written in a fresh folder", async () => {
  const { localnet, ready, keypairPath } = await startDemo();
  try {
    const folder = mkdtempSync(join(tmpdir(), 'tributary-readme-'));
    // What `npm init -y && npm pkg set type=module && npm install <repo>/clients/ts
    // @solana/kit tsx` gives, without the network: the package and its peer, linked.
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'example', type: 'module' }));
    mkdirSync(join(folder, 'node_modules', '@solana'), { recursive: true });
    mkdirSync(join(folder, 'node_modules', '@tributary'));
    symlinkSync(packageRoot, join(folder, 'node_modules', '@tributary', 'client'));
    const kit = join(packageRoot, 'node_modules', '@solana', 'kit');
    symlinkSync(kit, join(folder, 'node_modules', '@solana', 'kit'));
    writeFileSync(join(folder, 'example.ts'), block('`example.ts`:', 'ts'));
    copyFileSync(keypairPath, join(folder, 'demo-wallet.json'));
    const command = block('In a new folder', 'sh').split('\n').find((line) => line.startsWith('npx tsx'));
    assert.equal(command, 'npx tsx example.ts <demo pool address> http://127.0.0.1:8899');
    const tsx = join(packageRoot, 'node_modules', '.bin', 'tsx');
    const printed = execFileSync(tsx, ['example.ts', ready.demo.pool, ready.url], { cwd: folder, encoding: 'utf8' });
    // 1 SOL less the 10 bps deposit fee, at the demo's first rate of 1: 0.999 trSOL.
    assert.equal(printed, '0.999 trSOL (999000000 shares)\n');
  } finally {
    localnet.kill();
  }
});
