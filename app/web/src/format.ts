// Amounts as people read them: SOL exactly (a lamport is 0.000000001), basis points as percent.

export const LAMPORTS_PER_SOL = 1_000_000_000n;

/** Lamports as SOL, exactly, without trailing zeros. */
export function sol(lamports: bigint): string {
  const sign = lamports < 0n ? '-' : '';
  const magnitude = lamports < 0n ? -lamports : lamports;
  const fraction = (magnitude % LAMPORTS_PER_SOL).toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${magnitude / LAMPORTS_PER_SOL}${fraction ? '.' + fraction : ''}`;
}

/** An amount of SOL typed by a person, in lamports, parsed exactly; null when it is not one. */
export function parseSol(text: string): bigint | null {
  const match = /^\s*(\d*)(?:\.(\d{0,9}))?\s*$/.exec(text);
  if (!match || (match[1] === '' && !match[2])) return null;
  return BigInt(match[1] || '0') * LAMPORTS_PER_SOL + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Basis points as a percent. */
export function percent(bps: number | bigint): string {
  return `${(Number(bps) / 100).toLocaleString('en', { maximumFractionDigits: 2 })}%`;
}

/** A long address, shortened for a table; the whole one in its title. */
export function short(address: string): string {
  return `${address.slice(0, 4)}…${address.slice(-4)}`;
}

/** A rate (0.01 for 1%) as a percent to three significant digits: small rates stay readable. */
export function percentOf(value: number): string {
  return `${(value * 100).toPrecision(3)}%`;
}
