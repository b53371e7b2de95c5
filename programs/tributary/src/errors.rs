use anchor_lang::prelude::*;

/// Every error the program returns. Append only: the codes are part of the interface.
#[error_code]
pub enum TributaryError {
    #[msg("An amount must be greater than zero")]
    ZeroAmount,
    #[msg("The result is below the caller's slippage bound")]
    SlippageExceeded,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("The pool has not been updated for the current epoch")]
    StaleEpoch,
    #[msg("Deposits are paused")]
    Paused,
    #[msg("A fee is above its hard cap")]
    FeeAboveCap,
    #[msg("The signer is not the pool's admin")]
    NotAdmin,
    #[msg("The signer is not the pending admin")]
    NotPendingAdmin,
    #[msg("The pool account is already initialised")]
    PoolAlreadyInitialized,
    #[msg("The token account does not hold the pool's token")]
    WrongMint,
    #[msg("The token account belongs to someone else")]
    WrongTokenOwner,
    #[msg("The reserve cannot pay this withdrawal")]
    ReserveInsufficient,
    #[msg("The amount is too small to give anything back")]
    AmountTooSmall,
    #[msg("A metadata field is too long")]
    MetadataTooLong,
    #[msg("The account is not the pool's")]
    WrongPoolAccount,
    #[msg("The pool is already paused or already running")]
    PauseUnchanged,
    #[msg("The token account holds fewer shares than asked for")]
    InsufficientShares,
    #[msg("The runtime is still paying this epoch's staking rewards")]
    EpochRewardsActive,
    #[msg("The signer is not the pool's operator")]
    NotOperator,
    #[msg("The account is not a vote account")]
    NotVoteAccount,
    #[msg("The validator is already in the pool")]
    DuplicateValidator,
    #[msg("The validator is not in the pool")]
    UnknownValidator,
    #[msg("The validator list is full: grow it with realloc_validator_list")]
    ValidatorListFull,
    #[msg("The validator list is at its largest size")]
    ValidatorListAtMaximum,
    #[msg("The validator already has stake in its transient account")]
    TransientStakeInProgress,
    #[msg("A stake account would fall below the minimum delegation")]
    BelowMinimumDelegation,
    #[msg("The validator is being removed")]
    ValidatorRemoving,
    #[msg("Not every validator has been updated this epoch")]
    ValidatorsNotUpdated,
    #[msg("The accounts do not match the validator list entries")]
    ValidatorAccountsMismatch,
    #[msg("The stake account is not a fully active delegation")]
    StakeNotActive,
    #[msg("The stake account's lockup is in force")]
    StakeLocked,
    #[msg("The stake account's authority is not the staker")]
    WrongStakeAuthority,
    #[msg("The account is not a stake account")]
    NotStakeAccount,
    #[msg("The vault holds no tips above its rent-exempt minimum")]
    NoTips,
    #[msg("Tips have raised the share price by the most allowed this epoch")]
    TipRateCapReached,
    #[msg("The payout account is not the one the validator declared")]
    WrongPayout,
    #[msg("The signer is not the vote account's authorized withdrawer")]
    NotVoteWithdrawer,
    #[msg("A commission or cap is above its limit")]
    CommissionAboveLimit,
    #[msg("The ticket is claimable only after the next epoch boundary")]
    TicketNotDue,
    #[msg("The signer does not own the ticket")]
    NotTicketOwner,
    #[msg("A strategy setting is out of range")]
    InvalidStrategy,
    #[msg("Rebalancing has moved the most stake allowed this epoch")]
    MoveCapReached,
    #[msg("The validator is at its target: nothing to move")]
    AtTarget,
    #[msg("The pool has already been updated this epoch")]
    EpochAlreadyUpdated,
    #[msg("The stake account is one of the pool's own")]
    PoolStakeAccount,
    #[msg("No fee shares are owed to the treasury")]
    NoTreasuryShares,
    #[msg("Open tickets have lost everything they were owed: no new ticket until they close")]
    TicketsWipedOut,
    #[msg("The validator list account cannot be read")]
    CorruptValidatorList,
    #[msg("A crank batch holds more entries than one instruction may update")]
    UpdateBatchTooLarge,
    #[msg("The tip rate cap is above its hard cap")]
    TipRateCapAboveLimit,
    #[msg("The Stake program did not report its minimum delegation")]
    MinimumDelegationUnknown,
    #[msg("The reserve cannot pay a transient stake account's rent until the crank returns the one in use")]
    TransientRentUnavailable,
    #[msg("The account is not an address lookup table")]
    NotLookupTable,
    #[msg("Give a name, a symbol or a URI to change")]
    NoMetadataChange,
    #[msg(
        "The validator is still leaving the pool: add it again once its entry has left the list"
    )]
    ValidatorStillLeaving,
    #[msg("Stake was unstaked for tickets this epoch: staking again waits for the next epoch")]
    OppositeMoveThisEpoch,
    #[msg("The lookup table is not active, or its authority is not the pool's operator")]
    LookupTableNotTheOperators,
    #[msg("Stake not yet active covers the tickets: unstake that first")]
    ActivatingStakeCoversTickets,
    #[msg("The validator's stake account holds less than the pool counted: run update_validators (tributary crank) first")]
    LossNotCounted,
    #[msg("The move is smaller than the strategy's deadband: it waits until the gap is worth an epoch of rewards")]
    WithinDeadband,
    #[msg("The account is not the validator's Jito tip-distribution account of this epoch or the last")]
    NotTipDistributionAccount,
}
