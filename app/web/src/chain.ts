// The cluster and the pool the page shows, and what it reads of them.
import {
  createSolanaRpc,
  fetchEncodedAccounts,
  getBase58Decoder,
  getBase64Encoder,
  type Address,
  type Base58EncodedBytes,
  type Rpc,
  type SolanaRpcApi,
} from '@solana/kit';
import {
  decodeMevVault,
  fetchHolding,
  fetchPoolState,
  fetchRate,
  fetchValidators,
  getUnstakeTicketDecoder,
  getUnstakeTicketDiscriminatorBytes,
  poolAddresses,
  poolTipAccounts,
  validatorAddresses,
  type ListTotals,
  type MevVault,
  type Pool,
  type PoolAddresses,
  type Rate,
  type UnstakeTicket,
  type ValidatorEntry,
} from '@tributary/client';
import type { Settings } from './settings';

export type Chain = {
  rpcUrl: string;
  rpc: Rpc<SolanaRpcApi>;
  pool: PoolAddresses;
  /** The Wallet Standard's name for the cluster. */
  walletChain: string;
};

export async function openChain(settings: Settings & { pool: Address }): Promise<Chain> {
  const host = new URL(settings.rpcUrl).hostname;
  const walletChain = ['127.0.0.1', 'localhost'].includes(host)
    ? 'solana:localnet'
    : (['devnet', 'testnet'].find((name) => settings.rpcUrl.includes(name)) ?? 'mainnet').replace(/^/, 'solana:');
  return {
    rpcUrl: settings.rpcUrl,
    rpc: createSolanaRpc(settings.rpcUrl),
    pool: await poolAddresses(settings.pool, settings.programId),
    walletChain,
  };
}

/** The pool as the pages read it: its state, its rate, the cluster's epoch and its reserve. */
export type PoolView = { state: Pool; rate: Rate; epoch: bigint; reserve: bigint };

export async function readPool(chain: Chain): Promise<PoolView> {
  const [state, rate, info, reserve] = await Promise.all([
    fetchPoolState(chain.rpc, chain.pool),
    fetchRate(chain.rpc, chain.pool),
    chain.rpc.getEpochInfo().send(),
    chain.rpc.getBalance(chain.pool.reserve).send(),
  ]);
  return { state, rate, epoch: info.epoch, reserve: reserve.value };
}

/** What `owner` holds: SOL, and the pool's token as a wallet shows it and in raw shares. */
export async function readHolding(chain: Chain, owner: Address) {
  const [holding, balance] = await Promise.all([
    fetchHolding(chain.rpc, chain.pool, owner),
    chain.rpc.getBalance(owner).send(),
  ]);
  return { ...holding, lamports: balance.value };
}

/** An open ticket, what it is owed now (less its share of any loss since it was ordered), and
 * the epoch it is due. */
export type TicketView = { address: Address; ticket: UnstakeTicket; owed: bigint; dueEpoch: bigint };

/** `owner`'s open tickets, found by their owner (a node that serves getProgramAccounts). */
export async function readTickets(chain: Chain, owner: Address, pool: Pool): Promise<TicketView[]> {
  const base58 = getBase58Decoder();
  const memcmp = (offset: bigint, bytes: string) => ({
    memcmp: { offset, bytes: bytes as Base58EncodedBytes, encoding: 'base58' as const },
  });
  const accounts = await chain.rpc
    .getProgramAccounts(chain.pool.programAddress, {
      encoding: 'base64',
      filters: [
        memcmp(0n, base58.decode(getUnstakeTicketDiscriminatorBytes())),
        memcmp(8n, chain.pool.pool),
        memcmp(40n, owner),
      ],
    })
    .send();
  const base64 = getBase64Encoder();
  const decoder = getUnstakeTicketDecoder();
  return accounts
    .map(({ pubkey, account }) => {
      const ticket = decoder.decode(base64.encode(account.data[0]));
      const owed = pool.ticketUnits === 0n ? 0n : (pool.ticketLamports * ticket.units) / pool.ticketUnits;
      return { address: pubkey, ticket, owed, dueEpoch: ticket.createdEpoch + 1n };
    })
    .sort((a, b) => Number(a.ticket.createdEpoch - b.ticket.createdEpoch));
}

/** A validator of the pool, its entry and its tip account. */
export type ValidatorView = { index: number; entry: ValidatorEntry; vault: MevVault | null; vaultAddress: Address };

/** The validators, and the list's totals (weights, overflow, spare weights) their targets
 * are shares of. */
export async function readValidators(chain: Chain): Promise<{ totals: ListTotals; rows: ValidatorView[] }> {
  const { header, entries } = await fetchValidators(chain.rpc, chain.pool);
  const vaults = await Promise.all(entries.map((entry) => validatorAddresses(chain.pool, entry.vote)));
  const accounts = await fetchEncodedAccounts(
    chain.rpc,
    vaults.map((addresses) => addresses.mevVault),
  );
  const rows = entries.map((entry, index) => {
    const account = accounts[index];
    return {
      index,
      entry,
      vault: account?.exists ? decodeMevVault(account).data : null,
      vaultAddress: vaults[index].mevVault,
    };
  });
  return { totals: header.totals, rows };
}

/** The pool's own tip accounts: each one's address, and its state once it exists. */
export async function readPoolTips(chain: Chain): Promise<{ address: Address; vault: MevVault | null }[]> {
  const addresses = await poolTipAccounts(chain.pool);
  const accounts = await fetchEncodedAccounts(chain.rpc, addresses);
  return addresses.map((address, index) => {
    const account = accounts[index];
    return { address, vault: account?.exists ? decodeMevVault(account).data : null };
  });
}
