// A pool's addresses, derived from its address and the program's, as the program derives them.
import { getAddressEncoder, getProgramDerivedAddress, getU64Encoder, type Address } from '@solana/kit';
import {
  findAuthorityPda,
  findMevVaultPda,
  findMintPda,
  findReservePda,
  findTransientStakePda,
  findValidatorListPda,
  findValidatorStakePda,
} from './generated/pdas';
import { TRIBUTARY_PROGRAM_ADDRESS } from './generated/programs';

export const TOKEN_2022_PROGRAM_ADDRESS = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address;
export const ASSOCIATED_TOKEN_PROGRAM_ADDRESS =
  'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL' as Address;

/** Jito's tip-distribution program: a validator running Jito declares its MEV commission in a
 * per-epoch account there (`tipDistributionAddress`), which `scoreValidator` may read. */
export const JITO_TIP_DISTRIBUTION_PROGRAM_ADDRESS =
  '4R3gSG8BpU4t19KYj8CfnbtRpnT8gtk4dvTHxVRwc2r7' as Address;

/** The Jito tip-distribution account of the validator voting with `vote` for `epoch`. */
export async function tipDistributionAddress(vote: Address, epoch: bigint | number): Promise<Address> {
  const [address] = await getProgramDerivedAddress({
    programAddress: JITO_TIP_DISTRIBUTION_PROGRAM_ADDRESS,
    seeds: ['TIP_DISTRIBUTION_ACCOUNT', getAddressEncoder().encode(vote), getU64Encoder().encode(BigInt(epoch))],
  });
  return address;
}

/** Every derived address of one pool, under the program deployed at `programAddress`. */
export type PoolAddresses = {
  programAddress: Address;
  pool: Address;
  authority: Address;
  reserve: Address;
  mint: Address;
  validatorList: Address;
};

export async function poolAddresses(
  pool: Address,
  programAddress: Address = TRIBUTARY_PROGRAM_ADDRESS,
): Promise<PoolAddresses> {
  const config = { programAddress };
  const [[authority], [reserve], [mint], [validatorList]] = await Promise.all([
    findAuthorityPda({ pool }, config),
    findReservePda({ pool }, config),
    findMintPda({ pool }, config),
    findValidatorListPda({ pool }, config),
  ]);
  return { programAddress, pool, authority, reserve, mint, validatorList };
}

/** The validator's stake account, its transient stake account and its tip account. */
export async function validatorAddresses(addresses: PoolAddresses, vote: Address) {
  const config = { programAddress: addresses.programAddress };
  const seeds = { pool: addresses.pool, vote };
  const [[validatorStake], [transientStake], [mevVault]] = await Promise.all([
    findValidatorStakePda(seeds, config),
    findTransientStakePda(seeds, config),
    findMevVaultPda(seeds, config),
  ]);
  return { validatorStake, transientStake, mevVault };
}

/** How many tip accounts a pool has of its own (the program's `POOL_TIP_ACCOUNTS`). */
export const POOL_TIP_ACCOUNTS = 8;

/** The pool's own tip accounts, tied to no validator: `["pool_tip", pool, [index]]`. Tips there
 * go to the stakers and the protocol. */
export async function poolTipAccounts(addresses: PoolAddresses): Promise<Address[]> {
  const pool = getAddressEncoder().encode(addresses.pool);
  return Promise.all(
    Array.from({ length: POOL_TIP_ACCOUNTS }, async (_, index) => {
      const [address] = await getProgramDerivedAddress({
        programAddress: addresses.programAddress,
        seeds: ['pool_tip', pool, new Uint8Array([index])],
      });
      return address;
    }),
  );
}

/** The associated Token-2022 account of `owner` for `mint`: where wallets keep the token. */
export async function tokenAccountAddress(owner: Address, mint: Address): Promise<Address> {
  const encoder = getAddressEncoder();
  const [address] = await getProgramDerivedAddress({
    programAddress: ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
    seeds: [encoder.encode(owner), encoder.encode(TOKEN_2022_PROGRAM_ADDRESS), encoder.encode(mint)],
  });
  return address;
}
