//! The designs a scenario runs through.

/// How the pool, the validators' tips and the delegation fit together: the same scenario runs
/// through each in its own bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// Tributary: tips into the pool's vaults, split on-chain, stake following the scenario's
    /// strategy (scores of what each validator returns to stakers).
    Integrated,
    /// A stake pool that neither sees nor shares MEV (the SPL stake pool's situation): equal
    /// weights, and every validator keeps its tips.
    Modular,
    /// Tips shared at each validator's declared commission, but a delegation blind to them:
    /// equal weights.
    DeclaredBlind,
}

impl Design {
    pub const ALL: [Design; 3] = [Design::Integrated, Design::Modular, Design::DeclaredBlind];

    pub fn name(self) -> &'static str {
        match self {
            Design::Integrated => "integrated",
            Design::Modular => "modular",
            Design::DeclaredBlind => "declared-blind",
        }
    }

    /// What it stands for, in a few words.
    pub fn description(self) -> &'static str {
        match self {
            Design::Integrated => "tips shared on-chain, stake follows them",
            Design::Modular => "no sharing, equal stake",
            Design::DeclaredBlind => "tips shared at the declared commission, equal stake",
        }
    }

    /// Whether validators' tips reach the pool's vaults (unless a validator routes them away).
    pub fn shares_tips(self) -> bool {
        self != Design::Modular
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
