//! The commands that change who does what, one instruction each: the admin's hand-over (propose,
//! accept), the operator and the treasury, the tip rate cap; a validator's MEV commission; a
//! ticket's owner.

use std::fmt;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::MAX_TIP_RATE_CAP_BPS;

use crate::cli::error::CliError;
use crate::cli::output::{Output, Signed};
use tributary_client::transport::Transport;
use tributary_client::{instructions, PoolClient};

/// What one of these commands changed, in a sentence.
#[derive(Serialize)]
pub struct Changed {
    /// What changed: `pending_admin`, `admin`, `operator`, `treasury`, `tip_rate_cap_bps`,
    /// `mev_commission`, `ticket_owner`.
    pub change: &'static str,
    /// Its new value.
    pub value: String,
    #[serde(skip)]
    pub sentence: String,
}

impl fmt::Display for Changed {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.sentence)
    }
}

fn changed(change: &'static str, value: impl ToString, sentence: String) -> Changed {
    Changed {
        change,
        value: value.to_string(),
        sentence,
    }
}

/// `propose-admin NEW_ADMIN` (admin): the new admin takes over once it accepts.
pub async fn propose_admin<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    new_admin: Pubkey,
) -> Result<Output, CliError> {
    let landed = client.propose_admin(signer, &new_admin).await?;
    let sentence = format!(
        "Proposed {new_admin} as the pool's admin: it takes over when it runs accept-admin"
    );
    Ok(Signed::output(
        changed("pending_admin", new_admin, sentence),
        &landed,
    ))
}

/// `accept-admin` (the proposed admin).
pub async fn accept_admin<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
) -> Result<Output, CliError> {
    let landed = client.accept_admin(signer).await?;
    let admin = signer.pubkey();
    let sentence = format!("{admin} is now the pool's admin");
    Ok(Signed::output(changed("admin", admin, sentence), &landed))
}

/// `set-operator OPERATOR` (admin).
pub async fn set_operator<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    operator: Pubkey,
) -> Result<Output, CliError> {
    let landed = client.set_operator(signer, &operator).await?;
    let sentence = format!("{operator} is now the pool's operator");
    Ok(Signed::output(
        changed("operator", operator, sentence),
        &landed,
    ))
}

/// `set-treasury OWNER` (admin): the fee shares go to OWNER's token account of the pool's
/// token from now on, created (the admin paying its rent) when it does not exist.
pub async fn set_treasury<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    owner: Pubkey,
) -> Result<Output, CliError> {
    let treasury = client.addresses()?.token_account(&owner);
    if client.account(&treasury).await?.is_none() {
        client.create_token_account(&owner).await?;
    }
    let landed = client.set_treasury(signer, &treasury).await?;
    let sentence = format!("The treasury is now {treasury}, {owner}'s token account");
    Ok(Signed::output(
        changed("treasury", treasury, sentence),
        &landed,
    ))
}

/// `set-tip-rate-cap BPS` (admin): how far tips may raise the share price in an epoch.
pub async fn set_tip_rate_cap<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    bps: u16,
) -> Result<Output, CliError> {
    if bps > MAX_TIP_RATE_CAP_BPS {
        return Err(CliError::Invalid(format!(
            "a tip rate cap of {bps} bps is above the program's limit of {MAX_TIP_RATE_CAP_BPS} bps"
        )));
    }
    let ix = instructions::set_tip_rate_cap(client.addresses()?, &signer.pubkey(), bps);
    let landed = client.send(&[ix], &[signer]).await?;
    let sentence = format!("Tips may now raise the share price by {bps} bps an epoch");
    Ok(Signed::output(
        changed("tip_rate_cap_bps", bps, sentence),
        &landed,
    ))
}

/// `set-mev-commission VOTE --commission-bps N [--payout ADDRESS]` (the validator: its vote
/// account's withdrawer signs). A cut applies at once, a raise from the next epoch.
pub async fn set_mev_commission<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    vote: Pubkey,
    commission_bps: u16,
    payout: Option<Pubkey>,
) -> Result<Output, CliError> {
    client.validator_index(&vote).await?;
    let payout = payout.unwrap_or(signer.pubkey());
    let landed = client
        .set_mev_commission(signer, &vote, commission_bps, &payout)
        .await?;
    let sentence = format!(
        "{vote} declares a {commission_bps} bps MEV commission, paid to {payout} (a raise \
         applies from the next epoch, a cut at once)"
    );
    Ok(Signed::output(
        changed("mev_commission", commission_bps, sentence),
        &landed,
    ))
}

/// `transfer-ticket TICKET NEW_OWNER` (its owner).
pub async fn transfer_ticket<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    ticket: Pubkey,
    new_owner: Pubkey,
) -> Result<Output, CliError> {
    let landed = client.transfer_ticket(signer, &ticket, &new_owner).await?;
    let sentence = format!("The ticket {ticket} now belongs to {new_owner}");
    Ok(Signed::output(
        changed("ticket_owner", new_owner, sentence),
        &landed,
    ))
}
