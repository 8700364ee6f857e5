//! Browser storage for what a device keeps: the outbox, cached lists, drafts. Compiled on both
//! sides so pages need no `cfg`; on the server every read is empty and every write a no-op.
//! Call these from effects and event handlers only, never while rendering (hydration).

use serde::{de::DeserializeOwned, Serialize};

/// Why something could not be kept on this device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's storage for this site is full.
    Full,
    /// Storage is switched off or unavailable (private browsing, a policy).
    Unavailable(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Full => write!(
                f,
                "This tablet's storage for Mobilise is full, so the last change was not saved here. \
                 Everything already waiting is safe. Sync now, then try again."
            ),
            StoreError::Unavailable(why) => write!(f, "This browser will not let Mobilise keep records on the tablet ({why})."),
        }
    }
}

pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::get(key).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), StoreError> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{errors::StorageError, Storage};
        gloo_storage::LocalStorage::set(key, value).map_err(|e| match e {
            StorageError::JsError(js) if js.name == "QuotaExceededError" => StoreError::Full,
            other => StoreError::Unavailable(other.to_string()),
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (key, value);
        Ok(())
    }
}

pub fn delete(key: &str) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::delete(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

/// Every key, for wiping one user's data on sign-out.
pub fn keys_with_prefix(prefix: &str) -> Vec<String> {
    #[cfg(feature = "hydrate")]
    {
        let Some(storage) = leptos::prelude::window().local_storage().ok().flatten() else { return vec![] };
        let len = storage.length().unwrap_or(0);
        (0..len).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = prefix;
        vec![]
    }
}

/// Storage keys. Each user's records are kept under their own id, separate from cached lists.
pub mod keys {
    pub const DEVICE: &str = "mobilise.device";
    pub const LAST_USER: &str = "mobilise.user";
    /// The signed-in person as last confirmed by the server (for starting offline).
    pub const PROFILE: &str = "mobilise.profile";
    pub fn user_prefix(user_id: &str) -> String {
        format!("mobilise.u.{user_id}.")
    }
    /// Where versions before one key per entry kept the whole outbox (read once, to move it).
    pub fn legacy_outbox(user_id: &str) -> String {
        format!("mobilise.u.{user_id}.outbox")
    }
    /// Each outbox entry is kept under its own key (see `domain::outbox::Change`).
    pub fn outbox_entries(user_id: &str) -> String {
        format!("mobilise.u.{user_id}.outbox.")
    }
    pub fn outbox_entry(user_id: &str, item_id: &str) -> String {
        format!("mobilise.u.{user_id}.outbox.{item_id}")
    }
    /// Consecutive failed sends, for the back-off.
    pub fn outbox_failures(user_id: &str) -> String {
        format!("mobilise.u.{user_id}.outbox-failures")
    }
    pub fn reference(user_id: &str) -> String {
        format!("mobilise.u.{user_id}.reference")
    }
    pub fn follow_ups(user_id: &str) -> String {
        format!("mobilise.u.{user_id}.follow_ups")
    }
    /// The referrals the worker made, and chases.
    pub fn referrals(user_id: &str) -> String {
        format!("mobilise.u.{user_id}.referrals")
    }
    pub fn draft(user_id: &str, form: &str) -> String {
        format!("mobilise.u.{user_id}.draft.{form}")
    }
    pub fn local_events(user_id: &str) -> String {
        format!("mobilise.u.{user_id}.events")
    }
}
