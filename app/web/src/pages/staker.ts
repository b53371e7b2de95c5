// The staker's page: the holding, the rate and where its growth came from, and deposit,
// instant withdrawal, unstake ticket and claim, each with its quote, fee and slippage bound
// shown before the wallet signs.
import { createNoopSigner, generateKeyPairSigner, type Address } from '@solana/kit';
import {
  claimTicket,
  createTokenAccount,
  depositQuote,
  depositSol,
  orderUnstake,
  sharePrice,
  sharesToLamports,
  sharesWorthAtLeast,
  ticketQuote,
  withdrawalQuote,
  withdrawSol,
  withSlippage,
  type Rate,
} from '@tributary/client';
import { withWallet, rollPool, type App } from '../app';
import { readHolding, readPool, readTickets, type PoolView, type TicketView } from '../chain';
import { barsChart, sharePriceChart } from '../charts';
import { el, facts } from '../dom';
import { parseSol, percent, percentOf, sol } from '../format';
import { growth, readRolls, type Roll } from '../history';

const DEFAULT_SLIPPAGE_BPS = 50;

export async function stakerPage(app: App): Promise<HTMLElement> {
  const view = await readPool(app.chain);
  // A node that keeps no history answers no signatures: the page goes on without the chart.
  const rolls = await readRolls(app.chain).catch(() => [] as Roll[]);
  const me = app.connection?.address ?? null;
  const holding = me ? await readHolding(app.chain, me) : null;
  const tickets = me ? await readTickets(app.chain, me, view.state).catch(() => null) : null;
  return el(
    'div',
    { class: 'page' },
    el('h1', {}, 'Stake SOL, hold trSOL'),
    staleBanner(app, view),
    el(
      'div',
      { class: 'grid' },
      holdingCard(view.rate, holding),
      rateCard(view, rolls),
    ),
    el(
      'div',
      { class: 'grid' },
      depositCard(app, view.rate),
      withdrawCard(app, view.rate, holding?.shares ?? 0n),
      unstakeCard(app, view, holding?.shares ?? 0n),
    ),
    ticketsCard(app, view, tickets),
    sourcesCard(view, rolls),
  );
}

/** A pool whose epoch has turned refuses stakers until its crank runs; anyone may run it. */
function staleBanner(app: App, view: PoolView): HTMLElement | null {
  if (view.state.lastUpdateEpoch >= view.epoch) return null;
  return el(
    'p',
    { class: 'banner', role: 'note' },
    `The cluster is at epoch ${view.epoch} and the pool at ${view.state.lastUpdateEpoch}: it takes no deposit or withdrawal until its crank runs, which anyone may do. `,
    el(
      'button',
      {
        type: 'button',
        onclick: () =>
          withWallet(app, async (connection) => {
            await rollPool(app.chain, connection);
            return `The pool is at epoch ${view.epoch}.`;
          }),
      },
      'Run the crank',
    ),
  );
}

type Holding = Awaited<ReturnType<typeof readHolding>>;

function holdingCard(rate: Rate, holding: Holding | null): HTMLElement {
  if (!holding) {
    return el('section', { class: 'card', 'aria-labelledby': 'holding-title' }, el('h2', { id: 'holding-title' }, 'Your holding'), el('p', {}, 'Connect a wallet to see it and to stake.'));
  }
  const worth = sharesToLamports(holding.shares, rate.totalLamports, rate.supply) ?? 0n;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'holding-title' },
    el('h2', { id: 'holding-title' }, 'Your holding'),
    el('p', { class: 'big', 'data-token-account': holding.tokenAccount }, el('span', { 'data-testid': 'holding-ui' }, holding.uiAmountString), ' trSOL'),
    facts([
      ['Shares (the raw count)', el('span', { 'data-testid': 'holding-shares' }, holding.shares.toString())],
      ['Redeemable for', `${sol(worth)} SOL before fees`],
      ['In the wallet', el('span', { 'data-testid': 'sol-balance' }, `${sol(holding.lamports)} SOL`)],
    ]),
  );
}

function rateCard(view: PoolView, rolls: Roll[]): HTMLElement {
  const seen = growth(rolls);
  const epochs = rolls.map((roll) => Number(roll.epoch));
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'rate-title' },
    el('h2', { id: 'rate-title' }, 'Share price'),
    el('p', { class: 'big' }, `${sharePrice(view.rate).toFixed(9)} SOL`),
    facts([
      ['Growth per epoch', seen ? percentOf(seen.perEpoch) : 'after two epochs'],
      ['Over a year of mainnet epochs', seen ? percentOf(seen.yearly) : 'after two epochs'],
      ['Pool', `${sol(view.state.totalLamports)} SOL at epoch ${view.state.lastUpdateEpoch}`],
    ]),
    rolls.length > 1 ? sharePriceChart(epochs, rolls.map((roll) => roll.sharePrice), 'SOL per share after each epoch\'s roll') : null,
  );
}

/** A form with an amount, a quote shown as it is typed, and the button that sends it. */
function actionCard(options: {
  id: string;
  title: string;
  label: string;
  submit: string;
  slippage: boolean;
  max?: bigint;
  quote: (lamports: bigint, slippageBps: number) => [string, Node | string][] | string;
  send: (lamports: bigint, slippageBps: number) => Promise<boolean>;
}): HTMLElement {
  const amount = el('input', { id: `${options.id}-amount`, name: 'amount', inputmode: 'decimal', autocomplete: 'off', placeholder: '0.0' });
  const slippage = el('input', { id: `${options.id}-slippage`, name: 'slippage', inputmode: 'numeric', value: String(DEFAULT_SLIPPAGE_BPS) });
  const preview = el('div', { class: 'quote', 'aria-live': 'polite', 'data-testid': `${options.id}-quote` });
  const button = el('button', { type: 'submit', disabled: true }, options.submit);
  const read = () => ({ lamports: parseSol(amount.value), bps: Number(slippage.value) });
  const update = () => {
    const { lamports, bps } = read();
    const valid = lamports !== null && lamports > 0n && Number.isInteger(bps) && bps >= 0 && bps <= 10_000;
    const quoted = valid ? options.quote(lamports, bps) : 'Type an amount in SOL.';
    preview.replaceChildren(typeof quoted === 'string' ? el('p', {}, quoted) : facts(quoted));
    button.disabled = !valid || typeof quoted === 'string';
  };
  amount.addEventListener('input', update);
  slippage.addEventListener('input', update);
  update();
  const max = options.max;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': `${options.id}-title` },
    el('h2', { id: `${options.id}-title` }, options.title),
    el(
      'form',
      {
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const { lamports, bps } = read();
          if (lamports === null) return;
          button.disabled = true;
          if (!(await options.send(lamports, bps))) button.disabled = false;
        },
      },
      el('label', { for: amount.id }, options.label),
      el(
        'div',
        { class: 'row' },
        amount,
        max !== undefined && max > 0n
          ? el('button', { type: 'button', class: 'secondary', onclick: () => ((amount.value = sol(max)), update()) }, 'All')
          : null,
      ),
      options.slippage ? el('label', { for: slippage.id }, 'Slippage bound, in basis points') : null,
      options.slippage ? slippage : null,
      preview,
      button,
    ),
  );
}

function depositCard(app: App, rate: Rate): HTMLElement {
  return actionCard({
    id: 'deposit',
    title: 'Deposit',
    label: 'SOL to deposit',
    submit: 'Deposit',
    slippage: true,
    quote: (lamports, bps) => {
      const quote = depositQuote(rate, lamports);
      if (!quote) return 'Too large to quote.';
      return [
        [
          'You receive',
          el(
            'span',
            { 'data-shares': quote.userShares.toString() },
            `${sol(quote.userShares)} shares (${sol(sharesToLamports(quote.userShares, rate.totalLamports, rate.supply) ?? 0n)} SOL's worth)`,
          ),
        ],
        ['At least (slippage bound)', `${sol(withSlippage(quote.userShares, bps))} shares`],
        ['Deposit fee', `${sol(quote.feeLamports)} SOL (${percent(rate.fees.depositBps)})`],
      ];
    },
    send: (lamports, bps) =>
      withWallet(app, async (connection) => {
        const quote = depositQuote(rate, lamports)!;
        const depositor = createNoopSigner(connection.address);
        const landed = await connection.send(app.chain, [
          await createTokenAccount(app.chain.pool, { payer: depositor, owner: connection.address }),
          await depositSol(app.chain.pool, { depositor, lamports, minSharesOut: withSlippage(quote.userShares, bps) }),
        ]);
        const minted = eventField(landed.events, 'DepositSolEvent', 'userShares');
        return `Deposited ${sol(lamports)} SOL for ${sol(minted ?? quote.userShares)} shares.`;
      }),
  });
}

/** The fewest of `held` shares worth at least `lamports`, or all of them when that is more. */
function sharesFor(rate: Rate, lamports: bigint, held: bigint): bigint | null {
  const shares = sharesWorthAtLeast(lamports, rate.totalLamports, rate.supply);
  return shares === null || shares > held ? null : shares;
}

function withdrawCard(app: App, rate: Rate, held: bigint): HTMLElement {
  return actionCard({
    id: 'withdraw',
    title: 'Withdraw now',
    label: "SOL's worth of trSOL to redeem from the reserve",
    submit: 'Withdraw',
    slippage: true,
    max: sharesToLamports(held, rate.totalLamports, rate.supply) ?? 0n,
    quote: (lamports, bps) => {
      const shares = sharesFor(rate, lamports, held);
      if (shares === null) return 'More than you hold.';
      const quote = withdrawalQuote(rate, shares);
      if (!quote) return 'Too large to quote.';
      return [
        ['You redeem', `${sol(shares)} shares`],
        ['You receive', `${sol(quote.lamports)} SOL`],
        ['At least (slippage bound)', `${sol(withSlippage(quote.lamports, bps))} SOL`],
        ['Withdrawal fee', `${sol(quote.feeLamports)} SOL (${percent(rate.fees.withdrawalBps)})`],
      ];
    },
    send: (lamports, bps) =>
      withWallet(app, async (connection) => {
        const shares = sharesFor(rate, lamports, held)!;
        const quote = withdrawalQuote(rate, shares)!;
        const owner = createNoopSigner(connection.address);
        await connection.send(app.chain, [
          await withdrawSol(app.chain.pool, { owner, shares, minLamportsOut: withSlippage(quote.lamports, bps) }),
        ]);
        return `Redeemed ${sol(shares)} shares for ${sol(quote.lamports)} SOL.`;
      }),
  });
}

function unstakeCard(app: App, view: PoolView, held: bigint): HTMLElement {
  const rate = view.rate;
  return actionCard({
    id: 'unstake',
    title: 'Unstake for a ticket',
    label: "SOL's worth of trSOL to unstake",
    submit: 'Order the ticket',
    slippage: false,
    max: sharesToLamports(held, rate.totalLamports, rate.supply) ?? 0n,
    quote: (lamports) => {
      const shares = sharesFor(rate, lamports, held);
      if (shares === null) return 'More than you hold.';
      const quote = ticketQuote(rate, shares);
      if (!quote) return 'Too large to quote.';
      return [
        ['You redeem', `${sol(shares)} shares`],
        ['The ticket is owed', `${sol(quote.lamports)} SOL`],
        ['Ticket fee', `${sol(quote.feeLamports)} SOL (${percent(rate.fees.ticketBps)})`],
        ['Claimable from', `epoch ${view.epoch + 1n}, after the crank`],
      ];
    },
    send: (lamports) =>
      withWallet(app, async (connection) => {
        const shares = sharesFor(rate, lamports, held)!;
        const ticket = await generateKeyPairSigner();
        const owner = createNoopSigner(connection.address);
        await connection.send(app.chain, [await orderUnstake(app.chain.pool, { owner, ticket, shares })], [ticket]);
        return `Ticket ${ticket.address} ordered for ${sol(shares)} shares.`;
      }),
  });
}

function ticketsCard(app: App, view: PoolView, tickets: TicketView[] | null): HTMLElement {
  const title = el('h2', { id: 'tickets-title' }, 'Your tickets');
  const card = (...children: (HTMLElement | null)[]) =>
    el('section', { class: 'card', 'aria-labelledby': 'tickets-title' }, title, ...children);
  if (tickets === null) return card(el('p', {}, app.connection ? 'This node does not list accounts (getProgramAccounts).' : 'Connect a wallet to see them.'));
  if (tickets.length === 0) return card(el('p', {}, 'No open ticket.'));
  const due = (ticket: TicketView) => view.state.lastUpdateEpoch >= ticket.dueEpoch;
  return card(
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...['Ticket', 'Owed', 'Ordered at', 'Due', ''].map((head) => el('th', { scope: 'col' }, head)))),
      el(
        'tbody',
        {},
        ...tickets.map((ticket) =>
          el(
            'tr',
            {},
            el('td', { class: 'address', title: ticket.address }, ticket.address),
            el('td', {}, `${sol(ticket.owed)} SOL`),
            el('td', {}, `epoch ${ticket.ticket.createdEpoch}`),
            el('td', {}, `epoch ${ticket.dueEpoch}`),
            el(
              'td',
              {},
              due(ticket)
                ? el('button', { type: 'button', onclick: () => claim(app, ticket.address, ticket.owed) }, 'Claim')
                : el('span', {}, 'waiting'),
            ),
          ),
        ),
      ),
    ),
  );
}

function claim(app: App, ticket: Address, owed: bigint) {
  return withWallet(app, async (connection) => {
    const landed = await connection.send(app.chain, [claimTicket(app.chain.pool, { owner: createNoopSigner(connection.address), ticket })]);
    const paid = eventField(landed.events, 'ClaimTicketEvent', 'lamports');
    return `Claimed ${sol(paid ?? owed)} SOL.`;
  });
}

function sourcesCard(view: PoolView, rolls: Roll[]): HTMLElement {
  const totals = view.state.mevTotals;
  const asSol = (lamports: bigint) => Number(lamports) / 1e9;
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'sources-title' },
    el('h2', { id: 'sources-title' }, 'Where the growth came from'),
    rolls.length
      ? barsChart(
          { label: 'epoch', values: rolls.map((roll) => Number(roll.epoch)) },
          [
            { label: 'staking rewards', values: rolls.map((roll) => asSol(roll.rewards)) },
            { label: 'MEV tips', values: rolls.map((roll) => asSol(roll.tips)) },
            { label: 'fees taken', values: rolls.map((roll) => asSol(roll.fees)) },
          ],
          'SOL counted at each epoch\'s roll, by source',
        )
      : el('p', {}, 'No roll read yet: the chart starts at the next epoch.'),
    facts([
      ["MEV to stakers through the pool's tip accounts", `${sol(totals.toStakers)} SOL`],
      ["MEV to stakers through the stake accounts (Jito's path)", `${sol(totals.stakeAccountToStakers)} SOL`],
      ["Validators' MEV commission", `${sol(totals.toValidator)} SOL`],
      ["The protocol's MEV fee", `${sol(totals.toProtocol + (totals.stakeAccountTips - totals.stakeAccountToStakers))} SOL`],
    ]),
  );
}

/** A field of the first event named `name` in a landed transaction. */
function eventField(events: { name: string; data: Record<string, unknown> }[], name: string, field: string): bigint | null {
  const value = events.find((event) => event.name === name)?.data[field];
  return typeof value === 'bigint' ? value : null;
}
