//! `PoolClient`: every pool operation as one async call, over an in-process bank or a cluster.

use std::collections::HashSet;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::AccountDeserialize;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_program_test::ProgramTestContext;
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::hash::Hash;
use solana_sdk::rent::Rent;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;
use solana_stake_interface::state::Delegation;
use solana_vote_interface::instruction::{self as vote_instruction, CreateVoteAccountConfig};
use solana_vote_interface::state::{VoteInit, VoteStateV4};
use tributary::constants::MAX_UPDATE_BATCH;
use tributary::errors::TributaryError;
use tributary::events::{LossEvent, UpdatePoolEvent};
use tributary::instructions::{
    DepositSolArgs, DepositStakeArgs, InitializePoolArgs, SetMevCommissionArgs, SetWeightArgs,
    ValidatorStakeArgs, WithdrawSolArgs, WithdrawStakeArgs,
};
use tributary::math::{rebalance_move, MoveBounds};
use tributary::stake::STAKE_ACCOUNT_SPACE;
use tributary::state::{
    validator_status, Fees, MevRecord, MevVault, Pool, Strategy, UnstakeTicket, ValidatorEntry,
    ValidatorList,
};

use crate::pda::{find_mev_vault, find_pool_tip_accounts, PoolAddresses};
use crate::state::{
    decode_mev_vault, decode_mint, decode_pool, decode_token_amount, decode_validator_list,
    MintState,
};
use crate::transport::{Bank, Transport};
use crate::{embedded, instructions, ClientError};

/// What a landed transaction left behind.
#[derive(Debug, Clone)]
pub struct TxOutcome {
    pub signature: Signature,
    pub logs: Vec<String>,
    /// Compute units of the called programs; natively our own program is not metered.
    pub compute_units: u64,
}

impl TxOutcome {
    pub fn events<E: anchor_lang::AnchorDeserialize + anchor_lang::Discriminator>(&self) -> Vec<E> {
        crate::events::decode_events(&self.logs)
    }

    /// `field` added up over every event of type `E` the transaction logged.
    pub fn total<E: anchor_lang::AnchorDeserialize + anchor_lang::Discriminator>(
        &self,
        field: impl Fn(&E) -> u64,
    ) -> u64 {
        self.events::<E>().iter().map(field).sum()
    }
}

/// What the epoch crank did.
#[derive(Default)]
pub struct Crank {
    /// `update_validators` transactions sent.
    pub update_transactions: usize,
    /// The epoch roll; `None` when the pool had rolled this epoch already.
    pub roll: Option<UpdatePoolEvent>,
    /// A loss the roll counted and shared.
    pub loss: Option<LossEvent>,
}

pub struct PoolClient<T: Transport = Bank> {
    pub transport: T,
    pool: Option<PoolAddresses>,
    /// The blockhash of the last transaction, and the signatures sent at it, so that a repeated
    /// transaction gets made unique.
    blockhash: Hash,
    sent: HashSet<Signature>,
    nonce: u32,
    /// The Rent sysvar, read once: it does not change under a running client.
    rent: Option<Rent>,
}

impl PoolClient<Bank> {
    /// A fresh in-process bank with the program loaded, and no pool yet.
    pub async fn start() -> Self {
        let context = embedded::program_test().start_with_context().await;
        Self::new(Bank { context })
    }

    /// The in-process bank, for what only a test bank can do: set accounts, warp, vote.
    pub fn context(&mut self) -> &mut ProgramTestContext {
        &mut self.transport.context
    }

    /// Moves the bank `epochs` epoch boundaries ahead, as far as the first slot of the new epoch,
    /// with the runtime's reward distribution for the boundary still to come.
    pub async fn warp_epochs_pending_rewards(&mut self, epochs: u64) -> Result<u64, ClientError> {
        let epoch = self.clock().await?.epoch + epochs;
        self.context()
            .warp_to_epoch(epoch)
            .map_err(|err| ClientError::Warp(format!("{err:?}")))?;
        Ok(epoch)
    }

    /// Moves the bank `epochs` epoch boundaries ahead and past the runtime's reward distribution,
    /// as a crank runner would find it a few blocks into the epoch.
    pub async fn warp_epochs(&mut self, epochs: u64) -> Result<u64, ClientError> {
        let epoch = self.warp_epochs_pending_rewards(epochs).await?;
        self.context()
            .warp_forward_force_reward_interval_end()
            .map_err(|err| ClientError::Warp(format!("{err:?}")))?;
        Ok(epoch)
    }
}

impl<T: Transport> PoolClient<T> {
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            pool: None,
            blockhash: Hash::default(),
            sent: HashSet::new(),
            nonce: 0,
            rent: None,
        }
    }

    /// The pool the calls act on.
    pub fn pool(&self) -> Result<&PoolAddresses, ClientError> {
        self.pool.as_ref().ok_or(ClientError::NoPool)
    }

    /// Acts on another pool of the same bank from now on.
    pub fn use_pool(&mut self, pool: Pubkey) {
        self.pool = Some(PoolAddresses::new(pool));
    }

    /// The fee payer of every transaction: the bank's payer, or the CLI's keypair.
    pub fn payer(&self) -> Pubkey {
        self.transport.payer().pubkey()
    }

    /// Sends one transaction paid by the payer and waits for it.
    pub async fn send(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<TxOutcome, ClientError> {
        let blockhash = self.transport.latest_blockhash().await?;
        if blockhash != self.blockhash {
            self.blockhash = blockhash;
            self.sent.clear();
        }
        let payer = self.transport.payer().insecure_clone();
        let mut all_signers = vec![&payer];
        all_signers.extend(
            signers
                .iter()
                .copied()
                .filter(|signer| signer.pubkey() != payer.pubkey()),
        );
        let mut transaction = Transaction::new_signed_with_payer(
            instructions,
            Some(&payer.pubkey()),
            &all_signers,
            blockhash,
        );
        if self.sent.contains(&transaction.signatures[0]) {
            // The same transaction twice in one slot: a distinct compute limit makes it a new one.
            self.nonce += 1;
            let mut unique = vec![ComputeBudgetInstruction::set_compute_unit_limit(
                1_400_000 - self.nonce,
            )];
            unique.extend_from_slice(instructions);
            transaction = Transaction::new_signed_with_payer(
                &unique,
                Some(&payer.pubkey()),
                &all_signers,
                blockhash,
            );
        }
        let signature = transaction.signatures[0];
        self.sent.insert(signature);
        let landed = self.transport.process(transaction).await?;
        Ok(TxOutcome {
            signature,
            logs: landed.logs,
            compute_units: landed.compute_units,
        })
    }

    /// Runs `instruction` without landing it, paid by the payer; returns its return data.
    async fn return_data(&mut self, instruction: Instruction) -> Result<Vec<u8>, ClientError> {
        let payer = self.transport.payer().insecure_clone();
        let blockhash = self.transport.latest_blockhash().await?;
        let transaction = Transaction::new_signed_with_payer(
            &[instruction],
            Some(&payer.pubkey()),
            &[&payer],
            blockhash,
        );
        self.transport
            .simulate_return_data(transaction)
            .await?
            .ok_or_else(|| ClientError::Decode("the instruction returned nothing".into()))
    }

    /// A new keypair holding `lamports`, paid by the bank's payer.
    pub async fn funded_keypair(&mut self, lamports: u64) -> Result<Keypair, ClientError> {
        let keypair = Keypair::new();
        self.transfer(&keypair.pubkey(), lamports).await?;
        Ok(keypair)
    }

    pub async fn transfer(&mut self, to: &Pubkey, lamports: u64) -> Result<(), ClientError> {
        let ix = system_instruction::transfer(&self.payer(), to, lamports);
        self.send(&[ix], &[]).await.map(|_| ())
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

    pub async fn initialize_pool(
        &mut self,
        admin: &Keypair,
        pool: &Keypair,
        treasury_owner: &Pubkey,
        args: InitializePoolArgs,
    ) -> Result<TxOutcome, ClientError> {
        let ix =
            instructions::initialize_pool(&admin.pubkey(), &pool.pubkey(), treasury_owner, args);
        let outcome = self.send(&[ix], &[admin, pool]).await?;
        self.use_pool(pool.pubkey());
        Ok(outcome)
    }

    /// Deposits SOL, creating the depositor's token account first when it has none.
    pub async fn deposit_sol(
        &mut self,
        depositor: &Keypair,
        lamports: u64,
        min_shares_out: u64,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.pool()?;
        let token_account = pool.token_account(&depositor.pubkey());
        let mut ixs = Vec::with_capacity(2);
        if self.account_data(&token_account).await?.is_none() {
            ixs.push(instructions::create_token_account(
                &depositor.pubkey(),
                &depositor.pubkey(),
                &pool.mint,
            ));
        }
        ixs.push(instructions::deposit_sol(
            &pool.pool,
            &depositor.pubkey(),
            &token_account,
            DepositSolArgs {
                lamports,
                min_shares_out,
            },
        ));
        self.send(&ixs, &[depositor]).await
    }

    pub async fn withdraw_sol(
        &mut self,
        owner: &Keypair,
        shares: u64,
        min_lamports_out: u64,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.pool()?;
        let ix = instructions::withdraw_sol(
            &pool.pool,
            &owner.pubkey(),
            &pool.token_account(&owner.pubkey()),
            WithdrawSolArgs {
                shares,
                min_lamports_out,
            },
        );
        self.send(&[ix], &[owner]).await
    }

    pub async fn update_pool(&mut self) -> Result<TxOutcome, ClientError> {
        let pool = self.pool()?.pool;
        self.send(&[instructions::update_pool(&pool)], &[]).await
    }

    /// Mints the fee shares owed to the treasury. `None` when none are owed, or when the
    /// treasury's token account does not exist (its owner closed it): the shares stay owed.
    pub async fn mint_treasury_shares(&mut self) -> Result<Option<TxOutcome>, ClientError> {
        let pool = self.pool_state().await?;
        if pool.pending_treasury_shares == 0 || self.account(&pool.treasury).await?.is_none() {
            return Ok(None);
        }
        let ix = instructions::mint_treasury_shares(&self.pool()?.pool, &pool.treasury);
        self.send(&[ix], &[]).await.map(Some)
    }

    pub async fn set_fees(
        &mut self,
        admin: &Keypair,
        fees: Fees,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_fees(&self.pool()?.pool, &admin.pubkey(), fees);
        self.send(&[ix], &[admin]).await
    }

    pub async fn propose_admin(
        &mut self,
        admin: &Keypair,
        new_admin: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::propose_admin(&self.pool()?.pool, &admin.pubkey(), new_admin);
        self.send(&[ix], &[admin]).await
    }

    pub async fn accept_admin(
        &mut self,
        pending_admin: &Keypair,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::accept_admin(&self.pool()?.pool, &pending_admin.pubkey());
        self.send(&[ix], &[pending_admin]).await
    }

    pub async fn set_operator(
        &mut self,
        admin: &Keypair,
        operator: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_operator(&self.pool()?.pool, &admin.pubkey(), operator);
        self.send(&[ix], &[admin]).await
    }

    pub async fn set_treasury(
        &mut self,
        admin: &Keypair,
        treasury: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_treasury(&self.pool()?.pool, &admin.pubkey(), treasury);
        self.send(&[ix], &[admin]).await
    }

    pub async fn pause(&mut self, admin: &Keypair) -> Result<TxOutcome, ClientError> {
        let ix = instructions::pause(&self.pool()?.pool, &admin.pubkey());
        self.send(&[ix], &[admin]).await
    }

    pub async fn unpause(&mut self, admin: &Keypair) -> Result<TxOutcome, ClientError> {
        let ix = instructions::unpause(&self.pool()?.pool, &admin.pubkey());
        self.send(&[ix], &[admin]).await
    }

    pub async fn validator_list(&mut self) -> Result<Vec<ValidatorEntry>, ClientError> {
        let list = self.pool()?.validator_list;
        let data = self.require_account_data(&list).await?;
        Ok(decode_validator_list(&data)?.1)
    }

    /// Position of the validator voting with `vote` in the list.
    pub async fn validator_index(&mut self, vote: &Pubkey) -> Result<u32, ClientError> {
        self.validator_list()
            .await?
            .iter()
            .position(|entry| entry.vote == *vote)
            .map(|index| index as u32)
            .ok_or(ClientError::UnknownValidator(*vote))
    }

    /// Grows the validator list by one step (10 KiB), paid by the bank's payer.
    pub async fn realloc_validator_list(&mut self) -> Result<TxOutcome, ClientError> {
        let ix = instructions::realloc_validator_list(&self.pool()?.pool, &self.payer());
        self.send(&[ix], &[]).await
    }

    /// Adds a validator, growing the list first when it is full.
    pub async fn add_validator(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.pool()?;
        let data = self.require_account_data(&pool.validator_list).await?;
        let (header, _) = decode_validator_list(&data)?;
        if ValidatorList::capacity(data.len()) <= header.validator_count as usize {
            self.realloc_validator_list().await?;
        }
        let ix = instructions::add_validator(&pool.pool, &operator.pubkey(), vote);
        self.send(&[ix], &[operator]).await
    }

    pub async fn increase_validator_stake(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
        lamports: u64,
    ) -> Result<TxOutcome, ClientError> {
        let build = instructions::increase_validator_stake;
        self.move_validator_stake(operator, vote, lamports, build)
            .await
    }

    pub async fn decrease_validator_stake(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
        lamports: u64,
    ) -> Result<TxOutcome, ClientError> {
        let build = instructions::decrease_validator_stake;
        self.move_validator_stake(operator, vote, lamports, build)
            .await
    }

    async fn move_validator_stake(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
        lamports: u64,
        build: fn(&Pubkey, &Pubkey, &Pubkey, ValidatorStakeArgs) -> Instruction,
    ) -> Result<TxOutcome, ClientError> {
        let args = ValidatorStakeArgs {
            validator_index: self.validator_index(vote).await?,
            lamports,
        };
        let ix = build(&self.pool()?.pool, &operator.pubkey(), vote, args);
        self.send(&[ix], &[operator]).await
    }

    pub async fn remove_validator(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let index = self.validator_index(vote).await?;
        let ix =
            instructions::remove_validator(&self.pool()?.pool, &operator.pubkey(), vote, index);
        self.send(&[ix], &[operator]).await
    }

    /// Deposits `stake_account`, an active stake account of `depositor` delegated to `vote`:
    /// hands its authorities to the pool and deposits it in one transaction.
    pub async fn deposit_stake(
        &mut self,
        depositor: &Keypair,
        stake_account: &Pubkey,
        vote: &Pubkey,
        min_shares_out: u64,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.pool()?;
        let args = DepositStakeArgs {
            validator_index: self.validator_index(vote).await?,
            min_shares_out,
        };
        let token_account = pool.token_account(&depositor.pubkey());
        let mut ixs =
            instructions::authorize_stake_to_pool(&pool.pool, &depositor.pubkey(), stake_account);
        if self.account_data(&token_account).await?.is_none() {
            ixs.push(instructions::create_token_account(
                &depositor.pubkey(),
                &depositor.pubkey(),
                &pool.mint,
            ));
        }
        ixs.push(instructions::deposit_stake(
            &pool.pool,
            &depositor.pubkey(),
            stake_account,
            vote,
            &token_account,
            args,
        ));
        self.send(&ixs, &[depositor]).await
    }

    /// Withdraws `shares` as a new stake account split off `vote`'s stake; returns its address.
    pub async fn withdraw_stake(
        &mut self,
        owner: &Keypair,
        vote: &Pubkey,
        shares: u64,
        min_lamports_out: u64,
    ) -> Result<(Pubkey, TxOutcome), ClientError> {
        let pool = *self.pool()?;
        let args = WithdrawStakeArgs {
            validator_index: self.validator_index(vote).await?,
            shares,
            min_lamports_out,
        };
        let destination = Keypair::new();
        let rent = self.rent().await?;
        let ixs = [
            instructions::create_stake_account(
                &owner.pubkey(),
                &destination.pubkey(),
                rent.minimum_balance(STAKE_ACCOUNT_SPACE),
            ),
            instructions::withdraw_stake(
                &pool.pool,
                &owner.pubkey(),
                vote,
                &destination.pubkey(),
                &pool.token_account(&owner.pubkey()),
                args,
            ),
        ];
        let outcome = self.send(&ixs, &[owner, &destination]).await?;
        Ok((destination.pubkey(), outcome))
    }

    /// Creates the pool's tip accounts not tied to a validator, paid by the bank's payer.
    pub async fn create_pool_tip_accounts(&mut self) -> Result<TxOutcome, ClientError> {
        let ix = instructions::create_pool_tip_accounts(&self.pool()?.pool, &self.payer());
        self.send(&[ix], &[]).await
    }

    /// A searcher's tip: a plain system transfer to a vault.
    pub async fn tip(
        &mut self,
        searcher: &Keypair,
        vault: &Pubkey,
        lamports: u64,
    ) -> Result<TxOutcome, ClientError> {
        let ix = system_instruction::transfer(&searcher.pubkey(), vault, lamports);
        self.send(&[ix], &[searcher]).await
    }

    pub async fn mev_vault(&mut self, vault: &Pubkey) -> Result<MevVault, ClientError> {
        decode_mev_vault(&self.require_account_data(vault).await?)
    }

    /// Undistributed tips in `vault`: its lamports above its rent-exempt minimum.
    pub async fn pending_tips(&mut self, vault: &Pubkey) -> Result<u64, ClientError> {
        let lamports = self.balance(vault).await?;
        self.tips_above_rent(lamports).await
    }

    /// A tip account's state and its undistributed tips, from one read of the account.
    pub async fn tip_account(&mut self, vault: &Pubkey) -> Result<(MevVault, u64), ClientError> {
        let account = self
            .account(vault)
            .await?
            .ok_or(ClientError::AccountNotFound(*vault))?;
        let pending = self.tips_above_rent(account.lamports).await?;
        Ok((decode_mev_vault(&account.data)?, pending))
    }

    async fn tips_above_rent(&mut self, vault_lamports: u64) -> Result<u64, ClientError> {
        let rent = self.rent().await?;
        Ok(vault_lamports.saturating_sub(rent.minimum_balance(MevVault::SPACE)))
    }

    /// Distributes the tips in `vault`, paying the commission to the declared payout account.
    pub async fn distribute(&mut self, vault: &Pubkey) -> Result<TxOutcome, ClientError> {
        let pool = self.pool()?.pool;
        let state = self.mev_vault(vault).await?;
        let payout = if state.payout == Pubkey::default() {
            self.payer()
        } else {
            state.payout
        };
        // A pool tip account or a removed validator has no entry; any index will do.
        let index = self.validator_index(&state.vote).await.unwrap_or(0);
        let ix = instructions::distribute(&pool, vault, &payout, index);
        self.send(&[ix], &[]).await
    }

    /// Distributes every vault that holds tips: the validators' and the pool's own. Returns the
    /// distributions made; a vault held back by the rate cap is left for a later epoch.
    pub async fn distribute_all(&mut self) -> Result<Vec<TxOutcome>, ClientError> {
        let pool = self.pool()?.pool;
        let mut vaults: Vec<Pubkey> = self
            .validator_list()
            .await?
            .iter()
            .map(|entry| find_mev_vault(&pool, &entry.vote).0)
            .collect();
        vaults.extend(find_pool_tip_accounts(&pool));
        let mut outcomes = Vec::new();
        for vault in vaults {
            // A vault not created yet holds no lamports, so no tips either.
            if self.pending_tips(&vault).await? == 0 {
                continue;
            }
            match self.distribute(&vault).await {
                Ok(outcome) => outcomes.push(outcome),
                Err(err) if err.is(TributaryError::TipRateCapReached) => break,
                Err(err) => return Err(err),
            }
        }
        Ok(outcomes)
    }

    /// The MEV history of the validator voting with `vote`: one record per recent epoch in which
    /// its tips were distributed, oldest first.
    pub async fn mev_history(&mut self, vote: &Pubkey) -> Result<Vec<MevRecord>, ClientError> {
        let vault = find_mev_vault(&self.pool()?.pool, vote).0;
        let mut records: Vec<MevRecord> = self
            .mev_vault(&vault)
            .await?
            .ledger
            .into_iter()
            .filter(|record| record.tipped > 0)
            .collect();
        records.sort_by_key(|record| record.epoch);
        Ok(records)
    }

    /// Declares the MEV commission of the validator voting with `vote`.
    pub async fn set_mev_commission(
        &mut self,
        withdrawer: &Keypair,
        vote: &Pubkey,
        commission_bps: u16,
        payout: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_mev_commission(
            &self.pool()?.pool,
            &withdrawer.pubkey(),
            vote,
            SetMevCommissionArgs {
                commission_bps,
                payout: *payout,
            },
        );
        self.send(&[ix], &[withdrawer]).await
    }

    /// Orders a delayed unstake of `shares`; returns the new ticket's address.
    pub async fn order_unstake(
        &mut self,
        owner: &Keypair,
        shares: u64,
    ) -> Result<(Pubkey, TxOutcome), ClientError> {
        let pool = *self.pool()?;
        let ticket = Keypair::new();
        let ix = instructions::order_unstake(
            &pool.pool,
            &owner.pubkey(),
            &ticket.pubkey(),
            &pool.token_account(&owner.pubkey()),
            shares,
        );
        let outcome = self.send(&[ix], &[owner, &ticket]).await?;
        Ok((ticket.pubkey(), outcome))
    }

    pub async fn claim_ticket(
        &mut self,
        owner: &Keypair,
        ticket: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::claim_ticket(&self.pool()?.pool, &owner.pubkey(), ticket);
        self.send(&[ix], &[owner]).await
    }

    pub async fn transfer_ticket(
        &mut self,
        owner: &Keypair,
        ticket: &Pubkey,
        new_owner: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::transfer_ticket(&owner.pubkey(), ticket, new_owner);
        self.send(&[ix], &[owner]).await
    }

    pub async fn ticket(&mut self, ticket: &Pubkey) -> Result<UnstakeTicket, ClientError> {
        let data = self.require_account_data(ticket).await?;
        UnstakeTicket::try_deserialize(&mut &data[..])
            .map_err(|err| ClientError::Decode(err.to_string()))
    }

    /// What `ticket` is owed now: what it was ordered for, less its share of any loss since.
    pub async fn ticket_owed(&mut self, ticket: &Pubkey) -> Result<u64, ClientError> {
        let units = self.ticket(ticket).await?.units;
        Ok(self.pool_state().await?.ticket_value(units))
    }

    pub async fn set_strategy(
        &mut self,
        operator: &Keypair,
        strategy: Strategy,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_strategy(&self.pool()?.pool, &operator.pubkey(), strategy);
        self.send(&[ix], &[operator]).await
    }

    pub async fn set_weight(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
        weight: u32,
    ) -> Result<TxOutcome, ClientError> {
        let args = SetWeightArgs {
            validator_index: self.validator_index(vote).await?,
            vote: *vote,
            weight,
        };
        let ix = instructions::set_weight(&self.pool()?.pool, &operator.pubkey(), args);
        self.send(&[ix], &[operator]).await
    }

    /// Removes the validators the Stake program deactivated, scores every validator, then moves
    /// each that is off its target towards it, the furthest off first, as far as the epoch's
    /// movement cap allows (and, while tickets are owed more than the reserve holds, unstakes
    /// for them first). Returns the rebalances made.
    pub async fn rebalance_all(&mut self) -> Result<Vec<TxOutcome>, ClientError> {
        self.remove_deactivated_validators().await?;
        let pool_key = self.pool()?.pool;
        let payer = self.payer();
        let entries = self.validator_list().await?;
        for (index, entry) in entries.iter().enumerate() {
            let ix = instructions::score_validator(&pool_key, &entry.vote, index as u32);
            self.send(&[ix], &[]).await?;
        }
        let entries = self.validator_list().await?;
        let minimum = self.minimum_delegation().await?;
        let rent = self.rent().await?;
        let transient_rent = rent.minimum_balance(STAKE_ACCOUNT_SPACE);
        let reserve = self.pool()?.reserve;
        let pool = self.pool_state().await?;
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|&index| {
            let current = entries[index].stake_above_floor().unwrap_or(0);
            std::cmp::Reverse(stake_target_of(&pool, &entries, index).abs_diff(current))
        });
        let mut outcomes = Vec::new();
        for index in order {
            let pool = self.pool_state().await?;
            let entries = self.validator_list().await?;
            let entry = &entries[index];
            let epoch = self.clock().await?.epoch;
            let reserve_spendable = self
                .balance(&reserve)
                .await?
                .saturating_sub(rent.minimum_balance(0));
            let unstaking = entries.iter().map(ValidatorEntry::unstaking_lamports).sum();
            let bounds = MoveBounds {
                budget: pool.movement_left(epoch).unwrap_or(0),
                free_reserve: reserve_spendable
                    .saturating_sub(pool.reserve_to_keep(transient_rent).unwrap_or(u64::MAX)),
                movable_stake: self
                    .delegation(&entry.validator_stake)
                    .await?
                    .saturating_sub(minimum),
                minimum_delegation: minimum,
                uncovered_tickets: pool
                    .uncovered_tickets(reserve_spendable, unstaking, transient_rent)
                    .unwrap_or(0),
            };
            if bounds.budget == 0 && bounds.uncovered_tickets == 0 {
                break;
            }
            if entry.has_transient() || entry.status != validator_status::ACTIVE {
                continue;
            }
            let planned = rebalance_move(
                stake_target_of(&pool, &entries, index),
                entry.stake_above_floor().unwrap_or(0),
                &bounds,
            );
            if planned.is_none() {
                continue;
            }
            let ix = instructions::rebalance(&pool_key, &payer, &entry.vote, index as u32);
            outcomes.push(self.send(&[ix], &[]).await?);
        }
        Ok(outcomes)
    }

    /// The Stake program's minimum delegation, as it reports it.
    pub async fn minimum_delegation(&mut self) -> Result<u64, ClientError> {
        let ix = solana_stake_interface::instruction::get_minimum_delegation();
        let data = self.return_data(ix).await?;
        <[u8; 8]>::try_from(data.as_slice())
            .map(u64::from_le_bytes)
            .map_err(|_| ClientError::Decode("GetMinimumDelegation returned no u64".into()))
    }

    /// The delegated lamports of a stake account; 0 when it has none.
    pub async fn delegation(&mut self, stake_account: &Pubkey) -> Result<u64, ClientError> {
        Ok(self
            .stake_delegation(stake_account)
            .await?
            .map_or(0, |delegation| delegation.stake))
    }

    /// A stake account's delegation; `None` when it has none.
    pub async fn stake_delegation(
        &mut self,
        stake_account: &Pubkey,
    ) -> Result<Option<Delegation>, ClientError> {
        let Some(data) = self.account_data(stake_account).await? else {
            return Ok(None);
        };
        let state: solana_stake_interface::state::StakeStateV2 =
            borsh::BorshDeserialize::deserialize(&mut &data[..])
                .map_err(|err| ClientError::Decode(err.to_string()))?;
        Ok(state.delegation())
    }

    /// Removes (as anyone may) every validator whose stake the Stake program has deactivated
    /// because it stopped voting. Returns the removals made.
    pub async fn remove_deactivated_validators(&mut self) -> Result<Vec<TxOutcome>, ClientError> {
        let pool = self.pool()?.pool;
        let payer = self.payer();
        let mut outcomes = Vec::new();
        for (index, entry) in self.validator_list().await?.iter().enumerate() {
            if entry.status != validator_status::ACTIVE {
                continue;
            }
            let deactivated = self
                .stake_delegation(&entry.validator_stake)
                .await?
                .is_some_and(|delegation| delegation.deactivation_epoch != u64::MAX);
            if deactivated {
                let ix = instructions::remove_validator(&pool, &payer, &entry.vote, index as u32);
                outcomes.push(self.send(&[ix], &[]).await?);
            }
        }
        Ok(outcomes)
    }

    /// The epoch crank: unless the pool has rolled this epoch already, updates every validator,
    /// packing as many into each transaction as its size and account limits allow, then rolls
    /// the pool; then mints the treasury's fee shares.
    pub async fn crank(&mut self) -> Result<Crank, ClientError> {
        let mut crank = Crank::default();
        if self.pool_state().await?.last_update_epoch < self.clock().await?.epoch {
            crank.update_transactions = self.update_validators().await?;
            let outcome = self.update_pool().await?;
            crank.roll = outcome.events::<UpdatePoolEvent>().pop();
            crank.loss = outcome.events::<LossEvent>().pop();
        }
        self.mint_treasury_shares().await?;
        Ok(crank)
    }

    /// Updates every validator, as many per transaction as fit; returns the transactions sent.
    pub async fn update_validators(&mut self) -> Result<usize, ClientError> {
        let pool = self.pool()?.pool;
        let payer = self.payer();
        let entries = self.validator_list().await?;
        let mut transactions = 0;
        let mut start = 0;
        while start < entries.len() {
            let mut end = start + 1;
            while end < entries.len()
                && end - start < MAX_UPDATE_BATCH as usize
                && fits_in_transaction(
                    &instructions::update_validators(&pool, start as u32, &entries[start..=end]),
                    &payer,
                )
            {
                end += 1;
            }
            let ix = instructions::update_validators(&pool, start as u32, &entries[start..end]);
            self.send(&[ix], &[]).await?;
            transactions += 1;
            start = end;
        }
        Ok(transactions)
    }

    /// Creates `owner`'s token account for the pool's mint (idempotent).
    pub async fn create_token_account(&mut self, owner: &Pubkey) -> Result<Pubkey, ClientError> {
        let pool = *self.pool()?;
        let ix = instructions::create_token_account(&self.payer(), owner, &pool.mint);
        self.send(&[ix], &[]).await?;
        Ok(pool.token_account(owner))
    }

    pub async fn account(&mut self, address: &Pubkey) -> Result<Option<Account>, ClientError> {
        self.transport.account(address).await
    }

    pub async fn account_data(&mut self, address: &Pubkey) -> Result<Option<Vec<u8>>, ClientError> {
        Ok(self.account(address).await?.map(|account| account.data))
    }

    async fn require_account_data(&mut self, address: &Pubkey) -> Result<Vec<u8>, ClientError> {
        self.account_data(address)
            .await?
            .ok_or(ClientError::AccountNotFound(*address))
    }

    pub async fn pool_state(&mut self) -> Result<Pool, ClientError> {
        let pool = self.pool()?.pool;
        decode_pool(&self.require_account_data(&pool).await?)
    }

    pub async fn mint_state(&mut self) -> Result<MintState, ClientError> {
        let mint = self.pool()?.mint;
        let data = self.require_account_data(&mint).await?;
        decode_mint(&data, self.clock().await?.unix_timestamp)
    }

    /// Shares in a token account; 0 when the account does not exist.
    pub async fn token_balance(&mut self, token_account: &Pubkey) -> Result<u64, ClientError> {
        match self.account_data(token_account).await? {
            Some(data) => decode_token_amount(&data),
            None => Ok(0),
        }
    }

    /// Shares held by `owner`'s associated token account.
    pub async fn shares_of(&mut self, owner: &Pubkey) -> Result<u64, ClientError> {
        let token_account = self.pool()?.token_account(owner);
        self.token_balance(&token_account).await
    }

    pub async fn balance(&mut self, address: &Pubkey) -> Result<u64, ClientError> {
        Ok(self
            .account(address)
            .await?
            .map_or(0, |account| account.lamports))
    }

    /// The wallet's view of `amount` shares, as Token-2022's `AmountToUiAmount` returns it.
    pub async fn ui_amount(&mut self, amount: u64) -> Result<String, ClientError> {
        let mint = self.pool()?.mint;
        let ix = spl_token_2022_interface::instruction::amount_to_ui_amount(
            &spl_token_2022_interface::ID,
            &mint,
            amount,
        )
        .map_err(|err| ClientError::Decode(err.to_string()))?;
        let data = self.return_data(ix).await?;
        String::from_utf8(data).map_err(|err| ClientError::Decode(err.to_string()))
    }

    pub async fn clock(&mut self) -> Result<Clock, ClientError> {
        self.transport.clock().await
    }

    pub async fn rent(&mut self) -> Result<Rent, ClientError> {
        if let Some(rent) = &self.rent {
            return Ok(rent.clone());
        }
        let rent = self.transport.rent().await?;
        self.rent = Some(rent.clone());
        Ok(rent)
    }
}

/// The most bytes one transaction may take on the wire.
pub const MAX_TRANSACTION_BYTES: usize = 1_232;
/// The most accounts one transaction may lock.
pub const MAX_TRANSACTION_ACCOUNTS: usize = 64;

/// Bytes of a transaction holding `instruction`, paid and signed by `payer` alone: the
/// signatures (with their one-byte count) and the message.
pub fn transaction_bytes(instruction: &Instruction, payer: &Pubkey) -> usize {
    let transaction = Transaction::new_with_payer(std::slice::from_ref(instruction), Some(payer));
    1 + 64 * transaction.message.header.num_required_signatures as usize
        + transaction.message_data().len()
}

/// Whether `instruction` fits one transaction paid by `payer`.
pub fn fits_in_transaction(instruction: &Instruction, payer: &Pubkey) -> bool {
    let transaction = Transaction::new_with_payer(std::slice::from_ref(instruction), Some(payer));
    transaction.message.account_keys.len() <= MAX_TRANSACTION_ACCOUNTS
        && transaction_bytes(instruction, payer) <= MAX_TRANSACTION_BYTES
}

/// The stake target of the validator at `index`, as `rebalance` computes it.
pub fn stake_target_of(pool: &Pool, entries: &[ValidatorEntry], index: usize) -> u64 {
    let mode = pool.strategy.mode;
    let total_weight = entries
        .iter()
        .map(|entry| entry.strategy_weight(mode))
        .sum();
    tributary::math::stake_target(
        pool.total_lamports,
        pool.strategy.reserve_buffer_bps,
        pool.strategy.validator_cap_bps,
        entries[index].strategy_weight(mode),
        total_weight,
    )
    .unwrap_or(0)
}
