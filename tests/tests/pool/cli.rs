//! The `tributary` CLI end to end: its arguments parsed as the binary parses them, each command
//! run through the same `cli::execute_with` the binary calls, against the in-process bank.

use anchor_lang::prelude::Pubkey;
use clap::Parser;
use solana_sdk::signature::{Keypair, Signer};
use solana_stake_interface::instruction as stake_instruction;
use solana_stake_interface::state::{Authorized, Lockup};
use tributary::errors::TributaryError;
use tributary::math::{quote_deposit, quote_withdraw};
use tributary::state::{Strategy, StrategyMode, ValidatorStatus};
use tributary_cli::cli::{self, Cli, CliError, Output};
use tributary_client::pda::PoolAddresses;
use tributary_client::BankClient;

use crate::fixture::{FEES, SOL};

/// A user at a terminal: the bank, and the pool `init` or `setup` made.
struct Shell {
    client: BankClient,
    admin: Keypair,
    pool: Option<Pubkey>,
}

impl Shell {
    async fn new() -> Self {
        let mut client = BankClient::start().await;
        let admin = client.funded_keypair(100 * SOL).await.unwrap();
        Self {
            client,
            admin,
            pool: None,
        }
    }

    /// A shell with a pool made by `tributary init`, with the fixture's fees.
    async fn with_pool() -> Self {
        let mut shell = Self::new().await;
        let admin = shell.admin.insecure_clone();
        let output = shell
            .run(
                &admin,
                "init --deposit-bps 10 --withdrawal-bps 30 --ticket-bps 5 --epoch-bps 500 \
                 --mev-bps 800 --mev-commission-cap-bps 1000",
            )
            .await
            .unwrap();
        shell.pool = Some(output.json["pool"].as_str().unwrap().parse().unwrap());
        shell
    }

    fn parse(&self, args: &str) -> Result<Cli, clap::Error> {
        let mut argv = vec!["tributary".to_string()];
        if let Some(pool) = self.pool {
            argv.extend(["--pool".to_string(), pool.to_string()]);
        }
        argv.extend(args.split_whitespace().map(String::from));
        Cli::try_parse_from(argv)
    }

    async fn run(&mut self, signer: &Keypair, args: &str) -> Result<Output, CliError> {
        let cli = self
            .parse(args)
            .unwrap_or_else(|err| panic!("{args}: {err}"));
        cli::execute_with(&mut self.client, signer, cli.pool, cli.command, &cli.flags).await
    }

    async fn user(&mut self, lamports: u64) -> Keypair {
        self.client.funded_keypair(lamports).await.unwrap()
    }

    async fn lamports(&mut self, key: &Pubkey) -> u64 {
        self.client.balance(key).await.unwrap()
    }

    async fn shares(&mut self, key: &Pubkey) -> u64 {
        self.client.shares_of(key).await.unwrap()
    }

    /// The pool's lamports, share supply and reserve, and `user`'s lamports and shares.
    async fn snapshot(&mut self, user: &Pubkey) -> [u64; 5] {
        let pool = self.client.pool_state().await.unwrap();
        let reserve = self.client.addresses().unwrap().reserve;
        [
            pool.total_lamports,
            pool.share_supply(self.client.mint_state().await.unwrap().supply)
                .unwrap(),
            self.lamports(&reserve).await,
            self.lamports(user).await,
            self.shares(user).await,
        ]
    }
}

#[track_caller]
fn assert_program_error(result: Result<Output, CliError>, expected: TributaryError) {
    match result {
        Err(CliError::Client(err)) if err.is(expected) => {}
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn init_creates_a_pool_with_its_tip_accounts() {
    let mut shell = Shell::with_pool().await;
    let pool = shell.client.pool_state().await.unwrap();
    assert_eq!(pool.admin, shell.admin.pubkey());
    assert_eq!(pool.operator, shell.admin.pubkey());
    assert_eq!(pool.fees, FEES);
    for tip_account in PoolAddresses::new(shell.pool.unwrap()).tip_accounts() {
        assert!(shell.client.account(&tip_account).await.unwrap().is_some());
    }
    let mint = shell.client.mint_state().await.unwrap();
    assert_eq!(
        (mint.name.as_str(), mint.symbol.as_str()),
        ("Tributary Staked SOL", "trSOL")
    );
}

#[tokio::test]
async fn a_staker_deposits_and_withdraws_in_sol() {
    let mut shell = Shell::with_pool().await;
    let staker = shell.user(10 * SOL).await;
    let rent = shell.client.rent().await.unwrap();

    let output = shell.run(&staker, "deposit 2.5").await.unwrap();
    let expected = quote_deposit(2_500_000_000, 0, 0, 10).unwrap().user_shares;
    assert_eq!(expected, 2_497_500_000);
    assert_eq!(output.json["shares"], expected);
    assert_eq!(shell.shares(&staker.pubkey()).await, expected);
    // The deposit and the staker's new token account (170 bytes), nothing else.
    assert_eq!(
        shell.lamports(&staker.pubkey()).await,
        10 * SOL - 2_500_000_000 - rent.minimum_balance(170)
    );

    // One SOL's worth of tokens, rounded up to whole shares, less the withdrawal fee.
    let [total, supply, _, before, held] = shell.snapshot(&staker.pubkey()).await;
    let shares = (u128::from(SOL) * u128::from(supply)).div_ceil(u128::from(total)) as u64;
    let quote = quote_withdraw(shares, total, supply, 30).unwrap();
    let output = shell.run(&staker, "withdraw 1").await.unwrap();
    assert_eq!(output.json["shares"], shares);
    assert_eq!(output.json["lamports"], quote.lamports);
    assert_eq!(
        shell.lamports(&staker.pubkey()).await,
        before + quote.lamports
    );
    assert_eq!(shell.shares(&staker.pubkey()).await, held - shares);

    let shown = shell.run(&staker, "show").await.unwrap().json;
    let pool = shell.client.pool_state().await.unwrap();
    assert_eq!(shown["total_lamports"], pool.total_lamports);
    assert_eq!(shown["holder"]["shares"], held - shares);
    assert_eq!(shown["paused"], false);

    shell.run(&staker, "withdraw ALL").await.unwrap();
    assert_eq!(shell.shares(&staker.pubkey()).await, 0);
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_moves() {
    let mut shell = Shell::with_pool().await;
    let staker = shell.user(10 * SOL).await;
    shell.run(&staker, "deposit 2").await.unwrap();
    let before = shell.snapshot(&staker.pubkey()).await;

    // Refused by the parser.
    for args in [
        "deposit abc",
        "deposit -1",
        "deposit 1.0000000001",
        "deposit",
        "withdraw some",
        "set-strategy --mode sideways",
        "add-validator not-a-key",
        "tip 1 --validator 123",
    ] {
        assert!(shell.parse(args).is_err(), "{args} parsed");
    }

    // Refused before sending anything.
    let too_much = shell.run(&staker, "deposit 9").await;
    assert!(
        matches!(too_much, Err(CliError::InsufficientBalance { .. })),
        "{too_much:?}"
    );
    let overdrawn = shell.run(&staker, "withdraw 2.5").await;
    assert!(
        matches!(overdrawn, Err(CliError::InsufficientBalance { .. })),
        "{overdrawn:?}"
    );

    // Refused by the program, with its error's name in the message.
    let zero = shell.run(&staker, "deposit 0").await;
    let message = zero.as_ref().unwrap_err().to_string();
    assert!(message.contains("ZeroAmount (6000)"), "{message}");
    assert_program_error(zero, TributaryError::ZeroAmount);
    assert_program_error(shell.run(&staker, "pause").await, TributaryError::NotAdmin);
    let (vote, _) = shell.client.create_vote_account(5).await.unwrap();
    assert_program_error(
        shell.run(&staker, &format!("add-validator {vote}")).await,
        TributaryError::NotOperator,
    );
    let stranger = Keypair::new().pubkey();
    let unknown = shell
        .run(&staker, &format!("set-weight {stranger} 1"))
        .await;
    assert!(
        matches!(unknown, Err(CliError::Client(tributary_client::ClientError::UnknownValidator(key))) if key == stranger),
        "{unknown:?}"
    );
    assert_eq!(shell.snapshot(&staker.pubkey()).await, before);

    // Paused: deposits are refused, withdrawals still work.
    let admin = shell.admin.insecure_clone();
    shell.run(&admin, "pause").await.unwrap();
    assert_program_error(
        shell.run(&staker, "deposit 1").await,
        TributaryError::Paused,
    );
    assert_eq!(shell.snapshot(&staker.pubkey()).await, before);
    shell.run(&staker, "withdraw 0.5").await.unwrap();
    shell.run(&admin, "unpause").await.unwrap();
    shell.run(&staker, "deposit 1").await.unwrap();

    // An address that is no pool, and no pool at all.
    shell.pool = Some(stranger);
    let unknown_pool = shell.run(&staker, "show").await;
    assert!(
        matches!(unknown_pool, Err(CliError::UnknownPool { pool, .. }) if pool == stranger),
        "{unknown_pool:?}"
    );
    shell.pool = None;
    assert!(matches!(
        shell.run(&staker, "deposit 1").await,
        Err(CliError::NoPool)
    ));
}

/// A stake account of `owner` delegated to `vote`.
async fn user_stake(shell: &mut Shell, owner: &Keypair, vote: &Pubkey, lamports: u64) -> Pubkey {
    let stake = Keypair::new();
    let ixs = stake_instruction::create_account_and_delegate_stake(
        &owner.pubkey(),
        &stake.pubkey(),
        vote,
        &Authorized::auto(&owner.pubkey()),
        &Lockup::default(),
        lamports,
    );
    shell.client.send(&ixs, &[owner, &stake]).await.unwrap();
    stake.pubkey()
}

#[tokio::test]
async fn operator_searcher_and_crank_runner_flows() {
    let mut shell = Shell::with_pool().await;
    let admin = shell.admin.insecure_clone();
    let staker = shell.user(30 * SOL).await;
    shell.run(&staker, "deposit 20").await.unwrap();
    let (vote, _node) = shell.client.create_vote_account(5).await.unwrap();
    let pool_key = shell.pool.unwrap();

    let added = shell
        .run(&admin, &format!("add-validator {vote}"))
        .await
        .unwrap();
    let vault = PoolAddresses::new(pool_key).mev_vault(&vote);
    assert_eq!(added.json["tip_account"], vault.to_string());
    shell
        .run(&admin, &format!("set-weight {vote} 3"))
        .await
        .unwrap();
    let entries = shell.client.validator_list().await.unwrap();
    assert_eq!(
        (entries.len(), entries[0].vote, entries[0].weight),
        (1, vote, 3)
    );

    shell
        .run(
            &admin,
            "set-strategy --mode manual --validator-cap-bps 10000 --reserve-buffer-bps 2000 \
             --max-move-bps 10000",
        )
        .await
        .unwrap();
    let strategy = Strategy {
        mode: StrategyMode::Manual,
        validator_cap_bps: 10_000,
        reserve_buffer_bps: 2_000,
        max_move_bps: 10_000,
        rule: Default::default(),
    };
    assert_eq!(shell.client.pool_state().await.unwrap().strategy, strategy);
    // Settings not given stay as they were.
    shell
        .run(&admin, "set-strategy --max-move-bps 5000")
        .await
        .unwrap();
    let pool = shell.client.pool_state().await.unwrap();
    assert_eq!(
        pool.strategy,
        Strategy {
            max_move_bps: 5_000,
            ..strategy
        }
    );
    // A cut applies at once; the other fees stay.
    shell.run(&admin, "set-fees --mev-bps 500").await.unwrap();
    let pool = shell.client.pool_state().await.unwrap();
    assert_eq!((pool.fees.mev_bps, pool.fees.deposit_bps), (500, 10));

    // A searcher tips the validator's tip account; anyone distributes.
    let searcher = shell.user(5 * SOL).await;
    // A tip of nothing is refused before anything is sent.
    let landed = shell.client.transactions_landed();
    let zero = shell
        .run(&searcher, &format!("tip 0 --validator {vote}"))
        .await
        .unwrap_err();
    assert_eq!(
        zero.to_string(),
        "a tip of 0 SOL moves nothing: tip an amount above zero"
    );
    assert_eq!(zero.exit_code(), 2);
    assert_eq!(shell.client.transactions_landed(), landed);
    shell
        .run(&searcher, &format!("tip 1 --validator {vote}"))
        .await
        .unwrap();
    assert_eq!(shell.client.pending_tips(&vault).await.unwrap(), SOL);
    let total_before = shell.client.pool_state().await.unwrap().total_lamports;
    let distributed = shell.run(&searcher, "distribute").await.unwrap().json;
    assert_eq!(distributed["distributions"], 1);
    let split = ["to_validators", "to_protocol", "to_stakers"]
        .map(|part| distributed[part].as_u64().unwrap());
    // The tip rate cap (1% of the pool at the last roll) holds part of it back; the rest
    // waits in the reserve for the next roll.
    let processed = distributed["tips"].as_u64().unwrap();
    assert_eq!(split.iter().sum::<u64>(), processed);
    assert!(processed > 0 && processed <= SOL);
    let pool = shell.client.pool_state().await.unwrap();
    assert_eq!(pool.total_lamports, total_before);
    assert_eq!(
        (pool.tips.pending_to_protocol, pool.tips.pending_to_stakers),
        (split[1], split[2])
    );
    let ledger = shell
        .run(&searcher, &format!("show --validator {vote}"))
        .await
        .unwrap()
        .json;
    // The ledger records the whole tip as it was split, what the cap holds back included.
    let record = ledger["ledger"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(record["tipped"], SOL);
    assert_eq!(ledger["validator"], vote.to_string());
    assert_eq!(ledger["vault_to_stakers"], record["to_stakers"]);

    // The crank brings the pool to the new epoch and moves the reserve to the validator.
    let epoch = shell.client.warp_epochs(1).await.unwrap();
    let cranked = shell.run(&searcher, "crank").await.unwrap().json;
    assert_eq!(cranked["epoch"], epoch);
    assert_eq!(cranked["rebalances"], 1);
    assert_eq!(
        shell.client.pool_state().await.unwrap().last_update_epoch,
        epoch
    );
    let entry = shell.client.validator_list().await.unwrap()[0];
    assert!(entry.transient_lamports > 0, "{entry:?}");

    // Tickets: ordered now, claimable after the boundary.
    let ordered = shell.run(&staker, "unstake 1").await.unwrap().json;
    let ticket: Pubkey = ordered["ticket"].as_str().unwrap().parse().unwrap();
    let owed = ordered["lamports"].as_u64().unwrap();
    let shown = shell
        .run(&staker, &format!("show --ticket {ticket}"))
        .await
        .unwrap();
    assert_eq!(shown.json["lamports"], owed);
    assert_program_error(
        shell.run(&staker, &format!("claim {ticket}")).await,
        TributaryError::TicketNotDue,
    );
    shell.client.warp_epochs(1).await.unwrap();
    shell.run(&searcher, "crank").await.unwrap();
    let before = shell.lamports(&staker.pubkey()).await;
    // The ticket's own rent comes back with what it is owed.
    let ticket_rent = shell.lamports(&ticket).await;
    shell
        .run(&staker, &format!("claim {ticket}"))
        .await
        .unwrap();
    assert_eq!(
        shell.lamports(&staker.pubkey()).await,
        before + owed + ticket_rent
    );
    assert!(shell.client.account(&ticket).await.unwrap().is_none());

    // Stake in and out: the staker's own stake account, then a split of the pool's, once the
    // validator's stake has settled (no rebalance under way).
    shell
        .run(&admin, "set-strategy --max-move-bps 0")
        .await
        .unwrap();
    let stake = user_stake(&mut shell, &staker, &vote, 2 * SOL).await;
    shell.client.warp_epochs(2).await.unwrap();
    shell.run(&searcher, "crank").await.unwrap();
    let held = shell.shares(&staker.pubkey()).await;
    let deposited = shell
        .run(&staker, &format!("deposit-stake {stake}"))
        .await
        .unwrap()
        .json;
    assert_eq!(deposited["validator"], vote.to_string());
    let gained = deposited["shares"].as_u64().unwrap();
    assert!(gained > 0);
    assert_eq!(shell.shares(&staker.pubkey()).await, held + gained);
    let withdrawn = shell.run(&staker, "withdraw-stake 1").await.unwrap().json;
    let split_off: Pubkey = withdrawn["stake_account"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        shell.client.delegation(&split_off).await.unwrap() > 0,
        withdrawn["lamports"].as_u64().unwrap() > 0
    );

    shell
        .run(&admin, &format!("remove-validator {vote}"))
        .await
        .unwrap();
    let entry = shell.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.status(), ValidatorStatus::Removing);
}

#[tokio::test]
async fn create_lookup_table_packs_the_crank_and_only_the_operator_may() {
    const VALIDATORS: usize = 30;
    let mut shell = Shell::with_pool().await;
    let admin = shell.admin.insecure_clone();
    for _ in 0..VALIDATORS {
        let (vote, _) = shell.client.create_vote_account(5).await.unwrap();
        shell
            .run(&admin, &format!("add-validator {vote}"))
            .await
            .unwrap();
    }

    // A stranger is refused before anything is made or paid.
    let stranger = shell.user(SOL).await;
    let err = shell
        .run(&stranger, "create-lookup-table")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("is not the pool's operator"),
        "{err}"
    );
    assert_eq!(shell.lamports(&stranger.pubkey()).await, SOL);
    assert_eq!(
        shell.client.pool_state().await.unwrap().lookup_table,
        Pubkey::default()
    );

    let made = shell.run(&admin, "create-lookup-table").await.unwrap().json;
    let addresses = 7 + 2 * VALIDATORS;
    assert_eq!(made["tables"], 1, "{made}");
    assert_eq!(
        (made["created"].as_u64(), made["added"].as_u64()),
        (Some(2), Some(addresses as u64))
    );
    assert_eq!(made["addresses"], addresses, "{made}");
    let directory: Pubkey = made["directory"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        shell.client.pool_state().await.unwrap().lookup_table,
        directory
    );
    // Nothing new to add the second time.
    let again = shell.run(&admin, "create-lookup-table").await.unwrap().json;
    assert_eq!(
        (again["created"].as_u64(), again["added"].as_u64()),
        (Some(0), Some(0))
    );

    // Thirty validators with nothing to settle: two legacy transactions, one v0 through the
    // tables.
    shell.client.warp_epochs(1).await.unwrap();
    let cranked = shell.run(&admin, "crank").await.unwrap().json;
    assert_eq!(cranked["update_transactions"], 1, "{cranked}");
}

#[tokio::test]
async fn setup_creates_a_pool_once_and_then_changes_only_what_differs() {
    let mut shell = Shell::new().await;
    let admin = shell.admin.insecure_clone();
    let (first, _) = shell.client.create_vote_account(5).await.unwrap();
    let (second, _) = shell.client.create_vote_account(7).await.unwrap();
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("pool.toml");
    let write = |second_weight: u32| {
        let text = format!(
            r#"
[pool]
keypair = "pool-keypair.json"
name = "Local Staked SOL"
symbol = "lSOL"
tip_rate_cap_bps = 100
seed_deposit = "5"
fees = {{ deposit_bps = 0, withdrawal_bps = 10, ticket_bps = 0, epoch_bps = 500, mev_bps = 500, mev_commission_cap_bps = 1000 }}

[strategy]
mode = "scored"
validator_cap_bps = 6000
reserve_buffer_bps = 1000
max_move_bps = 2000

[[validators]]
vote = "{first}"
weight = 2

[[validators]]
vote = "{second}"
weight = {second_weight}
"#
        );
        std::fs::write(&file, text).unwrap();
    };
    write(1);
    let setup = format!("setup {}", file.display());

    let created = shell.run(&admin, &setup).await.unwrap().json;
    let pool: Pubkey = created["pool"].as_str().unwrap().parse().unwrap();
    let actions = created["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 8, "{created}");
    // The crank's seven fixed accounts and each validator's two stake accounts.
    assert_eq!(
        actions[7], "added 11 addresses to the crank's lookup tables",
        "{created}"
    );
    assert!(folder.path().join("pool-keypair.json").exists());
    let state = shell.client.pool_state().await.unwrap();
    assert_eq!(shell.client.addresses().unwrap().pool, pool);
    assert_eq!(state.fees.withdrawal_bps, 10);
    assert_eq!(
        state.strategy,
        Strategy {
            mode: StrategyMode::Scored,
            validator_cap_bps: 6_000,
            reserve_buffer_bps: 1_000,
            max_move_bps: 2_000,
            rule: tributary::state::DelegationRule::RECOMMENDED,
        }
    );
    let weights: Vec<(Pubkey, u32)> = shell
        .client
        .validator_list()
        .await
        .unwrap()
        .iter()
        .map(|entry| (entry.vote, entry.weight))
        .collect();
    assert_eq!(weights, vec![(first, 2), (second, 1)]);
    assert_eq!(shell.shares(&admin.pubkey()).await, 5 * SOL);

    let again = shell.run(&admin, &setup).await.unwrap().json;
    assert_eq!(again["pool"], pool.to_string());
    assert_eq!(again["actions"].as_array().unwrap().len(), 0, "{again}");

    write(4);
    let changed = shell.run(&admin, &setup).await.unwrap().json;
    assert_eq!(
        changed["actions"],
        serde_json::json!([format!("set the weight of {second}")])
    );
    assert_eq!(shell.client.validator_list().await.unwrap()[1].weight, 4);
}

#[tokio::test]
async fn the_committed_migration_sets_up_a_pool_as_deploy_sh_runs_it() {
    let mut shell = Shell::new().await;
    let admin = shell.admin.insecure_clone();
    let (vote, _) = shell.client.create_vote_account(5).await.unwrap();
    let committed = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/localnet.toml");
    let folder = tempfile::tempdir().unwrap();
    let generated = folder.path().join("localnet.generated.toml");
    // What deploy.sh appends for the local test validator.
    let text = std::fs::read_to_string(committed).unwrap()
        + &format!("\n[[validators]]\nvote = \"{vote}\"\nweight = 1\n");
    std::fs::write(&generated, text).unwrap();

    let output = shell
        .run(&admin, &format!("setup {}", generated.display()))
        .await
        .unwrap();
    let pool: Pubkey = output.json["pool"].as_str().unwrap().parse().unwrap();
    assert_eq!(shell.client.addresses().unwrap().pool, pool);
    let state = shell.client.pool_state().await.unwrap();
    assert_eq!(state.strategy.mode, StrategyMode::Scored);
    assert_eq!(state.fees.epoch_bps, 500);
    let entries = shell.client.validator_list().await.unwrap();
    assert_eq!(
        (entries.len(), entries[0].vote, entries[0].weight),
        (1, vote, 1)
    );
    assert_eq!(shell.shares(&admin.pubkey()).await, 2 * SOL);
}

/// The JSON's figures, formatted as the text formats them, all in the text: one value said
/// twice.
#[track_caller]
fn text_says(output: &Output, figures: &[String]) {
    for figure in figures {
        assert!(
            output.text.contains(figure.as_str()),
            "{figure:?} not in {:?}",
            output.text
        );
    }
}

#[tokio::test]
async fn text_and_json_are_one_answer() {
    let mut shell = Shell::with_pool().await;
    let staker = shell.user(10 * SOL).await;
    let number = |output: &Output, key: &str| output.json[key].as_u64().unwrap();

    let deposited = shell.run(&staker, "deposit 2.5").await.unwrap();
    text_says(
        &deposited,
        &[
            format!("Deposited {} SOL", cli::sol(number(&deposited, "lamports"))),
            format!(
                "for {} {}",
                deposited.json["ui_amount"].as_str().unwrap(),
                deposited.json["symbol"].as_str().unwrap()
            ),
            deposited.json["signature"].as_str().unwrap().to_string(),
        ],
    );

    let shown = shell.run(&staker, "show").await.unwrap();
    let json = &shown.json;
    text_says(
        &shown,
        &[
            format!("Pool {}", json["pool"].as_str().unwrap()),
            format!(
                "{} SOL under management",
                cli::sol(number(&shown, "total_lamports"))
            ),
            format!(
                "for {} {} ({} shares, {:.9} SOL each)",
                json["supply_ui_amount"].as_str().unwrap(),
                json["holder"]["symbol"].as_str().unwrap(),
                cli::sol(number(&shown, "share_supply")),
                json["share_price"].as_f64().unwrap()
            ),
            format!(
                "pool tip accounts (tips to the stakers, no validator's commission): {} (0 SOL)",
                json["pool_tip_accounts"][0]["address"].as_str().unwrap()
            ),
            format!(
                "holds {} {} as a wallet shows it ({} shares; redeemable for {} SOL",
                json["holder"]["ui_amount"].as_str().unwrap(),
                json["holder"]["symbol"].as_str().unwrap(),
                cli::sol(json["holder"]["shares"].as_u64().unwrap()),
                cli::sol(json["holder"]["lamports"].as_u64().unwrap())
            ),
            format!("deposit {} bps", json["fees"]["deposit_bps"]),
            format!(
                "{} validator(s)",
                json["validators"].as_array().unwrap().len()
            ),
        ],
    );

    shell.client.warp_epochs(1).await.unwrap();
    let cranked = shell.run(&staker, "crank").await.unwrap();
    let json = &cranked.json;
    text_says(
        &cranked,
        &[
            format!("Pool at epoch {}", json["epoch"]),
            format!(
                "{} SOL of rewards and {} SOL of tips counted",
                cli::sol(json["roll"]["rewards"].as_u64().unwrap()),
                cli::sol(json["roll"]["tips"].as_u64().unwrap())
            ),
            format!("updated in {} transaction(s)", json["update_transactions"]),
            match json["distributions"]["distributions"].as_u64().unwrap() {
                0 => "Nothing to distribute".to_string(),
                count => format!("{count} distribution(s)"),
            },
            format!("{} rebalance(s)", json["rebalances"]),
        ],
    );
}

#[tokio::test]
async fn set_metadata_changes_what_wallets_show() {
    let mut shell = Shell::with_pool().await;
    let admin = shell.admin.insecure_clone();
    let stranger = shell.user(SOL).await;
    let uri = "https://example.org/trsol.json";
    let refused = shell
        .run(&stranger, &format!("set-metadata --uri {uri}"))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("NotAdmin"), "{refused}");
    // Nothing to change is refused before anything is sent.
    let landed = shell.client.transactions_landed();
    let nothing = shell.run(&admin, "set-metadata").await.unwrap_err();
    assert_eq!(
        nothing.to_string(),
        "nothing to change: give --name, --symbol or --uri"
    );
    assert_eq!(nothing.exit_code(), 2);
    assert_eq!(shell.client.transactions_landed(), landed);

    let set = shell
        .run(&admin, &format!("set-metadata --symbol TRIB --uri {uri}"))
        .await
        .unwrap();
    assert_eq!(set.json["symbol"], "TRIB");
    assert_eq!(set.json["uri"], uri);
    assert_eq!(set.json["name"], "Tributary Staked SOL");
    assert!(set.text.contains(&format!("(TRIB), {uri}")), "{}", set.text);
    let mint = shell.client.mint_state().await.unwrap();
    assert_eq!((mint.symbol.as_str(), mint.uri.as_str()), ("TRIB", uri));

    // Holdings are shown as a wallet shows them, in the new symbol.
    let staker = shell.user(3 * SOL).await;
    shell.run(&staker, "deposit 2").await.unwrap();
    let shown = shell.run(&staker, "show").await.unwrap();
    assert_eq!(shown.json["holder"]["symbol"], "TRIB");
    assert_eq!(shown.json["holder"]["ui_amount"], "1.998");
}

#[tokio::test]
async fn transaction_flags_set_the_fee_and_a_dry_run_sends_nothing() {
    let mut shell = Shell::with_pool().await;
    let staker = shell.user(10 * SOL).await;
    let payer = shell.client.payer();
    let before = shell.snapshot(&staker.pubkey()).await;
    let payer_before = shell.lamports(&payer).await;

    // A dry run: the transaction, its logs and the expected answer; nothing moves.
    let dry = shell
        .run(
            &staker,
            "--dry-run --with-compute-unit-price 1000 deposit 1",
        )
        .await
        .unwrap()
        .json;
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["expected"]["lamports"], SOL, "{dry}");
    let transaction = &dry["transactions"][0];
    let programs: Vec<&str> = transaction["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ix| ix["program"].as_str().unwrap())
        .collect();
    // The price and the limit (estimated by a simulation) come first; the deposit last.
    let budget = "ComputeBudget111111111111111111111111111111";
    assert_eq!(programs[..2], [budget, budget]);
    assert_eq!(programs.last(), Some(&tributary::ID.to_string().as_str()));
    assert!(transaction["logs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|line| line.as_str().unwrap().contains(" success")));
    assert_eq!(shell.snapshot(&staker.pubkey()).await, before);
    assert_eq!(shell.lamports(&payer).await, payer_before);

    // What it expected is what the command does, and it names no signature: none was sent.
    assert_eq!(dry["expected"]["shares"], SOL - SOL / 1_000, "{dry}");
    assert!(dry["expected"].get("signature").is_none(), "{dry}");

    // Sent with a price and a limit: the priority fee is price × limit, on top of two
    // signatures.
    let sent = shell
        .run(
            &staker,
            "--with-compute-unit-price 1000 --with-compute-unit-limit 300000 deposit 1",
        )
        .await
        .unwrap()
        .json;
    let priority_fee = 1_000 * 300_000 / 1_000_000;
    assert_eq!(
        payer_before - shell.lamports(&payer).await,
        2 * 5_000 + priority_fee
    );
    assert_eq!(shell.shares(&staker.pubkey()).await, SOL - SOL / 1_000);
    assert_eq!(sent["shares"], dry["expected"]["shares"]);
    assert!(sent["signature"].is_string());

    // A ticket's dry run reads what it is owed from the simulation: there is no ticket.
    let before = shell.snapshot(&staker.pubkey()).await;
    let ticket = shell
        .run(&staker, "--dry-run unstake 0.5")
        .await
        .unwrap()
        .json;
    let sent = shell.run(&staker, "unstake 0.5").await.unwrap().json;
    assert_eq!(ticket["expected"]["lamports"], sent["lamports"], "{ticket}");
    assert_ne!(before, shell.snapshot(&staker.pubkey()).await);

    // Across an epoch nothing moves in a dry run.
    shell.client.warp_epochs(1).await.unwrap();
    let before = shell.snapshot(&staker.pubkey()).await;
    let pool_before = shell.client.pool_state().await.unwrap().last_update_epoch;
    // This pool has no validators: the crank's dry run rolls it, on paper.
    let crank = shell.run(&staker, "--dry-run crank").await.unwrap().json;
    let epoch = shell.client.clock().await.unwrap().epoch;
    assert_eq!(crank["expected"]["epoch"], epoch, "{crank}");
    assert_eq!(crank["expected"]["roll"]["outcome"], "rolled");
    // A deposit's dry run simulates the crank's update first, and stops where the next
    // transaction needs it landed.
    let stopped = shell.run(&staker, "--dry-run deposit 1").await.unwrap();
    assert_eq!(stopped.json["expected"], serde_json::Value::Null);
    let simulated = stopped.json["transactions"].as_array().unwrap().len();
    assert!(simulated >= 1);
    let said = format!(
        "Stopped: transaction {} could not be simulated after the {simulated} before it, \
         which a dry run does not land: the program refused: ",
        simulated + 1
    );
    assert!(stopped.text.contains(&said), "{}", stopped.text);
    assert_eq!(shell.snapshot(&staker.pubkey()).await, before);
    assert_eq!(
        shell.client.pool_state().await.unwrap().last_update_epoch,
        pool_before
    );
}

#[tokio::test]
async fn a_pool_is_looked_for_under_the_program_id_given() {
    let mut shell = Shell::with_pool().await;
    let admin = shell.admin.insecure_clone();
    // The pool is under the compiled program id: under another it is not there.
    let other = Pubkey::new_unique();
    let refused = shell
        .run(&admin, &format!("--program-id {other} show"))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, CliError::UnknownPool { program, .. } if program == other),
        "{refused}"
    );
    assert!(refused.to_string().contains(&format!("program {other}")));
    let shown = shell
        .run(&admin, &format!("--program-id {} show", tributary::ID))
        .await
        .unwrap();
    assert_eq!(shown.json["pool"], shell.pool.unwrap().to_string());
}

#[tokio::test]
async fn every_role_and_commission_has_its_command() {
    let mut shell = Shell::with_pool().await;
    let admin = shell.admin.insecure_clone();
    let stranger = shell.user(SOL).await;
    // The admin's hand-over: proposed, refused to anyone else, accepted by the proposed admin.
    let next_admin = shell.user(5 * SOL).await;
    let proposed = shell
        .run(&admin, &format!("propose-admin {}", next_admin.pubkey()))
        .await
        .unwrap();
    assert_eq!(proposed.json["change"], "pending_admin");
    assert!(proposed.text.contains("accept-admin"), "{}", proposed.text);
    assert!(shell.run(&stranger, "accept-admin").await.is_err());
    shell.run(&next_admin, "accept-admin").await.unwrap();
    assert_eq!(
        shell.client.pool_state().await.unwrap().admin,
        next_admin.pubkey()
    );
    // The old admin no longer may; the new one sets the operator, the treasury (its token
    // account created), the tip rate cap.
    let operator = shell.user(5 * SOL).await;
    assert_program_error(
        shell
            .run(&admin, &format!("set-operator {}", operator.pubkey()))
            .await,
        TributaryError::NotAdmin,
    );
    shell
        .run(&next_admin, &format!("set-operator {}", operator.pubkey()))
        .await
        .unwrap();
    let treasurer = Keypair::new().pubkey();
    let set = shell
        .run(&next_admin, &format!("set-treasury {treasurer}"))
        .await
        .unwrap();
    let pool = shell.client.pool_state().await.unwrap();
    assert_eq!(pool.operator, operator.pubkey());
    let token_account = shell.client.addresses().unwrap().token_account(&treasurer);
    assert_eq!(pool.treasury, token_account);
    assert_eq!(set.json["value"], token_account.to_string());
    shell.run(&next_admin, "set-tip-rate-cap 25").await.unwrap();
    assert_eq!(
        shell.client.pool_state().await.unwrap().tips.rate_cap_bps,
        25
    );
    let landed = shell.client.transactions_landed();
    let over = shell
        .run(&next_admin, "set-tip-rate-cap 5000")
        .await
        .unwrap_err();
    assert_eq!(over.exit_code(), 2);
    assert!(
        over.to_string().contains("above the program's limit"),
        "{over}"
    );
    assert_eq!(shell.client.transactions_landed(), landed);

    // A validator declares its commission; only its withdrawer may.
    let (vote, withdrawer) = shell.client.create_vote_account(5).await.unwrap();
    shell
        .run(&operator, &format!("add-validator {vote}"))
        .await
        .unwrap();
    let payout = Keypair::new().pubkey();
    let command = format!("set-mev-commission {vote} --commission-bps 700 --payout {payout}");
    assert_program_error(
        shell.run(&stranger, &command).await,
        TributaryError::NotVoteWithdrawer,
    );
    shell.run(&withdrawer, &command).await.unwrap();
    let vault = shell.client.addresses().unwrap().mev_vault(&vote);
    let state = shell.client.mev_vault(&vault).await.unwrap();
    assert_eq!((state.commission_bps, state.payout), (700, payout));

    // A ticket changes hands.
    let staker = shell.user(20 * SOL).await;
    shell.run(&staker, "deposit 10").await.unwrap();
    let ordered = shell.run(&staker, "unstake 2").await.unwrap();
    let ticket: Pubkey = ordered.json["ticket"].as_str().unwrap().parse().unwrap();
    let heir = Keypair::new().pubkey();
    shell
        .run(&staker, &format!("transfer-ticket {ticket} {heir}"))
        .await
        .unwrap();
    assert_eq!(shell.client.ticket(&ticket).await.unwrap().owner, heir);
}
