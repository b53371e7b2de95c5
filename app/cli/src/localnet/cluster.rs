//! The methods about the cluster: its clock, epochs, version and health, and moving it ahead.

use serde_json::{json, Value};

use super::json::{internal, invalid, method_not_found, RpcResult};
use super::Localnet;

impl Localnet {
    /// Answers the methods about the cluster: its clock, epochs, version and health.
    pub(super) async fn cluster_call(&self, method: &str, params: &Value) -> RpcResult {
        match method {
            "getEpochInfo" => {
                let clock = self.clock().await?;
                let schedule = self.epoch_schedule().await?;
                let first = schedule.get_first_slot_in_epoch(clock.epoch);
                Ok(json!({
                    "absoluteSlot": clock.slot,
                    "blockHeight": clock.slot,
                    "epoch": clock.epoch,
                    "slotIndex": clock.slot - first,
                    "slotsInEpoch": schedule.get_slots_in_epoch(clock.epoch),
                    "transactionCount": self.landed.lock().map_err(internal)?.transactions.len(),
                }))
            }
            "getEpochSchedule" => {
                let schedule = self.epoch_schedule().await?;
                Ok(json!({
                    "slotsPerEpoch": schedule.slots_per_epoch,
                    "leaderScheduleSlotOffset": schedule.leader_schedule_slot_offset,
                    "warmup": schedule.warmup,
                    "firstNormalEpoch": schedule.first_normal_epoch,
                    "firstNormalSlot": schedule.first_normal_slot,
                }))
            }
            "getSlot" | "getBlockHeight" => Ok(json!(self.slot().await?)),
            "getVersion" => Ok(json!({ "solana-core": "3.1.12", "feature-set": 0 })),
            "getHealth" => Ok(json!("ok")),
            "tributaryAdvanceEpochs" => {
                let epochs = params[0].as_u64().unwrap_or(1);
                if !(1..=100).contains(&epochs) {
                    return Err(invalid("advance between 1 and 100 epochs at a time"));
                }
                let epoch = self.advance_epochs(epochs).await?;
                Ok(json!({ "epoch": epoch }))
            }
            "tributaryDemo" => Ok(json!(self.serving.demo)),
            method => Err(method_not_found(method)),
        }
    }

    pub(super) async fn clock(&self) -> Result<solana_sdk::clock::Clock, Value> {
        self.banks
            .get_sysvar::<solana_sdk::clock::Clock>()
            .await
            .map_err(internal)
    }

    pub(super) async fn slot(&self) -> Result<u64, Value> {
        Ok(self.clock().await?.slot)
    }

    pub(super) async fn epoch_schedule(
        &self,
    ) -> Result<solana_sdk::epoch_schedule::EpochSchedule, Value> {
        self.banks
            .get_sysvar::<solana_sdk::epoch_schedule::EpochSchedule>()
            .await
            .map_err(internal)
    }
}
