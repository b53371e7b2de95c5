//! Stakers' commands: quoted from the pool's rate, refused before sending what the signer
//! cannot pay, with a slippage bound.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::events::ClaimTicketEvent;
use tributary::state::ValidatorEntry;

use crate::cli::args::{Slippage, SolAmount, TokenAmount};
use crate::cli::error::CliError;
use crate::cli::output::{sol, Output, Signed};
use crate::cli::views::{
    Deposited, StakeDeposited, StakeWithdrawn, TicketClaimed, TicketOrdered, Tokens, Withdrawn,
};
use tributary::events::{DepositSolEvent, DepositStakeEvent, OrderUnstakeEvent};
use tributary_client::quote::Quote;
use tributary_client::transport::Transport;
use tributary_client::{ClientError, PoolClient};

/// Fee margin kept for the signer's own transaction fees when it also pays them.
const FEE_MARGIN_LAMPORTS: u64 = 50_000;

pub async fn deposit<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    amount: SolAmount,
    slippage: Slippage,
) -> Result<Output, CliError> {
    let me = signer.pubkey();
    let token_account = client.addresses()?.token_account(&me);
    let account_rent = if client.account(&token_account).await?.is_none() {
        client.rent().await?.minimum_balance(token_account_space())
    } else {
        0
    };
    require_lamports(client, signer, amount.0 + account_rent).await?;
    let quote = client.quote().await?;
    let expected = quote
        .deposit(amount.0)
        .ok_or_else(|| CliError::Invalid("the deposit overflows".into()))?;
    // The deposit's event says what it minted; where the node kept no logs, the balance's
    // growth does.
    let before = client.shares_of(&me).await?;
    let landed = client
        .deposit_sol(signer, amount.0, slippage.minimum(expected.user_shares))
        .await?;
    let shares = match landed.events::<DepositSolEvent>().first() {
        Some(event) => event.user_shares,
        None => client.shares_of(&me).await?.saturating_sub(before),
    };
    let view = Deposited {
        lamports: amount.0,
        tokens: Tokens::of(client, shares).await?,
    };
    Ok(Signed::output(view, &landed))
}

pub async fn withdraw<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    amount: TokenAmount,
    slippage: Slippage,
) -> Result<Output, CliError> {
    let me = signer.pubkey();
    let quote = client.quote().await?;
    let shares = shares_for(&quote, client.shares_of(&me).await?, amount)?;
    let lamports = withdrawal(&quote, shares)?;
    let before = client.balance(&me).await?;
    let landed = client
        .withdraw_sol(signer, shares, slippage.minimum(lamports))
        .await?;
    let view = Withdrawn {
        tokens: Tokens::of(client, shares).await?,
        lamports,
        balance_change: client.balance(&me).await?.saturating_sub(before),
    };
    Ok(Signed::output(view, &landed))
}

pub async fn deposit_stake<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    stake_account: Pubkey,
    slippage: Slippage,
) -> Result<Output, CliError> {
    let me = signer.pubkey();
    let account = client
        .account(&stake_account)
        .await?
        .ok_or(ClientError::AccountNotFound(stake_account))?;
    let vote = client
        .stake_delegation(&stake_account)
        .await?
        .map(|delegation| delegation.voter_pubkey)
        .ok_or_else(|| {
            CliError::Invalid(format!("{stake_account} is not a delegated stake account"))
        })?;
    let quote = client.quote().await?;
    let expected = quote
        .deposit(account.lamports)
        .ok_or_else(|| CliError::Invalid("the deposit overflows".into()))?;
    let before = client.shares_of(&me).await?;
    let landed = client
        .deposit_stake(
            signer,
            &stake_account,
            &vote,
            slippage.minimum(expected.user_shares),
        )
        .await?;
    let shares = match landed.events::<DepositStakeEvent>().first() {
        Some(event) => event.user_shares,
        None => client.shares_of(&me).await?.saturating_sub(before),
    };
    let view = StakeDeposited {
        stake_account: stake_account.into(),
        validator: vote.into(),
        lamports: account.lamports,
        tokens: Tokens::of(client, shares).await?,
    };
    Ok(Signed::output(view, &landed))
}

pub async fn withdraw_stake<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    amount: TokenAmount,
    validator: Option<Pubkey>,
    slippage: Slippage,
) -> Result<Output, CliError> {
    let quote = client.quote().await?;
    let shares = shares_for(&quote, client.shares_of(&signer.pubkey()).await?, amount)?;
    let vote = match validator {
        Some(vote) => vote,
        None => largest_validator(&client.validator_list().await?)
            .ok_or_else(|| CliError::Invalid("the pool has no validators".into()))?,
    };
    let lamports = withdrawal(&quote, shares)?;
    let (stake_account, landed) = client
        .withdraw_stake(signer, &vote, shares, slippage.minimum(lamports))
        .await?;
    let view = StakeWithdrawn {
        tokens: Tokens::of(client, shares).await?,
        lamports,
        stake_account: stake_account.into(),
        validator: vote.into(),
    };
    Ok(Signed::output(view, &landed))
}

pub async fn unstake<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    amount: TokenAmount,
) -> Result<Output, CliError> {
    let held = client.shares_of(&signer.pubkey()).await?;
    let shares = shares_for(&client.quote().await?, held, amount)?;
    let (ticket, landed) = client.order_unstake(signer, shares).await?;
    // The event says what the ticket is owed (a dry run has no ticket to read); where the node
    // kept no logs, the ticket does.
    let (lamports, epoch) = match landed.events::<OrderUnstakeEvent>().first() {
        Some(event) => (event.lamports, event.epoch),
        None => {
            let state = client.ticket(&ticket).await?;
            (state.lamports, state.created_epoch)
        }
    };
    let view = TicketOrdered {
        ticket: ticket.into(),
        tokens: Tokens::of(client, shares).await?,
        lamports,
        claimable_epoch: epoch + 1,
    };
    Ok(Signed::output(view, &landed))
}

pub async fn claim<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    ticket: Pubkey,
) -> Result<Output, CliError> {
    super::show::open_ticket(client, &ticket).await?;
    let landed = client.claim_ticket(signer, &ticket).await?;
    let view = TicketClaimed {
        ticket: ticket.into(),
        lamports: landed.total(|event: &ClaimTicketEvent| event.lamports),
    };
    Ok(Signed::output(view, &landed))
}

/// The shares to redeem for `amount` out of the `held` ones: all of them, or the fewest worth
/// the SOL asked for, refused when more than are held.
pub fn shares_for(quote: &Quote, held: u64, amount: TokenAmount) -> Result<u64, CliError> {
    let needed = match amount {
        TokenAmount::All => held,
        TokenAmount::Sol(lamports) => quote.shares_worth(lamports),
    };
    if needed > held {
        return Err(CliError::InsufficientBalance {
            what: "what your trSOL redeems for".into(),
            have: format!("{} SOL", sol(quote.value_of(held))),
            need: format!("{} SOL", sol(quote.value_of(needed))),
        });
    }
    Ok(needed)
}

/// Lamports an instant withdrawal of `shares` (SOL or stake) pays, after its fee.
fn withdrawal(quote: &Quote, shares: u64) -> Result<u64, CliError> {
    quote
        .withdrawal(shares)
        .map(|quote| quote.lamports)
        .ok_or_else(|| CliError::Invalid("the withdrawal overflows".into()))
}

/// Refuses, before sending anything, a payment the signer cannot make.
pub async fn require_lamports<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    lamports: u64,
) -> Result<(), CliError> {
    let margin = if signer.pubkey() == client.payer() {
        FEE_MARGIN_LAMPORTS
    } else {
        0
    };
    let have = client.balance(&signer.pubkey()).await?;
    let need = lamports.saturating_add(margin);
    if have < need {
        return Err(CliError::InsufficientBalance {
            what: format!("the balance of {}", signer.pubkey()),
            have: format!("{} SOL", sol(have)),
            need: format!("{} SOL (with fees)", sol(need)),
        });
    }
    Ok(())
}

/// Bytes of a pool token account: Token-2022's account with the immutable-owner extension the
/// associated-token program adds.
fn token_account_space() -> usize {
    use anchor_lang::solana_program::program_pack::Pack;
    use spl_token_2022_interface::extension::ExtensionType;
    use spl_token_2022_interface::state::Account;
    ExtensionType::try_calculate_account_len::<Account>(&[ExtensionType::ImmutableOwner])
        .unwrap_or(Account::LEN)
}

/// The active validator holding the most stake.
fn largest_validator(entries: &[ValidatorEntry]) -> Option<Pubkey> {
    entries
        .iter()
        .filter(|entry| entry.is_active())
        .max_by_key(|entry| entry.active_lamports)
        .map(|entry| entry.vote)
}
