// The app: a page per actor (#/stake, #/validators, #/operator), the wallet bar, the settings
// box and the theme. Each page is drawn from the chain; `data-ready` marks it drawn.
import './style.css';
import type { Wallet } from '@wallet-standard/base';
import type { App } from './app';
import { openChain } from './chain';
import { el } from './dom';
import { short } from './format';
import { operatorPage } from './pages/operator';
import { stakerPage } from './pages/staker';
import { validatorsPage } from './pages/validators';
import { loadSettings, settingsBox, type Settings } from './settings';
import { Connection, solanaWallets } from './wallet';

const pages: Record<string, { title: string; draw: (app: App) => Promise<HTMLElement> }> = {
  '#/stake': { title: 'Stake', draw: stakerPage },
  '#/validators': { title: 'Validators', draw: validatorsPage },
  '#/operator': { title: 'The pool', draw: operatorPage },
};

const main = document.getElementById('page')!;
const walletBar = document.getElementById('wallet')!;
const notices = el('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });

function theme(choice?: string) {
  const chosen = choice ?? localStorage.getItem('tributary-theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  document.documentElement.dataset.theme = chosen;
  localStorage.setItem('tributary-theme', chosen);
}

async function start() {
  theme();
  const settings = await loadSettings();
  document.getElementById('settings')!.replaceChildren(settingsBox(settings));
  if (!settings.pool) {
    main.replaceChildren(
      el('h1', {}, 'Which pool?'),
      el('p', {}, `No pool given, and ${settings.rpcUrl} serves no demo pool: name one below, or add ?pool=ADDRESS to the URL. On this machine, \`tributary localnet --demo wallet.json\` serves one.`),
    );
    main.dataset.ready = 'true';
    return;
  }
  const chain = await openChain({ ...(settings as Settings), pool: settings.pool });
  const app: App = {
    settings,
    chain,
    connection: null,
    rerender: () => draw(app),
    notice: (message, kind) => {
      notices.className = `notice ${kind}`;
      notices.textContent = message;
    },
  };
  const wallets = solanaWallets(() => drawWallets(app, wallets()));
  drawWallets(app, wallets());
  document.getElementById('theme')!.addEventListener('click', () => {
    theme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark');
    void draw(app);
  });
  window.addEventListener('hashchange', () => void draw(app));
  await draw(app);
}

/** The wallet bar: each Wallet Standard wallet to connect, or the connected account. */
function drawWallets(app: App, wallets: Wallet[]) {
  if (app.connection) {
    walletBar.replaceChildren(el('span', { class: 'account', title: app.connection.address, 'data-testid': 'account' }, `${app.connection.wallet.name}: ${short(app.connection.address)}`));
    return;
  }
  if (wallets.length === 0) {
    walletBar.replaceChildren(el('span', { class: 'muted' }, 'No wallet found'));
    return;
  }
  walletBar.replaceChildren(
    ...wallets.map((wallet) =>
      el(
        'button',
        {
          type: 'button',
          onclick: async () => {
            try {
              app.connection = await Connection.connect(wallet);
              drawWallets(app, wallets);
              await draw(app);
            } catch (error) {
              app.notice(`${wallet.name} did not connect: ${error instanceof Error ? error.message : error}`, 'error');
            }
          },
        },
        `Connect ${wallet.name}`,
      ),
    ),
  );
}

/** Each draw's number: a draw that a later one overtook (a click on another page while this
 * one read the chain) writes nothing. */
let draws = 0;

async function draw(app: App) {
  const drawing = ++draws;
  const page = pages[location.hash] ?? pages['#/stake'];
  document.title = `${page.title} · Tributary`;
  for (const link of document.querySelectorAll('nav a')) {
    const current = link.getAttribute('href') === (pages[location.hash] ? location.hash : '#/stake');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  delete main.dataset.ready;
  try {
    const drawn = await page.draw(app);
    if (drawing !== draws) return;
    main.replaceChildren(drawn, notices);
  } catch (error) {
    if (drawing !== draws) return;
    main.replaceChildren(
      el('h1', {}, 'The pool could not be read'),
      el('p', { role: 'alert' }, `${app.chain.rpcUrl}: ${error instanceof Error ? error.message : error}. Check the RPC URL and the pool below.`),
    );
  }
  main.dataset.ready = 'true';
}

void start();
