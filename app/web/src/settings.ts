// Which cluster and pool the page shows: from the URL's query (`?rpc=…&pool=…&program=…`), else
// what the settings box saved, else `tributary localnet` on this machine and the demo pool it
// serves.
import { address, isAddress, type Address } from '@solana/kit';
import { TRIBUTARY_PROGRAM_ADDRESS } from '@tributary/client';
import { el } from './dom';

export const LOCALNET_URL = 'http://127.0.0.1:8899';
const SAVED = 'tributary-settings';

export type Settings = { rpcUrl: string; pool: Address | null; programId: Address };

export async function loadSettings(): Promise<Settings> {
  const query = new URLSearchParams(location.search);
  const saved = JSON.parse(localStorage.getItem(SAVED) ?? '{}') as Partial<Record<string, string>>;
  const rpcUrl = query.get('rpc') ?? saved.rpc ?? LOCALNET_URL;
  const pool = query.get('pool') ?? saved.pool ?? (await demoPool(rpcUrl));
  const program = query.get('program') ?? saved.program;
  return {
    rpcUrl,
    pool: pool && isAddress(pool) ? address(pool) : null,
    programId: program && isAddress(program) ? address(program) : TRIBUTARY_PROGRAM_ADDRESS,
  };
}

/** The demo pool `tributary localnet --demo` serves at `rpcUrl`; null from any other node. */
async function demoPool(rpcUrl: string): Promise<string | null> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tributaryDemo', params: [] }),
    });
    return (await response.json()).result?.pool ?? null;
  } catch {
    return null;
  }
}

/** The settings box: the RPC URL and the pool, saved in this browser and put in the URL. */
export function settingsBox(settings: Settings): HTMLElement {
  const rpc = el('input', { id: 'settings-rpc', name: 'rpc', type: 'url', value: settings.rpcUrl, required: true });
  const pool = el('input', { id: 'settings-pool', name: 'pool', value: settings.pool ?? '', placeholder: 'pool address' });
  const form = el(
    'form',
    {
      class: 'settings',
      'aria-label': 'Cluster and pool',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const chosen = { rpc: rpc.value.trim(), pool: pool.value.trim() };
        localStorage.setItem(SAVED, JSON.stringify(chosen));
        const query = new URLSearchParams(chosen);
        location.search = query.toString();
      },
    },
    el('label', { for: 'settings-rpc' }, 'RPC URL'),
    rpc,
    el('label', { for: 'settings-pool' }, 'Pool'),
    pool,
    el('button', { type: 'submit' }, 'Use'),
  );
  return form;
}
