//! Seeds, caps and sizes shared by the program and the client crate.

use anchor_lang::prelude::*;

/// Signs for the pool: mint authority, multiplier and metadata authority, and later the
/// stake and withdraw authority of every stake account.
#[constant]
pub const AUTHORITY_SEED: &[u8] = b"authority";
/// Program-owned account holding the pool's liquid SOL.
#[constant]
pub const RESERVE_SEED: &[u8] = b"reserve";
/// The pool's Token-2022 mint.
#[constant]
pub const MINT_SEED: &[u8] = b"mint";
/// The pool's list of validators.
#[constant]
pub const VALIDATOR_LIST_SEED: &[u8] = b"validator_list";

/// A validator's stake account: `[VALIDATOR_STAKE_SEED, pool, vote]`.
#[constant]
pub const VALIDATOR_STAKE_SEED: &[u8] = b"validator_stake";
/// A validator's transient stake account, for stake on its way in or out:
/// `[TRANSIENT_STAKE_SEED, pool, vote]`.
#[constant]
pub const TRANSIENT_STAKE_SEED: &[u8] = b"transient_stake";

/// A validator's MEV vault, the account searchers tip for its blocks:
/// `[MEV_VAULT_SEED, pool, vote]`.
#[constant]
pub const MEV_VAULT_SEED: &[u8] = b"mev_vault";
/// The pool's tip accounts not tied to a validator: `[POOL_TIP_SEED, pool, [index]]`.
#[constant]
pub const POOL_TIP_SEED: &[u8] = b"pool_tip";
/// How many pool tip accounts there are, so bundles spread their write locks.
pub const POOL_TIP_ACCOUNTS: u8 = 8;
/// Epochs of MEV history each vault keeps.
pub const MEV_LEDGER_EPOCHS: usize = 16;
/// Hard cap on the MEV commission a pool lets validators keep.
pub const MAX_MEV_COMMISSION_CAP_BPS: u16 = 5_000;
/// Hard cap on how far tips may raise the share price in one epoch: 1% an epoch is already
/// several hundred percent a year.
pub const MAX_TIP_RATE_CAP_BPS: u16 = 100;
/// The tip rate cap the client proposes: 0.1% an epoch, some 20% a year, well above what
/// tips return in a normal year, so only bursts are spread over later epochs.
pub const DEFAULT_TIP_RATE_CAP_BPS: u16 = 10;

/// Lamports the admin locks into a new pool as shares nobody can redeem, so the share supply
/// is never tiny: a donation is spread over at least these shares, and what rounding can cost
/// a depositor, one share's worth, stays small (a 100 SOL donation makes a share worth 101
/// lamports). It is more than the rent of a stake account, which the reserve keeps so that the
/// pool can always unstake for tickets, even when the last holder leaves.
pub const LOCKED_SEED_LAMPORTS: u64 = 1_000_000_000;

/// Nominal staking return per epoch before commission, in parts per million of the stake
/// (about 7% a year at some 170 epochs a year). Scores compare validators, so only its size
/// next to the MEV they return matters.
pub const NOMINAL_STAKING_PPM: u64 = 400;

/// The most validators one pool can hold.
pub const MAX_VALIDATORS: u32 = 20_000;
/// The most entries of removed validators one `update_pool` drops from the list; more wait for
/// the next epoch's. Bounds what it reads, whatever the list's length.
pub const MAX_DRAINED_PER_ROLL: usize = 16;
/// The highest score a validator can have, in parts per million per epoch: so that the list's
/// running total of scores cannot overflow, whatever MEV a validator reports.
pub const MAX_SCORE: u64 = u64::MAX / MAX_VALIDATORS as u64;
/// The runtime grows an account by at most this many bytes per instruction.
pub const MAX_REALLOC_BYTES: usize = 10_240;

/// The most list entries one `update_validators` may take. An unchanged validator needs one
/// account, so a transaction's 1,232 bytes (64 account locks with a lookup table), not this
/// bound, limit a batch (see the client).
pub const MAX_UPDATE_BATCH: u32 = 64;
/// The most accounts one transaction may lock.
pub const MAX_TRANSACTION_ACCOUNTS: u32 = 64;

/// The most compute units one transaction may ask for.
pub const MAX_TRANSACTION_COMPUTE_UNITS: u32 = 1_400_000;
/// The most one `update_validators` entry may cost: the Stake program's merge of its transient
/// (17.6k measured) and a sweep (6.6k), or a transient's withdrawal (8.5k) and a sweep, with the
/// calls' overhead, and this program's own reading and accounting (not metered natively, so
/// budgeted generously). Past the default 200k a batch of seven would fail.
pub const UPDATE_ENTRY_COMPUTE_UNITS: u32 = 40_000;
/// The most one `update_validators` entry with no transient may cost: a sweep, this program's
/// reading and accounting.
pub const UPDATE_IDLE_ENTRY_COMPUTE_UNITS: u32 = 10_000;
/// What an `update_validators` transaction costs besides its entries.
pub const UPDATE_BASE_COMPUTE_UNITS: u32 = 20_000;
// An entry with a transient costs the most per account it takes (two), so the dearest batch a
// transaction's account locks admit is all such entries.
const _: () = assert!(
    UPDATE_BASE_COMPUTE_UNITS + MAX_TRANSACTION_ACCOUNTS / 2 * UPDATE_ENTRY_COMPUTE_UNITS
        <= MAX_TRANSACTION_COMPUTE_UNITS
);
const _: () = assert!(UPDATE_IDLE_ENTRY_COMPUTE_UNITS * 2 <= UPDATE_ENTRY_COMPUTE_UNITS);

/// The address lookup table program, which owns every lookup table.
pub const ADDRESS_LOOKUP_TABLE_PROGRAM_ID: Pubkey =
    pubkey!("AddressLookupTab1e1111111111111111111111111");
/// Jito's tip-distribution program: each epoch a validator running Jito opens a
/// tip-distribution account there, declaring its MEV commission, and its stakers' share of the
/// epoch's tips reaches their stake accounts through it.
pub const JITO_TIP_DISTRIBUTION_PROGRAM_ID: Pubkey =
    pubkey!("4R3gSG8BpU4t19KYj8CfnbtRpnT8gtk4dvTHxVRwc2r7");
/// Seed of a tip-distribution account: `[seed, vote, epoch as u64 little-endian, bump]`.
pub const TIP_DISTRIBUTION_ACCOUNT_SEED: &[u8] = b"TIP_DISTRIBUTION_ACCOUNT";

/// The delegation rule `tributary` and the simulation start a scored pool with: the sharing bar
/// at half the mean MEV, weights above 75% of the mean score, unstakes under a tenth of the
/// target waiting, and three epochs of grace.
pub const DEFAULT_SHARING_BAR_BPS: u16 = 5_000;
pub const DEFAULT_CONCENTRATION_BPS: u16 = 7_500;
pub const DEFAULT_DEADBAND_BPS: u16 = 1_000;
pub const DEFAULT_GRACE_EPOCHS: u16 = 3;
/// The sharpest concentration a strategy takes: at the whole mean score (10,000), validators
/// that score alike would all weigh nothing, and the pool would unstake everything.
pub const MAX_CONCENTRATION_BPS: u16 = 9_999;

/// The vote program, which owns every vote account.
pub const VOTE_PROGRAM_ID: Pubkey = pubkey!("Vote111111111111111111111111111111111111111");

/// The token has the decimals of SOL, so one share starts as one lamport.
pub const MINT_DECIMALS: u8 = 9;

/// Basis points in one whole.
pub const BPS_DENOMINATOR: u64 = 10_000;

/// Hard caps on each fee, in basis points. No admin can set a fee above these.
pub const MAX_DEPOSIT_FEE_BPS: u16 = 100;
pub const MAX_WITHDRAWAL_FEE_BPS: u16 = 100;
pub const MAX_TICKET_FEE_BPS: u16 = 50;
pub const MAX_EPOCH_FEE_BPS: u16 = 1_000;
pub const MAX_MEV_FEE_BPS: u16 = 1_000;

/// A fee increase waits this many epoch boundaries, so stakers can leave first.
pub const FEE_INCREASE_DELAY_EPOCHS: u64 = 2;

/// Limits on the token metadata given at initialisation.
pub const MAX_NAME_LEN: usize = 32;
pub const MAX_SYMBOL_LEN: usize = 10;
pub const MAX_URI_LEN: usize = 200;
