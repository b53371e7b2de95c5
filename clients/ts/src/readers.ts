// Readers of a pool's accounts: the pool, its validators (the zero-copy list's header and
// entries), its rate, and a holding as a wallet shows it.
import {
  fetchEncodedAccount,
  fetchEncodedAccounts,
  type Address,
  type GetAccountInfoApi,
  type GetMultipleAccountsApi,
  type GetTokenAccountBalanceApi,
  type Rpc,
} from '@solana/kit';
import { tokenAccountAddress, type PoolAddresses } from './addresses';
import { decodePool, fetchPool, getValidatorListDecoder, getValidatorListSize, type Pool, type ValidatorList } from './generated/accounts';
import { getValidatorEntryDecoder, type ValidatorEntry } from './generated/types';
import { releasedBy, type Rate } from './quote';

type ReadRpc = Rpc<GetAccountInfoApi>;

/** The Token-2022 mint's supply sits at the same offset as SPL Token's. */
const MINT_SUPPLY_OFFSET = 36;
const ENTRY_SIZE = 200;

export async function fetchPoolState(rpc: ReadRpc, pool: PoolAddresses): Promise<Pool> {
  return (await fetchPool(rpc, pool.pool)).data;
}

/** The validator list: its header, and its entries in list order (the positions the staker's
 * and the crank's instructions name). */
export async function fetchValidators(
  rpc: ReadRpc,
  pool: PoolAddresses,
): Promise<{ header: ValidatorList; entries: ValidatorEntry[] }> {
  const account = await fetchEncodedAccount(rpc, pool.validatorList);
  if (!account.exists) throw new Error(`no validator list at ${pool.validatorList}`);
  const header = getValidatorListDecoder().decode(account.data);
  const entryDecoder = getValidatorEntryDecoder();
  const start = getValidatorListSize();
  const entries = Array.from({ length: header.validatorCount }, (_, index) =>
    entryDecoder.decode(account.data, start + index * ENTRY_SIZE),
  );
  return { header, entries };
}

/** The Clock sysvar, whose first field is the current slot. */
const CLOCK_SYSVAR = 'SysvarC1ock11111111111111111111111111111111' as Address;

/** The pool's rate: its lamports (with the income the program has released by the current
 * slot, as it prices a deposit or an exit), fees, and share supply (minted, owed to the
 * treasury, locked), read in one call. */
export async function fetchRate(rpc: Rpc<GetMultipleAccountsApi>, pool: PoolAddresses): Promise<Rate> {
  const [poolAccount, mint, clock] = await fetchEncodedAccounts(rpc, [pool.pool, pool.mint, CLOCK_SYSVAR]);
  if (!poolAccount?.exists) throw new Error(`no pool at ${pool.pool}`);
  if (!mint?.exists) throw new Error(`no mint at ${pool.mint}`);
  if (!clock?.exists) throw new Error('the node returned no Clock sysvar');
  const state = decodePool(poolAccount).data;
  const minted = new DataView(mint.data.buffer, mint.data.byteOffset).getBigUint64(MINT_SUPPLY_OFFSET, true);
  const slot = new DataView(clock.data.buffer, clock.data.byteOffset).getBigUint64(0, true);
  const { lamports, fromSlot, untilSlot } = state.release;
  return {
    totalLamports: state.totalLamports + releasedBy(lamports, fromSlot, untilSlot, slot),
    supply: minted + state.pendingTreasuryShares + state.lockedShares,
    fees: state.fees,
  };
}

/** What `owner` holds in its associated token account: the raw shares and the amount a wallet
 * shows (the ScaledUiAmount extension's, in SOL). Zero when it has no account. */
export async function fetchHolding(
  rpc: Rpc<GetAccountInfoApi & GetTokenAccountBalanceApi>,
  pool: PoolAddresses,
  owner: Address,
): Promise<{ tokenAccount: Address; shares: bigint; uiAmountString: string }> {
  const tokenAccount = await tokenAccountAddress(owner, pool.mint);
  const account = await fetchEncodedAccount(rpc, tokenAccount);
  if (!account.exists) return { tokenAccount, shares: 0n, uiAmountString: '0' };
  const { value } = await rpc.getTokenAccountBalance(tokenAccount).send();
  return { tokenAccount, shares: BigInt(value.amount), uiAmountString: value.uiAmountString };
}
