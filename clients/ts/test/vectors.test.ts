// Golden vectors written by the Rust client (app/client/tests/golden_vectors.rs): every instruction's
// bytes and account metas, and the program's quotes, must come out the same here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AccountRole, address, createNoopSigner, type Address, type Instruction } from '@solana/kit';
import * as client from '../src';

type Meta = { address: string; signer: boolean; writable: boolean };
type Case = { instruction: string; args: Record<string, unknown>; programId: string; data: string; accounts: Meta[] };
type Vectors = { inputs: Record<string, string>; cases: Case[]; quotes: Record<string, any>[] };

const root = join(__dirname, '..', '..');
const vectors: Vectors = JSON.parse(readFileSync(join(root, 'test', 'vectors.json'), 'utf8'));
const idl = JSON.parse(readFileSync(join(root, '..', '..', 'idl', 'tributary.json'), 'utf8'));
const inputs = Object.fromEntries(Object.entries(vectors.inputs).map(([name, key]) => [name, address(key)]));

const camel = (name: string) => name.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
const pascal = (name: string) => camel(name).replace(/^\w/, (letter) => letter.toUpperCase());
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const role = (meta: Meta) =>
  meta.signer
    ? meta.writable ? AccountRole.WRITABLE_SIGNER : AccountRole.READONLY_SIGNER
    : meta.writable ? AccountRole.WRITABLE : AccountRole.READONLY;

function expectSame(built: Instruction, expected: Case) {
  assert.equal(built.programAddress, expected.programId, expected.instruction);
  assert.equal(hex(built.data as Uint8Array), expected.data, `${expected.instruction}: data`);
  assert.deepEqual(
    (built.accounts ?? []).map((meta) => [meta.address, meta.role]),
    expected.accounts.map((meta) => [meta.address, role(meta)]),
    `${expected.instruction}: accounts`,
  );
}

/** The IDL's accounts of an instruction, nested groups flattened, as Codama names them. */
function accountNames(instruction: string): string[] {
  const flatten = (accounts: any[]): string[] =>
    accounts.flatMap((account) => (account.accounts ? flatten(account.accounts) : [camel(account.name)]));
  return flatten(idl.instructions.find((candidate: any) => candidate.name === instruction).accounts);
}

const byName = (name: string): Case => {
  const found = vectors.cases.find((candidate) => candidate.instruction === name);
  if (!found) throw new Error(`no vector for ${name}`);
  return found;
};

test('every generated builder gives the Rust bytes and account metas', () => {
  assert.equal(vectors.cases.length, idl.instructions.length);
  const generated = client as unknown as Record<string, (...args: any[]) => any>;
  for (const expected of vectors.cases) {
    const name = pascal(expected.instruction);
    const data = hexToBytes(expected.data);
    const { discriminator, ...args } = generated[`get${name}InstructionDataDecoder`]().decode(data);
    assert.ok(discriminator);
    const names = accountNames(expected.instruction);
    const accounts = Object.fromEntries(
      names.map((account, index) => {
        const meta = expected.accounts[index]!;
        const value = meta.signer ? createNoopSigner(address(meta.address)) : address(meta.address);
        return [account, value];
      }),
    );
    const built: Instruction = generated[`get${name}Instruction`](
      { ...accounts, ...args },
      { programAddress: address(expected.programId) },
    );
    // Accounts past the IDL's (the crank's stake accounts) are the caller's to append.
    const remaining = expected.accounts.slice(names.length).map((meta) => ({
      address: address(meta.address),
      role: role(meta),
    }));
    expectSame({ ...built, accounts: [...(built.accounts ?? []), ...remaining] }, expected);
  }
});

test("Codama's defaults fill in every account the program fixes as the Rust client does", async () => {
  // The accounts the generated async builders fill in themselves: derived addresses, programs
  // and sysvars. Given only the others, they must give the Rust bytes and metas.
  const { rootNodeFromAnchor } = await import('@codama/nodes-from-anchor');
  const root = rootNodeFromAnchor(idl);
  const generated = client as unknown as Record<string, (...args: any[]) => any>;
  let defaulted = 0;
  for (const expected of vectors.cases) {
    const name = pascal(expected.instruction);
    const node = root.program.instructions.find((instruction) => instruction.name === camel(expected.instruction))!;
    const { discriminator, ...args } = generated[`get${name}InstructionDataDecoder`]().decode(hexToBytes(expected.data));
    assert.ok(discriminator);
    const accounts: Record<string, unknown> = {};
    node.accounts.forEach((account, index) => {
      const meta = expected.accounts[index]!;
      // Derived addresses, programs and sysvars; a payer's is the caller's choice.
      if (account.defaultValue && ['pdaValueNode', 'publicKeyValueNode'].includes(account.defaultValue.kind)) {
        defaulted += 1;
        return;
      }
      accounts[account.name] = meta.signer ? createNoopSigner(address(meta.address)) : address(meta.address);
    });
    // An instruction with no derived account to resolve has only the synchronous builder.
    const builder = generated[`get${name}InstructionAsync`] ?? generated[`get${name}Instruction`]!;
    const built: Instruction = await builder({ ...accounts, ...args });
    const remaining = expected.accounts.slice(node.accounts.length).map((meta) => ({
      address: address(meta.address),
      role: role(meta),
    }));
    expectSame({ ...built, accounts: [...(built.accounts ?? []), ...remaining] }, expected);
  }
  assert.ok(defaulted > 100, `${defaulted} accounts defaulted`);
});

test("the thin layer's staker and crank builders fill in what the Rust client does", async () => {
  const pool = await client.poolAddresses(inputs.pool, address(byName('deposit_sol').programId));
  const owner = createNoopSigner(inputs.owner);
  const signer = (key: Address) => createNoopSigner(key);
  expectSame(
    await client.depositSol(pool, { depositor: owner, lamports: 1_500_000_000n, minSharesOut: 1_400_000_000n }),
    byName('deposit_sol'),
  );
  expectSame(
    await client.withdrawSol(pool, { owner, shares: 700_000_000n, minLamportsOut: 690_000_000n }),
    byName('withdraw_sol'),
  );
  expectSame(
    await client.depositStake(pool, {
      depositor: owner,
      stakeAccount: inputs.stakeAccount,
      vote: inputs.vote,
      validatorIndex: 2,
      minSharesOut: 5n,
    }),
    byName('deposit_stake'),
  );
  expectSame(
    await client.withdrawStake(pool, {
      owner,
      vote: inputs.vote,
      destinationStake: inputs.destinationStake,
      validatorIndex: 1,
      shares: 3_000_000_000n,
      minLamportsOut: 2_900_000_000n,
    }),
    byName('withdraw_stake'),
  );
  expectSame(
    await client.orderUnstake(pool, { owner, ticket: signer(inputs.ticket), shares: 250_000_000n }),
    byName('order_unstake'),
  );
  expectSame(client.claimTicket(pool, { owner, ticket: inputs.ticket }), byName('claim_ticket'));
  expectSame(
    client.transferTicket(pool, { owner, ticket: inputs.ticket, newOwner: inputs.newOwner }),
    byName('transfer_ticket'),
  );
  const first = await client.validatorAddresses(pool, inputs.vote);
  const second = await client.validatorAddresses(pool, inputs.secondVote);
  const entry = (addresses: typeof first, transient: number) =>
    ({ ...addresses, transientState: { value: transient } }) as unknown as client.ValidatorEntry;
  expectSame(
    client.updateValidators(pool, { startIndex: 4, entries: [entry(first, 1), entry(second, 0)] }),
    byName('update_validators'),
  );
  expectSame(client.updatePool(pool), byName('update_pool'));
  expectSame(client.mintTreasuryShares(pool, inputs.treasury), byName('mint_treasury_shares'));
  expectSame(
    await client.scoreValidator(pool, {
      vote: inputs.vote,
      validatorIndex: 3,
      tipDistribution: await client.tipDistributionAddress(inputs.vote, 42),
    }),
    byName('score_validator'),
  );
  expectSame(
    await client.collectStakeTips(pool, { vote: inputs.vote, validatorIndex: 5 }),
    byName('collect_stake_tips'),
  );
  expectSame(await client.rebalance(pool, { vote: inputs.vote, validatorIndex: 3 }), byName('rebalance'));
  expectSame(
    await client.distribute(pool, { vote: inputs.vote, payout: inputs.payout, validatorIndex: 7 }),
    byName('distribute'),
  );
});

test('quotes round exactly as the program does', () => {
  assert.ok(vectors.quotes.length > 50);
  const strings = (quote: Record<string, bigint> | null) =>
    quote && Object.fromEntries(Object.entries(quote).map(([key, value]) => [key, value.toString()]));
  for (const expected of vectors.quotes) {
    const [total, supply, amount] = [expected.totalLamports, expected.supply, expected.amount].map(BigInt);
    const inputs = JSON.stringify(expected);
    assert.deepEqual(strings(client.quoteDeposit(amount, total, supply, expected.feeBps)), expected.deposit, inputs);
    assert.deepEqual(strings(client.quoteWithdraw(amount, total, supply, expected.feeBps)), expected.withdraw, inputs);
    assert.equal(client.sharesWorthAtLeast(amount, total, supply)?.toString() ?? null, expected.sharesWorthAtLeast, inputs);
  }
});

function hexToBytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'hex'));
}
