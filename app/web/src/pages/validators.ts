// Every validator of the pool: its rank and score and the parts of it, its target and its
// stake, the MEV it shared by path, its declared commission, and what holds it where it is.
import type { ListTotals, Pool } from '@tributary/client';
import type { App } from '../app';
import { readPool, readValidators, type ValidatorView } from '../chain';
import { barsChart } from '../charts';
import { el } from '../dom';
import { percent, short, sol } from '../format';

/** `Standing`, in the order the program numbers it: why a validator weighs what it does. */
const STANDINGS = [
  'never scored yet',
  'eligible: weighs its score above the floor',
  'in its grace epochs: not held to the sharing bar yet',
  "below the sharing bar: its MEV to stakers per staked SOL is under the bar, weight zero",
  'below the floor the rule measures weights from: weight zero',
  'not voting: no vote credits this epoch or the last, score zero',
  'its declared MEV commission is above the pool\'s cap: score zero',
];
const SCORED = 1;
const ACTIVE = 0;
const ELIGIBLE = 1;
const GRACE = 2;
/** The standings whose validators may take what capped validators' weights leave over:
 * eligible, in grace, below the floor (`ValidatorEntry::spare_weight`). */
const CLEARS_THE_BAR = [1, 2, 4];
const BPS = 10_000n;

/** Each validator's stake target as the program sets it (`Pool::target_inputs` and
 * `stake_target`): its weight's share of what the pool delegates, plus, in scored mode, its
 * spare weight's share of what capped validators' weights would give beyond the cap; at most
 * the cap. The weights and their sums are the list's own. */
export function targets(pool: Pool, totals: ListTotals, rows: ValidatorView[]): bigint[] {
  const scored = pool.strategy.mode === SCORED;
  const total = pool.totalLamports;
  const delegated = total - (total * BigInt(pool.strategy.reserveBufferBps) + BPS - 1n) / BPS;
  const cap = (total * BigInt(pool.strategy.validatorCapBps)) / BPS;
  const totalWeight = scored ? totals.scoredWeight : totals.manualWeight;
  const share = (lamports: bigint, weight: bigint, of: bigint) => (of === 0n ? 0n : (lamports * weight) / of);
  return rows.map(({ entry }) => {
    const active = entry.status.value === ACTIVE;
    const weight = !active ? 0n : scored ? entry.scoredWeight : BigInt(entry.weight);
    const spare =
      scored && active && CLEARS_THE_BAR.includes(entry.standing.value) && entry.overflow === 0n ? entry.score : 0n;
    const target = share(delegated, weight, totalWeight) + share(scored ? totals.overflow : 0n, spare, totals.spareWeight);
    return target < cap ? target : cap;
  });
}

/** What holds a validator where it is, as `tributary show --validator` says it, from what the
 * list and the pool say (the CLI also names the movement budget, the reserve and the minimum
 * delegation, which need the reserve's and the Stake program's figures). */
function holds(pool: Pool, row: ValidatorView, target: bigint): string {
  const entry = row.entry;
  const scored = pool.strategy.mode === SCORED;
  const current = entry.activeLamports + entry.transientLamports - entry.floorLamports;
  const cap = (pool.totalLamports * BigInt(pool.strategy.validatorCapBps)) / BPS;
  if (entry.status.value !== ACTIVE) return 'leaving the pool';
  if (scored && ![ELIGIBLE, GRACE].includes(entry.standing.value)) return 'its standing';
  if (entry.transientState.value !== 0) return 'stake already moving: the next epoch';
  if (target === current) return 'at its target';
  if (pool.paused) return 'the pool is paused';
  if (target === cap && current >= target) return 'the cap per validator';
  // Only an unstake waits in the deadband: staking the reserve's free lamports costs nothing.
  const excess = current > target ? current - target : 0n;
  if (excess > 0n && excess * BPS < target * BigInt(pool.strategy.rule.deadbandBps)) return 'the deadband: too small an unstake';
  return target > current ? 'moving up towards its target' : 'moving down towards its target';
}

export async function validatorsPage(app: App): Promise<HTMLElement> {
  const [view, { totals, rows }] = await Promise.all([readPool(app.chain), readValidators(app.chain)]);
  const wanted = targets(view.state, totals, rows);
  // Ranked as the program weighs them: by weight, then score; leaving validators last.
  const scored = view.state.strategy.mode === SCORED;
  const weight = (row: ValidatorView) =>
    row.entry.status.value !== ACTIVE ? -1n : scored ? row.entry.scoredWeight : BigInt(row.entry.weight);
  const order = rows
    .map((_, index) => index)
    .sort((a, b) => {
      const [x, y] = [rows[a], rows[b]];
      return Number(weight(y) - weight(x)) || Number(y.entry.score - x.entry.score);
    });
  const stake = (row: ValidatorView) => row.entry.activeLamports + row.entry.transientLamports;
  const head = ['Rank', 'Vote account', 'Score', 'of it MEV', 'Target', 'Stake', 'Moving', 'MEV commission', 'MEV to stakers: tip account', 'stake account', 'Standing', 'What holds it'];
  return el(
    'div',
    { class: 'page' },
    el('h1', {}, 'Validators'),
    el(
      'p',
      {},
      `Stake follows ${view.state.strategy.mode === SCORED ? 'each validator\'s score: what it returned to stakers per staked SOL, staking rewards and MEV' : "the operator's weights"}, at most ${percent(view.state.strategy.validatorCapBps)} of the pool each, ${percent(view.state.strategy.reserveBufferBps)} kept in the reserve. Scores are in millionths per epoch.`,
    ),
    rows.length
      ? el(
          'section',
          { class: 'card', 'aria-labelledby': 'stake-title' },
          el('h2', { id: 'stake-title' }, 'Stake and target, by rank'),
          barsChart(
            { label: 'rank', values: order.map((_, rank) => rank + 1) },
            [
              { label: 'stake (SOL)', values: order.map((index) => Number(stake(rows[index])) / 1e9) },
              { label: 'target (SOL)', values: order.map((index) => Number(wanted[index]) / 1e9) },
            ],
            'Each validator\'s stake and its target, by rank',
          ),
        )
      : null,
    el(
      'div',
      { class: 'table-scroll', role: 'region', 'aria-label': 'Validators', tabindex: '0' },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...head.map((title) => el('th', { scope: 'col' }, title)))),
        el(
          'tbody',
          {},
          ...order.map((index, rank) => {
            const row = rows[index];
            const totals = row.vault?.totals;
            return el(
              'tr',
              { 'data-vote': row.entry.vote },
              el('td', {}, rank + 1),
              el('td', { class: 'address', title: row.entry.vote }, short(row.entry.vote)),
              el('td', {}, row.entry.score.toString()),
              el('td', {}, row.entry.mevScore.toString()),
              el('td', { 'data-target': wanted[index].toString() }, `${sol(wanted[index])} SOL`),
              el('td', {}, `${sol(row.entry.activeLamports)} SOL`),
              el('td', {}, `${sol(row.entry.transientLamports)} SOL`),
              el('td', {}, row.vault ? percent(row.vault.commissionBps) : '—'),
              el('td', {}, totals ? `${sol(totals.toStakers)} SOL` : '—'),
              el('td', {}, totals ? `${sol(totals.stakeAccountToStakers)} SOL` : '—'),
              el('td', {}, STANDINGS[row.entry.standing.value] ?? 'unknown'),
              el('td', { 'data-holds': '' }, holds(view.state, row, wanted[index])),
            );
          }),
        ),
      ),
    ),
  );
}
