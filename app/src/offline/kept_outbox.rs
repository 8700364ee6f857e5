//! The outbox as browser storage keeps it: one key per entry, so that tabs of the app open at
//! once never overwrite each other's records. A browser shares storage between tabs lazily (a
//! tab may read a copy that is a moment behind another's writes), so each tab writes only the
//! entries it changed (`domain::outbox::Change`). Call from effects and handlers only.

use super::store::{self, keys, StoreError};
use crate::domain::outbox::{Change, Outbox, OutboxEntry};

/// Every entry kept for `user`, in queue order. An outbox kept whole by an earlier version is
/// moved to one key per entry first; what does not fit stays where it was and is still read.
pub fn load(user: &str) -> Outbox {
    let legacy = move_legacy(user);
    let mut entries: Vec<OutboxEntry> =
        store::keys_with_prefix(&keys::outbox_entries(user)).iter().filter_map(|key| store::load(key)).collect();
    entries.extend(legacy.into_iter().filter(|l| !entries.iter().any(|e| e.item.id == l.item.id)).collect::<Vec<_>>());
    Outbox::from_entries(entries, store::load(&keys::outbox_failures(user)).unwrap_or(0))
}

/// Writes what changed between `before` (what this tab read) and `after`, and nothing else.
/// Stops at the first entry that cannot be written (storage full), leaving the rest as they were.
pub fn save(user: &str, before: &Outbox, after: &Outbox) -> Result<(), StoreError> {
    let mut done = Vec::new();
    let mut result = Ok(());
    for change in after.changes_since(before) {
        match change {
            Change::Put(entry) => {
                if let Err(e) = store::save(&keys::outbox_entry(user, &entry.item.id), entry) {
                    result = Err(e);
                    break;
                }
                done.push(entry.item.id.clone());
            }
            Change::Remove(id) => {
                store::delete(&keys::outbox_entry(user, id));
                done.push(id.to_string());
            }
        }
    }
    if after.failures != before.failures {
        let _ = store::save(&keys::outbox_failures(user), &after.failures);
    }
    if !done.is_empty() {
        take_from_legacy(user, |e| done.contains(&e.item.id));
    }
    result
}

/// Moves entries of an outbox kept whole to keys of their own, one at a time; returns those that
/// could not be moved (the storage is full), which stay in the old key.
fn move_legacy(user: &str) -> Vec<OutboxEntry> {
    let Some(legacy) = store::load::<Outbox>(&keys::legacy_outbox(user)) else { return Vec::new() };
    let mut moved = Vec::new();
    for (position, entry) in legacy.entries.iter().enumerate() {
        let key = keys::outbox_entry(user, &entry.item.id);
        if store::load::<OutboxEntry>(&key).is_none() {
            // Entries kept whole had no place in the queue of their own: their order was it.
            let placed = OutboxEntry { seq: position as u64 + 1, ..entry.clone() };
            if store::save(&key, &placed).is_err() {
                break;
            }
        }
        moved.push(entry.item.id.clone());
    }
    if legacy.failures > 0 {
        let _ = store::save(&keys::outbox_failures(user), &legacy.failures);
    }
    take_from_legacy(user, |e| moved.contains(&e.item.id))
}

/// Drops entries from an outbox kept whole (deleting the key once it is empty); returns the rest.
fn take_from_legacy(user: &str, taken: impl Fn(&OutboxEntry) -> bool) -> Vec<OutboxEntry> {
    let key = keys::legacy_outbox(user);
    let Some(mut legacy) = store::load::<Outbox>(&key) else { return Vec::new() };
    let before = legacy.entries.len();
    legacy.entries.retain(|e| !taken(e));
    if legacy.entries.is_empty() {
        store::delete(&key);
    } else if legacy.entries.len() != before {
        let _ = store::save(&key, &legacy);
    }
    legacy.entries
}

/// Whether a storage key another tab changed is part of `user`'s outbox.
pub fn is_outbox_key(user: &str, key: &str) -> bool {
    key.starts_with(&keys::outbox_entries(user)) || key == keys::legacy_outbox(user) || key == keys::outbox_failures(user)
}
