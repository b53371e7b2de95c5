//! The scale benchmark's flow (`tributary_cli::scale`, printed at thousands of validators by
//! `examples/scale.rs`) at a few hundred: the crank's transactions with and without lookup
//! tables, and that `rebalance` and `update_pool` read a constant number of list entries
//! however long the list, counted by the program in their events.

use tributary::constants::{MAX_DRAINED_PER_ROLL, MAX_UPDATE_BATCH};
use tributary_cli::scale::run_scale;

const VALIDATORS: usize = 300;

#[tokio::test]
async fn three_hundred_validators_crank_in_few_transactions_and_read_constant_entries() {
    let legacy = run_scale(VALIDATORS, false, true).await.unwrap();
    let through_tables = run_scale(VALIDATORS, true, true).await.unwrap();
    let small = run_scale(60, true, true).await.unwrap();

    // Without a lookup table a transaction's 1,232 bytes hold 23 validators with nothing to
    // settle, 11 with a transient (two accounts each); through the tables its 64 account locks
    // hold 54 and 27.
    assert_eq!(legacy.idle_update_transactions, VALIDATORS.div_ceil(23));
    assert_eq!(legacy.update_transactions, VALIDATORS.div_ceil(11));
    assert_eq!(legacy.update_entries_read, 11);
    assert_eq!(
        through_tables.idle_update_transactions,
        VALIDATORS.div_ceil(54)
    );
    assert_eq!(through_tables.update_transactions, VALIDATORS.div_ceil(27));
    assert_eq!(through_tables.update_entries_read, 27);

    for report in [&legacy, &through_tables, &small] {
        // Every validator was rebalanced and every vault distributed.
        assert_eq!(report.rebalances, report.validators);
        assert_eq!(report.distributions, report.validators);
        // One entry per rebalance, none per roll with no validator leaving: at 60 as at 300.
        assert_eq!(report.rebalance_entries_read, 1);
        assert_eq!(report.roll_entries_read, 0);
        assert!(report.most_entries_read() <= MAX_UPDATE_BATCH);
        assert!(report.roll_entries_read as usize <= 2 * MAX_DRAINED_PER_ROLL);
    }
}
