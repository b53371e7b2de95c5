// What every page has: the settings, the cluster and pool, the connected wallet, and a way to
// say what happened.
import { getBase64EncodedWireTransaction, type Instruction } from '@solana/kit';
import {
  fetchValidators,
  updatePool,
  updateValidators,
  type Landed,
} from '@tributary/client';
import type { Chain } from './chain';
import { explain } from './errors';
import type { Settings } from './settings';
import { unsignedTransaction, type Connection } from './wallet';

export type App = {
  settings: Settings;
  chain: Chain;
  connection: Connection | null;
  /** Draws the current page again, from the chain as it is now. */
  rerender(): Promise<void>;
  /** Says what happens, in the page's live region. */
  notice(message: string, kind: 'ok' | 'error' | 'pending'): void;
};

/** Runs `action` with the wallet: refused with a sentence when none is connected, and its
 * refusal (the program's, by name, or the wallet's) said as a sentence; the page is drawn again
 * after it lands. */
export async function withWallet(app: App, action: (connection: Connection) => Promise<string>): Promise<boolean> {
  if (!app.connection) {
    app.notice('Connect a wallet first: it signs and pays the fee.', 'error');
    return false;
  }
  app.notice('Waiting for the wallet and the cluster…', 'pending');
  try {
    const said = await action(app.connection);
    await app.rerender();
    app.notice(said, 'ok');
    return true;
  } catch (error) {
    app.notice(explain(error), 'error');
    return false;
  }
}

/** Entries the crank's update takes per transaction: each brings one or two stake accounts. */
const UPDATE_BATCH = 5;

/** Whether the program would accept `instructions` from `payer` now: a simulation, unsigned. */
export async function accepted(chain: Chain, payer: Connection, instructions: Instruction[]): Promise<boolean> {
  const wire = getBase64EncodedWireTransaction(await unsignedTransaction(chain, payer.address, instructions));
  const { value } = await chain.rpc
    .simulateTransaction(wire, { encoding: 'base64', sigVerify: false, replaceRecentBlockhash: true })
    .send();
  return value.err === null;
}

/** The crank's update for a new epoch, which anyone may send: every validator updated, then
 * the pool rolled. Returns the roll's landing. */
export async function rollPool(chain: Chain, connection: Connection): Promise<Landed> {
  const { entries } = await fetchValidators(chain.rpc, chain.pool);
  let start = 0;
  for (; start + UPDATE_BATCH < entries.length; start += UPDATE_BATCH) {
    const batch = entries.slice(start, start + UPDATE_BATCH);
    await connection.send(chain, [updateValidators(chain.pool, { startIndex: start, entries: batch })]);
  }
  const rest = entries.slice(start);
  const update = rest.length ? [updateValidators(chain.pool, { startIndex: start, entries: rest })] : [];
  return connection.send(chain, [...update, updatePool(chain.pool)]);
}
