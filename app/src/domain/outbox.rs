//! The device's outbox: every record made on the device waits here until the server has
//! acknowledged it. Pure state machine; the browser glue only stores it and calls it.
//!
//! Rules: an item leaves the outbox only on `stored` / `already_stored`; a rejected or
//! conflicting item is set aside for the worker ("needs attention") and never blocks the rest;
//! a transport failure keeps everything and backs off; an item found "sending" after a reload
//! is simply sent again (the server de-duplicates by id).

use super::sync::{ItemOutcome, ItemResult, SyncItem, MAX_BATCH_BYTES, MAX_BATCH_ITEMS};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EntryState {
    Waiting,
    Sending,
    NeedsAttention { field: String, reason: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub item: SyncItem,
    pub state: EntryState,
    /// Sends that ended without an answer for this item.
    pub attempts: u32,
    /// Where it stands in the queue: entries are sent in this order (an event before the
    /// conversations recorded at it). Entries kept before this field existed read as 0 and keep
    /// the order they were stored in.
    #[serde(default)]
    pub seq: u64,
}

/// One write to the device's storage, which keeps each entry under its own key: a tab writes
/// only the entries it changed, so a tab whose view is behind another's (browsers share
/// storage between tabs lazily) can never remove or overwrite a record it has not seen.
#[derive(Clone, Debug, PartialEq)]
pub enum Change<'a> {
    Put(&'a OutboxEntry),
    Remove(&'a str),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub entries: Vec<OutboxEntry>,
    /// Consecutive failed sync attempts (drives the back-off); reset by any answer.
    #[serde(default)]
    pub failures: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnqueueError {
    /// An item with this id is already waiting or being sent: it must not be replaced.
    InFlight,
}

/// The resident an item is about, if any: a conversation's resident, or the one a volunteering
/// request puts forward.
fn resident_of(item: &SyncItem) -> Option<String> {
    let p = &item.payload;
    p.get("resident").and_then(|r| r.get("id")).or_else(|| p.get("resident_id")).and_then(|v| v.as_str()).map(str::to_string)
}

impl Outbox {
    /// The outbox from entries stored one by one, in queue order.
    pub fn from_entries(mut entries: Vec<OutboxEntry>, failures: u32) -> Outbox {
        entries.sort_by(|a, b| (a.seq, a.item.created_on_device_at, &a.item.id).cmp(&(b.seq, b.item.created_on_device_at, &b.item.id)));
        Outbox { entries, failures }
    }

    /// What must be written to storage to go from `before` to `self`, and nothing else: entries
    /// added or changed are put, entries that left are removed.
    pub fn changes_since<'a>(&'a self, before: &'a Outbox) -> Vec<Change<'a>> {
        let mut changes: Vec<Change<'a>> =
            self.entries.iter().filter(|e| before.entries.iter().find(|b| b.item.id == e.item.id) != Some(*e)).map(Change::Put).collect();
        changes.extend(
            before
                .entries
                .iter()
                .filter(|b| !self.entries.iter().any(|e| e.item.id == b.item.id))
                .map(|b| Change::Remove(b.item.id.as_str())),
        );
        changes
    }

    fn next_seq(&self) -> u64 {
        self.entries.iter().map(|e| e.seq).max().map_or(1, |s| s + 1)
    }

    /// After a reload nothing is really being sent: whatever was "sending" goes back to waiting.
    pub fn recover(&mut self) {
        for e in &mut self.entries {
            if e.state == EntryState::Sending {
                e.state = EntryState::Waiting;
            }
        }
    }

    /// Adds a new item, or replaces one that needed attention (the worker fixed it).
    pub fn enqueue(&mut self, item: SyncItem) -> Result<(), EnqueueError> {
        match self.entries.iter_mut().find(|e| e.item.id == item.id) {
            Some(e) if matches!(e.state, EntryState::NeedsAttention { .. }) => {
                *e = OutboxEntry { item, state: EntryState::Waiting, attempts: 0, seq: e.seq };
                Ok(())
            }
            Some(_) => Err(EnqueueError::InFlight),
            None => {
                let seq = self.next_seq();
                self.entries.push(OutboxEntry { item, state: EntryState::Waiting, attempts: 0, seq });
                Ok(())
            }
        }
    }

    /// Takes the next batch to send, oldest first, within the item and size limits, and marks it
    /// as sending. Items that need attention are skipped, so they never hold up the rest.
    pub fn next_batch(&mut self) -> Vec<SyncItem> {
        let mut batch = Vec::new();
        let mut bytes = 64; // the envelope
        for e in self.entries.iter_mut().filter(|e| e.state == EntryState::Waiting) {
            let size = serde_json::to_string(&e.item).map(|s| s.len()).unwrap_or(usize::MAX / 2) + 1;
            if batch.len() == MAX_BATCH_ITEMS || (!batch.is_empty() && bytes + size > MAX_BATCH_BYTES) {
                break;
            }
            bytes += size;
            e.state = EntryState::Sending;
            batch.push(e.item.clone());
        }
        batch
    }

    /// Applies the server's answer. Acknowledged items leave; rejected and conflicting ones are
    /// set aside with their reason; any item the answer does not mention goes back to waiting.
    pub fn apply(&mut self, results: &[ItemResult]) {
        self.failures = 0;
        for e in &mut self.entries {
            if e.state != EntryState::Sending {
                continue;
            }
            match results.iter().find(|r| r.id == e.item.id).map(|r| &r.outcome) {
                Some(o) if o.is_acknowledged() => {}
                Some(ItemOutcome::Rejected { field, reason }) => {
                    e.state = EntryState::NeedsAttention { field: field.clone(), reason: reason.clone() };
                }
                Some(ItemOutcome::Conflict { .. }) => {
                    e.state = EntryState::NeedsAttention {
                        field: "base_version".into(),
                        reason: "Someone else changed this record since you last saw it. Review it and save again.".into(),
                    };
                }
                _ => {
                    e.state = EntryState::Waiting;
                    e.attempts += 1;
                }
            }
        }
        self.entries
            .retain(|e| !(e.state == EntryState::Sending && results.iter().any(|r| r.id == e.item.id && r.outcome.is_acknowledged())));
    }

    /// The send failed without an answer (offline, timeout, server error): keep everything.
    pub fn transport_failed(&mut self) {
        self.failures += 1;
        for e in &mut self.entries {
            if e.state == EntryState::Sending {
                e.state = EntryState::Waiting;
                e.attempts += 1;
            }
        }
    }

    /// Drops an item the worker chose to discard (only ones that need attention).
    pub fn discard(&mut self, id: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| !(e.item.id == id && matches!(e.state, EntryState::NeedsAttention { .. })));
        before != self.entries.len()
    }

    /// Items not yet acknowledged, including those that need attention.
    pub fn pending(&self) -> usize {
        self.entries.len()
    }

    /// The residents this outbox holds anything about, to ask the server which were erased.
    pub fn resident_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.entries.iter().filter_map(|e| resident_of(&e.item)).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Drops everything personal held about residents erased since their records were taken
    /// down. A conversation stays, anonymous (what was raised and done still counts): its
    /// resident's name, contact details and language, the address, notes and preferences in
    /// their own words go, and if it was set aside it is sent again. Anything else about them
    /// goes altogether: a request to put them forward for volunteering, a referral or a
    /// commitment made later from their follow-up (unless it is being sent right now: the server
    /// refuses a volunteering request, keeps a referral or commitment without its words, and
    /// it goes next time). Returns how many items changed.
    pub fn forget_residents(&mut self, erased: &[String]) -> usize {
        let mut changed = 0;
        self.entries.retain_mut(|e| {
            let Some(resident) = resident_of(&e.item) else { return true };
            if !erased.contains(&resident) {
                return true;
            }
            if !e.item.is(crate::domain::sync::SyncKind::Interaction) {
                changed += 1;
                return e.state == EntryState::Sending;
            }
            let before = e.item.payload.clone();
            if let Some(payload) = e.item.payload.as_object_mut() {
                // The link stays (the server keeps its conversations linked, so repeat contacts
                // still count) and so do the decisions; who they are goes.
                payload.insert(
                    "resident".to_string(),
                    serde_json::json!({ "id": resident, "name": super::privacy::ERASED_NAME, "contact": "", "preferred_language": "" }),
                );
                // Which interests they chose stays (from the organisation's list: it names
                // nobody); what they wrote in their own words goes.
                if let Some(involvement) = payload.get_mut("involvement").and_then(|i| i.as_object_mut()) {
                    involvement.remove("skills");
                    involvement.remove("availability");
                }
                for key in ["address", "notes"] {
                    payload.insert(key.to_string(), serde_json::Value::String(String::new()));
                }
                // What each side agreed stays as a commitment (kept or not still counts); its
                // words go, for a placeholder the record's checks accept.
                if let Some(list) = payload.get_mut("commitments").and_then(|c| c.as_array_mut()) {
                    for c in list.iter_mut().filter_map(|c| c.as_object_mut()) {
                        c.insert("text".to_string(), serde_json::Value::String(super::privacy::ERASED_NAME.to_string()));
                    }
                }
            }
            if e.item.payload != before {
                changed += 1;
                if matches!(e.state, EntryState::NeedsAttention { .. }) {
                    e.state = EntryState::Waiting;
                }
            }
            true
        });
        changed
    }

    pub fn needs_attention(&self) -> usize {
        self.entries.iter().filter(|e| matches!(e.state, EntryState::NeedsAttention { .. })).count()
    }

    pub fn has_work(&self) -> bool {
        self.entries.iter().any(|e| e.state == EntryState::Waiting)
    }
}

/// Exponential back-off with full jitter, capped: after `failures` consecutive failures, wait a
/// random time up to `min(cap, base * 2^(failures-1))`. Retries never stop.
pub fn backoff_ms(failures: u32, jitter: f64) -> u64 {
    const BASE_MS: u64 = 2_000;
    const CAP_MS: u64 = 5 * 60_000;
    if failures == 0 {
        return 0;
    }
    let ceiling = BASE_MS.saturating_mul(1u64 << (failures - 1).min(20)).min(CAP_MS);
    let jitter = jitter.clamp(0.0, 1.0);
    // Never less than half a second, so a flapping connection is not hammered.
    ((ceiling as f64) * jitter).max(500.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item_with(id: &str, kind: &str, payload: serde_json::Value) -> SyncItem {
        SyncItem { kind: kind.into(), payload, ..item(id) }
    }

    fn item(id: &str) -> SyncItem {
        SyncItem {
            id: id.into(),
            kind: "interaction".into(),
            schema: 1,
            base_version: None,
            payload: serde_json::json!({ "notes": "x" }),
            created_on_device_at: 1_800_000_000,
        }
    }

    fn ids(batch: &[SyncItem]) -> Vec<&str> {
        batch.iter().map(|i| i.id.as_str()).collect()
    }

    fn result(id: &str, outcome: ItemOutcome) -> ItemResult {
        ItemResult { id: id.into(), outcome }
    }

    #[test]
    fn an_acknowledged_item_leaves_and_a_duplicate_acknowledgement_changes_nothing() {
        let mut o = Outbox::default();
        o.enqueue(item("a")).unwrap();
        o.enqueue(item("b")).unwrap();
        assert_eq!(ids(&o.next_batch()), ["a", "b"]);
        o.apply(&[result("a", ItemOutcome::Stored), result("b", ItemOutcome::AlreadyStored)]);
        assert_eq!(o.pending(), 0);
        o.apply(&[result("a", ItemOutcome::Stored)]);
        assert_eq!(o.pending(), 0);
    }

    /// Storage as the browser keeps it: one key per entry.
    fn write(store: &mut std::collections::BTreeMap<String, OutboxEntry>, changes: Vec<Change<'_>>) {
        for change in changes {
            match change {
                Change::Put(e) => {
                    store.insert(e.item.id.clone(), e.clone());
                }
                Change::Remove(id) => {
                    store.remove(id);
                }
            }
        }
    }

    fn read(store: &std::collections::BTreeMap<String, OutboxEntry>) -> Outbox {
        Outbox::from_entries(store.values().cloned().collect(), 0)
    }

    #[test]
    fn a_tab_that_has_not_seen_anothers_record_never_removes_or_overwrites_it() {
        let mut store = std::collections::BTreeMap::new();
        // Tab A saves a record; tab B, whose view of storage is behind, saves another.
        let stale = read(&store);
        let mut a = stale.clone();
        a.enqueue(item("a")).unwrap();
        write(&mut store, a.changes_since(&stale));
        let mut b = stale.clone();
        b.enqueue(item("b")).unwrap();
        write(&mut store, b.changes_since(&stale));
        assert_eq!(read(&store).pending(), 2);
        // Tab B, still behind, sends what it knows, fails and marks it waiting again.
        let before = b.clone();
        b.next_batch();
        write(&mut store, b.changes_since(&before));
        let before = b.clone();
        b.transport_failed();
        write(&mut store, b.changes_since(&before));
        // Tab A, behind on B's record, has its own acknowledged.
        let before = a.clone();
        a.next_batch();
        a.apply(&[result("a", ItemOutcome::Stored)]);
        write(&mut store, a.changes_since(&before));
        let now = read(&store);
        assert_eq!(ids(&now.entries.iter().map(|e| e.item.clone()).collect::<Vec<_>>()), ["b"]);
        assert_eq!(now.entries[0].state, EntryState::Waiting);
        assert_eq!(now.entries[0].attempts, 1);
    }

    #[test]
    fn only_what_changed_is_written_and_the_queue_keeps_its_order_when_read_back() {
        let mut o = Outbox::default();
        for id in ["z-event", "m", "a"] {
            o.enqueue(item(id)).unwrap();
        }
        let before = o.clone();
        assert!(o.changes_since(&before).is_empty(), "nothing changed, nothing written");
        o.next_batch();
        o.apply(&[result("z-event", ItemOutcome::Stored)]);
        let changes = o.changes_since(&before);
        assert_eq!(changes.len(), 3, "two now waiting again and one gone: {changes:?}");
        assert!(changes.contains(&Change::Remove("z-event")));
        // Read back from keys in any order, the queue is as it was.
        let mut shuffled = o.entries.clone();
        shuffled.reverse();
        assert_eq!(Outbox::from_entries(shuffled, 0), o);
        assert_eq!(ids(&o.next_batch()), ["m", "a"]);
    }

    #[test]
    fn the_same_id_cannot_be_queued_twice_while_in_flight() {
        let mut o = Outbox::default();
        o.enqueue(item("a")).unwrap();
        assert_eq!(o.enqueue(item("a")), Err(EnqueueError::InFlight));
        o.next_batch();
        assert_eq!(o.enqueue(item("a")), Err(EnqueueError::InFlight));
        assert_eq!(o.pending(), 1);
    }

    #[test]
    fn a_rejected_item_is_set_aside_and_never_blocks_the_rest() {
        let mut o = Outbox::default();
        for id in ["a", "b", "c"] {
            o.enqueue(item(id)).unwrap();
        }
        o.next_batch();
        o.apply(&[
            result("a", ItemOutcome::Stored),
            result("b", ItemOutcome::Rejected { field: "area_id".into(), reason: "Choose an area".into() }),
            result("c", ItemOutcome::Stored),
        ]);
        assert_eq!(o.pending(), 1);
        assert_eq!(o.needs_attention(), 1);
        assert!(!o.has_work(), "nothing left to send");
        o.enqueue(item("d")).unwrap();
        assert_eq!(ids(&o.next_batch()), ["d"], "later items still go");
        // The worker fixes the rejected item and saves it again under the same id.
        let mut fixed = item("b");
        fixed.payload = serde_json::json!({ "area_id": "ward-1" });
        o.enqueue(fixed).unwrap();
        assert_eq!(o.needs_attention(), 0);
        assert_eq!(ids(&o.next_batch()), ["b"]);
    }

    #[test]
    fn a_conflict_needs_the_workers_attention_with_a_plain_reason() {
        let mut o = Outbox::default();
        o.enqueue(item("edit")).unwrap();
        o.next_batch();
        o.apply(&[result("edit", ItemOutcome::Conflict { current: serde_json::json!({"version": 3}) })]);
        assert_eq!(o.needs_attention(), 1);
        match &o.entries[0].state {
            EntryState::NeedsAttention { reason, .. } => assert!(reason.contains("Someone else changed")),
            other => panic!("{other:?}"),
        }
        assert!(o.discard("edit"));
        assert_eq!(o.pending(), 0);
    }

    #[test]
    fn a_transport_failure_keeps_everything_and_counts_towards_back_off() {
        let mut o = Outbox::default();
        o.enqueue(item("a")).unwrap();
        o.next_batch();
        o.transport_failed();
        o.transport_failed();
        assert_eq!(o.failures, 2);
        assert_eq!(o.entries[0].state, EntryState::Waiting);
        assert_eq!(ids(&o.next_batch()), ["a"]);
        o.apply(&[result("a", ItemOutcome::Stored)]);
        assert_eq!(o.failures, 0, "any answer resets the back-off");
    }

    #[test]
    fn an_item_missing_from_the_answer_is_sent_again() {
        let mut o = Outbox::default();
        o.enqueue(item("a")).unwrap();
        o.enqueue(item("b")).unwrap();
        o.next_batch();
        o.apply(&[result("a", ItemOutcome::Stored)]);
        assert_eq!(ids(&o.next_batch()), ["b"]);
    }

    #[test]
    fn after_a_reload_sending_items_are_sent_again() {
        let mut o = Outbox::default();
        o.enqueue(item("a")).unwrap();
        o.next_batch();
        let stored = serde_json::to_string(&o).unwrap();
        let mut reloaded: Outbox = serde_json::from_str(&stored).unwrap();
        assert!(!reloaded.has_work());
        reloaded.recover();
        assert_eq!(ids(&reloaded.next_batch()), ["a"]);
    }

    #[test]
    fn batches_respect_the_item_limit() {
        let mut o = Outbox::default();
        for i in 0..(MAX_BATCH_ITEMS + 5) {
            o.enqueue(item(&format!("i{i}"))).unwrap();
        }
        assert_eq!(o.next_batch().len(), MAX_BATCH_ITEMS);
        assert_eq!(o.next_batch().len(), 5);
        assert!(o.next_batch().is_empty());
    }

    #[test]
    fn batches_respect_the_size_limit_but_always_carry_at_least_one_item() {
        let mut o = Outbox::default();
        let mut big = item("big");
        big.payload = serde_json::json!({ "notes": "x".repeat(MAX_BATCH_BYTES) });
        o.enqueue(big).unwrap();
        o.enqueue(item("small")).unwrap();
        assert_eq!(ids(&o.next_batch()), ["big"], "an oversize item goes alone; the server will reject it");
        assert_eq!(ids(&o.next_batch()), ["small"]);
    }

    #[test]
    fn back_off_grows_exponentially_with_jitter_and_is_capped() {
        assert_eq!(backoff_ms(0, 0.5), 0);
        assert_eq!(backoff_ms(1, 1.0), 2_000);
        assert_eq!(backoff_ms(3, 1.0), 8_000);
        assert_eq!(backoff_ms(30, 1.0), 300_000, "capped at five minutes, retried forever");
        assert_eq!(backoff_ms(3, 0.5), 4_000);
        assert_eq!(backoff_ms(3, 0.0), 500, "never a tight loop");
        assert_eq!(backoff_ms(3, 7.0), 8_000, "jitter is clamped");
    }

    #[test]
    fn an_erased_resident_is_dropped_from_every_record_but_the_conversation_still_counts() {
        let mut outbox = Outbox::default();
        let talk = |id: &str, resident: &str| {
            item_with(
                id,
                "interaction",
                serde_json::json!({
                    "area_id": "a", "address": "12 High St", "notes": "Mo's damp", "involvement": { "skills": "cooking" },
                    "resident": { "id": resident, "name": "Mo", "contact": "07700 900123" },
                    "consents": [{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }],
                    "commitments": [{ "side": "you", "text": "Mo rings the GP" }],
                }),
            )
        };
        outbox.enqueue(talk("i-1", "r-erased")).unwrap();
        outbox.enqueue(talk("i-2", "r-kept")).unwrap();
        outbox
            .enqueue(item_with("v-1", "volunteer_interest", serde_json::json!({ "opportunity_id": "o", "resident_id": "r-erased" })))
            .unwrap();
        outbox.enqueue(item_with("e-1", "event", serde_json::json!({ "name": "Fair" }))).unwrap();
        // Made later from their follow-up: a referral about them, and what they agreed since.
        let later = serde_json::json!({ "follow_up_id": "f", "service_id": "s", "asked": "Mo's boiler", "resident_id": "r-erased" });
        outbox.enqueue(item_with("r-1", "referral_made", later)).unwrap();
        let added =
            serde_json::json!({ "follow_up_id": "f", "commitment": { "side": "you", "text": "Mo rings" }, "resident_id": "r-erased" });
        outbox.enqueue(item_with("c-1", "commitment_added", added)).unwrap();
        assert_eq!(outbox.resident_ids(), ["r-erased", "r-kept"]);
        // The first conversation was refused before the erasure: it is sent again, anonymous.
        outbox.entries[0].state = EntryState::NeedsAttention { field: "resident_name".into(), reason: "x".into() };

        assert_eq!(outbox.forget_residents(&["r-erased".to_string()]), 4);
        let ids: Vec<&str> = outbox.entries.iter().map(|e| e.item.id.as_str()).collect();
        assert_eq!(ids, ["i-1", "i-2", "e-1"], "the volunteering request, referral and addition for them are gone; nothing else is");
        let first = &outbox.entries[0];
        let text = first.item.payload.to_string();
        for personal in ["Mo", "07700", "12 High St", "cooking", "GP"] {
            assert!(!text.contains(personal), "{personal} is still held: {text}");
        }
        assert_eq!(first.item.payload["area_id"], "a", "what the conversation was about stays");
        assert_eq!(first.item.payload["resident"]["id"], "r-erased", "still linked, as the server keeps it");
        assert_eq!(first.item.payload["consents"][0]["granted"], true, "decisions name nobody");
        assert_eq!(first.item.payload["commitments"][0]["side"], "you", "a commitment stays, without its words");
        assert_eq!(first.state, EntryState::Waiting);
        assert!(outbox.entries[1].item.payload.to_string().contains("07700"), "another resident is untouched");
        assert_eq!(outbox.resident_ids(), ["r-erased", "r-kept"], "the link is kept");
        assert_eq!(outbox.forget_residents(&["r-erased".to_string()]), 0, "forgetting again changes nothing more");
        assert_eq!(outbox.entries[0].item.payload.to_string(), text);
    }

    #[test]
    fn a_volunteering_request_being_sent_is_left_for_the_server_to_refuse() {
        let mut outbox = Outbox::default();
        outbox.enqueue(item_with("v-1", "volunteer_interest", serde_json::json!({ "opportunity_id": "o", "resident_id": "r" }))).unwrap();
        outbox.next_batch();
        outbox.forget_residents(&["r".to_string()]);
        assert_eq!(outbox.pending(), 1);
        outbox.apply(&[ItemResult {
            id: "v-1".into(),
            outcome: ItemOutcome::Rejected { field: "resident_id".into(), reason: "erased".into() },
        }]);
        outbox.forget_residents(&["r".to_string()]);
        assert_eq!(outbox.pending(), 0);
    }
}
