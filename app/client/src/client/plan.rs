//! The crank's planning, pure: how to batch `update_validators` into transactions and in which
//! order to rebalance. The rules themselves (targets, bounds, moves) are the program's own
//! functions; this only decides what to send.

use std::ops::Range;

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_sdk::hash::Hash;
use solana_sdk::message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_sdk::transaction::Transaction;
use tributary::constants::{
    MAX_TRANSACTION_ACCOUNTS, MAX_TRANSACTION_COMPUTE_UNITS, MAX_UPDATE_BATCH,
};
use tributary::math::{rebalance_move, within_deadband, MoveBounds};
use tributary::state::{ListTotals, Pool, TransientState, ValidatorEntry};

use crate::instructions;
use crate::pda::PoolAddresses;

/// The most bytes one transaction may take on the wire.
pub const MAX_TRANSACTION_BYTES: usize = 1_232;

/// Bytes of a transaction holding `instructions`, paid and signed by `payer` alone: the
/// signatures (with their one-byte count) and the message.
pub fn transaction_bytes(instructions: &[Instruction], payer: &Pubkey) -> usize {
    let transaction = Transaction::new_with_payer(instructions, Some(payer));
    1 + 64 * transaction.message.header.num_required_signatures as usize
        + transaction.message_data().len()
}

/// Whether `instructions` fit one transaction paid by `payer`: a legacy one without `tables`,
/// else a v0 one loading what it can from them.
pub fn fits_in_transaction(
    instructions: &[Instruction],
    payer: &Pubkey,
    tables: &[AddressLookupTableAccount],
) -> bool {
    if tables.is_empty() {
        let transaction = Transaction::new_with_payer(instructions, Some(payer));
        return transaction.message.account_keys.len() <= MAX_TRANSACTION_ACCOUNTS as usize
            && transaction_bytes(instructions, payer) <= MAX_TRANSACTION_BYTES;
    }
    let Ok(message) = v0::Message::try_compile(payer, instructions, tables, Hash::default()) else {
        return false;
    };
    let loaded: usize = (message.address_table_lookups.iter())
        .map(|lookup| lookup.writable_indexes.len() + lookup.readonly_indexes.len())
        .sum();
    let signatures = message.header.num_required_signatures as usize;
    let accounts = message.account_keys.len() + loaded;
    let bytes = 1 + 64 * signatures + VersionedMessage::V0(message).serialize().len();
    accounts <= MAX_TRANSACTION_ACCOUNTS as usize && bytes <= MAX_TRANSACTION_BYTES
}

/// The pool's lookup tables, by the addresses they hold: which tables a transaction needs.
pub struct TableIndex<'a> {
    tables: &'a [AddressLookupTableAccount],
    by_address: HashMap<Pubkey, usize>,
}

impl<'a> TableIndex<'a> {
    pub fn new(tables: &'a [AddressLookupTableAccount]) -> Self {
        let mut by_address = HashMap::new();
        for (position, table) in tables.iter().enumerate() {
            for address in &table.addresses {
                by_address.entry(*address).or_insert(position);
            }
        }
        Self { tables, by_address }
    }

    /// The tables holding any account of `instructions`, in the pool's order.
    pub fn for_instructions(&self, instructions: &[Instruction]) -> Vec<AddressLookupTableAccount> {
        let mut used: Vec<usize> = (instructions.iter())
            .flat_map(|ix| &ix.accounts)
            .filter_map(|meta| self.by_address.get(&meta.pubkey).copied())
            .collect();
        used.sort_unstable();
        used.dedup();
        used.into_iter()
            .map(|position| self.tables[position].clone())
            .collect()
    }
}

/// An `update_validators` transaction's instructions: its compute budget and the update of
/// `entries`, the list's entries from `start`.
pub fn update_transaction(
    pool: &PoolAddresses,
    start: usize,
    entries: &[ValidatorEntry],
) -> [Instruction; 2] {
    [
        instructions::update_validators_budget(entries),
        instructions::update_validators(pool, start as u32, entries),
    ]
}

/// Whether an `update_validators` transaction of `entries` from `start` fits one transaction's
/// size, account locks and compute, through the lookup tables in `tables` (none: legacy).
fn update_fits(
    pool: &PoolAddresses,
    start: usize,
    entries: &[ValidatorEntry],
    payer: &Pubkey,
    tables: &TableIndex,
) -> bool {
    let ixs = update_transaction(pool, start, entries);
    entries.len() <= MAX_UPDATE_BATCH as usize
        && instructions::update_validators_compute(entries) <= MAX_TRANSACTION_COMPUTE_UNITS
        && fits_in_transaction(&ixs, payer, &tables.for_instructions(&ixs))
}

/// The entries of each `update_validators` transaction: as many as fit its size, account
/// locks and compute, at most `MAX_UPDATE_BATCH`, in list order; through `tables` when the
/// pool has lookup tables.
pub fn update_batches(
    pool: &PoolAddresses,
    entries: &[ValidatorEntry],
    payer: &Pubkey,
    tables: &TableIndex,
) -> Vec<Range<usize>> {
    let mut batches = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let mut end = start + 1;
        while end < entries.len() && update_fits(pool, start, &entries[start..=end], payer, tables)
        {
            end += 1;
        }
        batches.push(start..end);
        start = end;
    }
    batches
}

/// The order to rebalance in: stake on its way in first (what tickets turn back before anyone's
/// active stake), then the validators furthest from their targets; `for_tickets`, while
/// tickets are owed more than the reserve holds, the furthest above their targets first, so
/// what is unstaked for them is what the strategy would move anyway.
pub fn rebalance_order(
    pool: &Pool,
    totals: &ListTotals,
    entries: &[ValidatorEntry],
    for_tickets: bool,
) -> Vec<u32> {
    let mut order: Vec<u32> = (0..entries.len() as u32).collect();
    order.sort_by_key(|&index| {
        let entry = &entries[index as usize];
        let excess = pool
            .rebalance_plan(totals, entry)
            .map_or(0, |plan| match for_tickets {
                true => i128::from(plan.current) - i128::from(plan.target),
                false => i128::from(plan.target.abs_diff(plan.current)),
            });
        (entry.activating_lamports() == 0, std::cmp::Reverse(excess))
    });
    order
}

/// Whether `rebalance` of `entry` in `epoch` would move anything within `bounds`, by the
/// program's rules: for tickets the owed stake not yet active is turned back first, in a
/// paused pool too; otherwise no move in a paused pool, none within the strategy's deadband,
/// and none against a move made this epoch.
pub fn rebalance_would_move(
    pool: &Pool,
    totals: &ListTotals,
    entry: &ValidatorEntry,
    bounds: &MoveBounds,
    epoch: u64,
) -> bool {
    let Ok(plan) = pool.rebalance_plan(totals, entry) else {
        return false;
    };
    if !entry.is_active() {
        return false;
    }
    if bounds.uncovered_tickets > 0 {
        if entry.transient_state() == TransientState::Activating {
            return true;
        }
        if entry.has_transient() || bounds.uncovered_tickets <= plan.activating {
            return false;
        }
        let bounds = MoveBounds {
            uncovered_tickets: bounds.uncovered_tickets - plan.activating,
            ..*bounds
        };
        return rebalance_move(plan.target, plan.current, &bounds).is_some();
    }
    let waits = within_deadband(plan.target, plan.current, pool.strategy.rule.deadband_bps);
    if pool.paused || entry.has_transient() || bounds.budget == 0 || waits {
        return false;
    }
    rebalance_move(plan.target, plan.current, bounds)
        .is_some_and(|(increase, _)| !pool.movement.moved_against(epoch, increase))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary::state::{Strategy, StrategyMode, ValidatorStatus};

    fn entry(index: u8, weight: u32, lamports: u64) -> ValidatorEntry {
        let key = |tag: u8| Pubkey::new_from_array([index.wrapping_mul(3).wrapping_add(tag); 32]);
        ValidatorEntry {
            vote: key(0),
            validator_stake: key(1),
            transient_stake: key(2),
            active_lamports: lamports,
            transient_lamports: 0,
            last_update_epoch: 0,
            transient_epoch: 0,
            status: ValidatorStatus::Active.into(),
            transient_state: TransientState::None.into(),
            validator_stake_bump: 0,
            transient_stake_bump: 0,
            weight,
            score: 0,
            score_epoch: 0,
            floor_lamports: 0,
            ..bytemuck::Zeroable::zeroed()
        }
    }

    fn pool(total_lamports: u64) -> Pool {
        let mut pool: Pool = anchor_lang::AnchorDeserialize::deserialize(
            &mut &vec![0u8; 8 + <Pool as anchor_lang::Space>::INIT_SPACE][..],
        )
        .unwrap();
        pool.total_lamports = total_lamports;
        pool.strategy = Strategy {
            mode: StrategyMode::Manual,
            validator_cap_bps: 10_000,
            reserve_buffer_bps: 0,
            max_move_bps: 10_000,
            rule: Default::default(),
        };
        pool
    }

    #[test]
    fn batches_cover_every_entry_once_within_the_limits() {
        let entries: Vec<ValidatorEntry> = (0..70).map(|index| entry(index, 1, 0)).collect();
        let payer = Pubkey::new_unique();
        let pool = PoolAddresses::new(Pubkey::new_unique());
        let no_tables = TableIndex::new(&[]);
        let batches = update_batches(&pool, &entries, &payer, &no_tables);
        assert_eq!(batches.first().map(|batch| batch.start), Some(0));
        assert!(batches.windows(2).all(|pair| pair[0].end == pair[1].start));
        assert_eq!(batches.last().map(|batch| batch.end), Some(70));
        for batch in &batches {
            let ixs = update_transaction(&pool, batch.start, &entries[batch.clone()]);
            assert!(fits_in_transaction(&ixs, &payer, &[]));
            assert!(batch.len() <= MAX_UPDATE_BATCH as usize);
        }
        // Unchanged validators cost one account each: more than 14 per transaction.
        assert!(batches.len() <= 70usize.div_ceil(14), "{batches:?}");
        assert!(update_batches(&pool, &[], &payer, &no_tables).is_empty());

        // Through lookup tables holding every account, the 64 account locks are the limit.
        let [_, update] = update_transaction(&pool, 0, &[]);
        let fixed = update.accounts.iter().map(|meta| meta.pubkey);
        let stakes = entries.iter().map(|entry| entry.validator_stake);
        let addresses: Vec<Pubkey> = fixed.chain(stakes).collect();
        let tables: Vec<AddressLookupTableAccount> = addresses
            .chunks(256)
            .map(|chunk| AddressLookupTableAccount {
                key: Pubkey::new_unique(),
                addresses: chunk.to_vec(),
            })
            .collect();
        let through_tables = update_batches(&pool, &entries, &payer, &TableIndex::new(&tables));
        assert!(through_tables[0].len() >= 48, "{through_tables:?}");
        assert_eq!(through_tables.len(), 2);
    }

    #[test]
    fn the_furthest_from_its_target_goes_first() {
        // 90 SOL spread 1:1:1: targets of 30; the second is 25 short, the third 10 over.
        const SOL: u64 = 1_000_000_000;
        let entries = [
            entry(0, 1, 30 * SOL),
            entry(1, 1, 5 * SOL),
            entry(2, 1, 40 * SOL),
        ];
        let totals = ListTotals::of(&entries, 0).unwrap();
        assert_eq!(
            rebalance_order(&pool(90 * SOL), &totals, &entries, false),
            vec![1, 2, 0]
        );
        // For tickets, the one furthest above its target first.
        assert_eq!(
            rebalance_order(&pool(90 * SOL), &totals, &entries, true),
            vec![2, 0, 1]
        );
        let bounds = MoveBounds {
            budget: 100 * SOL,
            free_reserve: 100 * SOL,
            movable_stake: 100 * SOL,
            minimum_delegation: SOL,
            uncovered_tickets: 0,
            transient_rent_funded: true,
        };
        let pool = pool(90 * SOL);
        assert!(!rebalance_would_move(
            &pool,
            &totals,
            &entries[0],
            &bounds,
            0
        ));
        assert!(rebalance_would_move(
            &pool,
            &totals,
            &entries[1],
            &bounds,
            0
        ));
        let mut busy = entries[1];
        busy.set_transient_state(TransientState::Activating);
        assert!(!rebalance_would_move(&pool, &totals, &busy, &bounds, 0));
        // For tickets, stake on its way in is turned back first, in a paused pool too.
        let mut paused = pool;
        paused.paused = true;
        let for_tickets = MoveBounds {
            uncovered_tickets: SOL,
            ..bounds
        };
        assert!(rebalance_would_move(
            &paused,
            &totals,
            &busy,
            &for_tickets,
            0
        ));
        assert!(!rebalance_would_move(
            &paused,
            &totals,
            &entries[1],
            &bounds,
            0
        ));
    }
}
