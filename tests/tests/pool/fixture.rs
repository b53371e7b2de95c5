use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::system_instruction;
use solana_sdk::signature::{Keypair, Signer};
use solana_stake_interface::state::{Meta, Stake, StakeStateV2};
use tributary::errors::TributaryError;
use tributary::events::UpdatePoolEvent;
use tributary::instructions::InitializePoolArgs;
use tributary::math::{share_price, shares_to_lamports};
use tributary::state::{Fees, Pool};
use tributary_client::{BankClient, ClientError, LAMPORTS_PER_SOL};

pub const SOL: u64 = LAMPORTS_PER_SOL;

pub const FEES: Fees = Fees {
    deposit_bps: 10,
    withdrawal_bps: 30,
    ticket_bps: 5,
    epoch_bps: 500,
    mev_bps: 800,
    mev_commission_cap_bps: 1_000,
};

/// Tips may raise the share price by 1% an epoch in the fixture's pools.
pub const TIP_RATE_CAP_BPS: u16 = 100;

pub struct Fixture {
    pub client: BankClient,
    pub admin: Keypair,
    pub operator: Keypair,
    pub pool: Keypair,
}

pub fn pool_args(fees: Fees) -> InitializePoolArgs {
    pool_args_with_operator(fees, Keypair::new().pubkey())
}

pub fn pool_args_with_operator(fees: Fees, operator: Pubkey) -> InitializePoolArgs {
    InitializePoolArgs {
        operator,
        fees,
        tip_rate_cap_bps: TIP_RATE_CAP_BPS,
        name: "Tributary Staked SOL".into(),
        symbol: "trSOL".into(),
        uri: "https://example.org/trsol.json".into(),
    }
}

impl Fixture {
    /// A bank with one pool, open for deposits in the current epoch.
    pub async fn new(fees: Fees) -> Self {
        let mut client = BankClient::start().await;
        let admin = client.funded_keypair(10 * SOL).await.unwrap();
        let operator = client.funded_keypair(10 * SOL).await.unwrap();
        let pool = Keypair::new();
        let treasury_owner = Keypair::new();
        let args = pool_args_with_operator(fees, operator.pubkey());
        client
            .initialize_pool(&admin, &pool, &treasury_owner.pubkey(), args)
            .await
            .unwrap();
        Self {
            client,
            admin,
            operator,
            pool,
        }
    }

    pub async fn staker(&mut self, lamports: u64) -> Keypair {
        self.client.funded_keypair(lamports).await.unwrap()
    }

    pub async fn pool_state(&mut self) -> Pool {
        self.client.pool_state().await.unwrap()
    }

    /// Everything a refused instruction must leave as it was.
    pub async fn snapshot(&mut self, staker: &Keypair) -> Snapshot {
        let pool = self.pool_state().await;
        let reserve = self.client.addresses().unwrap().reserve;
        Snapshot {
            total_lamports: pool.total_lamports,
            pending_treasury_shares: pool.pending_treasury_shares,
            supply: self.client.mint_state().await.unwrap().supply,
            reserve_lamports: self.client.balance(&reserve).await.unwrap(),
            staker_lamports: self.client.balance(&staker.pubkey()).await.unwrap(),
            staker_shares: self.client.shares_of(&staker.pubkey()).await.unwrap(),
            treasury_shares: self.client.token_balance(&pool.treasury).await.unwrap(),
        }
    }

    /// A token account of `owner` for the mint of a second pool in the same bank; the client
    /// stays on the first pool.
    pub async fn foreign_token_account(&mut self, owner: &Pubkey) -> Pubkey {
        let first_pool = self.client.addresses().unwrap().pool;
        let admin = self.admin.pubkey();
        self.second_pool(&admin).await;
        let account = self.client.create_token_account(owner).await.unwrap();
        self.client.use_pool(first_pool);
        account
    }

    /// A second pool in the same bank, by the same admin, its fees owed to `treasury_owner`;
    /// the client acts on it from now on.
    pub async fn second_pool(&mut self, treasury_owner: &Pubkey) -> Pubkey {
        let admin = self.admin.insecure_clone();
        let pool = Keypair::new();
        self.client
            .initialize_pool(&admin, &pool, treasury_owner, pool_args(FEES))
            .await
            .unwrap();
        pool.pubkey()
    }

    /// A new staker who deposited `lamports` and keeps 10 SOL besides.
    pub async fn depositor(&mut self, lamports: u64) -> Keypair {
        let staker = self.staker(lamports + 10 * SOL).await;
        self.client.deposit_sol(&staker, lamports, 0).await.unwrap();
        staker
    }

    /// Stakes `lamports` more with the validator voting with `vote` and lets them activate: two
    /// epochs later, cranked.
    pub async fn stake_with(&mut self, vote: &Pubkey, lamports: u64) {
        let operator = self.operator.insecure_clone();
        self.client
            .increase_validator_stake(&operator, vote, lamports)
            .await
            .unwrap();
        self.client.warp_epochs(2).await.unwrap();
        self.client.crank().await.unwrap();
    }

    /// A validator added to the pool that declares `commission_bps` of MEV commission, paid to
    /// a funded account: its vote account, its withdrawer and its payout account.
    pub async fn sharing_validator(&mut self, commission_bps: u16) -> (Pubkey, Keypair, Pubkey) {
        let (vote, withdrawer) = self.client.create_vote_account(5).await.unwrap();
        let operator = self.operator.insecure_clone();
        self.client.add_validator(&operator, &vote).await.unwrap();
        let payout = self.staker(SOL).await.pubkey();
        self.client
            .set_mev_commission(&withdrawer, &vote, commission_bps, &payout)
            .await
            .unwrap();
        (vote, withdrawer, payout)
    }

    /// The next epoch, cranked: what was counted since the last roll is counted. Returns the roll.
    pub async fn roll(&mut self) -> UpdatePoolEvent {
        self.client.warp_epochs(1).await.unwrap();
        let crank = self.client.crank().await.unwrap();
        crank.roll.into_event().expect("the pool rolls each epoch")
    }

    /// One validator, and a staker who deposited `lamports`, all but 1 SOL of them staked with it
    /// and active, and who ordered a ticket for four fifths of its shares: more than the
    /// reserve holds. Returns the staker and the ticket.
    pub async fn staker_with_a_large_ticket(&mut self, lamports: u64) -> (Keypair, Pubkey) {
        let votes = self.with_validators(0, 1).await;
        let staker = self.depositor(lamports).await;
        self.stake_with(&votes[0], lamports - SOL).await;
        let shares = self.client.shares_of(&staker.pubkey()).await.unwrap();
        let (ticket, _) = self
            .client
            .order_unstake(&staker, shares * 8 / 10)
            .await
            .unwrap();
        (staker, ticket)
    }

    /// A new vote account in the bank, created by the vote program.
    pub async fn vote_account(&mut self) -> Pubkey {
        self.client.create_vote_account(5).await.unwrap().0
    }

    /// Deposits `lamports` (if any) from a new staker and adds `validators` validators.
    pub async fn with_validators(&mut self, lamports: u64, validators: usize) -> Vec<Pubkey> {
        if lamports > 0 {
            let staker = self.staker(lamports + SOL).await;
            self.client.deposit_sol(&staker, lamports, 0).await.unwrap();
        }
        let mut votes = Vec::with_capacity(validators);
        for _ in 0..validators {
            let vote = self.vote_account().await;
            let operator = self.operator.insecure_clone();
            self.client.add_validator(&operator, &vote).await.unwrap();
            votes.push(vote);
        }
        votes
    }

    /// What Token-2022's `AmountToUiAmount` returns for `shares` of the pool's mint, run in the
    /// bank.
    pub async fn token_2022_ui_amount(&mut self, shares: u64) -> String {
        let mint = self.client.addresses().unwrap().mint;
        let ix = spl_token_2022_interface::instruction::amount_to_ui_amount(
            &spl_token_2022_interface::ID,
            &mint,
            shares,
        )
        .unwrap();
        let context = self.client.context();
        let payer = context.payer.insecure_clone();
        let blockhash = context.banks_client.get_latest_blockhash().await.unwrap();
        let transaction = solana_sdk::transaction::Transaction::new_signed_with_payer(
            &[ix],
            Some(&payer.pubkey()),
            &[&payer],
            blockhash,
        );
        let simulation = context
            .banks_client
            .simulate_transaction(transaction)
            .await
            .unwrap();
        let data = simulation
            .simulation_details
            .unwrap()
            .return_data
            .unwrap()
            .data;
        String::from_utf8(data).unwrap()
    }

    /// `votes` weighed alike in `Manual` mode, the whole pool theirs to hold but
    /// `reserve_buffer_bps`, with no cap on what moves in an epoch.
    pub async fn weigh_evenly(&mut self, votes: &[Pubkey], reserve_buffer_bps: u16) {
        let operator = self.operator.insecure_clone();
        let strategy = tributary::state::Strategy {
            mode: tributary::state::StrategyMode::Manual,
            validator_cap_bps: 10_000,
            reserve_buffer_bps,
            max_move_bps: 10_000,
            rule: Default::default(),
        };
        self.client.set_strategy(&operator, strategy).await.unwrap();
        for vote in votes {
            self.client.set_weight(&operator, vote, 1).await.unwrap();
        }
    }

    /// What `owner` holds outside the pool: its lamports and its token account's rent.
    pub async fn wallet(&mut self, owner: &Pubkey) -> u64 {
        let token_account = self.client.addresses().unwrap().token_account(owner);
        self.client.balance(owner).await.unwrap()
            + self.client.balance(&token_account).await.unwrap()
    }

    /// The stakers' lamports, the income counted but not yet released included.
    pub async fn stakers_lamports(&mut self) -> u64 {
        let pool = self.pool_state().await;
        pool.total_lamports + pool.release.lamports
    }

    /// The pool's lamports (the income released by now included) and share supply: the rate.
    pub async fn rate(&mut self) -> (u64, u64) {
        let quote = self.client.quote().await.unwrap();
        (quote.pool.total_lamports, quote.supply)
    }

    /// Lamports `shares` are worth at the pool's rate now.
    pub async fn value_of(&mut self, shares: u64) -> u64 {
        let (total, supply) = self.rate().await;
        shares_to_lamports(shares, total, supply).unwrap()
    }

    /// The pool's share price now.
    pub async fn price(&mut self) -> f64 {
        let (total, supply) = self.rate().await;
        share_price(total, supply)
    }

    /// Rewrites a stake account's state in the bank, as only the runtime or another party
    /// could: a slash, a deactivation, new authorities. `lamports_cut` leave the account.
    pub async fn edit_stake(
        &mut self,
        stake_account: &Pubkey,
        lamports_cut: u64,
        edit: impl FnOnce(&mut Meta, &mut Stake),
    ) {
        let mut account = self.client.account(stake_account).await.unwrap().unwrap();
        let mut state: StakeStateV2 = bincode::deserialize(&account.data).unwrap();
        if let StakeStateV2::Stake(meta, stake, _) = &mut state {
            edit(meta, stake);
        }
        let data = bincode::serialize(&state).unwrap();
        account.data[..data.len()].copy_from_slice(&data);
        account.lamports -= lamports_cut;
        self.client
            .context()
            .set_account(stake_account, &account.into());
    }

    /// Cuts `lamports` from a delegated stake account's balance and delegation, as a slash would.
    pub async fn slash(&mut self, stake_account: &Pubkey, lamports: u64) {
        self.edit_stake(stake_account, lamports, |_, stake| {
            stake.delegation.stake -= lamports
        })
        .await;
    }

    /// A plain transfer from `from`: a donation, a tip.
    pub async fn donate(&mut self, from: &Keypair, to: &Pubkey, lamports: u64) {
        let ix = system_instruction::transfer(&from.pubkey(), to, lamports);
        self.client.send(&[ix], &[from]).await.unwrap();
    }

    pub async fn reserve_rent(&mut self) -> u64 {
        let rent = self.client.rent().await.unwrap();
        rent.minimum_balance(0)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub total_lamports: u64,
    pub pending_treasury_shares: u64,
    pub supply: u64,
    pub reserve_lamports: u64,
    pub staker_lamports: u64,
    pub staker_shares: u64,
    pub treasury_shares: u64,
}

/// Asserts that `result` failed with exactly `expected`.
#[track_caller]
pub fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, ClientError>,
    expected: TributaryError,
) {
    let err = result.expect_err("the instruction should have been refused");
    assert_eq!(
        err.custom_code(),
        Some(u32::from(expected)),
        "expected {expected:?}, got {err}"
    );
}

/// The fee on `amount` at `bps`, rounded up as the program does.
pub fn fee(amount: u64, bps: u16) -> u64 {
    tributary::math::split_fee(amount, bps)
        .expect("a fee that fits")
        .fee
}
