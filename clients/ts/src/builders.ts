// Builders for the staker's and the crank's instructions: the generated ones with every account
// the program fixes filled in from the pool's addresses (under the pool's own program id, which
// the generated defaults do not follow) and token accounts defaulting to the associated ones.
import { AccountRole, type Address, type Instruction, type TransactionSigner } from '@solana/kit';
import {
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  TOKEN_2022_PROGRAM_ADDRESS,
  tokenAccountAddress,
  validatorAddresses,
  type PoolAddresses,
} from './addresses';
import {
  getClaimTicketInstruction,
  getCollectStakeTipsInstruction,
  getDepositSolInstruction,
  getDepositStakeInstruction,
  getDistributeInstruction,
  getMintTreasurySharesInstruction,
  getOrderUnstakeInstruction,
  getRebalanceInstruction,
  getScoreValidatorInstruction,
  getTransferTicketInstruction,
  getUpdatePoolInstruction,
  getUpdateValidatorsInstruction,
  getWithdrawSolInstruction,
  getWithdrawStakeInstruction,
} from './generated/instructions';
import type { ValidatorEntry } from './generated/types';

const TRANSIENT_NONE = 0;
const SYSTEM_PROGRAM_ADDRESS = '11111111111111111111111111111111' as Address;

function program(pool: PoolAddresses) {
  return { programAddress: pool.programAddress };
}

/** The token account given, else the holder's associated one. */
async function tokenAccountOf(pool: PoolAddresses, holder: TransactionSigner, given?: Address): Promise<Address> {
  return given ?? (await tokenAccountAddress(holder.address, pool.mint));
}

export async function depositSol(
  pool: PoolAddresses,
  input: { depositor: TransactionSigner; lamports: bigint; minSharesOut: bigint; depositorToken?: Address },
): Promise<Instruction> {
  const depositorToken = await tokenAccountOf(pool, input.depositor, input.depositorToken);
  return getDepositSolInstruction({ ...pool, ...input, depositorToken }, program(pool));
}

export async function withdrawSol(
  pool: PoolAddresses,
  input: { owner: TransactionSigner; shares: bigint; minLamportsOut: bigint; ownerToken?: Address },
): Promise<Instruction> {
  const ownerToken = await tokenAccountOf(pool, input.owner, input.ownerToken);
  return getWithdrawSolInstruction({ ...pool, ...input, ownerToken }, program(pool));
}

/** Deposits an active stake account delegated to `vote`, the list's entry `validatorIndex`,
 * whose authorities the depositor handed to the pool's authority earlier in the transaction. */
export async function depositStake(
  pool: PoolAddresses,
  input: {
    depositor: TransactionSigner;
    stakeAccount: Address;
    vote: Address;
    validatorIndex: number;
    minSharesOut: bigint;
    depositorToken?: Address;
  },
): Promise<Instruction> {
  const { validatorStake } = await validatorAddresses(pool, input.vote);
  const depositorToken = await tokenAccountOf(pool, input.depositor, input.depositorToken);
  return getDepositStakeInstruction({ ...pool, ...input, validatorStake, depositorToken }, program(pool));
}

/** Withdraws stake from `vote`, the list's entry `validatorIndex`, into `destinationStake`, a
 * stake account the owner created earlier in the transaction. */
export async function withdrawStake(
  pool: PoolAddresses,
  input: {
    owner: TransactionSigner;
    vote: Address;
    destinationStake: Address;
    validatorIndex: number;
    shares: bigint;
    minLamportsOut: bigint;
    ownerToken?: Address;
  },
): Promise<Instruction> {
  const { validatorStake } = await validatorAddresses(pool, input.vote);
  const ownerToken = await tokenAccountOf(pool, input.owner, input.ownerToken);
  return getWithdrawStakeInstruction({ ...pool, ...input, validatorStake, ownerToken }, program(pool));
}

/** Exchanges `shares` for an unstake ticket at `ticket`, a new keypair that signs. */
export async function orderUnstake(
  pool: PoolAddresses,
  input: { owner: TransactionSigner; ticket: TransactionSigner; shares: bigint; ownerToken?: Address },
): Promise<Instruction> {
  const ownerToken = await tokenAccountOf(pool, input.owner, input.ownerToken);
  return getOrderUnstakeInstruction({ ...pool, ...input, ownerToken }, program(pool));
}

export function claimTicket(pool: PoolAddresses, input: { owner: TransactionSigner; ticket: Address }): Instruction {
  return getClaimTicketInstruction({ ...pool, ...input }, program(pool));
}

export function transferTicket(
  pool: PoolAddresses,
  input: { owner: TransactionSigner; ticket: Address; newOwner: Address },
): Instruction {
  return getTransferTicketInstruction({ ...pool, ...input }, program(pool));
}

/** The crank's update of `entries`, the list's entries from `startIndex` on, as they are now:
 * each passes its stake account, and its transient stake account when it has one. */
export function updateValidators(
  pool: PoolAddresses,
  input: { startIndex: number; entries: ValidatorEntry[] },
): Instruction {
  const instruction = getUpdateValidatorsInstruction(
    { ...pool, startIndex: input.startIndex, count: input.entries.length },
    program(pool),
  );
  const stakeAccounts = input.entries.flatMap((entry) =>
    entry.transientState.value === TRANSIENT_NONE
      ? [entry.validatorStake]
      : [entry.validatorStake, entry.transientStake],
  );
  return {
    ...instruction,
    accounts: [
      ...instruction.accounts,
      ...stakeAccounts.map((address) => ({ address, role: AccountRole.WRITABLE })),
    ],
  };
}

export function updatePool(pool: PoolAddresses): Instruction {
  return getUpdatePoolInstruction(pool, program(pool));
}

export function mintTreasuryShares(pool: PoolAddresses, treasury: Address): Instruction {
  return getMintTreasurySharesInstruction({ ...pool, treasury }, program(pool));
}

/** Scores the validator; `tipDistribution`, its Jito tip-distribution account of this epoch or
 * the last (`tipDistributionAddress`), when it has one, so the score reads its declared commission. */
export async function scoreValidator(
  pool: PoolAddresses,
  input: { vote: Address; validatorIndex: number; tipDistribution?: Address },
): Promise<Instruction> {
  const { mevVault } = await validatorAddresses(pool, input.vote);
  const instruction = getScoreValidatorInstruction(
    { ...pool, vote: input.vote, validatorIndex: input.validatorIndex, mevVault },
    program(pool),
  );
  if (!input.tipDistribution) return instruction;
  return {
    ...instruction,
    accounts: [...instruction.accounts, { address: input.tipDistribution, role: AccountRole.READONLY }],
  };
}

/** Collects what reached the validator's stake account above its delegation: its MEV to the stakers. */
export async function collectStakeTips(
  pool: PoolAddresses,
  input: { vote: Address; validatorIndex: number },
): Promise<Instruction> {
  const { mevVault, validatorStake } = await validatorAddresses(pool, input.vote);
  return getCollectStakeTipsInstruction(
    { ...pool, mevVault, validatorStake, validatorIndex: input.validatorIndex },
    program(pool),
  );
}

export async function rebalance(
  pool: PoolAddresses,
  input: { vote: Address; validatorIndex: number },
): Promise<Instruction> {
  const validator = await validatorAddresses(pool, input.vote);
  return getRebalanceInstruction({ ...pool, ...validator, ...input }, program(pool));
}

/** Distributes the tips in the validator's tip account (or `vault`, for a pool tip account);
 * `payout` is where the validator's commission goes (any writable account when it has none). */
export async function distribute(
  pool: PoolAddresses,
  input: { vote?: Address; vault?: Address; payout: Address; validatorIndex: number },
): Promise<Instruction> {
  const mevVault = input.vault ?? (input.vote ? (await validatorAddresses(pool, input.vote)).mevVault : undefined);
  if (!mevVault) throw new Error('distribute needs the validator\'s vote account or the tip account');
  return getDistributeInstruction(
    { ...pool, mevVault, payout: input.payout, validatorIndex: input.validatorIndex },
    program(pool),
  );
}

/** Creates `owner`'s associated token account of the pool's token unless it exists (the
 * associated-token program's idempotent create), paid by `payer`. */
export async function createTokenAccount(
  pool: PoolAddresses,
  input: { payer: TransactionSigner; owner: Address },
): Promise<Instruction> {
  const tokenAccount = await tokenAccountAddress(input.owner, pool.mint);
  const CREATE_IDEMPOTENT = 1;
  return {
    programAddress: ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
    accounts: [
      { address: input.payer.address, role: AccountRole.WRITABLE_SIGNER, signer: input.payer },
      { address: tokenAccount, role: AccountRole.WRITABLE },
      { address: input.owner, role: AccountRole.READONLY },
      { address: pool.mint, role: AccountRole.READONLY },
      { address: SYSTEM_PROGRAM_ADDRESS, role: AccountRole.READONLY },
      { address: TOKEN_2022_PROGRAM_ADDRESS, role: AccountRole.READONLY },
    ],
    data: new Uint8Array([CREATE_IDEMPOTENT]),
  } as Instruction;
}

/** A System program transfer: how a searcher tips a validator's tip account. */
export function transferSol(input: { from: TransactionSigner; to: Address; lamports: bigint }): Instruction {
  const TRANSFER = 2;
  const data = new Uint8Array(12);
  const view = new DataView(data.buffer);
  view.setUint32(0, TRANSFER, true);
  view.setBigUint64(4, input.lamports, true);
  return {
    programAddress: SYSTEM_PROGRAM_ADDRESS,
    accounts: [
      { address: input.from.address, role: AccountRole.WRITABLE_SIGNER, signer: input.from },
      { address: input.to, role: AccountRole.WRITABLE },
    ],
    data,
  } as Instruction;
}
