// Wallets through the Wallet Standard: every wallet that registers with the page (Phantom,
// Solflare, Backpack, a test's) is found without adapters. The wallet signs; the page sends
// over its own RPC and waits for the confirmation.
import {
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  partiallySignTransaction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from '@solana/kit';
import { getWallets } from '@wallet-standard/app';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { confirmed, type Landed } from '@tributary/client';
import type { Chain } from './chain';

const CONNECT = 'standard:connect';
const SIGN = 'solana:signTransaction';

type ConnectFeature = { [CONNECT]: { connect(): Promise<{ accounts: readonly WalletAccount[] }> } };
type SignFeature = {
  [SIGN]: {
    signTransaction(
      ...inputs: { account: WalletAccount; transaction: Uint8Array; chain?: string }[]
    ): Promise<{ signedTransaction: Uint8Array }[]>;
  };
};

/** One transaction of `instructions` at the latest blockhash, its fee paid by `payer`, with no
 * signature yet. */
export async function unsignedTransaction(chain: Chain, payer: Address, instructions: Instruction[]) {
  const { value: blockhash } = await chain.rpc.getLatestBlockhash().send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (message) => setTransactionMessageFeePayer(payer, message),
    (message) => setTransactionMessageLifetimeUsingBlockhash(blockhash, message),
    (message) => appendTransactionMessageInstructions(instructions, message),
  );
  return compileTransaction(message);
}

/** The wallets that can connect and sign Solana transactions, now and as they register. */
export function solanaWallets(onChange: () => void): () => Wallet[] {
  const wallets = getWallets();
  wallets.on('register', onChange);
  wallets.on('unregister', onChange);
  return () => wallets.get().filter((wallet) => CONNECT in wallet.features && SIGN in wallet.features);
}

/** A connected wallet's account, which signs the page's transactions and pays their fees. */
export class Connection {
  constructor(
    readonly wallet: Wallet,
    readonly account: WalletAccount,
  ) {}

  get address(): Address {
    return this.account.address as Address;
  }

  static async connect(wallet: Wallet): Promise<Connection> {
    const { accounts } = await (wallet.features as unknown as ConnectFeature)[CONNECT].connect();
    if (!accounts[0]) throw new Error(`${wallet.name} shared no account`);
    return new Connection(wallet, accounts[0]);
  }

  /** One transaction of `instructions`, fee paid by this account, signed by `signers` (new
   * accounts, such as a ticket) and then by the wallet; sent and confirmed. */
  async send(chain: Chain, instructions: Instruction[], signers: KeyPairSigner[] = []): Promise<Landed> {
    const unsigned = await unsignedTransaction(chain, this.address, instructions);
    const partly = signers.length
      ? await partiallySignTransaction(signers.map((signer) => signer.keyPair), unsigned)
      : unsigned;
    const [{ signedTransaction }] = await (this.wallet.features as unknown as SignFeature)[SIGN].signTransaction({
      account: this.account,
      transaction: new Uint8Array(getTransactionEncoder().encode(partly)),
      chain: chain.walletChain,
    });
    const signed = getTransactionDecoder().decode(signedTransaction);
    await chain.rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: 'base64' }).send();
    return confirmed(chain.rpc, getSignatureFromTransaction(signed));
  }
}
