//! What the simulation's actors do in an epoch: the stakers' claims, deposits and redemptions,
//! gathered into as few transactions as fit, and the searchers' tips.

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use solana_sdk::signature::{Keypair, Signer};
use tributary::events::{
    ClaimTicketEvent, CollectStakeTipsEvent, DepositSolEvent, DistributeEvent, OrderUnstakeEvent,
    WithdrawSolEvent,
};
use tributary::instructions::{DepositSolArgs, WithdrawSolArgs};
use tributary::math::{reserve_pays, ticket_is_due};

use super::config::{BuilderSpec, MevPath, ValidatorSpec, MAX_DEPOSIT_LAMPORTS};
use super::economy::{draw_slots, epoch_mev, JitoSplit, MevSplit};
use super::run::Simulation;
use super::stakers::{Batch, OpenTicket, MIN_REDEEMED_SHARES};
use super::{EpochReport, SimulationError};
use tributary_client::events::DistributionTotals;
use tributary_client::quote::Quote;
use tributary_client::{instructions, ClientError, TxOutcome, LAMPORTS_PER_SOL};

impl Simulation<'_> {
    /// The epoch's slots: searchers find MEV in each leader's blocks, through its builder, and
    /// tip, by each validator's path: into its vault where the design has vaults, to Jito (whose
    /// claims reach its stake account next epoch), or to the validator itself. First, Jito's
    /// claims for the last epoch's tips.
    pub(super) async fn tip(&mut self, flows: &mut EpochReport) -> Result<(), SimulationError> {
        let stakes = self
            .validator_stakes()
            .await
            .map_err(self.failed("reading stakes"))?;
        let config = self.config;
        let producing: Vec<bool> = config
            .validators
            .iter()
            .map(|spec| self.votes_in(spec))
            .collect();
        let builders: Vec<&BuilderSpec> = self.builders.iter().collect();
        let slots = draw_slots(&mut self.mev_rng, config.slots_per_epoch);
        let splits = epoch_mev(
            &slots,
            &stakes,
            config.outside_stake_sol * LAMPORTS_PER_SOL,
            &producing,
            &builders,
            config.mev_ppm,
            config.searcher_tip_share_bps,
        );
        let pool = *self
            .client
            .addresses()
            .map_err(self.failed("the searcher"))?;
        let mut to_vaults = Vec::with_capacity(self.votes.len());
        self.pay_jito_claims(flows).await?;
        for (index, (spec, mut split)) in config.validators.iter().zip(splits).enumerate() {
            if let Some(lucky) = spec.lucky_tip.filter(|lucky| lucky.epoch == self.epoch) {
                // A bundle's tip: all of it reaches the validator.
                split.add(&MevSplit {
                    available: lucky.lamports,
                    captured: lucky.lamports,
                    tips: lucky.lamports,
                    ..MevSplit::default()
                });
            }
            flows.mev.add(&split);
            match spec.mev_path {
                MevPath::Vault if self.design.has_vaults() => {
                    flows.tips_to_vaults += split.tips;
                    to_vaults.push((pool.mev_vault(&self.votes[index]), split.tips));
                }
                MevPath::Jito => {
                    let jito = JitoSplit::of(split.tips, spec.mev_commission_bps);
                    flows.jito.add(&jito);
                    flows.validator_earnings[index].jito_commission += jito.to_validator;
                    self.jito_owed[index] += jito.to_stake_accounts;
                }
                MevPath::Vault | MevPath::None => {
                    flows.tips_kept_by_validators += split.tips;
                    flows.validator_earnings[index].tips_kept += split.tips;
                }
            }
        }
        flows.jito.unclaimed = self.jito_owed.iter().sum::<u64>() + self.jito_expired;
        // Searchers bring what they tip.
        let total = to_vaults.iter().map(|(_, tip)| tip).sum();
        let airdrop = self.client.airdrop(&self.searcher.pubkey(), total).await;
        airdrop.map_err(self.failed("the searcher, funding its tips"))?;
        let searcher = self.searcher.insecure_clone();
        let mut batch = Batch::default();
        for (account, tip) in to_vaults.into_iter().filter(|(_, tip)| *tip > 0) {
            let ix = system_instruction::transfer(&searcher.pubkey(), &account, tip);
            let actor = format!("the searcher, tipping {account}");
            self.queue(&mut batch, vec![ix], &[&searcher], &actor, flows)
                .await?;
        }
        self.send_batch(batch, flows).await
    }

    /// Jito's claims for the last epoch's tips, the pool's share paid into its stake account of
    /// each validator (the rest is its other stakers', outside the pool). A validator no
    /// longer in the pool has no stake account to claim for: its share stays unclaimed.
    async fn pay_jito_claims(&mut self, flows: &mut EpochReport) -> Result<(), SimulationError> {
        let entries = self
            .client
            .validator_list()
            .await
            .map_err(self.failed("reading the validators"))?;
        for (index, vote) in self.votes.clone().iter().enumerate() {
            let owed = std::mem::take(&mut self.jito_owed[index]);
            let entry = entries.iter().find(|entry| entry.vote == *vote);
            match entry.filter(|entry| entry.is_active()) {
                Some(entry) if owed > 0 => {
                    let claim = self.client.airdrop(&entry.validator_stake, owed).await;
                    claim.map_err(self.failed("Jito's claim"))?;
                    flows.jito.claimed += owed;
                }
                _ => self.jito_expired += owed,
            }
        }
        Ok(())
    }

    /// Adds what `distributions` paid to the epoch's figures.
    pub(super) fn count_distributions(&self, distributions: &[TxOutcome], flows: &mut EpochReport) {
        for event in distributions
            .iter()
            .flat_map(|outcome| outcome.events::<DistributeEvent>())
        {
            if let Some(index) = self.votes.iter().position(|vote| *vote == event.vote) {
                flows.validator_earnings[index].mev_commission += event.paid_to_validator;
            }
        }
        flows.stake_tips_collected += distributions
            .iter()
            .flat_map(|outcome| outcome.events::<CollectStakeTipsEvent>())
            .map(|event| event.collected)
            .sum::<u64>();
        let distributed = DistributionTotals::of(distributions);
        flows.tips += distributed.tips;
        flows.tips_to_validators += distributed.to_validators;
        flows.tips_to_protocol += distributed.to_protocol;
        flows.tips_to_stakers += distributed.to_stakers;
    }

    /// Whether the validator `spec` still votes (and so produces its blocks) this epoch.
    pub(super) fn votes_in(&self, spec: &ValidatorSpec) -> bool {
        spec.stops_voting_at.is_none_or(|epoch| self.epoch < epoch)
    }

    /// Tickets ordered in earlier epochs are claimed once the reserve holds what each is owed
    /// and the rent of a transient stake account the program keeps (the crank unstakes for
    /// them).
    pub(super) async fn claim_due_tickets(
        &mut self,
        flows: &mut EpochReport,
    ) -> Result<(), SimulationError> {
        let pool = self
            .client
            .pool_state()
            .await
            .map_err(self.failed("reading the pool"))?;
        // A claim leaves the rent of a transient stake account in the reserve.
        let keep = self
            .client
            .stake_account_rent()
            .await
            .map_err(self.failed("reading rent"))?;
        let reserve = self.client.reserve_spendable().await;
        let mut spendable = reserve.map_err(self.failed("reading the reserve"))?;
        let pool_key = *self.client.addresses().map_err(self.failed("claims"))?;
        let mut batch = Batch::default();
        for ticket in std::mem::take(&mut self.stakers.tickets) {
            let owed = pool.ticket_value(ticket.units);
            let payable = reserve_pays(spendable, owed, keep);
            if !ticket_is_due(ticket.ordered, flows.epoch) || !payable {
                self.stakers.tickets.push(ticket);
                continue;
            }
            spendable -= owed;
            let owner = self.stakers.all[ticket.staker].keypair.insecure_clone();
            let ix = instructions::claim_ticket(&pool_key, &owner.pubkey(), &ticket.address);
            let actor = format!("staker {}, claiming a ticket", ticket.staker);
            self.queue(&mut batch, vec![ix], &[&owner], &actor, flows)
                .await?;
        }
        self.send_batch(batch, flows).await
    }

    /// Mostly deposits; a holder sometimes redeems part of what it holds: half the time at
    /// once when the reserve can pay it (by the budget read at the start), otherwise through a
    /// ticket.
    pub(super) async fn stakers_act(
        &mut self,
        flows: &mut EpochReport,
    ) -> Result<(), SimulationError> {
        let pool = *self
            .client
            .addresses()
            .map_err(self.failed("the stakers"))?;
        let budget = self.reserve_budget().await;
        let mut budget = budget.map_err(self.failed("reading the pool and its reserve"))?;
        let mut batch = Batch::default();
        for index in 0..self.stakers.all.len() {
            let staker = &self.stakers.all[index];
            let (keypair, held) = (staker.keypair.insecure_clone(), staker.shares);
            let owner_token = staker.token_account;
            // Four draws a staker, whatever it does: every design sees the same draws.
            let redeems = self.rng.between(0, 2) == 0;
            let percent = self.rng.between(10, 100);
            let at_once = self.rng.between(0, 1) == 0;
            let sol = self.rng.between(1, MAX_DEPOSIT_LAMPORTS / LAMPORTS_PER_SOL);
            if held >= MIN_REDEEMED_SHARES && redeems {
                let shares = (u128::from(held) * u128::from(percent) / 100) as u64;
                if at_once && budget.withdraw(shares) {
                    let args = WithdrawSolArgs {
                        shares,
                        min_lamports_out: 0,
                    };
                    let pubkey = keypair.pubkey();
                    let ix = instructions::withdraw_sol(&pool, &pubkey, &owner_token, args);
                    let actor = format!("staker {index}, withdrawing");
                    self.queue(&mut batch, vec![ix], &[&keypair], &actor, flows)
                        .await?;
                    continue;
                }
                budget.order_ticket(shares);
                let ticket = Keypair::new();
                let owner = keypair.pubkey();
                let ix = instructions::order_unstake(
                    &pool,
                    &owner,
                    &ticket.pubkey(),
                    &owner_token,
                    shares,
                );
                let actor = format!("staker {index}, ordering a ticket");
                self.queue(&mut batch, vec![ix], &[&keypair, &ticket], &actor, flows)
                    .await?;
            } else {
                let args = DepositSolArgs {
                    lamports: sol * LAMPORTS_PER_SOL,
                    min_shares_out: 0,
                };
                budget.deposit(args.lamports);
                let create = !self.stakers.all[index].has_token_account;
                let ixs = instructions::deposit_sol_into_token_account(
                    &pool,
                    &keypair.pubkey(),
                    &owner_token,
                    args,
                    create,
                );
                let actor = format!("staker {index}, depositing");
                self.queue(&mut batch, ixs, &[&keypair], &actor, flows)
                    .await?;
            }
        }
        self.send_batch(batch, flows).await
    }

    /// Adds `instructions` to `batch`, sending the batch first when they would not fit.
    pub(super) async fn queue(
        &mut self,
        batch: &mut Batch,
        instructions: Vec<Instruction>,
        signers: &[&Keypair],
        actor: &str,
        flows: &mut EpochReport,
    ) -> Result<(), SimulationError> {
        if !batch.fits(&instructions, &self.client.payer()) {
            self.send_batch(std::mem::take(batch), flows).await?;
        }
        batch.push(instructions, signers, actor);
        Ok(())
    }

    /// Sends `batch` as one transaction and books what its events say.
    pub(super) async fn send_batch(
        &mut self,
        batch: Batch,
        flows: &mut EpochReport,
    ) -> Result<(), SimulationError> {
        if batch.instructions.is_empty() {
            return Ok(());
        }
        let signers: Vec<&Keypair> = batch.signers.iter().collect();
        let sent = self.client.send(&batch.instructions, &signers).await;
        let outcome = match sent {
            Ok(outcome) => outcome,
            Err(error) => return Err(self.failed(batch.actor_of(&error))(error)),
        };
        self.book(&outcome, flows);
        Ok(())
    }

    /// Books a landed batch: each staker's shares, the epoch's flows, the tickets opened.
    fn book(&mut self, outcome: &TxOutcome, flows: &mut EpochReport) {
        for event in outcome.events::<DepositSolEvent>() {
            if let Some(staker) = self.stakers.by_address(&event.depositor) {
                staker.shares += event.user_shares;
                staker.has_token_account = true;
            }
            flows.deposits += 1;
            flows.lamports_deposited += event.lamports;
        }
        for event in outcome.events::<WithdrawSolEvent>() {
            if let Some(staker) = self.stakers.by_address(&event.owner) {
                staker.shares -= event.shares;
            }
            flows.withdrawals += 1;
            flows.lamports_withdrawn += event.lamports;
        }
        for event in outcome.events::<OrderUnstakeEvent>() {
            if let Some(staker) = self.stakers.by_address(&event.owner) {
                staker.shares -= event.shares;
            }
            flows.tickets += 1;
            flows.lamports_ticketed += event.lamports;
            if let Some(&staker) = self.stakers.index.get(&event.owner) {
                self.stakers.tickets.push(OpenTicket {
                    staker,
                    address: event.ticket,
                    units: event.units,
                    ordered: flows.epoch,
                });
            }
        }
        for event in outcome.events::<ClaimTicketEvent>() {
            flows.claims += 1;
            flows.lamports_claimed += event.lamports;
        }
    }

    /// What the reserve can pay at once now, above what it keeps for tickets.
    async fn reserve_budget(&mut self) -> Result<ReserveBudget, ClientError> {
        let quote = self.client.quote().await?;
        let keep = quote
            .pool
            .reserve_for_tickets(self.client.stake_account_rent().await?);
        let spendable = self.client.reserve_spendable().await?;
        Ok(ReserveBudget {
            available: i128::from(spendable) - i128::from(keep.unwrap_or(u64::MAX)),
            quote,
            operations: 0,
        })
    }
}

/// What the reserve can still pay at once in this epoch, kept as the stakers' instructions are
/// queued so that no batch is sent early just to ask. It counts from the rate read at the
/// epoch's start: each operation's rounding favours the pool and can raise the value of a share
/// by a few lamports' worth, so every estimate adds that drift for the operations before it.
struct ReserveBudget {
    quote: Quote,
    /// Negative while tickets are owed more than the reserve holds: deposits fill that first.
    available: i128,
    operations: u64,
}

impl ReserveBudget {
    /// The most the rate's rounding can have added to a payout by now: two lamports of value
    /// (and one of the fee's rounding) per earlier operation, at the rate rounded up.
    fn drift(&self) -> i128 {
        let rate = self.quote.price().ceil() as i128;
        (i128::from(self.operations) + 1) * (rate + 1) * 3
    }

    /// A deposit's lamports go to the reserve.
    fn deposit(&mut self, lamports: u64) {
        self.available += i128::from(lamports);
        self.operations += 1;
    }

    /// A ticket raises what the reserve keeps by what it is owed.
    fn order_ticket(&mut self, shares: u64) {
        let owed = self
            .quote
            .ticket(shares)
            .map_or(u64::MAX, |quote| quote.lamports);
        self.available -= i128::from(owed) + self.drift();
        self.operations += 1;
    }

    /// Whether the reserve can pay a withdrawal of `shares` now; if so, it is counted.
    fn withdraw(&mut self, shares: u64) -> bool {
        let Some(quote) = self.quote.withdrawal(shares) else {
            return false;
        };
        let needed = i128::from(quote.lamports) + self.drift();
        if quote.lamports == 0 || needed > self.available {
            return false;
        }
        self.available -= needed;
        self.operations += 1;
        true
    }
}
