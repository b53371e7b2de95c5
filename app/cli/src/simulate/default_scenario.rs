//! The built-in scenario: what `tributary simulate` runs without `--scenario`.

use tributary::state::{DelegationRule, Fees, StrategyMode};

use super::config::{BuilderSpec, MevPath, SimulationConfig, ValidatorSpec, DEFAULT_REWARDS_PPM};

impl Default for SimulationConfig {
    /// Five validators on today's paths, each differing in one thing: two share through Jito, at
    /// 0% and at the 10% the Steward still accepts, one through Jito at 8% but with a naive
    /// builder that finds half the MEV, one through its vault in the pool at 0%, and one keeps
    /// its MEV. Most of Solana's stake runs Jito at a commission of 10% or less; Jito's
    /// documentation puts MEV at about 15–25% of a JitoSOL holder's yield, which `mev_ppm`,
    /// `searcher_tip_share_bps` and the builders' efficiency give here (about 160 of 540
    /// millionths an epoch reach the stakers through an efficient builder at 0%). A pool holds a
    /// minority of each validator's stake (JitoSOL, the largest, about 14M SOL spread over a few
    /// hundred validators of a million SOL and more): here 500 SOL each outside a pool of a few
    /// hundred.
    fn default() -> Self {
        let validator = |name: &str, mev_commission_bps, builder: &str, mev_path| ValidatorSpec {
            name: name.into(),
            commission: 5,
            mev_commission_bps,
            builder: builder.into(),
            mev_path,
            stops_voting_at: None,
            weight: 1,
            lucky_tip: None,
        };
        Self {
            epochs: 24,
            stakers: 4,
            validators: vec![
                validator("Jito, 0% commission", 0, "efficient", MevPath::Jito),
                validator("Jito, 10% commission", 1_000, "efficient", MevPath::Jito),
                validator("Jito 8%, naive builder", 800, "naive", MevPath::Jito),
                validator("vault, 0% commission", 0, "efficient", MevPath::Vault),
                validator("keeps its MEV", 0, "efficient", MevPath::None),
            ],
            builders: vec![
                BuilderSpec {
                    name: "efficient".into(),
                    efficiency_bps: 9_500,
                    fee_bps: 500,
                },
                BuilderSpec {
                    name: "naive".into(),
                    efficiency_bps: 5_000,
                    fee_bps: 0,
                },
            ],
            strategy: StrategyMode::Scored,
            rule: DelegationRule::RECOMMENDED,
            rewards_ppm: DEFAULT_REWARDS_PPM,
            mev_ppm: 300,
            slots_per_epoch: 400,
            outside_stake_sol: 500,
            searcher_tip_share_bps: 6_000,
            reserve_buffer_bps: 1_000,
            seed: 7,
            fees: Fees {
                deposit_bps: 10,
                withdrawal_bps: 30,
                ticket_bps: 0,
                epoch_bps: 500,
                mev_bps: 500,
                mev_commission_cap_bps: 1_000,
            },
        }
    }
}
