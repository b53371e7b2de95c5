// Sends instructions as one transaction and waits for it, over any RPC that answers the
// Solana methods (no websockets needed): what a script or a test wants; a dApp hands the
// builders' instructions to its wallet instead.
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type GetLatestBlockhashApi,
  type GetSignatureStatusesApi,
  type GetTransactionApi,
  type Instruction,
  type Rpc,
  type SendTransactionApi,
  type Signature,
  type TransactionSigner,
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
} from '@solana/kit';
import { decodeEvents, type TributaryEvent } from './events';
import { getTributaryErrorMessage, type TributaryError } from './generated/errors';

export type SendRpc = Rpc<GetLatestBlockhashApi & SendTransactionApi & GetSignatureStatusesApi & GetTransactionApi>;

export type Landed = { signature: Signature; logs: string[]; events: TributaryEvent[] };

const POLL_MS = 200;
const TIMEOUT_MS = 60_000;

/** Signs with `feePayer` and every signer the instructions name, sends, and waits until the
 * transaction is confirmed; returns its logs and the program's events. */
export async function sendAndConfirm(
  rpc: SendRpc,
  feePayer: TransactionSigner,
  instructions: Instruction[],
): Promise<Landed> {
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (message) => setTransactionMessageFeePayerSigner(feePayer, message),
    (message) => setTransactionMessageLifetimeUsingBlockhash(blockhash, message),
    (message) => appendTransactionMessageInstructions(instructions, message),
  );
  const transaction = await signTransactionMessageWithSigners(message);
  const signature = getSignatureFromTransaction(transaction);
  await rpc.sendTransaction(getBase64EncodedWireTransaction(transaction), { encoding: 'base64' }).send();
  return confirmed(rpc, signature);
}

/** Waits until the transaction `signature` (sent by anyone: a wallet, say) is confirmed;
 * returns its logs and the program's events. */
export async function confirmed(
  rpc: Rpc<GetSignatureStatusesApi & GetTransactionApi>,
  signature: Signature,
): Promise<Landed> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const { value } = await rpc.getSignatureStatuses([signature]).send();
    const status = value[0];
    if (status?.err) throw new Error(`transaction ${signature} failed: ${JSON.stringify(status.err)}`);
    if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') break;
    if (Date.now() > deadline) throw new Error(`transaction ${signature} not confirmed in time`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const landed = await rpc
    .getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' })
    .send();
  const logs = [...(landed?.meta?.logMessages ?? [])];
  return { signature, logs, events: decodeEvents(logs) };
}

/** The program's error behind a failed send (kit's preflight error carries it as its cause):
 * its code (`TRIBUTARY_ERROR__*`), its sentence, and the transaction's logs; undefined when the
 * failure was not the program's. */
export function programErrorOf(
  error: unknown,
): { code: TributaryError; message: string; logs: readonly string[] } | undefined {
  const logs = isSolanaError(error) ? ((error.context as { logs?: string[] }).logs ?? []) : [];
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (isSolanaError(cause, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) {
      const code = cause.context.code as TributaryError;
      return { code, message: getTributaryErrorMessage(code), logs };
    }
  }
  return undefined;
}
