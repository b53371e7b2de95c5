//! What only the in-process bank can do: start one, warp epochs, make vote accounts and fund
//! keypairs from its payer.

use anchor_lang::prelude::Pubkey;
use solana_program_test::ProgramTestContext;
use solana_sdk::signature::{Keypair, Signer};
use solana_stake_interface::state::StakeStateV2;
use solana_vote_interface::instruction::{self as vote_instruction, CreateVoteAccountConfig};
use solana_vote_interface::state::{VoteInit, VoteStateV4};

use super::PoolClient;
use crate::transport::{program_test, Bank};
use crate::ClientError;

/// A client of the in-process bank.
pub type BankClient = PoolClient<Bank>;

impl PoolClient<Bank> {
    /// A fresh in-process bank with the program loaded, and no pool yet. It checks every
    /// validator list a transaction writes (see `Bank::check_validator_lists`).
    pub async fn start() -> Self {
        let context = program_test().start_with_context().await;
        Self::new(Bank {
            context,
            check_validator_lists: true,
        })
    }

    /// Stops checking the validator lists after each transaction: for long runs.
    pub fn skip_validator_list_checks(&mut self) {
        self.transport.check_validator_lists = false;
    }

    /// The in-process bank, for what only a test bank can do: set accounts, warp, vote.
    pub fn context(&mut self) -> &mut ProgramTestContext {
        &mut self.transport.context
    }

    /// `vote` declares `commission_bps` to Jito for `epoch`, as Jito's tip-distribution program
    /// records it: its tip-distribution account, at its address, in its layout. Returns the
    /// address.
    pub fn declare_to_jito(&mut self, vote: &Pubkey, epoch: u64, commission_bps: u16) -> Pubkey {
        let (address, account) = tip_distribution_account(vote, epoch, commission_bps);
        self.context().set_account(&address, &account.into());
        address
    }

    /// Moves the bank `epochs` epoch boundaries ahead, as far as the first slot of the new epoch,
    /// with the runtime's reward distribution for the boundary still to come.
    pub async fn warp_epochs_pending_rewards(&mut self, epochs: u64) -> Result<u64, ClientError> {
        let epoch = self.clock().await?.epoch + epochs;
        self.context()
            .warp_to_epoch(epoch)
            .map_err(|err| ClientError::Warp(format!("{err:?}")))?;
        self.forget_blockhash();
        Ok(epoch)
    }

    /// Moves the bank `epochs` epoch boundaries ahead and past the runtime's reward distribution,
    /// as a crank runner would find it a few blocks into the epoch.
    pub async fn warp_epochs(&mut self, epochs: u64) -> Result<u64, ClientError> {
        let epoch = self.warp_epochs_pending_rewards(epochs).await?;
        self.context()
            .warp_forward_force_reward_interval_end()
            .map_err(|err| ClientError::Warp(format!("{err:?}")))?;
        self.forget_blockhash();
        Ok(epoch)
    }

    /// Moves the bank to the last slot of the current epoch: the moment just before a boundary,
    /// when a deposit timed around the next roll would be made.
    pub async fn warp_to_epoch_end(&mut self) -> Result<u64, ClientError> {
        let epoch = self.clock().await?.epoch;
        let schedule = self.context().genesis_config().epoch_schedule.clone();
        let slot = schedule.get_last_slot_in_epoch(epoch);
        self.context()
            .warp_to_slot(slot)
            .map_err(|err| ClientError::Warp(format!("{err:?}")))?;
        self.forget_blockhash();
        Ok(slot)
    }

    /// Moves the bank one epoch ahead, as `warp_epochs`, with `rewards` paid into their stake
    /// accounts at the boundary in place of the runtime's own: each is added to the account's
    /// balance and delegation, as the runtime pays a reward, and whatever the runtime paid them
    /// is taken back. The test cluster's inflation, paid on its short warm-up epochs to the
    /// only stake that earns vote credits, doubles every epoch and means nothing; this way the
    /// only rewards are the caller's. Accounts that do not exist are passed over.
    pub async fn warp_epoch_with_rewards(
        &mut self,
        rewards: &[(Pubkey, u64)],
    ) -> Result<u64, ClientError> {
        let mut before = Vec::with_capacity(rewards.len());
        for (address, _) in rewards {
            before.push(self.account(address).await?.map(|account| account.lamports));
        }
        let epoch = self.warp_epochs(1).await?;
        for ((address, reward), before) in rewards.iter().zip(before) {
            let (Some(before), Some(mut account)) = (before, self.account(address).await?) else {
                continue;
            };
            let runtime_reward = account.lamports.saturating_sub(before);
            if runtime_reward == 0 && *reward == 0 {
                continue;
            }
            let mut state: StakeStateV2 = bincode::deserialize(&account.data).map_err(|err| {
                ClientError::Decode(format!("the stake account {address}: {err}"))
            })?;
            let StakeStateV2::Stake(_, stake, _) = &mut state else {
                continue;
            };
            let overflow = || ClientError::SetAccount(format!("{address}'s reward overflows"));
            stake.delegation.stake = (stake.delegation.stake
                - runtime_reward.min(stake.delegation.stake))
            .checked_add(*reward)
            .ok_or_else(overflow)?;
            account.lamports = before.checked_add(*reward).ok_or_else(overflow)?;
            bincode::serialize_into(&mut account.data[..], &state)
                .map_err(|err| ClientError::SetAccount(err.to_string()))?;
            self.context().set_account(address, &account.into());
        }
        Ok(epoch)
    }

    /// Adds `lamports` to `address` out of nothing, as a test cluster's faucet would: what the
    /// simulation's stakers and searchers bring.
    pub async fn airdrop(&mut self, address: &Pubkey, lamports: u64) -> Result<(), ClientError> {
        let mut account = self.account(address).await?.unwrap_or_default();
        account.lamports = account.lamports.checked_add(lamports).ok_or_else(|| {
            ClientError::SetAccount(format!("{address}'s balance would overflow"))
        })?;
        self.context().set_account(address, &account.into());
        Ok(())
    }

    /// A new keypair holding `lamports`, paid by the bank's payer.
    pub async fn funded_keypair(&mut self, lamports: u64) -> Result<Keypair, ClientError> {
        let keypair = Keypair::new();
        self.transfer(&keypair.pubkey(), lamports).await?;
        Ok(keypair)
    }

    /// A new vote account with `commission` percent, created by the vote program; a validator
    /// for the in-process bank. Returns it and the keypair of its node, also its authorized
    /// voter and withdrawer.
    pub async fn create_vote_account(
        &mut self,
        commission: u8,
    ) -> Result<(Pubkey, Keypair), ClientError> {
        let node = Keypair::new();
        let vote = Keypair::new();
        let rent = self.rent().await?;
        let ixs = vote_instruction::create_account_with_config(
            &self.payer(),
            &vote.pubkey(),
            &VoteInit {
                node_pubkey: node.pubkey(),
                authorized_voter: node.pubkey(),
                authorized_withdrawer: node.pubkey(),
                commission,
            },
            rent.minimum_balance(VoteStateV4::size_of()),
            CreateVoteAccountConfig::default(),
        );
        self.send(&ixs, &[&vote, &node]).await?;
        Ok((vote.pubkey(), node))
    }
}

/// The tip-distribution account of Jito's program in which `vote` declares `commission_bps` for
/// `epoch`: its address, and the account in the program's layout, with no merkle root yet
/// (`tributary::jito::tip_distribution_data`).
pub fn tip_distribution_account(
    vote: &Pubkey,
    epoch: u64,
    commission_bps: u16,
) -> (Pubkey, solana_sdk::account::Account) {
    let (address, bump) = crate::pda::tip_distribution_account(vote, epoch);
    let data = tributary::jito::tip_distribution_data(vote, epoch, commission_bps, bump, false);
    let account = solana_sdk::account::Account {
        lamports: 1_000_000_000,
        data,
        owner: tributary::constants::JITO_TIP_DISTRIBUTION_PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    };
    (address, account)
}
