// End to end: `tributary localnet --demo` (the in-process bank over JSON-RPC), driven only
// through this package and @solana/kit, as a dApp would (`./localnet` finds the binary).
import assert from 'node:assert/strict';
import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  address,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  generateKeyPairSigner,
  type Address,
  type KeyPairSigner,
} from '@solana/kit';
import * as client from '../src';
import { startDemo } from './localnet';

const SOL = 1_000_000_000n;
/** What a transaction with one signature costs in fees. */
const FEE = 5_000n;

let localnet: ChildProcess;
let rpc: ReturnType<typeof createSolanaRpc>;
let url: string;
let wallet: KeyPairSigner;
let pool: client.PoolAddresses;
let validators: Address[];

before(async () => {
  const demo = await startDemo();
  localnet = demo.localnet;
  const { ready, keypairPath } = demo;
  url = ready.url;
  rpc = createSolanaRpc(url);
  wallet = await createKeyPairSignerFromBytes(Uint8Array.from(JSON.parse(readFileSync(keypairPath, 'utf8'))));
  assert.equal(wallet.address, ready.demo.wallet);
  pool = await client.poolAddresses(address(ready.demo.pool), address(ready.program_id));
  validators = ready.demo.validators.map((vote: string) => address(vote));
});

after(() => {
  localnet?.kill();
});

const balance = async (account: Address) => (await rpc.getBalance(account).send()).value;

async function advanceEpoch() {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tributaryAdvanceEpochs', params: [1] }),
  });
  const reply = await response.json();
  assert.ok(reply.result, JSON.stringify(reply));
}

/** The crank of a new epoch: every validator updated, then the pool rolled. */
async function crank() {
  const { entries } = await client.fetchValidators(rpc, pool);
  const update = client.updateValidators(pool, { startIndex: 0, entries });
  await client.sendAndConfirm(rpc, wallet, [update, client.updatePool(pool)]);
}

test('a staker deposits, reads the holding as a wallet shows it, withdraws, orders and claims a ticket; tips are distributed', async () => {
  // Deposit 10 SOL at the quoted rate.
  const rate = await client.fetchRate(rpc, pool);
  const deposit = client.depositQuote(rate, 10n * SOL)!;
  const before = await balance(wallet.address);
  // The demo made the wallet's token account already (its fee shares go there): the create is
  // idempotent, and costs rent only when it creates.
  const tokenAccount = await client.tokenAccountAddress(wallet.address, pool.mint);
  const rentBefore = await balance(tokenAccount);
  const deposited = await client.sendAndConfirm(rpc, wallet, [
    await client.createTokenAccount(pool, { payer: wallet, owner: wallet.address }),
    await client.depositSol(pool, { depositor: wallet, lamports: 10n * SOL, minSharesOut: deposit.userShares }),
  ]);
  const event = deposited.events.find((candidate) => candidate.name === 'DepositSolEvent');
  assert.ok(event, deposited.logs.join('\n'));
  assert.equal(event.data.userShares, deposit.userShares);
  assert.equal(event.data.feeShares, deposit.feeShares);
  const holding = await client.fetchHolding(rpc, pool, wallet.address);
  assert.equal(holding.shares, deposit.userShares);
  const rentPaid = (await balance(holding.tokenAccount)) - rentBefore;
  assert.equal(before - (await balance(wallet.address)), 10n * SOL + rentPaid + FEE);
  // A wallet shows the shares scaled to SOL by the ScaledUiAmount multiplier: the share price.
  const shown = Number(holding.uiAmountString);
  const expected = (Number(holding.shares) * client.sharePrice(await client.fetchRate(rpc, pool))) / 1e9;
  assert.ok(Math.abs(shown - expected) < 1e-6, `${holding.uiAmountString} vs ${expected}`);

  // A deposit whose slippage bound the rate cannot meet is refused by name, and nothing moves.
  const beforeRefusal = [await balance(wallet.address), await balance(pool.reserve), holding.shares];
  await assert.rejects(
    client.sendAndConfirm(rpc, wallet, [
      await client.depositSol(pool, { depositor: wallet, lamports: SOL, minSharesOut: SOL }),
    ]),
    (error) => {
      const refused = client.programErrorOf(error);
      assert.equal(refused?.code, client.TRIBUTARY_ERROR__SLIPPAGE_EXCEEDED, String(error));
      assert.match(refused!.message, /slippage/);
      assert.ok(refused!.logs.some((line) => line.endsWith('custom program error: 0x1771')), refused!.logs.join('\n'));
      return true;
    },
  );
  const afterRefusal = [
    await balance(wallet.address),
    await balance(pool.reserve),
    (await client.fetchHolding(rpc, pool, wallet.address)).shares,
  ];
  assert.deepEqual(afterRefusal, beforeRefusal);

  // The landed deposit reads back as a node gives it: the message, and the logs.
  const landed = await rpc
    .getTransaction(deposited.signature, { encoding: 'json', maxSupportedTransactionVersion: 0 })
    .send();
  assert.equal(landed?.transaction.message.accountKeys[0], wallet.address);
  assert.equal(landed?.transaction.signatures[0], deposited.signature);

  // Withdraw a third of the shares as SOL.
  const shares = holding.shares / 3n;
  const withdrawal = client.withdrawalQuote(await client.fetchRate(rpc, pool), shares)!;
  const beforeWithdrawal = await balance(wallet.address);
  await client.sendAndConfirm(rpc, wallet, [
    await client.withdrawSol(pool, { owner: wallet, shares, minLamportsOut: withdrawal.lamports }),
  ]);
  assert.equal((await balance(wallet.address)) - beforeWithdrawal, withdrawal.lamports - FEE);
  assert.equal((await client.fetchHolding(rpc, pool, wallet.address)).shares, holding.shares - shares);

  // Order a ticket for another third; claim it in the next epoch, once cranked.
  const ticket = await generateKeyPairSigner();
  const owed = client.ticketQuote(await client.fetchRate(rpc, pool), shares)!;
  const ordered = await client.sendAndConfirm(rpc, wallet, [
    await client.orderUnstake(pool, { owner: wallet, ticket, shares }),
  ]);
  const order = ordered.events.find((candidate) => candidate.name === 'OrderUnstakeEvent');
  assert.equal(order?.data.lamports, owed.lamports);
  const ticketRent = await balance(ticket.address);
  const tickets = await rpc
    .getProgramAccounts(pool.programAddress, {
      encoding: 'base64',
      filters: [{ memcmp: { offset: 40n, bytes: wallet.address as string as never, encoding: 'base58' } }],
    })
    .send();
  assert.deepEqual(tickets.map((found) => found.pubkey), [ticket.address]);
  await advanceEpoch();
  await crank();
  const beforeClaim = await balance(wallet.address);
  const claimed = await client.sendAndConfirm(rpc, wallet, [client.claimTicket(pool, { owner: wallet, ticket: ticket.address })]);
  assert.ok(claimed.events.some((candidate) => candidate.name === 'ClaimTicketEvent'));
  assert.equal((await balance(wallet.address)) - beforeClaim, owed.lamports + ticketRent - FEE);
  assert.equal(await balance(ticket.address), 0n);

  // A searcher tips a validator's tip account; anyone distributes it.
  const vote = validators[0]!;
  const { mevVault } = await client.validatorAddresses(pool, vote);
  const vaultBefore = await balance(mevVault);
  const searcher = wallet;
  await client.sendAndConfirm(rpc, searcher, [client.transferSol({ from: searcher, to: mevVault, lamports: 2n * SOL })]);
  const distributed = await client.sendAndConfirm(rpc, wallet, [
    await client.distribute(pool, { vote, payout: wallet.address, validatorIndex: 0 }),
  ]);
  const split = distributed.events.find((candidate) => candidate.name === 'DistributeEvent');
  assert.ok(split, distributed.logs.join('\n'));
  const data = split.data as Record<string, bigint>;
  assert.equal(data.toValidator! + data.toProtocol! + data.toStakers!, data.processed);
  // What left the vault: the commission, and what the tip rate cap let reach the reserve.
  const left = data.paidToValidator! + data.releasedToStakers! + data.releasedToProtocol!;
  assert.equal(vaultBefore + 2n * SOL - (await balance(mevVault)), left);
  assert.equal(data.heldBack, data.processed! - left);
  assert.ok(data.processed! > 0n);
});
