// The web app in a real Chromium against `tributary localnet --demo`, signing through a test
// wallet registered with the Wallet Standard: a staker's whole round trip, a refusal that moves
// nothing, every page's screenshots at desktop and phone widths, and an accessibility check.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { drawn, launchBrowser, root, rpc, serveBuild, startLocalnet, tributary, walletPage } from './harness.js';

const SOL = 1_000_000_000;
const FEE = 5_000;
/** An unstake ticket's account: discriminator, pool, owner, lamports, units, epoch. */
const TICKET_BYTES = 8 + 32 + 32 + 8 + 8 + 8;
let localnet;
let site;
let browser;

before(async () => {
  localnet = await startLocalnet();
  site = await serveBuild();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  site?.server.close();
  localnet?.process.kill();
});

const appUrl = (hash) => `${site.url}/?rpc=${encodeURIComponent(localnet.ready.url)}${hash}`;
const balance = async (address) => (await rpc(localnet.ready.url, 'getBalance', [address])).value;
const tokenAmount = async (account) =>
  BigInt((await rpc(localnet.ready.url, 'getTokenAccountBalance', [account])).value.amount);
const exists = async (account) => (await rpc(localnet.ready.url, 'getAccountInfo', [account, { encoding: 'base64' }])).value !== null;

/** The page's notice once it says something; fails on a refusal unless `refused`. */
async function notice(page, refused = false) {
  const element = await page.waitForSelector(refused ? '.notice.error' : '.notice.ok, .notice.error', { timeout: 60_000 });
  const text = await element.textContent();
  assert.equal(await element.evaluate((node) => node.classList.contains('error')), refused, text);
  return text;
}

/** Each link of the bar, and the title its page's draw sets as it starts. */
const TITLES = { Stake: 'Stake', Validators: 'Validators', Operator: 'The pool' };

/** Follows the bar's link to a page and waits until that page is drawn. */
async function go(page, name) {
  await page.getByRole('link', { name, exact: true }).click();
  await page.waitForFunction(
    (title) => document.title.startsWith(`${title} ·`) && document.querySelector('main[data-ready]') !== null,
    TITLES[name],
  );
}

async function advanceAndCrank(page) {
  await rpc(localnet.ready.url, 'tributaryAdvanceEpochs', [1]);
  await go(page, 'Operator');
  await page.getByRole('button', { name: 'Crank now' }).click();
  const said = await notice(page);
  console.log(said);
  return said;
}

test('a staker deposits, unstakes, cranks after an epoch and claims; a deposit past its slippage bound is refused and moves nothing', async () => {
  const { ready, secretKey } = localnet;
  const wallet = ready.demo.wallet;
  const page = await walletPage(browser, { secretKey, address: wallet });
  await page.goto(appUrl('#/stake'));
  await drawn(page);
  await page.getByRole('button', { name: 'Connect Test wallet' }).click();
  await page.waitForSelector('[data-testid=holding-shares]');
  const shares = async () => BigInt(await page.textContent('[data-testid=holding-shares]'));
  const tokenAccount = await page.getAttribute('[data-token-account]', 'data-token-account');

  // A deposit at the quoted shares, to the lamport: the quote shown before signing is what lands.
  const sharesBefore = await shares();
  const solBefore = await balance(wallet);
  const accountRent = (await exists(tokenAccount))
    ? 0
    : await rpc(ready.url, 'getMinimumBalanceForRentExemption', [170]);
  await page.fill('#deposit-amount', '2');
  const quoted = BigInt(await page.getAttribute('[data-testid=deposit-quote] [data-shares]', 'data-shares'));
  assert.match(await page.textContent('[data-testid=deposit-quote]'), /Deposit fee0\.002 SOL \(0\.1%\)/);
  await page.getByRole('button', { name: 'Deposit', exact: true }).click();
  assert.match(await notice(page), /^Deposited 2 SOL for /);
  assert.equal(await shares(), sharesBefore + quoted);
  assert.equal(await tokenAmount(tokenAccount), sharesBefore + quoted);
  assert.equal(solBefore - (await balance(wallet)), 2 * SOL + FEE + accountRent);

  // A ticket for half a SOL's worth: due after the next epoch's crank.
  await page.fill('#unstake-amount', '0.5');
  await page.getByRole('button', { name: 'Order the ticket' }).click();
  assert.match(await notice(page), /^Ticket \w+ ordered/);
  const row = page.locator('section[aria-labelledby=tickets-title] tbody tr');
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /0\.5 SOL.*epoch 0.*epoch 1.*waiting/);

  // The localnet's next epoch; the crank from the page rolls the pool; the ticket is claimed.
  assert.match(await advanceAndCrank(page), /^Crank: rolled into epoch 1/);
  assert.equal(await page.textContent('[data-testid=pool-epoch]'), 'cluster 1, pool 1');
  await go(page, 'Stake');
  const beforeClaim = await balance(wallet);
  await row.getByRole('button', { name: 'Claim' }).click();
  assert.equal(await notice(page), 'Claimed 0.5 SOL.');
  // The claim pays what the ticket is owed and closes it, its rent back to its owner.
  const ticketRent = await rpc(ready.url, 'getMinimumBalanceForRentExemption', [TICKET_BYTES]);
  assert.equal((await balance(wallet)) - beforeClaim, SOL / 2 - FEE + ticketRent);
  assert.equal(await page.locator('section[aria-labelledby=tickets-title] tbody tr').count(), 0);

  // Two epochs on, the stake moved at epoch 1 earns, and its income is released slot by slot:
  // a quote taken before another transaction lands is stale. With no slippage allowed, the
  // program refuses the deposit, and nothing moves.
  await advanceAndCrank(page);
  assert.match(await advanceAndCrank(page), /rolled into epoch 3/);
  await go(page, 'Stake');
  const solHeld = await balance(wallet);
  const sharesHeld = await tokenAmount(tokenAccount);
  await page.fill('#deposit-slippage', '0');
  await page.fill('#deposit-amount', '1');
  await rpc(ready.url, 'requestAirdrop', [ready.demo.validators[0], 1]);
  await page.getByRole('button', { name: 'Deposit', exact: true }).click();
  const refusal = await notice(page, true);
  assert.match(refusal, /^The program refused: The result is below the caller's slippage bound \(SlippageExceeded, error 6001\)\.$/);
  assert.equal(await balance(wallet), solHeld);
  assert.equal(await tokenAmount(tokenAccount), sharesHeld);

  // Each validator's target on the page is the one `tributary show --validator` gives.
  await go(page, 'Validators');
  const rows = page.locator('tr[data-vote]');
  assert.equal(await rows.count(), ready.demo.validators.length);
  for (const vote of ready.demo.validators) {
    const shown = await page.getAttribute(`tr[data-vote="${vote}"] [data-target]`, 'data-target');
    const explained = tributary(ready.url, ['--pool', ready.demo.pool, 'show', '--validator', vote]);
    assert.equal(BigInt(shown), BigInt(explained.target_lamports), vote);
    const rank = await page.textContent(`tr[data-vote="${vote}"] td:first-child`);
    assert.equal(Number(rank), explained.rank, vote);
  }
  await page.context().close();
});

test("the operator's wallet sets the strategy from the page; a refused change is said and moves nothing", async () => {
  const page = await walletPage(browser, { secretKey: localnet.secretKey, address: localnet.ready.demo.wallet });
  await page.goto(appUrl('#/operator'));
  await drawn(page);
  await page.getByRole('button', { name: 'Connect Test wallet' }).click();
  await page.waitForSelector('#strategy-cap');
  await page.fill('#strategy-cap', '4000');
  await page.getByRole('button', { name: 'Set the strategy' }).click();
  assert.equal(await notice(page), 'The strategy is set.');
  // The pool's own tip accounts are the ones the CLI names.
  const listed = await page.locator('[data-tip-account]').evaluateAll((items) => items.map((item) => item.dataset.tipAccount));
  const shown = tributary(localnet.ready.url, ['--pool', localnet.ready.demo.pool, 'show', '--owner', localnet.ready.demo.wallet]);
  assert.deepEqual(listed, shown.pool_tip_accounts.map((account) => account.address));
  // Drawn again from the chain: the pool's strategy is what was set.
  assert.equal(await page.inputValue('#strategy-cap'), '4000');
  assert.match(await page.textContent('main'), /keeping a buffer/);
  // A cap above the whole pool is out of range: the program's error, and the strategy stays.
  await page.fill('#strategy-cap', '10001');
  await page.getByRole('button', { name: 'Set the strategy' }).click();
  assert.match(await notice(page, true), /^The program refused: A strategy setting is out of range \(InvalidStrategy, error \d+\)\.$/);
  await go(page, 'Stake');
  await go(page, 'Operator');
  assert.equal(await page.inputValue('#strategy-cap'), '4000');
  await page.context().close();
});

test('every page at desktop and phone widths, light and dark: screenshots, and no serious or critical accessibility violation', async () => {
  const folder = join(root, 'screenshots');
  mkdirSync(folder, { recursive: true });
  const axe = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
  for (const scheme of ['light', 'dark']) {
    for (const [size, viewport] of Object.entries(sizes)) {
      const page = await walletPage(browser, { secretKey: localnet.secretKey, address: localnet.ready.demo.wallet }, viewport, scheme);
      await page.goto(appUrl('#/stake'));
      await drawn(page);
      await page.getByRole('button', { name: 'Connect Test wallet' }).click();
      await page.waitForSelector('[data-testid=holding-shares]');
      for (const [name, link] of [['stake', 'Stake'], ['validators', 'Validators'], ['operator', 'Operator']]) {
        await go(page, link);
        await page.waitForTimeout(100); // the charts draw on the next frame
        await page.screenshot({ path: join(folder, `${name}-${size}-${scheme}.png`), fullPage: true });
        await page.addScriptTag({ content: axe });
        const violations = await page.evaluate(async () => {
          const results = await window.axe.run(document, { resultTypes: ['violations'] });
          return results.violations
            .filter((violation) => ['serious', 'critical'].includes(violation.impact))
            .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
        });
        assert.deepEqual(violations, [], `${name} at ${size} width, ${scheme}`);
      }
      await page.context().close();
    }
  }
});

test('measured: the bundle gzipped and the staker page\'s first render', async () => {
  const assets = join(root, 'dist', 'assets');
  const gzipped = readdirSync(assets).reduce((sum, file) => sum + gzipSync(readFileSync(join(assets, file))).length, 0);
  const raw = readdirSync(assets).reduce((sum, file) => sum + statSync(join(assets, file)).size, 0);
  const page = await walletPage(browser, { secretKey: localnet.secretKey, address: localnet.ready.demo.wallet });
  const renders = [];
  for (let run = 0; run < 5; run += 1) {
    await page.goto(appUrl('#/stake'));
    await drawn(page);
    renders.push(await page.evaluate(() => performance.now()));
  }
  renders.sort((a, b) => a - b);
  console.log(`bundle: ${(raw / 1024).toFixed(1)} KiB, ${(gzipped / 1024).toFixed(1)} KiB gzipped; staker page drawn from the localnet in ${renders[2].toFixed(0)} ms (median of 5 loads)`);
  assert.ok(gzipped > 0);
  await page.context().close();
});
