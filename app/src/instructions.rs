//! One typed builder per program instruction, from Anchor's generated `accounts::` and
//! `instruction::` types.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::{system_instruction, system_program};
use anchor_lang::{InstructionData, ToAccountMetas};
use solana_stake_interface::instruction as stake_instruction;
use solana_stake_interface::state::StakeAuthorize;
use tributary::instructions::{
    DepositSolArgs, DepositStakeArgs, InitializePoolArgs, SetMevCommissionArgs, SetWeightArgs,
    UpdateValidatorsArgs, ValidatorStakeArgs, WithdrawSolArgs, WithdrawStakeArgs,
};
use tributary::stake::{STAKE_ACCOUNT_SPACE, STAKE_CONFIG_ID, STAKE_PROGRAM_ID};
use tributary::state::{Fees, Strategy, ValidatorEntry};
use tributary::{accounts, instruction};

use crate::pda::{
    find_mev_vault, find_pool_tip_accounts, find_transient_stake, find_validator_stake,
    PoolAddresses,
};

const TOKEN_PROGRAM: Pubkey = spl_token_2022_interface::ID;

/// The sysvars and the program every Stake-program call needs.
fn stake_program_accounts() -> accounts::StakeProgramAccounts {
    accounts::StakeProgramAccounts {
        clock: solana_sdk::sysvar::clock::ID,
        stake_history: solana_stake_interface::sysvar::stake_history::ID,
        stake_program: STAKE_PROGRAM_ID,
    }
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: tributary::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// Creates the pool at the address of the `pool` keypair, which must sign with `admin`.
pub fn initialize_pool(
    admin: &Pubkey,
    pool: &Pubkey,
    treasury_owner: &Pubkey,
    args: InitializePoolArgs,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::InitializePool {
            admin: *admin,
            pool: *pool,
            authority: addresses.authority,
            reserve: addresses.reserve,
            validator_list: addresses.validator_list,
            mint: addresses.mint,
            treasury_owner: *treasury_owner,
            treasury: addresses.token_account(treasury_owner),
            token_program: TOKEN_PROGRAM,
            associated_token_program: spl_associated_token_account_interface::program::ID,
            system_program: system_program::ID,
        },
        instruction::InitializePool { args },
    )
}

pub fn deposit_sol(
    pool: &Pubkey,
    depositor: &Pubkey,
    depositor_token: &Pubkey,
    args: DepositSolArgs,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::DepositSol {
            depositor: *depositor,
            pool: *pool,
            reserve: addresses.reserve,
            mint: addresses.mint,
            authority: addresses.authority,
            depositor_token: *depositor_token,
            token_program: TOKEN_PROGRAM,
            system_program: system_program::ID,
        },
        instruction::DepositSol { args },
    )
}

pub fn withdraw_sol(
    pool: &Pubkey,
    owner: &Pubkey,
    owner_token: &Pubkey,
    args: WithdrawSolArgs,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::WithdrawSol {
            owner: *owner,
            pool: *pool,
            reserve: addresses.reserve,
            mint: addresses.mint,
            owner_token: *owner_token,
            token_program: TOKEN_PROGRAM,
        },
        instruction::WithdrawSol { args },
    )
}

pub fn update_pool(pool: &Pubkey) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::UpdatePool {
            pool: *pool,
            validator_list: addresses.validator_list,
            reserve: addresses.reserve,
            mint: addresses.mint,
            authority: addresses.authority,
            token_program: TOKEN_PROGRAM,
        },
        instruction::UpdatePool {},
    )
}

/// `treasury` is the pool's current treasury token account (`Pool::treasury`).
pub fn mint_treasury_shares(pool: &Pubkey, treasury: &Pubkey) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::MintTreasuryShares {
            pool: *pool,
            mint: addresses.mint,
            authority: addresses.authority,
            treasury: *treasury,
            token_program: TOKEN_PROGRAM,
        },
        instruction::MintTreasuryShares {},
    )
}

fn admin_action(pool: &Pubkey, admin: &Pubkey) -> accounts::AdminAction {
    accounts::AdminAction {
        admin: *admin,
        pool: *pool,
    }
}

pub fn set_fees(pool: &Pubkey, admin: &Pubkey, fees: Fees) -> Instruction {
    build(admin_action(pool, admin), instruction::SetFees { fees })
}

pub fn propose_admin(pool: &Pubkey, admin: &Pubkey, new_admin: &Pubkey) -> Instruction {
    build(
        admin_action(pool, admin),
        instruction::ProposeAdmin {
            new_admin: *new_admin,
        },
    )
}

pub fn accept_admin(pool: &Pubkey, pending_admin: &Pubkey) -> Instruction {
    build(
        accounts::AcceptAdmin {
            pending_admin: *pending_admin,
            pool: *pool,
        },
        instruction::AcceptAdmin {},
    )
}

pub fn set_operator(pool: &Pubkey, admin: &Pubkey, operator: &Pubkey) -> Instruction {
    build(
        admin_action(pool, admin),
        instruction::SetOperator {
            operator: *operator,
        },
    )
}

pub fn set_treasury(pool: &Pubkey, admin: &Pubkey, treasury: &Pubkey) -> Instruction {
    build(
        accounts::SetTreasury {
            admin: *admin,
            pool: *pool,
            treasury: *treasury,
        },
        instruction::SetTreasury {},
    )
}

pub fn pause(pool: &Pubkey, admin: &Pubkey) -> Instruction {
    build(admin_action(pool, admin), instruction::Pause {})
}

pub fn unpause(pool: &Pubkey, admin: &Pubkey) -> Instruction {
    build(admin_action(pool, admin), instruction::Unpause {})
}

/// Creates `owner`'s associated token account for the pool's mint if it does not exist.
pub fn create_token_account(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey) -> Instruction {
    spl_associated_token_account_interface::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        mint,
        &TOKEN_PROGRAM,
    )
}

pub fn realloc_validator_list(pool: &Pubkey, payer: &Pubkey) -> Instruction {
    build(
        accounts::ReallocValidatorList {
            payer: *payer,
            pool: *pool,
            validator_list: PoolAddresses::new(*pool).validator_list,
            system_program: system_program::ID,
        },
        instruction::ReallocValidatorList {},
    )
}

/// `caller` is the operator, or anyone for `rebalance`.
fn manage_validator(pool: &Pubkey, caller: &Pubkey, vote: &Pubkey) -> accounts::ManageValidator {
    let addresses = PoolAddresses::new(*pool);
    accounts::ManageValidator {
        caller: *caller,
        pool: *pool,
        validator_list: addresses.validator_list,
        reserve: addresses.reserve,
        authority: addresses.authority,
        vote: *vote,
        validator_stake: find_validator_stake(pool, vote).0,
        transient_stake: find_transient_stake(pool, vote).0,
        mev_vault: find_mev_vault(pool, vote).0,
        rent: solana_sdk::sysvar::rent::ID,
        stake_config: STAKE_CONFIG_ID,
        stake: stake_program_accounts(),
        system_program: system_program::ID,
    }
}

pub fn add_validator(pool: &Pubkey, operator: &Pubkey, vote: &Pubkey) -> Instruction {
    build(
        manage_validator(pool, operator, vote),
        instruction::AddValidator {},
    )
}

/// `args.validator_index` is the validator's position in the list.
pub fn increase_validator_stake(
    pool: &Pubkey,
    operator: &Pubkey,
    vote: &Pubkey,
    args: ValidatorStakeArgs,
) -> Instruction {
    build(
        manage_validator(pool, operator, vote),
        instruction::IncreaseValidatorStake { args },
    )
}

pub fn decrease_validator_stake(
    pool: &Pubkey,
    operator: &Pubkey,
    vote: &Pubkey,
    args: ValidatorStakeArgs,
) -> Instruction {
    build(
        manage_validator(pool, operator, vote),
        instruction::DecreaseValidatorStake { args },
    )
}

pub fn remove_validator(
    pool: &Pubkey,
    operator: &Pubkey,
    vote: &Pubkey,
    validator_index: u32,
) -> Instruction {
    build(
        manage_validator(pool, operator, vote),
        instruction::RemoveValidator { validator_index },
    )
}

/// Updates `entries`, the list entries from `start_index` on, as they are now: each takes its
/// validator stake account, and its transient stake account when it has one.
pub fn update_validators(
    pool: &Pubkey,
    start_index: u32,
    entries: &[ValidatorEntry],
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    let mut ix = build(
        accounts::UpdateValidators {
            pool: *pool,
            validator_list: addresses.validator_list,
            reserve: addresses.reserve,
            authority: addresses.authority,
            stake: stake_program_accounts(),
        },
        instruction::UpdateValidators {
            args: UpdateValidatorsArgs {
                start_index,
                count: entries.len() as u32,
            },
        },
    );
    for entry in entries {
        ix.accounts
            .push(AccountMeta::new(entry.validator_stake, false));
        if entry.has_transient() {
            ix.accounts
                .push(AccountMeta::new(entry.transient_stake, false));
        }
    }
    ix
}

/// Deposits `stake_account`, already authorised to the pool's authority (see
/// `authorize_stake_to_pool`), into the validator at `args.validator_index`.
pub fn deposit_stake(
    pool: &Pubkey,
    depositor: &Pubkey,
    stake_account: &Pubkey,
    vote: &Pubkey,
    depositor_token: &Pubkey,
    args: DepositStakeArgs,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::DepositStake {
            depositor: *depositor,
            pool: *pool,
            validator_list: addresses.validator_list,
            stake_account: *stake_account,
            validator_stake: find_validator_stake(pool, vote).0,
            authority: addresses.authority,
            mint: addresses.mint,
            depositor_token: *depositor_token,
            stake: stake_program_accounts(),
            token_program: TOKEN_PROGRAM,
        },
        instruction::DepositStake { args },
    )
}

/// Hands both authorities of `stake_account` from `owner` to the pool, as `deposit_stake`
/// requires; send them in the same transaction as the deposit.
pub fn authorize_stake_to_pool(
    pool: &Pubkey,
    owner: &Pubkey,
    stake_account: &Pubkey,
) -> Vec<Instruction> {
    let authority = PoolAddresses::new(*pool).authority;
    [StakeAuthorize::Staker, StakeAuthorize::Withdrawer]
        .into_iter()
        .map(|kind| stake_instruction::authorize(stake_account, owner, &authority, kind, None))
        .collect()
}

/// Withdraws stake into `destination_stake`, a new account the caller creates in the same
/// transaction (see `create_stake_account`).
pub fn withdraw_stake(
    pool: &Pubkey,
    owner: &Pubkey,
    vote: &Pubkey,
    destination_stake: &Pubkey,
    owner_token: &Pubkey,
    args: WithdrawStakeArgs,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::WithdrawStake {
            owner: *owner,
            pool: *pool,
            validator_list: addresses.validator_list,
            validator_stake: find_validator_stake(pool, vote).0,
            destination_stake: *destination_stake,
            authority: addresses.authority,
            mint: addresses.mint,
            owner_token: *owner_token,
            stake: stake_program_accounts(),
            token_program: TOKEN_PROGRAM,
        },
        instruction::WithdrawStake { args },
    )
}

/// An empty stake account at `stake`, rent paid by `payer`, ready to receive a split.
pub fn create_stake_account(payer: &Pubkey, stake: &Pubkey, rent_lamports: u64) -> Instruction {
    system_instruction::create_account(
        payer,
        stake,
        rent_lamports,
        STAKE_ACCOUNT_SPACE as u64,
        &STAKE_PROGRAM_ID,
    )
}

/// Creates the pool's tip accounts not tied to a validator, paid by `payer`.
pub fn create_pool_tip_accounts(pool: &Pubkey, payer: &Pubkey) -> Instruction {
    let mut ix = build(
        accounts::CreatePoolTipAccounts {
            payer: *payer,
            pool: *pool,
            system_program: system_program::ID,
        },
        instruction::CreatePoolTipAccounts {},
    );
    ix.accounts.extend(
        find_pool_tip_accounts(pool)
            .into_iter()
            .map(|tip_account| AccountMeta::new(tip_account, false)),
    );
    ix
}

/// Declares the MEV commission of the validator voting with `vote`, signed by its vote
/// account's authorized withdrawer.
pub fn set_mev_commission(
    pool: &Pubkey,
    withdrawer: &Pubkey,
    vote: &Pubkey,
    args: SetMevCommissionArgs,
) -> Instruction {
    build(
        accounts::SetMevCommission {
            withdrawer: *withdrawer,
            vote: *vote,
            mev_vault: find_mev_vault(pool, vote).0,
        },
        instruction::SetMevCommission { args },
    )
}

/// Distributes the tips in `vault`; `payout` is the payout account the validator declared
/// (any writable account when it declared none, or for a pool tip account), `validator_index`
/// its position in the list (any value for a pool tip account or a removed validator).
pub fn distribute(
    pool: &Pubkey,
    vault: &Pubkey,
    payout: &Pubkey,
    validator_index: u32,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::Distribute {
            pool: *pool,
            validator_list: addresses.validator_list,
            mev_vault: *vault,
            reserve: addresses.reserve,
            payout: *payout,
        },
        instruction::Distribute { validator_index },
    )
}

pub fn set_tip_rate_cap(pool: &Pubkey, admin: &Pubkey, tip_rate_cap_bps: u16) -> Instruction {
    build(
        admin_action(pool, admin),
        instruction::SetTipRateCap { tip_rate_cap_bps },
    )
}

/// Orders a delayed unstake of `shares` into `ticket`, a new keypair that signs with `owner`.
pub fn order_unstake(
    pool: &Pubkey,
    owner: &Pubkey,
    ticket: &Pubkey,
    owner_token: &Pubkey,
    shares: u64,
) -> Instruction {
    build(
        accounts::OrderUnstake {
            owner: *owner,
            pool: *pool,
            ticket: *ticket,
            mint: PoolAddresses::new(*pool).mint,
            owner_token: *owner_token,
            token_program: TOKEN_PROGRAM,
            system_program: system_program::ID,
        },
        instruction::OrderUnstake { shares },
    )
}

pub fn claim_ticket(pool: &Pubkey, owner: &Pubkey, ticket: &Pubkey) -> Instruction {
    build(
        accounts::ClaimTicket {
            owner: *owner,
            pool: *pool,
            ticket: *ticket,
            reserve: PoolAddresses::new(*pool).reserve,
        },
        instruction::ClaimTicket {},
    )
}

pub fn transfer_ticket(owner: &Pubkey, ticket: &Pubkey, new_owner: &Pubkey) -> Instruction {
    build(
        accounts::TransferTicket {
            owner: *owner,
            ticket: *ticket,
        },
        instruction::TransferTicket {
            new_owner: *new_owner,
        },
    )
}

pub fn set_strategy(pool: &Pubkey, operator: &Pubkey, strategy: Strategy) -> Instruction {
    build(
        accounts::OperatorAction {
            operator: *operator,
            pool: *pool,
        },
        instruction::SetStrategy { strategy },
    )
}

/// `args.vote` must be the validator at `args.validator_index`.
pub fn set_weight(pool: &Pubkey, operator: &Pubkey, args: SetWeightArgs) -> Instruction {
    build(
        accounts::SetWeight {
            operator: *operator,
            pool: *pool,
            validator_list: PoolAddresses::new(*pool).validator_list,
        },
        instruction::SetWeight { args },
    )
}

pub fn score_validator(pool: &Pubkey, vote: &Pubkey, validator_index: u32) -> Instruction {
    build(
        accounts::ScoreValidator {
            pool: *pool,
            validator_list: PoolAddresses::new(*pool).validator_list,
            vote: *vote,
            mev_vault: find_mev_vault(pool, vote).0,
        },
        instruction::ScoreValidator { validator_index },
    )
}

/// Moves the validator's stake towards its target; anyone may call it.
pub fn rebalance(
    pool: &Pubkey,
    caller: &Pubkey,
    vote: &Pubkey,
    validator_index: u32,
) -> Instruction {
    build(
        manage_validator(pool, caller, vote),
        instruction::Rebalance { validator_index },
    )
}
