// The operator's page: the pool's state (its epoch and whether it needs its crank, reserve and
// buffer, fees and pending fees, the tip rate cap and what waits behind it), the crank anyone
// may run, and, for the operator's wallet, strategy, weights and validators.
import { address, createNoopSigner, isAddress, type Instruction } from '@solana/kit';
import {
  distribute,
  getAddValidatorInstruction,
  getRemoveValidatorInstruction,
  getSetStrategyInstruction,
  getSetWeightInstruction,
  rebalance,
  scoreValidator,
  StrategyMode,
  validatorAddresses,
  type Fees,
} from '@tributary/client';
import { accepted, rollPool, withWallet, type App } from '../app';
import { readPool, readPoolTips, readValidators, type PoolView, type ValidatorView } from '../chain';
import { el, facts } from '../dom';
import { percent, short, sol } from '../format';
import type { Connection } from '../wallet';

type PoolTips = Awaited<ReturnType<typeof readPoolTips>>;

export async function operatorPage(app: App): Promise<HTMLElement> {
  const [view, { rows }, poolTips] = await Promise.all([readPool(app.chain), readValidators(app.chain), readPoolTips(app.chain)]);
  const isOperator = app.connection?.address === view.state.operator;
  return el(
    'div',
    { class: 'page' },
    el('h1', {}, 'The pool'),
    el('div', { class: 'grid' }, stateCard(view, rows, poolTips), crankCard(app)),
    isOperator
      ? el('div', { class: 'grid' }, strategyCard(app, view), validatorsCard(app, view, rows))
      : el('p', { class: 'note' }, `The operator, ${view.state.operator}, manages strategy, weights and validators here once connected.`),
  );
}

function fees(fees: Fees): string {
  return `deposit ${percent(fees.depositBps)}, withdrawal ${percent(fees.withdrawalBps)}, ticket ${percent(fees.ticketBps)}, epoch ${percent(fees.epochBps)} of rewards, MEV ${percent(fees.mevBps)} of tips`;
}

function stateCard(view: PoolView, rows: ValidatorView[], poolTips: PoolTips): HTMLElement {
  const { state } = view;
  const stale = state.lastUpdateEpoch < view.epoch;
  const buffer = (state.totalLamports * BigInt(state.strategy.reserveBufferBps)) / 10_000n;
  const cap = (state.tips.base * BigInt(state.tips.rateCapBps) + 9_999n) / 10_000n;
  const vaults = [...rows.map((row) => row.vault), ...poolTips.map((tip) => tip.vault)];
  const heldBack = vaults.reduce((sum, vault) => sum + (vault?.heldToStakers ?? 0n), 0n);
  const pending = state.pendingFees;
  const changing = JSON.stringify(pending.fees, (_, value) => (typeof value === 'bigint' ? String(value) : value)) !==
    JSON.stringify(state.fees, (_, value) => (typeof value === 'bigint' ? String(value) : value));
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'state-title' },
    el('h2', { id: 'state-title' }, 'State'),
    facts([
      ['Epoch', el('span', { 'data-testid': 'pool-epoch' }, `cluster ${view.epoch}, pool ${state.lastUpdateEpoch}`)],
      ['Crank', stale ? el('strong', { class: 'warn' }, 'needed: the epoch has turned') : 'done for this epoch'],
      ['Under management', `${sol(state.totalLamports)} SOL; owed to tickets ${sol(state.ticketLamports)} SOL`],
      ['Reserve', `${sol(view.reserve)} SOL, keeping a buffer of ${sol(buffer)} SOL (${percent(state.strategy.reserveBufferBps)})`],
      ['Fees', fees(state.fees)],
      ['Pending fees', changing ? `${fees(pending.fees)}, from epoch ${pending.epoch}` : 'none'],
      ['Tip rate cap', `${percent(state.tips.rateCapBps)} of the pool an epoch: ${sol(cap)} SOL, ${sol(state.tips.pendingToStakers)} SOL used`],
      ['Waiting behind the cap', `${sol(heldBack)} SOL held in the tip accounts`],
      [
        "The pool's tip accounts",
        el(
          'details',
          {},
          el('summary', {}, `${poolTips.length}, for tips to the stakers with no validator's commission`),
          el('ul', { class: 'plain' }, ...poolTips.map((tip) => el('li', { class: 'address', 'data-tip-account': tip.address }, tip.address))),
        ),
      ],
      ['Paused', state.paused ? 'deposits paused; withdrawals work' : 'no'],
    ]),
  );
}

/** Sends each of `instructions`, one transaction each, where the program accepts it now;
 * returns how many landed. */
async function sendAccepted(app: App, connection: Connection, instructions: Instruction[]): Promise<number> {
  let landed = 0;
  for (const instruction of instructions) {
    if (!(await accepted(app.chain, connection, [instruction]))) continue;
    await connection.send(app.chain, [instruction]);
    landed += 1;
  }
  return landed;
}

function crankCard(app: App): HTMLElement {
  const run = () =>
    withWallet(app, async (connection) => {
      // The chain as it is now, not as the page was drawn: the epoch may have turned since.
      const [view, { rows }] = await Promise.all([readPool(app.chain), readValidators(app.chain)]);
      const said: string[] = [];
      if (view.state.lastUpdateEpoch < view.epoch) {
        await rollPool(app.chain, connection);
        said.push(`rolled into epoch ${view.epoch}`);
      }
      const payout = connection.address;
      const scores = view.state.strategy.mode === StrategyMode.Scored
        ? await Promise.all(rows.map((row) => scoreValidator(app.chain.pool, { vote: row.entry.vote, validatorIndex: row.index })))
        : [];
      const distributions = await Promise.all(
        rows.map((row) => distribute(app.chain.pool, { vote: row.entry.vote, payout: row.vault?.payout ?? payout, validatorIndex: row.index })),
      );
      const moves = await Promise.all(rows.map((row) => rebalance(app.chain.pool, { vote: row.entry.vote, validatorIndex: row.index })));
      said.push(`${await sendAccepted(app, connection, scores)} score(s)`);
      said.push(`${await sendAccepted(app, connection, distributions)} distribution(s)`);
      said.push(`${await sendAccepted(app, connection, moves)} stake move(s)`);
      return `Crank: ${said.join(', ')}.`;
    });
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'crank-title' },
    el('h2', { id: 'crank-title' }, 'The crank'),
    el(
      'p',
      {},
      "Once an epoch, anyone may run it and pay its fees: it updates the validators and rolls the pool into the epoch, scores the validators, distributes their tips and moves stake towards the targets, each where the program accepts it now.",
    ),
    el('button', { type: 'button', onclick: run }, 'Crank now'),
  );
}

function strategyCard(app: App, view: PoolView): HTMLElement {
  const strategy = view.state.strategy;
  const mode = el(
    'select',
    { id: 'strategy-mode', name: 'mode' },
    el('option', { value: String(StrategyMode.Scored), selected: strategy.mode === StrategyMode.Scored }, 'scored: stake follows what validators return'),
    el('option', { value: String(StrategyMode.Manual), selected: strategy.mode === StrategyMode.Manual }, "manual: stake follows the operator's weights"),
  );
  const number = (id: string, value: number) => el('input', { id, name: id, inputmode: 'numeric', value: String(value) });
  const cap = number('strategy-cap', strategy.validatorCapBps);
  const buffer = number('strategy-buffer', strategy.reserveBufferBps);
  const move = number('strategy-move', strategy.maxMoveBps);
  const submit = (event: Event) => {
    event.preventDefault();
    return withWallet(app, async (connection) => {
      const chosen = {
        ...strategy,
        mode: Number(mode.value) as StrategyMode,
        validatorCapBps: Number(cap.value),
        reserveBufferBps: Number(buffer.value),
        maxMoveBps: Number(move.value),
      };
      const instruction = getSetStrategyInstruction(
        { operator: createNoopSigner(connection.address), pool: app.chain.pool.pool, strategy: chosen },
        { programAddress: app.chain.pool.programAddress },
      );
      await connection.send(app.chain, [instruction]);
      return 'The strategy is set.';
    });
  };
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'strategy-title' },
    el('h2', { id: 'strategy-title' }, 'Strategy'),
    el(
      'form',
      { onsubmit: submit },
      el('label', { for: mode.id }, 'Mode'),
      mode,
      el('label', { for: cap.id }, 'Most one validator holds, in basis points of the pool'),
      cap,
      el('label', { for: buffer.id }, 'Kept in the reserve, in basis points'),
      buffer,
      el('label', { for: move.id }, 'Most stake moved an epoch, in basis points'),
      move,
      el('button', { type: 'submit' }, 'Set the strategy'),
    ),
  );
}

function validatorsCard(app: App, view: PoolView, rows: ValidatorView[]): HTMLElement {
  const program = { programAddress: app.chain.pool.programAddress };
  const pool = app.chain.pool;
  const vote = el('input', { id: 'add-vote', name: 'vote', placeholder: 'vote account', autocomplete: 'off' });
  const add = (event: Event) => {
    event.preventDefault();
    return withWallet(app, async (connection) => {
      if (!isAddress(vote.value.trim())) throw new Error(`${vote.value} is not an address`);
      const chosen = address(vote.value.trim());
      const { validatorStake, mevVault } = await validatorAddresses(pool, chosen);
      const instruction = getAddValidatorInstruction(
        { ...pool, operator: createNoopSigner(connection.address), vote: chosen, validatorStake, mevVault },
        program,
      );
      await connection.send(app.chain, [instruction]);
      return `Added ${chosen}.`;
    });
  };
  const remove = (row: ValidatorView) =>
    withWallet(app, async (connection) => {
      const addresses = await validatorAddresses(pool, row.entry.vote);
      const instruction = getRemoveValidatorInstruction(
        { ...pool, ...addresses, caller: createNoopSigner(connection.address), vote: row.entry.vote, validatorIndex: row.index },
        program,
      );
      await connection.send(app.chain, [instruction]);
      return `${row.entry.vote} leaves the pool; its stake returns over the next epochs' cranks.`;
    });
  const weigh = (row: ValidatorView, input: HTMLInputElement) =>
    withWallet(app, async (connection) => {
      const instruction = getSetWeightInstruction(
        { ...pool, operator: createNoopSigner(connection.address), vote: row.entry.vote, validatorIndex: row.index, weight: Number(input.value) },
        program,
      );
      await connection.send(app.chain, [instruction]);
      return `${row.entry.vote} weighs ${input.value}.`;
    });
  const manual = view.state.strategy.mode === StrategyMode.Manual;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'operator-validators-title' },
    el('h2', { id: 'operator-validators-title' }, 'Validators'),
    el(
      'ul',
      { class: 'plain' },
      ...rows.map((row) => {
        const weight = el('input', { id: `weight-${row.index}`, inputmode: 'numeric', value: String(row.entry.weight), 'aria-label': `Weight of ${row.entry.vote}` });
        return el(
          'li',
          {},
          el('span', { class: 'address', title: row.entry.vote }, short(row.entry.vote)),
          manual ? weight : null,
          manual ? el('button', { type: 'button', class: 'secondary', 'aria-label': `Set the weight of ${row.entry.vote}`, onclick: () => weigh(row, weight) }, 'Set weight') : null,
          el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${row.entry.vote}`, onclick: () => remove(row) }, 'Remove'),
        );
      }),
    ),
    el('form', { onsubmit: add }, el('label', { for: vote.id }, 'Add a validator'), vote, el('button', { type: 'submit' }, 'Add')),
  );
}

