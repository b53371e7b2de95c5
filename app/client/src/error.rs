use anchor_lang::prelude::Pubkey;
use solana_sdk::instruction::InstructionError;
use solana_sdk::transaction::TransactionError;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("transaction failed: {error}")]
    Transaction {
        error: TransactionError,
        logs: Vec<String>,
    },
    #[cfg(feature = "bank")]
    #[error("bank: {0}")]
    Bank(#[from] solana_program_test::BanksClientError),
    #[error("RPC at {url}: {message}")]
    Rpc { url: String, message: String },
    #[error(
        "no validator answers at {0} (the connection was refused): start one \
         (`solana-test-validator`), or pass --url with a cluster's RPC URL"
    )]
    Unreachable(String),
    #[error(
        "cannot find the host {host} of {url}: the name does not resolve (check --url and the \
         network)"
    )]
    UnknownHost { url: String, host: String },
    #[error("{url} answered HTTP {status}: it is not a Solana JSON-RPC endpoint (check --url)")]
    NotJsonRpc { url: String, status: String },
    #[error("account {0} does not exist")]
    AccountNotFound(Pubkey),
    /// An account, sysvar or answer that does not read as what it should be.
    #[error("cannot decode {0}")]
    Decode(String),
    /// The program's own rules, evaluated by the client on the pool's state, refused (an
    /// overflow, a figure out of range): what the program would refuse too.
    #[error("the pool's rules refuse it: {0}")]
    Rule(String),
    /// A transaction could not be put together or signed.
    #[error("cannot build the transaction: {0}")]
    Build(String),
    /// What the program guarantees did not hold, or it answered what it never does.
    #[error("the pool is not as the program keeps it: {0}")]
    Invariant(String),
    #[error("no pool: initialise or open one first")]
    NoPool,
    #[error("validator {0} is not in the pool")]
    UnknownValidator(Pubkey),
    #[error("{0} is not the pool's operator")]
    NotOperator(Pubkey),
    #[error("{0}")]
    NotServed(String),
    #[error("cannot warp the bank: {0}")]
    Warp(String),
    #[error("cannot set the bank's account: {0}")]
    SetAccount(String),
    /// A dry run's transaction the program refuses on today's state, after `simulated` others
    /// it may depend on, which a dry run does not land.
    #[error(
        "transaction {} could not be simulated after the {simulated} before it, which a dry run \
         does not land: {error}", simulated + 1
    )]
    DryRunStops {
        simulated: usize,
        error: Box<ClientError>,
    },
}

impl ClientError {
    /// A refusal of the program's rules, evaluated by the client.
    pub fn rule(error: anchor_lang::error::Error) -> Self {
        ClientError::Rule(error.to_string())
    }

    /// The custom error code an instruction failed with: a `TributaryError` (6000 and up),
    /// an Anchor error, or a called program's own error.
    pub fn custom_code(&self) -> Option<u32> {
        match self {
            ClientError::Transaction {
                error: TransactionError::InstructionError(_, InstructionError::Custom(code)),
                ..
            } => Some(*code),
            _ => None,
        }
    }

    /// Whether the transaction failed with this program error.
    pub fn is(&self, error: tributary::errors::TributaryError) -> bool {
        self.custom_code() == Some(u32::from(error))
    }
}
