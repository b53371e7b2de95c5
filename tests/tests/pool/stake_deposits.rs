use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_stake_interface::instruction as stake_instruction;
use solana_stake_interface::state::{Authorized, Lockup, StakeAuthorize, StakeStateV2};
use tributary::errors::TributaryError;
use tributary::events::{DepositStakeEvent, WithdrawStakeEvent};
use tributary::instructions::DepositStakeArgs;
use tributary_client::instructions;
use tributary_client::pda::PoolAddresses;

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};

/// A stake account of `owner` holding `lamports`, delegated to `vote`.
async fn user_stake(
    fixture: &mut Fixture,
    owner: &Keypair,
    vote: &Pubkey,
    lamports: u64,
) -> Pubkey {
    stake_with(
        fixture,
        owner,
        vote,
        lamports,
        Authorized::auto(&owner.pubkey()),
        Lockup::default(),
    )
    .await
}

async fn stake_with(
    fixture: &mut Fixture,
    owner: &Keypair,
    vote: &Pubkey,
    lamports: u64,
    authorized: Authorized,
    lockup: Lockup,
) -> Pubkey {
    let stake = Keypair::new();
    let ixs = stake_instruction::create_account_and_delegate_stake(
        &owner.pubkey(),
        &stake.pubkey(),
        vote,
        &authorized,
        &lockup,
        lamports,
    );
    fixture.client.send(&ixs, &[owner, &stake]).await.unwrap();
    stake.pubkey()
}

async fn stake_state(fixture: &mut Fixture, stake: &Pubkey) -> Option<StakeStateV2> {
    let data = fixture.client.account_data(stake).await.unwrap()?;
    Some(borsh::BorshDeserialize::deserialize(&mut &data[..]).unwrap())
}

#[tokio::test]
async fn stake_in_and_stake_out_at_the_current_rate() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(20 * SOL, 1).await;
    let staker = fixture.staker(20 * SOL).await;
    let stake = user_stake(&mut fixture, &staker, &votes[0], 10 * SOL).await;
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();

    let total_before = fixture.pool_state().await.total_lamports;
    let entry_before = fixture.client.validator_list().await.unwrap()[0];
    let outcome = fixture
        .client
        .deposit_stake(&staker, &stake, &votes[0], 0)
        .await
        .unwrap();
    let event = &outcome.events::<DepositStakeEvent>()[0];
    // The whole account, rent included, is deposited at a rate of 1.
    assert_eq!(event.lamports, 10 * SOL);
    assert_eq!(
        event.user_shares,
        10 * SOL - fee(10 * SOL, FEES.deposit_bps)
    );
    assert_eq!(
        fixture.client.shares_of(&staker.pubkey()).await.unwrap(),
        event.user_shares
    );
    assert_eq!(
        fixture.pool_state().await.total_lamports,
        total_before + 10 * SOL
    );
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(
        entry.active_lamports,
        entry_before.active_lamports + 10 * SOL
    );
    // Merged away: the staker's stake account is gone.
    assert!(fixture.client.account_data(&stake).await.unwrap().is_none());

    let shares = event.user_shares / 2;
    let (split, outcome) = fixture
        .client
        .withdraw_stake(&staker, &votes[0], shares, 0)
        .await
        .unwrap();
    let withdrawn = &outcome.events::<WithdrawStakeEvent>()[0];
    let expected = shares - fee(shares, FEES.withdrawal_bps);
    assert_eq!(withdrawn.lamports, expected);
    let rent = fixture.client.rent().await.unwrap().minimum_balance(200);
    assert_eq!(
        fixture.client.balance(&split).await.unwrap(),
        rent + expected
    );
    match stake_state(&mut fixture, &split).await.unwrap() {
        StakeStateV2::Stake(meta, stake, _) => {
            assert_eq!(meta.authorized.staker, staker.pubkey());
            assert_eq!(meta.authorized.withdrawer, staker.pubkey());
            assert_eq!(stake.delegation.voter_pubkey, votes[0]);
            assert_eq!(stake.delegation.stake, expected);
        }
        other => panic!("not a delegated stake account: {other:?}"),
    }
    assert_eq!(
        fixture.pool_state().await.total_lamports,
        total_before + 10 * SOL - expected
    );
    assert_eq!(
        fixture.client.shares_of(&staker.pubkey()).await.unwrap(),
        event.user_shares - shares
    );
}

#[tokio::test]
async fn refused_stake_deposits_move_nothing() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(20 * SOL, 1).await;
    let outsider = fixture.vote_account().await;
    let staker = fixture.staker(50 * SOL).await;
    let foreign = user_stake(&mut fixture, &staker, &outsider, 5 * SOL).await;
    // Locked up, its withdraw authority already the pool's: a lockup forbids moving that one.
    let authority = fixture.client.addresses().unwrap().authority;
    let locked = stake_with(
        &mut fixture,
        &staker,
        &votes[0],
        5 * SOL,
        Authorized {
            staker: staker.pubkey(),
            withdrawer: authority,
        },
        Lockup {
            unix_timestamp: 0,
            epoch: u64::MAX,
            custodian: Keypair::new().pubkey(),
        },
    )
    .await;
    let unauthorised = user_stake(&mut fixture, &staker, &votes[0], 5 * SOL).await;
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    let activating = user_stake(&mut fixture, &staker, &votes[0], 5 * SOL).await;
    fixture
        .client
        .create_token_account(&staker.pubkey())
        .await
        .unwrap();

    let before = fixture.snapshot(&staker).await;
    assert_refused(
        fixture
            .client
            .deposit_stake(&staker, &foreign, &votes[0], 0)
            .await,
        TributaryError::UnknownValidator,
    );
    let pool = fixture.client.addresses().unwrap().pool;
    let token_account = fixture
        .client
        .addresses()
        .unwrap()
        .token_account(&staker.pubkey());
    let deposit = |stake: &Pubkey| {
        instructions::deposit_stake(
            &PoolAddresses::new(pool),
            &staker.pubkey(),
            stake,
            &votes[0],
            &token_account,
            DepositStakeArgs {
                validator_index: 0,
                min_shares_out: 0,
            },
        )
    };
    let staker_to_pool = stake_instruction::authorize(
        &locked,
        &staker.pubkey(),
        &authority,
        StakeAuthorize::Staker,
        None,
    );
    assert_refused(
        fixture
            .client
            .send(&[staker_to_pool, deposit(&locked)], &[&staker])
            .await,
        TributaryError::StakeLocked,
    );
    assert_refused(
        fixture
            .client
            .deposit_stake(&staker, &activating, &votes[0], 0)
            .await,
        TributaryError::StakeNotActive,
    );
    assert_refused(
        fixture
            .client
            .deposit_stake(&staker, &unauthorised, &votes[0], 10 * SOL)
            .await,
        TributaryError::SlippageExceeded,
    );
    // Without handing its authorities to the pool first.
    assert_refused(
        fixture
            .client
            .send(&[deposit(&unauthorised)], &[&staker])
            .await,
        TributaryError::WrongStakeAuthority,
    );
    assert_eq!(fixture.snapshot(&staker).await, before);
    for stake in [foreign, locked, unauthorised, activating] {
        assert_eq!(fixture.client.balance(&stake).await.unwrap(), 5 * SOL);
    }
}

#[tokio::test]
async fn lamports_above_the_delegation_are_priced_as_a_sol_deposit() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(20 * SOL, 1).await;
    let staker = fixture.staker(30 * SOL).await;
    let stake = user_stake(&mut fixture, &staker, &votes[0], 10 * SOL).await;
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    // 3 SOL sent to the stake account after its delegation: not staked.
    fixture.client.transfer(&stake, 3 * SOL).await.unwrap();

    let pool = fixture.pool_state().await;
    let supply = pool
        .share_supply(fixture.client.mint_state().await.unwrap().supply)
        .unwrap();
    let as_sol = tributary::math::quote_deposit(
        13 * SOL,
        pool.total_lamports,
        supply,
        pool.fees.deposit_bps,
    )
    .unwrap();
    let outcome = fixture
        .client
        .deposit_stake(&staker, &stake, &votes[0], 0)
        .await
        .unwrap();
    let event = &outcome.events::<DepositStakeEvent>()[0];
    assert_eq!((event.lamports, event.liquid_lamports), (13 * SOL, 3 * SOL));
    // The same shares and fee as a SOL deposit of the whole account.
    assert_eq!(
        (event.user_shares, event.fee_lamports, event.fee_shares),
        (as_sol.user_shares, as_sol.fee_lamports, as_sol.fee_shares)
    );
    // The next crank sweeps the liquid part into the reserve; the ledger does not move.
    let total = fixture.pool_state().await.total_lamports;
    let reserve = fixture.client.addresses().unwrap().reserve;
    let reserve_before = fixture.client.balance(&reserve).await.unwrap();
    let roll = fixture.roll().await;
    assert!(fixture.client.balance(&reserve).await.unwrap() >= reserve_before + 3 * SOL);
    assert_eq!((roll.rewards, roll.loss), (0, 0));
    assert_eq!(fixture.pool_state().await.total_lamports, total);
}
