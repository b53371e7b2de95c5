//! Opening a pool named on the command line.

use anchor_lang::prelude::Pubkey;
use tributary::state::Pool;
use tributary_client::state::decode_pool;
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

use crate::cli::error::CliError;

/// Points `client` at `pool`, after checking that it is a Tributary pool.
pub async fn open_pool<T: Transport>(
    client: &mut PoolClient<T>,
    pool: Option<Pubkey>,
) -> Result<Pool, CliError> {
    let pool = pool.ok_or(CliError::NoPool)?;
    let program = client.program_id();
    let unknown = || CliError::UnknownPool { pool, program };
    let state = match client.account(&pool).await? {
        Some(account) if account.owner == program => {
            decode_pool(&account.data).map_err(|_| unknown())?
        }
        _ => return Err(unknown()),
    };
    client.use_pool(pool);
    Ok(state)
}
