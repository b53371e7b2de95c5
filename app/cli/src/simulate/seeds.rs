//! Many seeds: every design run over each seed, in parallel across the machine's cores, and the
//! statistics that say what is luck and what is not: each design's mean APY with a 95% interval,
//! the edges between designs (paired by seed), the share of the oracle's edge the integrated
//! design captures, and where the stake of the validators that keep their MEV went. With
//! `counterfactual`, each validator's income against a run in which it alone makes the other
//! choice: does sharing pay it, in each design?

use std::ops::RangeInclusive;

use super::compare::DesignSummary;
use super::config::{MevPath, SimulationConfig};
use super::design::Design;
use super::run::{run_designs, DesignRun, Stop};

/// The epoch from which the stake of the validators that keep their MEV is compared with the
/// sharers' (README's goal: at most a fifth of it).
pub const SETTLED_FROM_EPOCH: usize = 10;

/// A mean and the half-width of its 95% interval (Student's t over the seeds).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub half_width: f64,
}

impl Estimate {
    pub fn of(values: &[f64]) -> Self {
        let n = values.len();
        if n == 0 {
            return Self::default();
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Self {
                mean,
                half_width: f64::NAN,
            };
        }
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        Self {
            mean,
            half_width: t_975(n - 1) * (variance / n as f64).sqrt(),
        }
    }

    /// Whether `other`'s interval lies wholly above this one's.
    pub fn below(&self, other: &Estimate) -> bool {
        self.mean + self.half_width < other.mean - other.half_width
    }
}

/// Student's t at 97.5% for `df` degrees of freedom (a two-sided 95% interval).
fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    TABLE.get(df.saturating_sub(1)).copied().unwrap_or(1.96)
}

/// One design over the seeds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DesignStatistics {
    pub design: Design,
    /// The stakers' APY (a fraction a year).
    pub apy: Estimate,
    /// From `SETTLED_FROM_EPOCH` on, the average stake of the validators that keep their MEV
    /// over that of those that share it; `None` when the scenario has no one of either.
    pub keepers_over_sharers: Option<f64>,
    /// Per epoch, averaged over the seeds: the average stake (lamports) of the sharers and of
    /// the keepers.
    pub sharers_stake: Vec<f64>,
    pub keepers_stake: Vec<f64>,
    /// Each validator's income over the run, averaged over the seeds, in lamports.
    pub income: Vec<f64>,
}

/// One edge between two designs, paired by seed, in points of APY.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Edge {
    pub of: Design,
    pub over: Design,
    pub points: Estimate,
}

/// A validator's income as it chose and had it made the other choice, in one design.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SharingPays {
    pub validator: String,
    pub design: Design,
    /// Its income sharing its MEV and keeping it, averaged over the seeds, in lamports.
    pub sharing: f64,
    pub keeping: f64,
}

impl SharingPays {
    pub fn pays(&self) -> bool {
        self.sharing > self.keeping
    }
}

/// Every design over every seed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SeedStudy {
    pub seeds: Vec<u64>,
    pub designs: Vec<DesignStatistics>,
    pub edges: Vec<Edge>,
    /// (integrated − jito-like) / (oracle − jito-like), of the means.
    pub oracle_edge_captured: Option<f64>,
    pub sharing_pays: Vec<SharingPays>,
    /// Runs of a design over a seed made, the counterfactual ones included.
    pub runs: usize,
}

/// What one seed's run of every design gave.
struct SeedRun {
    summaries: Vec<DesignSummary>,
    runs: Vec<DesignRun>,
}

/// Runs `designs` over `seeds` on `threads` threads; with `counterfactual`, each validator's
/// other choice too. Stops at the first run that does not complete.
pub fn run_seeds(
    config: &SimulationConfig,
    designs: &[Design],
    seeds: RangeInclusive<u64>,
    threads: usize,
    counterfactual: bool,
) -> Result<SeedStudy, Box<Stop>> {
    let seeds: Vec<u64> = seeds.collect();
    let mut jobs: Vec<SimulationConfig> = seeds
        .iter()
        .map(|seed| SimulationConfig {
            seed: *seed,
            ..config.clone()
        })
        .collect();
    let validators = config.validators.len();
    if counterfactual {
        for flipped in 0..validators {
            for seed in &seeds {
                let mut other = SimulationConfig {
                    seed: *seed,
                    ..config.clone()
                };
                let spec = &mut other.validators[flipped];
                spec.mev_path = match spec.mev_path {
                    MevPath::None => MevPath::Jito,
                    MevPath::Vault | MevPath::Jito => MevPath::None,
                };
                jobs.push(other);
            }
        }
    }
    let results = run_parallel(&jobs, designs, threads)?;
    let (base, flipped) = results.split_at(seeds.len());
    let mut study = SeedStudy {
        seeds: seeds.clone(),
        designs: statistics(config, designs, base),
        edges: Vec::new(),
        oracle_edge_captured: None,
        sharing_pays: Vec::new(),
        runs: results.len() * designs.len(),
    };
    study.edges = edges(designs, base);
    let apy = |design: Design| {
        (study.designs.iter())
            .find(|statistics| statistics.design == design)
            .map(|statistics| statistics.apy.mean)
    };
    if let (Some(integrated), Some(jito), Some(oracle)) = (
        apy(Design::Integrated),
        apy(Design::JitoLike),
        apy(Design::Oracle),
    ) {
        study.oracle_edge_captured = (oracle > jito).then(|| (integrated - jito) / (oracle - jito));
    }
    if counterfactual {
        study.sharing_pays = sharing_pays(config, designs, base, flipped);
    }
    Ok(study)
}

/// Runs every config of `jobs` through `designs`, on `threads` threads each with its own
/// runtime and banks; the results in `jobs`' order.
fn run_parallel(
    jobs: &[SimulationConfig],
    designs: &[Design],
    threads: usize,
) -> Result<Vec<SeedRun>, Box<Stop>> {
    let threads = threads.clamp(1, jobs.len().max(1));
    let chunks: Vec<Vec<(usize, &SimulationConfig)>> = (0..threads)
        .map(|thread| {
            jobs.iter()
                .enumerate()
                .filter(|(index, _)| index % threads == thread)
                .collect()
        })
        .collect();
    let mut results: Vec<Option<SeedRun>> = (0..jobs.len()).map(|_| None).collect();
    let finished = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("a runtime for the thread");
                    chunk
                        .into_iter()
                        .map(|(index, config)| {
                            let run = runtime.block_on(run_designs(
                                config,
                                designs,
                                |_| std::ops::ControlFlow::Continue(()),
                                std::future::pending(),
                            ));
                            (index, config, run)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a simulation thread"))
            .collect::<Vec<_>>()
    });
    for (index, config, run) in finished {
        if let Some(stop) = run.stop {
            return Err(Box::new(stop));
        }
        let summaries = (run.designs.iter())
            .map(|design_run| DesignSummary::of(config, design_run))
            .collect();
        results[index] = Some(SeedRun {
            summaries,
            runs: run.designs,
        });
    }
    Ok(results.into_iter().flatten().collect())
}

/// Each design's statistics over the base runs.
fn statistics(
    config: &SimulationConfig,
    designs: &[Design],
    base: &[SeedRun],
) -> Vec<DesignStatistics> {
    let keeps: Vec<bool> = (config.validators.iter())
        .map(|spec| !spec.mev_path.shares())
        .collect();
    designs
        .iter()
        .enumerate()
        .map(|(position, design)| {
            let apys: Vec<f64> = (base.iter())
                .map(|seed| seed.summaries[position].staker_apy)
                .collect();
            let epochs = base
                .iter()
                .map(|seed| seed.runs[position].reports.len())
                .min()
                .unwrap_or(0);
            let mean_of = |keeper: bool, epoch: usize| {
                let values: Vec<f64> = base
                    .iter()
                    .flat_map(|seed| {
                        let stakes = &seed.runs[position].reports[epoch].validator_stakes;
                        (stakes.iter().zip(&keeps))
                            .filter(move |(_, keeps)| **keeps == keeper)
                            .map(|(stake, _)| *stake as f64)
                    })
                    .collect();
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            };
            let sharers_stake: Vec<f64> = (0..epochs)
                .filter_map(|epoch| mean_of(false, epoch))
                .collect();
            let keepers_stake: Vec<f64> = (0..epochs)
                .filter_map(|epoch| mean_of(true, epoch))
                .collect();
            let settled = |stakes: &[f64]| {
                let late = stakes
                    .get(SETTLED_FROM_EPOCH..)
                    .filter(|late| !late.is_empty())?;
                Some(late.iter().sum::<f64>() / late.len() as f64)
            };
            let keepers_over_sharers = match (settled(&keepers_stake), settled(&sharers_stake)) {
                (Some(keepers), Some(sharers)) if sharers > 0.0 => Some(keepers / sharers),
                _ => None,
            };
            let income = (0..config.validators.len())
                .map(|validator| mean_income(base, position, validator))
                .collect();
            DesignStatistics {
                design: *design,
                apy: Estimate::of(&apys),
                keepers_over_sharers,
                sharers_stake,
                keepers_stake,
                income,
            }
        })
        .collect()
}

/// The edges the comparison asks for, where both designs ran: integrated over jito-like and
/// over modular, and the oracle over jito-like; in points of APY, paired by seed.
fn edges(designs: &[Design], base: &[SeedRun]) -> Vec<Edge> {
    let pairs = [
        (Design::Integrated, Design::JitoLike),
        (Design::Integrated, Design::Modular),
        (Design::Oracle, Design::JitoLike),
    ];
    let position = |design: Design| designs.iter().position(|d| *d == design);
    pairs
        .into_iter()
        .filter_map(|(of, over)| {
            let (a, b) = (position(of)?, position(over)?);
            let points: Vec<f64> = (base.iter())
                .map(|seed| (seed.summaries[a].staker_apy - seed.summaries[b].staker_apy) * 100.0)
                .collect();
            Some(Edge {
                of,
                over,
                points: Estimate::of(&points),
            })
        })
        .collect()
}

/// What `validator` earned over the run in the design at `position`, averaged over `runs`, in
/// lamports.
fn mean_income(runs: &[SeedRun], position: usize, validator: usize) -> f64 {
    let total: f64 = (runs.iter())
        .map(|seed| {
            seed.summaries[position].validators[validator]
                .earned
                .total() as f64
        })
        .sum();
    total / runs.len().max(1) as f64
}

/// Each validator's income as it chose and with the other choice, per design.
fn sharing_pays(
    config: &SimulationConfig,
    designs: &[Design],
    base: &[SeedRun],
    flipped: &[SeedRun],
) -> Vec<SharingPays> {
    let seeds = base.len();
    let mut rows = Vec::new();
    for (validator, spec) in config.validators.iter().enumerate() {
        let others = &flipped[validator * seeds..(validator + 1) * seeds];
        for (position, design) in designs.iter().enumerate() {
            let (chosen, other) = (
                mean_income(base, position, validator),
                mean_income(others, position, validator),
            );
            let (sharing, keeping) = match spec.mev_path.shares() {
                true => (chosen, other),
                false => (other, chosen),
            };
            rows.push(SharingPays {
                validator: spec.label(validator),
                design: *design,
                sharing,
                keeping,
            });
        }
    }
    rows
}
