// A Wallet Standard wallet for the tests, registered in the page before the app loads: it
// signs with the demo keypair (Ed25519 in the browser's WebCrypto) whatever asks it, as a
// wallet whose user always approves would.
export function registerTestWallet({ secretKey, publicKey, address }) {
  const seed = secretKey.slice(0, 32);
  // PKCS#8 wrapping of an Ed25519 seed: the one form WebCrypto imports a private key in.
  const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, ...seed]);
  const signingKey = crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
  const account = {
    address,
    publicKey: new Uint8Array(publicKey),
    chains: ['solana:localnet'],
    features: ['solana:signTransaction'],
  };
  const compactU16 = (bytes, offset) => {
    let value = 0;
    let size = 0;
    for (;;) {
      const byte = bytes[offset + size];
      value |= (byte & 0x7f) << (7 * size);
      size += 1;
      if (!(byte & 0x80)) return [value, size];
    }
  };
  // A wire transaction: its signatures, then the message, whose first required signers'
  // keys say which signature slot is this wallet's.
  const sign = async (transaction) => {
    const bytes = new Uint8Array(transaction);
    const [count, countSize] = compactU16(bytes, 0);
    const message = bytes.slice(countSize + 64 * count);
    let at = message[0] & 0x80 ? 1 : 0;
    const required = message[at];
    at += 3;
    const [keys, keysSize] = compactU16(message, at);
    at += keysSize;
    for (let slot = 0; slot < Math.min(required, keys); slot += 1) {
      const key = message.slice(at + 32 * slot, at + 32 * (slot + 1));
      if (key.every((byte, index) => byte === publicKey[index])) {
        const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', await signingKey, message));
        bytes.set(signature, countSize + 64 * slot);
        return bytes;
      }
    }
    throw new Error('the transaction does not ask this wallet to sign');
  };
  const wallet = {
    version: '1.0.0',
    name: 'Test wallet',
    icon: 'data:image/svg+xml;base64,' + btoa('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" fill="#0b5cad"/></svg>'),
    chains: ['solana:localnet'],
    accounts: [account],
    features: {
      'standard:connect': { version: '1.0.0', connect: async () => ({ accounts: [account] }) },
      'standard:events': { version: '1.0.0', on: () => () => {} },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signTransaction: (...inputs) =>
          Promise.all(inputs.map(async (input) => ({ signedTransaction: await sign(input.transaction) }))),
      },
    },
  };
  const register = ({ register }) => register(wallet);
  window.addEventListener('wallet-standard:app-ready', ({ detail }) => register(detail));
  window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: register }));
}
