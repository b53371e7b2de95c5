//! The designs a scenario runs through.

/// How the pool, the validators' tips and the delegation fit together: the same scenario runs
/// through each in its own bank. Every design's pool receives what Jito pays its stake accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// Tributary: tips into the pool's vaults and its stake accounts, split on-chain, stake
    /// following the scenario's strategy (scores of what each validator returns to stakers, by
    /// the recommended delegation rule).
    Integrated,
    /// JitoSOL's arrangement today: no vaults; Jito's claims reach the stake accounts; stake
    /// follows the Steward's rules (`steward.rs`): binary filters, the eligible staked equally,
    /// re-scored every 10 epochs, its unstaking caps.
    JitoLike,
    /// A stake pool blind to MEV (the SPL stake pool's situation): equal weights, no vaults.
    Modular,
    /// The ceiling: the integrated pool's vaults and caps, delegated by an operator who knows
    /// each validator's true return to stakers in advance (`oracle_weights`).
    Oracle,
    /// Tips shared through the vaults at each validator's declared commission, but a
    /// delegation blind to them: equal weights. What sharing alone gives.
    DeclaredBlind,
}

impl Design {
    pub const ALL: [Design; 5] = [
        Design::Integrated,
        Design::JitoLike,
        Design::Modular,
        Design::Oracle,
        Design::DeclaredBlind,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Design::Integrated => "integrated",
            Design::JitoLike => "jito-like",
            Design::Modular => "modular",
            Design::Oracle => "oracle",
            Design::DeclaredBlind => "declared-blind",
        }
    }

    /// What it stands for, in a few words.
    pub fn description(self) -> &'static str {
        match self {
            Design::Integrated => "tips shared on-chain, stake follows them",
            Design::JitoLike => "Jito's claims, the Steward's delegation",
            Design::Modular => "no sharing seen, equal stake",
            Design::Oracle => "knows every validator's return in advance",
            Design::DeclaredBlind => "tips shared at the declared commission, equal stake",
        }
    }

    /// Whether the pool has vaults: validators on the vault path tip into them (elsewhere they
    /// keep their tips).
    pub fn has_vaults(self) -> bool {
        matches!(
            self,
            Design::Integrated | Design::Oracle | Design::DeclaredBlind
        )
    }
}

impl std::str::FromStr for Design {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Design::ALL
            .into_iter()
            .find(|design| design.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Design::ALL.iter().map(|design| design.name()).collect();
                format!(
                    "{name:?} is not a design; the designs are {}",
                    names.join(", ")
                )
            })
    }
}
