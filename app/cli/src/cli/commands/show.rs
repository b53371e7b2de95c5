//! `show`: the pool, its validators and a holder's shares; a ticket (`explain.rs`: a validator).

use std::fmt;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use tributary::state::{MevRecord, Pool, UnstakeTicket, ValidatorStatus};

use crate::cli::args::Address;
use crate::cli::error::CliError;
use crate::cli::output::{sol, tokens, Output};
use crate::cli::views::{FeesView, StrategyView};
use tributary_client::state::decode_ticket;
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

/// The pool, its validators, and what `owner` holds.
pub async fn pool<T: Transport>(
    client: &mut PoolClient<T>,
    owner: Pubkey,
) -> Result<Output, CliError> {
    let quote = client.quote().await?;
    let addresses = *client.addresses()?;
    let epoch = client.clock().await?.epoch;
    let mut validators = Vec::new();
    // What the tip rate cap holds back, summed over the tip accounts read here.
    let mut held_back_to_stakers = 0u64;
    for entry in client.validator_list().await? {
        let vault = addresses.mev_vault(&entry.vote);
        let (state, pending) = client.tip_account(&vault).await?;
        held_back_to_stakers = held_back_to_stakers.saturating_add(state.held_to_stakers);
        validators.push(ValidatorView {
            vote: entry.vote.into(),
            status: match entry.status() {
                ValidatorStatus::Active => "active",
                ValidatorStatus::Removing => "removing",
            },
            active_lamports: entry.active_lamports,
            transient_lamports: entry.transient_lamports,
            weight: entry.weight,
            score: entry.score,
            mev_commission_bps: state.declared_commission(epoch),
            tip_account: vault.into(),
            pending_tips: pending,
        });
    }
    let mut pool_tip_accounts = Vec::new();
    for address in addresses.tip_accounts() {
        // A pool made before its tip accounts has none yet.
        if client.account(&address).await?.is_none() {
            continue;
        }
        let (state, pending) = client.tip_account(&address).await?;
        held_back_to_stakers = held_back_to_stakers.saturating_add(state.held_to_stakers);
        pool_tip_accounts.push(TipAccountView {
            address: address.into(),
            pending_tips: pending,
            held_to_stakers: state.held_to_stakers,
        });
    }
    let shares = client.shares_of(&owner).await?;
    let symbol = client.mint_state().await?.symbol;
    let pool = &quote.pool;
    let view = PoolView {
        pool: addresses.pool.into(),
        mint: addresses.mint.into(),
        epoch,
        last_update_epoch: pool.last_update_epoch,
        paused: pool.paused,
        admin: pool.admin.into(),
        operator: pool.operator.into(),
        total_lamports: pool.total_lamports,
        income_to_release: pool.release.lamports,
        released_by_slot: pool.release.until_slot,
        share_supply: quote.supply,
        supply_ui_amount: client.ui_amount(quote.supply).await?,
        share_price: quote.price(),
        reserve_lamports: client.balance(&addresses.reserve).await?,
        ticket_lamports: pool.ticket_lamports,
        pending_tips_to_stakers: pool.tips.pending_to_stakers,
        pending_tips_to_protocol: pool.tips.pending_to_protocol,
        fees: FeesView(pool.fees),
        pending_fees: FeesView(pool.pending_fees.fees),
        strategy: (&pool.strategy).into(),
        mev_totals: RecordView(pool.mev_totals),
        validators,
        held_back_to_stakers,
        pool_tip_accounts,
        holder: HolderView {
            owner: owner.into(),
            ui_amount: client.ui_amount(shares).await?,
            symbol,
            shares,
            lamports: quote.value_of(shares),
        },
    };
    Ok(Output::of(&view))
}

/// The pool's unstake ticket at `address`, or why there is none, in a sentence: claimed (a claim
/// closes it) or never made, another program's account, or another pool's ticket.
pub async fn open_ticket<T: Transport>(
    client: &mut PoolClient<T>,
    address: &Pubkey,
) -> Result<UnstakeTicket, CliError> {
    let Some(account) = client.account(address).await? else {
        return Err(CliError::Invalid(format!(
            "there is no unstake ticket at {address}: it was claimed (a claim closes it) or \
             never existed"
        )));
    };
    let not_a_ticket = || {
        CliError::Invalid(format!(
            "{address} is not an unstake ticket (an account of {})",
            account.owner
        ))
    };
    if account.owner != client.program_id() {
        return Err(not_a_ticket());
    }
    let ticket = decode_ticket(&account.data).map_err(|_| not_a_ticket())?;
    let pool = client.addresses()?.pool;
    if ticket.pool != pool {
        return Err(CliError::Invalid(format!(
            "the unstake ticket {address} is another pool's ({}), not {pool}'s",
            ticket.pool
        )));
    }
    Ok(ticket)
}

/// A ticket: what it is owed now and when it can be claimed.
pub async fn ticket<T: Transport>(
    client: &mut PoolClient<T>,
    ticket: Pubkey,
) -> Result<Output, CliError> {
    let state = open_ticket(client, &ticket).await?;
    let pool = client.pool_state().await?;
    let epoch = client.clock().await?.epoch;
    Ok(Output::of(&TicketView::of(ticket, &state, &pool, epoch)))
}

/// `show --tickets`: an owner's open tickets.
pub async fn tickets<T: Transport>(
    client: &mut PoolClient<T>,
    owner: Pubkey,
) -> Result<Output, CliError> {
    let listed = client.tickets_of(&owner).await?;
    let pool = client.pool_state().await?;
    let epoch = client.clock().await?.epoch;
    let tickets: Vec<TicketView> = (listed.iter())
        .map(|(address, state)| TicketView::of(*address, state, &pool, epoch))
        .collect();
    let view = TicketsView {
        owner: owner.into(),
        lamports: tickets.iter().map(|ticket| ticket.lamports).sum(),
        tickets,
    };
    Ok(Output::of(&view))
}

/// An owner's open tickets.
#[derive(Serialize)]
pub struct TicketsView {
    pub owner: Address,
    /// What they are owed together.
    pub lamports: u64,
    pub tickets: Vec<TicketView>,
}

impl fmt::Display for TicketsView {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{} has {} open ticket(s), owed {} SOL",
            self.owner,
            self.tickets.len(),
            sol(self.lamports)
        )?;
        for ticket in &self.tickets {
            write!(f, "\n{ticket}")?;
        }
        Ok(())
    }
}

/// `show`: the pool as a staker or an operator reads it.
#[derive(Serialize)]
pub struct PoolView {
    pub pool: Address,
    pub mint: Address,
    pub epoch: u64,
    pub last_update_epoch: u64,
    pub paused: bool,
    pub admin: Address,
    pub operator: Address,
    pub total_lamports: u64,
    /// Income counted at the last roll and not yet in the price: released evenly by
    /// `released_by_slot`.
    pub income_to_release: u64,
    pub released_by_slot: u64,
    pub share_supply: u64,
    /// The supply as wallets show it, in trSOL.
    pub supply_ui_amount: String,
    /// SOL per share.
    pub share_price: f64,
    pub reserve_lamports: u64,
    pub ticket_lamports: u64,
    pub pending_tips_to_stakers: u64,
    pub pending_tips_to_protocol: u64,
    pub fees: FeesView,
    pub pending_fees: FeesView,
    pub strategy: StrategyView,
    pub mev_totals: RecordView,
    pub validators: Vec<ValidatorView>,
    /// The stakers' part of split tips that the tip rate cap holds back in the tip accounts,
    /// for later epochs.
    pub held_back_to_stakers: u64,
    /// The pool's own tip accounts (tips there go to the stakers and the protocol, no
    /// validator's commission), with what they hold.
    pub pool_tip_accounts: Vec<TipAccountView>,
    pub holder: HolderView,
}

#[derive(Serialize)]
pub struct TipAccountView {
    pub address: Address,
    /// Tips in it: arrived since its last distribution, or split and held back.
    pub pending_tips: u64,
    pub held_to_stakers: u64,
}

#[derive(Serialize)]
pub struct ValidatorView {
    pub vote: Address,
    pub status: &'static str,
    pub active_lamports: u64,
    pub transient_lamports: u64,
    pub weight: u32,
    pub score: u64,
    pub mev_commission_bps: u16,
    pub tip_account: Address,
    pub pending_tips: u64,
}

#[derive(Serialize)]
pub struct HolderView {
    pub owner: Address,
    /// What a wallet shows: the shares scaled by the mint's multiplier, in the token's symbol.
    pub ui_amount: String,
    pub symbol: String,
    /// The raw token amount: shares, in lamports' units.
    pub shares: u64,
    /// What they redeem for now, before the withdrawal fee.
    pub lamports: u64,
}

impl fmt::Display for PoolView {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let paused = if self.paused { ", paused" } else { "" };
        writeln!(
            f,
            "Pool {}  (epoch {}, updated at epoch {}{paused})",
            self.pool, self.epoch, self.last_update_epoch
        )?;
        writeln!(
            f,
            "token mint {}  admin {}  operator {}",
            self.mint, self.admin, self.operator
        )?;
        writeln!(
            f,
            "{} SOL under management for {} {} ({} shares, {:.9} SOL each); reserve {} SOL; \
             owed to tickets {} SOL",
            sol(self.total_lamports),
            self.supply_ui_amount,
            self.holder.symbol,
            tokens(self.share_supply),
            self.share_price,
            sol(self.reserve_lamports),
            sol(self.ticket_lamports)
        )?;
        writeln!(
            f,
            "income being released into the price: {} SOL more by slot {}",
            sol(self.income_to_release),
            self.released_by_slot
        )?;
        writeln!(
            f,
            "tips waiting for the next epoch roll: {} SOL to stakers, {} SOL to the protocol",
            sol(self.pending_tips_to_stakers),
            sol(self.pending_tips_to_protocol)
        )?;
        let tip_accounts: Vec<String> = (self.pool_tip_accounts.iter())
            .map(|account| format!("{} ({} SOL)", account.address, sol(account.pending_tips)))
            .collect();
        writeln!(
            f,
            "pool tip accounts (tips to the stakers, no validator's commission): {}",
            tip_accounts.join(", ")
        )?;
        if self.held_back_to_stakers > 0 {
            writeln!(
                f,
                "held back by the tip rate cap for later epochs: {} SOL to stakers",
                sol(self.held_back_to_stakers)
            )?;
        }
        writeln!(f, "fees: {}", self.fees)?;
        writeln!(f, "strategy: {}", self.strategy)?;
        let totals = &self.mev_totals.0;
        writeln!(
            f,
            "MEV tips distributed: {} SOL ({} SOL to validators, {} SOL to the protocol, {} SOL \
             to stakers)",
            sol(totals.tipped),
            sol(totals.to_validator),
            sol(totals.to_protocol),
            sol(totals.to_stakers)
        )?;
        let holder = &self.holder;
        writeln!(
            f,
            "{} holds {} {} as a wallet shows it ({} shares; redeemable for {} SOL before fees)",
            holder.owner,
            holder.ui_amount,
            holder.symbol,
            tokens(holder.shares),
            sol(holder.lamports)
        )?;
        self.validators_table(f)
    }
}

impl PoolView {
    fn validators_table(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(f, "{} validator(s)", self.validators.len())?;
        write!(
            f,
            "{:<44} {:>9} {:>16} {:>14} {:>7} {:>10} {:>8} {:>14}",
            "vote account",
            "status",
            "stake SOL",
            "transient SOL",
            "weight",
            "score",
            "MEV bps",
            "pending tips"
        )?;
        for validator in &self.validators {
            write!(
                f,
                "\n{:<44} {:>9} {:>16} {:>14} {:>7} {:>10} {:>8} {:>14}",
                validator.vote.to_string(),
                validator.status,
                sol(validator.active_lamports),
                sol(validator.transient_lamports),
                validator.weight,
                validator.score,
                validator.mev_commission_bps,
                sol(validator.pending_tips)
            )?;
        }
        Ok(())
    }
}

/// One epoch of a tip account's MEV ledger.
#[derive(Serialize)]
#[serde(transparent)]
pub struct RecordView(pub MevRecord);

/// A ticket as `show --ticket` sees it.
#[derive(Serialize)]
pub struct TicketView {
    pub ticket: Address,
    pub owner: Address,
    /// What it is owed now: what it was ordered for, less its share of any loss since.
    pub lamports: u64,
    pub ordered_lamports: u64,
    pub created_epoch: u64,
    pub claimable_epoch: u64,
    /// The epoch now.
    #[serde(skip)]
    pub epoch: u64,
}

impl TicketView {
    /// `ticket` at `address`, in `pool`, at `epoch`.
    fn of(address: Pubkey, ticket: &UnstakeTicket, pool: &Pool, epoch: u64) -> Self {
        Self {
            ticket: address.into(),
            owner: ticket.owner.into(),
            lamports: pool.ticket_value(ticket.units),
            ordered_lamports: ticket.lamports,
            created_epoch: ticket.created_epoch,
            claimable_epoch: ticket.created_epoch + 1,
            epoch,
        }
    }
}

impl fmt::Display for TicketView {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Ticket {} of {}: {} SOL ({} SOL when ordered at epoch {}), ",
            self.ticket,
            self.owner,
            sol(self.lamports),
            sol(self.ordered_lamports),
            self.created_epoch
        )?;
        if self.epoch >= self.claimable_epoch {
            write!(f, "claimable once the crank has run this epoch")
        } else {
            write!(f, "claimable from epoch {}", self.claimable_epoch)
        }
    }
}
