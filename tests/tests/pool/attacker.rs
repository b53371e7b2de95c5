//! A randomized attacker among the actors: seeded, stateful runs over many epochs with honest
//! stakers, a searcher, an attacker (donations to the reserve, stake accounts (collected as the
//! validator's MEV, at once or later) and tip accounts, Jito commission declarations,
//! burnt tokens, a closed token account, deposits timed around distributions and around the
//! epoch roll, tickets), validators changing their MEV commission while tips wait, the operator
//! removing validators and adding them again, the admin pausing and unpausing, and losses (a
//! stake account cut as a slash would). After every step the pool's promises are
//! checked: it holds what it owes, the share price falls only by a recorded loss, no actor gains
//! more than holding its shares earned, exits never wait more than a bounded number of epochs.
//! At the end every holder and ticket leaves.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::errors::TributaryError;
use tributary::state::{DelegationRule, Strategy, StrategyMode};
use tributary_cli::rng::Rng;
use tributary_client::client::Roll;
use tributary_client::instructions;
use tributary_client::pda::PoolAddresses;
use tributary_client::ClientError;

use crate::fixture::{Fixture, FEES, SOL};

const VALIDATORS: usize = 3;
const STAKERS: usize = 3;
const EPOCHS: u64 = 6;
const STEPS_PER_EPOCH: u64 = 8;
/// A ticket is paid at most this many epochs after it is ordered, the crank running each epoch.
const TICKET_EPOCHS: u64 = 3;

/// One participant: its keypair, the lamports it started with, and at the last check the
/// shares it held, what it was ahead of its start, and what holding its shares had earned:
/// their value's moves while it held them.
struct Actor {
    key: Keypair,
    start: u64,
    held: u64,
    profit: i128,
    earned: i128,
    /// `earned` at the last check.
    earned_checked: i128,
}

struct Ticket {
    owner: usize,
    address: Pubkey,
    ordered: u64,
}

/// A validator of the run: its vote account, its withdrawer (who declares its commission) and
/// the payout account its commission is paid to.
struct Validator {
    vote: Pubkey,
    withdrawer: Keypair,
    payout: Pubkey,
    /// What its commission may have earned: each tip to its vault at the commission in force
    /// when the tip arrived, rounded up.
    commission_bound: u64,
}

struct World {
    fixture: Fixture,
    rng: Rng,
    votes: Vec<Pubkey>,
    validators: Vec<Validator>,
    /// The honest stakers, then the attacker.
    actors: Vec<Actor>,
    searcher: Keypair,
    tickets: Vec<Ticket>,
    /// Lamports cut from stake accounts since the last roll, not yet counted by the pool.
    uncounted_loss: u64,
    /// The rate at the last check.
    rate: (u64, u64),
    /// The bank stands at the epoch's last slot.
    at_epoch_end: bool,
}

const ATTACKER: usize = STAKERS;

impl World {
    async fn new(seed: u64) -> Self {
        let mut fixture = Fixture::new(FEES).await;
        let operator = fixture.operator.insecure_clone();
        let mut validators = Vec::new();
        for _ in 0..VALIDATORS {
            let (vote, withdrawer, payout) = fixture.sharing_validator(500).await;
            validators.push(Validator {
                vote,
                withdrawer,
                payout,
                commission_bound: fixture.client.balance(&payout).await.unwrap(),
            });
        }
        let votes: Vec<Pubkey> = validators.iter().map(|validator| validator.vote).collect();
        // Odd seeds delegate by the scores and the recommended rule, even ones by weights.
        let (mode, rule) = match seed % 2 {
            1 => (StrategyMode::Scored, DelegationRule::RECOMMENDED),
            _ => (StrategyMode::Manual, DelegationRule::default()),
        };
        let strategy = Strategy {
            mode,
            validator_cap_bps: 5_000,
            reserve_buffer_bps: 1_000,
            max_move_bps: 2_000,
            rule,
        };
        fixture
            .client
            .set_strategy(&operator, strategy)
            .await
            .unwrap();
        for vote in &votes {
            fixture.client.set_weight(&operator, vote, 1).await.unwrap();
        }
        fixture.client.create_pool_tip_accounts().await.unwrap();
        let mut actors = Vec::new();
        for _ in 0..=STAKERS {
            let key = fixture.staker(1_000 * SOL).await;
            let start = fixture.wallet(&key.pubkey()).await;
            actors.push(Actor {
                key,
                start,
                held: 0,
                profit: 0,
                earned: 0,
                earned_checked: 0,
            });
        }
        let searcher = fixture.staker(1_000 * SOL).await;
        let rate = fixture.rate().await;
        Self {
            fixture,
            rng: Rng(seed),
            votes,
            validators,
            actors,
            searcher,
            tickets: Vec::new(),
            uncounted_loss: 0,
            rate,
            at_epoch_end: false,
        }
    }

    fn key(&self, actor: usize) -> Keypair {
        self.actors[actor].key.insecure_clone()
    }

    async fn shares(&mut self, actor: usize) -> u64 {
        let owner = self.actors[actor].key.pubkey();
        self.fixture.client.shares_of(&owner).await.unwrap()
    }

    async fn deposit(&mut self, actor: usize, lamports: u64) {
        let key = self.key(actor);
        if let Err(err) = self.fixture.client.deposit_sol(&key, lamports, 0).await {
            expected(err, &[TributaryError::Paused]);
        }
    }

    /// An instant withdrawal of `shares`, or a ticket when the reserve cannot pay it.
    async fn withdraw(&mut self, actor: usize, shares: u64) {
        let key = self.key(actor);
        match self.fixture.client.withdraw_sol(&key, shares, 0).await {
            Ok(_) => {}
            Err(err) if err.is(TributaryError::ReserveInsufficient) => {
                self.order_ticket(actor, shares).await
            }
            Err(err) => expected(err, &[TributaryError::AmountTooSmall]),
        }
    }

    async fn order_ticket(&mut self, actor: usize, shares: u64) {
        let key = self.key(actor);
        match self.fixture.client.order_unstake(&key, shares).await {
            Ok((address, _)) => {
                let ordered = self.fixture.client.clock().await.unwrap().epoch;
                self.tickets.push(Ticket {
                    owner: actor,
                    address,
                    ordered,
                });
            }
            Err(err) => expected(err, &[TributaryError::AmountTooSmall]),
        }
    }

    /// Claims every ticket the reserve can pay; a ticket older than the bound must be paid.
    async fn claim_tickets(&mut self) {
        let epoch = self.fixture.client.clock().await.unwrap().epoch;
        let mut open = Vec::new();
        for ticket in std::mem::take(&mut self.tickets) {
            let key = self.key(ticket.owner);
            match self
                .fixture
                .client
                .claim_ticket(&key, &ticket.address)
                .await
            {
                Ok(_) => {}
                Err(err) => {
                    expected(
                        err,
                        &[
                            TributaryError::TicketNotDue,
                            TributaryError::ReserveInsufficient,
                        ],
                    );
                    assert!(
                        epoch < ticket.ordered + TICKET_EPOCHS,
                        "a ticket of epoch {} is still unpaid at epoch {epoch}",
                        ticket.ordered
                    );
                    open.push(ticket);
                }
            }
        }
        self.tickets = open;
    }

    async fn tip(&mut self, from: &Keypair, lamports: u64) {
        let pool = self.fixture.client.addresses().unwrap().pool;
        let which = self.rng.between(0, VALIDATORS as u64) as usize;
        let vault = match self.votes.get(which) {
            Some(vote) => PoolAddresses::new(pool).mev_vault(vote),
            None => PoolAddresses::new(pool).tip_accounts()[0],
        };
        if which < VALIDATORS {
            // The commission in force as the tip arrives: the most it may ever pay.
            let state = self.fixture.client.mev_vault(&vault).await.unwrap();
            let epoch = self.fixture.client.clock().await.unwrap().epoch;
            let cap = self.fixture.pool_state().await.fees.mev_commission_cap_bps;
            let bps = state.commission_bps(epoch, cap) as u64;
            self.validators[which].commission_bound += (lamports * bps).div_ceil(10_000);
        }
        self.fixture.donate(from, &vault, lamports).await;
    }

    /// A validator declares another commission, while tips may be waiting in its vault.
    async fn change_commission(&mut self) {
        let which = self.rng.between(0, VALIDATORS as u64 - 1) as usize;
        let bps = [0, 300, 1_000, 2_000][self.rng.between(0, 3) as usize];
        let validator = &self.validators[which];
        let (withdrawer, vote, payout) = (
            validator.withdrawer.insecure_clone(),
            validator.vote,
            validator.payout,
        );
        self.fixture
            .client
            .set_mev_commission(&withdrawer, &vote, bps, &payout)
            .await
            .unwrap();
    }

    /// The operator removes a validator, or adds one it removed back; refused while it still
    /// has stake on its way, or is still leaving the list.
    async fn remove_or_add_back(&mut self) {
        let which = self.rng.between(0, VALIDATORS as u64 - 1) as usize;
        let vote = self.votes[which];
        let operator = self.fixture.operator.insecure_clone();
        let entries = self.fixture.client.validator_list().await.unwrap();
        let result = match entries.iter().find(|entry| entry.vote == vote) {
            Some(entry) if entry.is_active() => {
                self.fixture.client.remove_validator(&operator, &vote).await
            }
            Some(_) => self.fixture.client.add_validator(&operator, &vote).await,
            None => {
                let added = self.fixture.client.add_validator(&operator, &vote).await;
                if added.is_ok() {
                    self.fixture
                        .client
                        .set_weight(&operator, &vote, 1)
                        .await
                        .unwrap();
                }
                added
            }
        };
        if let Err(err) = result {
            expected(
                err,
                &[
                    TributaryError::TransientStakeInProgress,
                    TributaryError::ValidatorStillLeaving,
                    TributaryError::DuplicateValidator,
                    TributaryError::Paused,
                ],
            );
        }
    }

    /// A validator declares a Jito commission for this epoch, and anyone scores it with it.
    async fn declare_to_jito(&mut self) {
        let which = self.rng.between(0, VALIDATORS as u64 - 1) as usize;
        let bps = [0, 800, 10_000][self.rng.between(0, 2) as usize];
        let vote = self.votes[which];
        let epoch = self.fixture.client.clock().await.unwrap().epoch;
        let address = self.fixture.client.declare_to_jito(&vote, epoch, bps);
        let pool = *self.fixture.client.addresses().unwrap();
        let Ok(index) = self.fixture.client.validator_index(&vote).await else {
            return;
        };
        let ix = instructions::score_validator(&pool, &vote, index, Some(&address));
        self.fixture.client.send(&[ix], &[]).await.unwrap();
    }

    async fn distribute(&mut self) {
        self.fixture.client.distribute_all().await.unwrap();
    }

    /// One random action of one actor.
    async fn step(&mut self) {
        let staker = self.rng.between(0, STAKERS as u64 - 1) as usize;
        let sol = self.rng.between(1, 20) * SOL;
        let attacker = self.key(ATTACKER);
        match self.rng.between(0, 15) {
            0 | 1 => self.deposit(staker, sol).await,
            2 => {
                let shares = self.shares(staker).await * self.rng.between(1, 100) / 100;
                if shares > 0 {
                    self.withdraw(staker, shares).await;
                }
            }
            3 => {
                let shares = self.shares(staker).await * self.rng.between(1, 100) / 100;
                if shares > 0 {
                    self.order_ticket(staker, shares).await;
                }
            }
            4 => {
                // Searchers tip; the tips wait in the tip accounts until someone distributes.
                let searcher = self.searcher.insecure_clone();
                self.tip(&searcher, sol).await;
                if self.rng.between(0, 1) == 0 {
                    self.distribute().await;
                }
            }
            5 => {
                let reserve = self.fixture.client.addresses().unwrap().reserve;
                self.fixture.donate(&attacker, &reserve, sol / 10).await;
            }
            6 if self.rng.between(0, 1) == 0 => self.declare_to_jito().await,
            6 => {
                // Lamports to a stake account, as a Jito claim or the validator itself: the
                // validator's MEV to the stakers, collected at once or later.
                let which = self.rng.between(0, VALIDATORS as u64 - 1) as usize;
                let pool = *self.fixture.client.addresses().unwrap();
                let stake = pool.validator_stake(&self.votes[which]);
                self.fixture.donate(&attacker, &stake, sol / 10).await;
                if self.rng.between(0, 1) == 0 {
                    self.distribute().await;
                }
            }
            7 => self.tip(&attacker, sol / 10).await,
            8 => self.burn_and_close().await,
            9 => {
                // A deposit timed around a distribution, out at once.
                self.deposit(ATTACKER, 10 * sol).await;
                self.distribute().await;
                let shares = self.shares(ATTACKER).await;
                if shares > 0 {
                    self.withdraw(ATTACKER, shares).await;
                }
            }
            10 => {
                self.deposit(ATTACKER, sol).await;
                let shares = self.shares(ATTACKER).await;
                if shares > 0 {
                    self.order_ticket(ATTACKER, shares).await;
                }
            }
            11 => self.deposit(ATTACKER, sol).await,
            12 if self.rng.between(0, 1) == 0 => {
                // Deposits timed just before the roll: the slots left of the epoch pass.
                if !self.at_epoch_end {
                    self.fixture.client.warp_to_epoch_end().await.unwrap();
                    self.at_epoch_end = true;
                }
                self.deposit(ATTACKER, 10 * sol).await;
            }
            13 if self.rng.between(0, 1) == 0 => self.change_commission().await,
            14 if self.rng.between(0, 2) == 0 => self.remove_or_add_back().await,
            13 => {
                // The admin pauses or unpauses: exits and claims go on.
                let admin = self.fixture.admin.insecure_clone();
                if self.fixture.pool_state().await.paused {
                    self.fixture.client.unpause(&admin).await.unwrap();
                } else {
                    self.fixture.client.pause(&admin).await.unwrap();
                }
            }
            12 => {
                // The crank run again mid-epoch, by anyone: it counts nothing new.
                let crank = self.fixture.client.crank().await.unwrap();
                assert!(matches!(crank.roll, Roll::AlreadyRolled));
                self.distribute().await;
                self.fixture.client.rebalance_all().await.unwrap();
            }
            _ => self.slash().await,
        }
        self.claim_tickets().await;
    }

    /// The attacker burns some of its tokens; once none are left it closes its token account.
    async fn burn_and_close(&mut self) {
        let attacker = self.key(ATTACKER);
        let shares = self.shares(ATTACKER).await;
        let addresses = *self.fixture.client.addresses().unwrap();
        let account = addresses.token_account(&attacker.pubkey());
        if self
            .fixture
            .client
            .account(&account)
            .await
            .unwrap()
            .is_none()
        {
            return;
        }
        let burnt = shares / self.rng.between(1, 3);
        let token = spl_token_2022_interface::ID;
        let mut ixs = Vec::new();
        if burnt > 0 {
            ixs.push(
                spl_token_2022_interface::instruction::burn(
                    &token,
                    &account,
                    &addresses.mint,
                    &attacker.pubkey(),
                    &[],
                    burnt,
                )
                .unwrap(),
            );
        }
        if burnt == shares {
            ixs.push(
                spl_token_2022_interface::instruction::close_account(
                    &token,
                    &account,
                    &attacker.pubkey(),
                    &attacker.pubkey(),
                    &[],
                )
                .unwrap(),
            );
        }
        self.fixture.client.send(&ixs, &[&attacker]).await.unwrap();
    }

    /// A loss: a validator's stake account cut by up to a third of its stake above the floor,
    /// counted at once if someone runs `update_validators`, else at the roll.
    async fn slash(&mut self) {
        if self.rng.between(0, 2) > 0 {
            return;
        }
        let which = self.rng.between(0, VALIDATORS as u64 - 1) as usize;
        let entries = self.fixture.client.validator_list().await.unwrap();
        let Some(entry) = entries.iter().find(|entry| entry.vote == self.votes[which]) else {
            return;
        };
        let cut = entry.active_lamports.saturating_sub(entry.floor_lamports) / 3;
        let cut = cut * self.rng.between(0, 100) / 100;
        if cut > 0 {
            self.fixture.slash(&entry.validator_stake, cut).await;
            self.uncounted_loss += cut;
            if self.rng.between(0, 1) == 0 {
                // Someone sees it: the loss counts at once, for every holder alike.
                self.fixture.client.update_validators().await.unwrap();
                let rate = self.fixture.rate().await;
                self.settle(rate).await;
            }
        }
    }

    /// The end of an epoch: the boundary, where rewards land on the stake accounts, delegated,
    /// the crank and rebalancing, which anyone runs; each holder is credited what its shares
    /// earned.
    async fn next_epoch(&mut self) {
        let mut rewards = Vec::new();
        for entry in self.fixture.client.validator_list().await.unwrap() {
            let reward = entry.active_lamports * self.rng.between(0, 10) / 10_000;
            rewards.push((entry.validator_stake, reward));
        }
        for vote in &self.votes {
            self.fixture
                .client
                .context()
                .increment_vote_account_credits(vote, 100);
        }
        // Someone distributes before the boundary, as the keeper does: what arrived this epoch
        // is split at the commission in force in it.
        self.distribute().await;
        let before = self.fixture.rate().await;
        self.fixture
            .client
            .warp_epoch_with_rewards(&rewards)
            .await
            .unwrap();
        self.at_epoch_end = false;
        let crank = self.fixture.client.crank().await.unwrap();
        assert!(crank.roll.rolled(), "the epoch must roll");
        self.uncounted_loss = 0;
        // The share price fell only if the roll counted a loss.
        let after = self.fixture.rate().await;
        if !crank.losses.is_empty() {
            self.settle(after).await;
        } else {
            assert!(
                !fell(before, after),
                "{before:?} → {after:?} without a loss"
            );
        }
        self.fixture.client.rebalance_all().await.unwrap();
        self.claim_tickets().await;
    }

    /// Credits every holder with what the shares it held at the last check gained (or lost)
    /// between then and `rate`, and takes note of what it holds now.
    async fn settle(&mut self, rate: (u64, u64)) {
        let before = self.rate;
        for actor in 0..self.actors.len() {
            let held = self.actors[actor].held;
            self.actors[actor].earned += value(held, rate) as i128 - value(held, before) as i128;
            self.actors[actor].held = self.shares(actor).await;
        }
        self.rate = rate;
    }

    /// What the pool must hold after every step, and what no step may do.
    async fn check(&mut self) {
        let pool = self.fixture.pool_state().await;
        let addresses = *self.fixture.client.addresses().unwrap();
        let rent = self.fixture.reserve_rent().await;
        let mut held = self
            .fixture
            .client
            .balance(&addresses.reserve)
            .await
            .unwrap()
            - rent;
        for entry in self.fixture.client.validator_list().await.unwrap() {
            held += self
                .fixture
                .client
                .balance(&entry.validator_stake)
                .await
                .unwrap();
            if entry.has_transient() {
                held += self
                    .fixture
                    .client
                    .balance(&entry.transient_stake)
                    .await
                    .unwrap();
            }
        }
        let owed = pool.total_lamports
            + pool.release.lamports
            + pool.ticket_lamports
            + pool.floor_lamports
            + pool.tips.pending_to_stakers
            + pool.tips.pending_to_protocol;
        assert!(
            held + self.uncounted_loss >= owed,
            "the pool holds {held} (and lost {}) but owes {owed}",
            self.uncounted_loss
        );
        // No validator was paid more commission than was in force when its tips arrived.
        for validator in &self.validators {
            let paid = self
                .fixture
                .client
                .balance(&validator.payout)
                .await
                .unwrap();
            assert!(
                paid <= validator.commission_bound,
                "a validator holds {paid}, its tips' commission allowed {}",
                validator.commission_bound
            );
        }
        // The price falls only by a loss counted at a roll (`next_epoch` settles those).
        let rate = self.fixture.rate().await;
        assert!(!fell(self.rate, rate), "{:?} → {rate:?}", self.rate);
        self.settle(rate).await;
        // No actor gained, since the last check, more than holding its shares earned (a
        // lamport of rounding each time its holding is valued).
        for actor in 0..self.actors.len() {
            let profit = self.profit(actor).await;
            let gained = profit - self.actors[actor].profit;
            let actor_state = &mut self.actors[actor];
            let earned = actor_state.earned - actor_state.earned_checked;
            assert!(
                gained <= earned + 2,
                "actor {actor} gained {gained} lamports; holding earned {earned}"
            );
            actor_state.profit = profit;
            actor_state.earned_checked = actor_state.earned;
        }
    }

    /// What `actor` holds now, its shares and open tickets at their value, less what it had.
    async fn profit(&mut self, actor: usize) -> i128 {
        let owner = self.actors[actor].key.pubkey();
        let shares = self.shares(actor).await;
        let mut holds = self.fixture.wallet(&owner).await + self.fixture.value_of(shares).await;
        let tickets: Vec<Pubkey> = self
            .tickets
            .iter()
            .filter(|ticket| ticket.owner == actor)
            .map(|ticket| ticket.address)
            .collect();
        for ticket in tickets {
            holds += self.fixture.client.ticket_owed(&ticket).await.unwrap();
            holds += self.fixture.client.balance(&ticket).await.unwrap();
        }
        holds as i128 - self.actors[actor].start as i128
    }

    /// Every holder leaves by a ticket; every ticket is paid within the bound.
    async fn everyone_leaves(&mut self) {
        for actor in 0..self.actors.len() {
            let shares = self.shares(actor).await;
            if shares > 0 {
                self.order_ticket(actor, shares).await;
            }
        }
        for _ in 0..=TICKET_EPOCHS {
            if self.tickets.is_empty() {
                break;
            }
            self.next_epoch().await;
            self.check().await;
        }
        assert!(
            self.tickets.is_empty(),
            "{} tickets unpaid",
            self.tickets.len()
        );
        assert_eq!(self.fixture.pool_state().await.ticket_lamports, 0);
    }
}

/// What `shares` are worth at `rate`.
fn value(shares: u64, (total, supply): (u64, u64)) -> u64 {
    tributary::math::shares_to_lamports(shares, total, supply).unwrap_or(0)
}

/// Whether the price fell from `before` to `after`, compared without division.
fn fell((total, supply): (u64, u64), (new_total, new_supply): (u64, u64)) -> bool {
    (new_total as u128) * (supply as u128) < (total as u128) * (new_supply as u128)
}

/// A refusal the run allows; anything else fails it.
#[track_caller]
fn expected(err: ClientError, allowed: &[TributaryError]) {
    assert!(
        allowed.iter().any(|code| err.is(*code)),
        "unexpected refusal: {err}"
    );
}

async fn run(seed: u64) {
    let mut world = World::new(seed).await;
    for _ in 0..EPOCHS {
        for _ in 0..STEPS_PER_EPOCH {
            world.step().await;
            world.check().await;
        }
        world.next_epoch().await;
        world.check().await;
    }
    world.everyone_leaves().await;
}

macro_rules! seeds {
    ($($name:ident: $first:expr),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                for seed in $first..$first + 5 {
                    run(seed).await;
                }
            }
        )*
    };
}

seeds! {
    a_randomized_attacker_gains_nothing_seeds_1_to_5: 1,
    a_randomized_attacker_gains_nothing_seeds_6_to_10: 6,
    a_randomized_attacker_gains_nothing_seeds_11_to_15: 11,
    a_randomized_attacker_gains_nothing_seeds_16_to_20: 16,
}
