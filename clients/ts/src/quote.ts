// The program's pricing, to the lamport: u128 arithmetic as bigint, every rounding in the
// pool's favour (programs/tributary/src/math). `supply` is the pool's share supply: minted
// shares, fee shares owed to the treasury and the locked shares.

const U64_MAX = (1n << 64n) - 1n;
const BPS_DENOMINATOR = 10_000n;

/** A result that does not fit a u64, as the program's checked arithmetic refuses it. */
function u64(value: bigint): bigint | null {
  return value >= 0n && value <= U64_MAX ? value : null;
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/** `a * b / denominator`, rounded down; null on a zero denominator or a result past u64. */
function mulDivFloor(a: bigint, b: bigint, denominator: bigint): bigint | null {
  return denominator === 0n ? null : u64((a * b) / denominator);
}

/** What of `lamports` of income, locked at `fromSlot` and released evenly until `untilSlot`,
 * the program has released by `slot` (rounded down), as `Pool::release_income` counts it. */
export function releasedBy(lamports: bigint, fromSlot: bigint, untilSlot: bigint, slot: bigint): bigint {
  if (slot >= untilSlot) return lamports;
  if (slot <= fromSlot) return 0n;
  return (lamports * (slot - fromSlot)) / (untilSlot - fromSlot);
}

/** Shares worth `lamports`, rounded down; 1:1 without shares. */
export function lamportsToShares(lamports: bigint, totalLamports: bigint, supply: bigint) {
  return supply === 0n ? lamports : mulDivFloor(lamports, supply, totalLamports);
}

/** Lamports `shares` are worth, rounded down. */
export function sharesToLamports(shares: bigint, totalLamports: bigint, supply: bigint) {
  return mulDivFloor(shares, totalLamports, supply);
}

/** The fewest shares worth at least `lamports`: what a holder redeems for a sum of SOL. */
export function sharesWorthAtLeast(lamports: bigint, totalLamports: bigint, supply: bigint) {
  return totalLamports === 0n ? lamports : u64(ceilDiv(lamports * supply, totalLamports));
}

/** A fee of `bps` on `amount`, rounded up but never the whole of a positive amount. */
export function splitFee(gross: bigint, bps: number) {
  const fee = u64(ceilDiv(gross * BigInt(bps), BPS_DENOMINATOR));
  if (fee === null) return null;
  const capped = gross === 0n ? 0n : fee < gross ? fee : gross - 1n;
  return { fee: capped, net: gross - capped };
}

export type DepositQuote = { userShares: bigint; feeLamports: bigint; feeShares: bigint };
export type WithdrawQuote = { lamports: bigint; feeLamports: bigint; feeShares: bigint };

export function quoteDeposit(
  lamports: bigint,
  totalLamports: bigint,
  supply: bigint,
  feeBps: number,
): DepositQuote | null {
  const split = splitFee(lamports, feeBps);
  if (split === null) return null;
  const userShares = lamportsToShares(split.net, totalLamports, supply);
  const feeShares = lamportsToShares(split.fee, totalLamports, supply);
  if (userShares === null || feeShares === null) return null;
  return { userShares, feeLamports: split.fee, feeShares };
}

export function quoteWithdraw(
  shares: bigint,
  totalLamports: bigint,
  supply: bigint,
  feeBps: number,
): WithdrawQuote | null {
  const value = sharesToLamports(shares, totalLamports, supply);
  if (value === null) return null;
  const split = splitFee(value, feeBps);
  if (split === null) return null;
  const feeShares = lamportsToShares(split.fee, totalLamports, supply);
  if (feeShares === null) return null;
  return { lamports: split.net, feeLamports: split.fee, feeShares };
}

/** The pool's rate as quotes read it: its lamports, its fees and its share supply. */
export type Rate = {
  totalLamports: bigint;
  supply: bigint;
  fees: { depositBps: number; withdrawalBps: number; ticketBps: number };
};

/** Lamports per share: the ScaledUiAmount multiplier wallets show the token with. */
export function sharePrice(rate: Rate): number {
  return rate.supply === 0n ? 1 : Number(rate.totalLamports) / Number(rate.supply);
}

/** What depositing `lamports` (SOL or stake) gives. */
export function depositQuote(rate: Rate, lamports: bigint) {
  return quoteDeposit(lamports, rate.totalLamports, rate.supply, rate.fees.depositBps);
}

/** What redeeming `shares` at once (SOL or stake) pays. */
export function withdrawalQuote(rate: Rate, shares: bigint) {
  return quoteWithdraw(shares, rate.totalLamports, rate.supply, rate.fees.withdrawalBps);
}

/** What an unstake ticket for `shares` is owed. */
export function ticketQuote(rate: Rate, shares: bigint) {
  return quoteWithdraw(shares, rate.totalLamports, rate.supply, rate.fees.ticketBps);
}

/** The least acceptable outcome for a quote of `expected`, `slippageBps` below it. */
export function withSlippage(expected: bigint, slippageBps: number): bigint {
  return (expected * (BPS_DENOMINATOR - BigInt(slippageBps))) / BPS_DENOMINATOR;
}
