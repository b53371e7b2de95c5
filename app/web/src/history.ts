// The pool's recent epochs, from its roll events (`UpdatePoolEvent`) in the transactions that
// named it: the share price after each roll, and where the epoch's growth came from.
import type { Signature } from '@solana/kit';
import { decodeEvents } from '@tributary/client';
import type { Chain } from './chain';

export type Roll = {
  epoch: bigint;
  sharePrice: number;
  /** Staking rewards (and other growth beyond tips), before the epoch fee. */
  rewards: bigint;
  /** Tips counted: the stakers' and the protocol's parts. */
  tips: bigint;
  /** The epoch fee and the protocol's MEV fee. */
  fees: bigint;
  loss: bigint;
};

/** How many of the pool's latest transactions are read for its rolls. */
const TRANSACTIONS_READ = 200;

/** The rolls among the pool's latest transactions, oldest first. */
export async function readRolls(chain: Chain): Promise<Roll[]> {
  const listed = await chain.rpc.getSignaturesForAddress(chain.pool.pool, { limit: TRANSACTIONS_READ }).send();
  const landed = listed.filter((entry) => entry.err === null);
  const transactions = await Promise.all(
    landed.map((entry) =>
      chain.rpc
        .getTransaction(entry.signature as Signature, { encoding: 'json', maxSupportedTransactionVersion: 0 })
        .send(),
    ),
  );
  const rolls: Roll[] = [];
  for (const transaction of transactions) {
    for (const event of decodeEvents(transaction?.meta?.logMessages ?? [])) {
      if (event.name !== 'UpdatePoolEvent') continue;
      const data = event.data as Record<string, bigint | number>;
      rolls.push({
        epoch: BigInt(data.epoch),
        sharePrice: Number(data.sharePrice),
        rewards: BigInt(data.rewards),
        tips: BigInt(data.tips),
        fees: BigInt(data.epochFeeLamports) + BigInt(data.mevFeeLamports),
        loss: BigInt(data.loss),
      });
    }
  }
  return rolls.sort((a, b) => Number(a.epoch - b.epoch));
}

/** Mainnet's epochs in a year: 432,000 slots of about 400 ms, some two days each. */
export const MAINNET_EPOCHS_PER_YEAR = 182.6;

/** The share price's growth per epoch between the first and last roll, and that growth
 * compounded over a year of mainnet's epochs; null with fewer than two rolls. */
export function growth(rolls: Roll[]): { perEpoch: number; yearly: number } | null {
  if (rolls.length < 2) return null;
  const first = rolls[0];
  const last = rolls[rolls.length - 1];
  const epochs = Number(last.epoch - first.epoch);
  if (epochs <= 0 || first.sharePrice <= 0) return null;
  const perEpoch = Math.pow(last.sharePrice / first.sharePrice, 1 / epochs) - 1;
  return { perEpoch, yearly: Math.pow(1 + perEpoch, MAINNET_EPOCHS_PER_YEAR) - 1 };
}
