//! The operator's weights in the designs that do not score on chain: JitoSOL's Steward, and the
//! oracle that knows every validator's return in advance.

use tributary::constants::BPS_DENOMINATOR;
use tributary::state::Fees;

use super::config::{BuilderSpec, MevPath, SimulationConfig, ValidatorSpec, JITO_FEE_BPS};
use super::design::Design;
use super::run::{Simulation, VALIDATOR_CAP_BPS};
use tributary_client::ClientError;

/// The Steward's parameters as JitoSOL runs them (jito-foundation/stakenet, the steward's
/// `init-steward` parameters and its program overview): the validators are scored at the start of
/// every 10-epoch cycle; a validator whose declared Jito commission is above 10%, or whose
/// inflation commission is above 5%, or that is delinquent, scores 0; the best
/// `num_delegation_validators` (200, more than any scenario here holds) of the rest are staked
/// equally, with no cap per validator. Its unstaking caps (per cycle: 7.5% of the pool for
/// scoring, 10% for instant unstakes, 10% for stake deposits) bound only what leaves a validator,
/// not what the reserve stakes; we give it the movement cap every design here shares (20% of the
/// pool an epoch, in and out), looser than its own, and a validator that stops voting is out at
/// once (its instant unstake) rather than at the next cycle. A validator without a Jito
/// tip-distribution account has no MEV commission on record and scores 0, as the Steward's
/// `mev_commission_score` does.
pub mod steward {
    pub const CYCLE_EPOCHS: u64 = 10;
    pub const MAX_MEV_COMMISSION_BPS: u16 = 1_000;
    pub const MAX_COMMISSION_PERCENT: u8 = 5;
}

/// The Steward's weights in run epoch `epoch`: 1 for each eligible validator, 0 for the rest;
/// `None` between cycles, when nothing changes (but for a validator that stopped voting).
pub fn steward_weights(
    config: &SimulationConfig,
    epoch: u64,
    votes_in: impl Fn(&ValidatorSpec) -> bool,
) -> Option<Vec<u32>> {
    let stopped_now = config
        .validators
        .iter()
        .any(|spec| spec.stops_voting_at == Some(epoch));
    if !epoch.is_multiple_of(steward::CYCLE_EPOCHS) && !stopped_now {
        return None;
    }
    let weights = config.validators.iter().map(|spec| {
        let eligible = votes_in(spec)
            && spec.mev_path == MevPath::Jito
            && spec.mev_commission_bps <= steward::MAX_MEV_COMMISSION_BPS
            && spec.commission <= steward::MAX_COMMISSION_PERCENT;
        u32::from(eligible)
    });
    Some(weights.collect())
}

/// What a staked lamport of `spec` returns to the pool's stakers per epoch, in millionths, in a
/// pool with vaults (`has_vaults`) and these fees: the staking rewards after its commission if
/// it votes, and its MEV through its path after its commission and the fees on the way.
pub fn true_return(
    config: &SimulationConfig,
    spec: &ValidatorSpec,
    builder: &BuilderSpec,
    voting: bool,
    has_vaults: bool,
) -> f64 {
    if !voting {
        return 0.0;
    }
    let part = |bps: u16| f64::from(bps) / BPS_DENOMINATOR as f64;
    let staking = config.rewards_ppm as f64 * (1.0 - f64::from(spec.commission) / 100.0);
    let tips = config.mev_ppm as f64
        * part(builder.efficiency_bps)
        * part(config.searcher_tip_share_bps)
        * (1.0 - part(builder.fee_bps));
    let Fees {
        mev_bps,
        mev_commission_cap_bps,
        ..
    } = config.fees;
    let to_stakers = match spec.mev_path {
        MevPath::Vault if has_vaults => {
            let commission = spec.mev_commission_bps.min(mev_commission_cap_bps);
            (1.0 - part(commission)) * (1.0 - part(mev_bps))
        }
        MevPath::Jito => {
            let commission = spec.mev_commission_bps.min(BPS_DENOMINATOR as u16);
            (1.0 - part(JITO_FEE_BPS)) * (1.0 - part(commission)) * (1.0 - part(mev_bps))
        }
        MevPath::Vault | MevPath::None => 0.0,
    };
    staking + tips * to_stakers
}

/// The oracle's weights: what maximises the stakers' return within the per-validator cap.
/// Knowing `returns` (each validator's, for the epochs its stake will earn in), it gives the
/// best as much as the cap allows, then the next, until the pool is placed; the weights are
/// the lamports' shares, in basis points of the pool.
pub fn oracle_weights(returns: &[f64], cap_bps: u16, buffer_bps: u16) -> Vec<u32> {
    let mut order: Vec<usize> = (0..returns.len()).collect();
    order.sort_by(|a, b| returns[*b].total_cmp(&returns[*a]));
    let mut left = u32::from(BPS_DENOMINATOR as u16 - buffer_bps.min(BPS_DENOMINATOR as u16));
    let mut weights = vec![0; returns.len()];
    for index in order {
        if returns[index] <= 0.0 || left == 0 {
            break;
        }
        let given = left.min(u32::from(cap_bps));
        weights[index] = given;
        left -= given;
    }
    weights
}

impl Simulation<'_> {
    /// The validators on Jito's path declare their commission for the epoch, in their
    /// tip-distribution accounts, where the integrated pool's scores read it.
    pub(super) fn declare_to_jito(&mut self) {
        for (vote, spec) in self.votes.iter().zip(&self.config.validators) {
            if spec.mev_path == MevPath::Jito {
                self.client
                    .declare_to_jito(vote, self.epoch, spec.mev_commission_bps);
            }
        }
    }

    /// The operator's weights for the designs weighed by hand, changed where they differ from
    /// those in force: the Steward's each cycle, the oracle's each epoch (it knows which
    /// validators will return what while its stake earns: this epoch's and the next).
    pub(super) async fn weigh(&mut self) -> Result<(), ClientError> {
        let epoch = self.epoch;
        let config = self.config;
        let weights = match self.design {
            Design::JitoLike => steward_weights(config, epoch, |spec| self.votes_in(spec)),
            Design::Oracle => {
                let returns: Vec<f64> = (config.validators.iter().zip(&self.builders))
                    .map(|(spec, builder)| {
                        let voting = spec.stops_voting_at.is_none_or(|stop| epoch + 2 < stop);
                        true_return(config, spec, builder, voting, true)
                    })
                    .collect();
                let buffer = config.reserve_buffer_bps;
                Some(oracle_weights(&returns, VALIDATOR_CAP_BPS, buffer))
            }
            _ => None,
        };
        let Some(weights) = weights else {
            return Ok(());
        };
        for (index, weight) in weights.iter().enumerate() {
            if self.weights[index] != *weight {
                let admin = self.admin.insecure_clone();
                self.client
                    .set_weight(&admin, &self.votes[index], *weight)
                    .await?;
                self.weights[index] = *weight;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oracle_fills_the_best_to_the_cap_first() {
        // 90% to place under a 50% cap: the best takes 50%, the next 40%, the rest nothing.
        assert_eq!(
            oracle_weights(&[300.0, 500.0, 400.0, 0.0], 5_000, 1_000),
            vec![0, 5_000, 4_000, 0]
        );
        // Nothing to a validator that returns nothing, whatever is left.
        assert_eq!(oracle_weights(&[0.0, 10.0], 5_000, 0), vec![0, 5_000]);
    }

    #[test]
    fn the_steward_stakes_the_eligible_jito_validators_equally_each_cycle() {
        let config = SimulationConfig::default();
        // The three validators on Jito's path at 10% or less pass the Steward's filters; the
        // one on the vault's path and the one that keeps its MEV do not.
        let weights = steward_weights(&config, 0, |_| true).unwrap();
        assert_eq!(weights, vec![1, 1, 1, 0, 0]);
        assert_eq!(steward_weights(&config, 3, |_| true), None);
        assert!(steward_weights(&config, 10, |_| true).is_some());
        // One that stops voting is out at once.
        assert_eq!(steward_weights(&config, 0, |_| false).unwrap(), vec![0; 5]);
    }
}
