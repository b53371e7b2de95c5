#!/usr/bin/env bash
# Sets up a pool on a cluster where `anchor deploy` has put the program: the pool from
# migrations/localnet.toml (or the file given), with the local test validator as its validator.
#   URL      RPC URL or moniker (default: localhost)
#   LEDGER   solana-test-validator's ledger, for its vote account (default: test-ledger)
# The signer is the Solana CLI's configured keypair, as for every tributary command.
set -euo pipefail
cd "$(dirname "$0")/.."
URL=${URL:-localhost}
LEDGER=${LEDGER:-test-ledger}
SETUP=${1:-migrations/localnet.toml}

# A copy of the set-up beside it (its keypair path is relative to it), plus the validator.
GENERATED="${SETUP%.toml}.generated.toml"
cp "$SETUP" "$GENERATED"
if [ -f "$LEDGER/vote-account-keypair.json" ]; then
    VOTE=$(solana-keygen pubkey "$LEDGER/vote-account-keypair.json")
    printf '\n[[validators]]\nvote = "%s"\nweight = 1\n' "$VOTE" >> "$GENERATED"
fi
cargo run --bin tributary -- --url "$URL" setup "$GENERATED"
