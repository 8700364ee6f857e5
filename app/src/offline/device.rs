//! `Device`: what this tablet holds for the signed-in worker, as signals the pages read. All
//! browser access happens in effects, event handlers and spawned tasks (never during render).

use super::kept_outbox;
use super::store::{self, keys, StoreError};
use crate::domain::outbox::Outbox;
use crate::domain::sync::SyncItem;
use crate::types::{FollowUpView, ReferenceData};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Device {
    /// The worker whose records these are; `None` until known.
    pub user_id: RwSignal<Option<String>>,
    pub outbox: RwSignal<Outbox>,
    pub reference: RwSignal<Option<ReferenceData>>,
    pub follow_ups: RwSignal<Vec<FollowUpView>>,
    /// The referrals the worker made and chases (waiting ones, and those answered lately).
    pub referrals: RwSignal<Vec<crate::types::referrals::ReferralView>>,
    /// What the browser and the last attempt say about the network.
    pub online: RwSignal<bool>,
    pub syncing: RwSignal<bool>,
    /// Something the worker should know: storage full, signed out, the server unreachable.
    pub problem: RwSignal<Option<String>>,
    /// Seconds since the epoch (device clock) of the last sync that got an answer.
    pub last_sync: RwSignal<Option<i64>>,
    /// Loaded from storage (false during server rendering and hydration).
    pub ready: RwSignal<bool>,
    /// After a failure, the periodic sync waits until then (ms since the epoch); the `online`
    /// event and "Sync now" do not wait.
    pub retry_at: RwSignal<f64>,
}

pub fn use_device() -> Device {
    expect_context::<Device>()
}

/// A record made on this tablet now: of `kind`, at this build's schema, with `payload` as it is
/// sent (and `base_version`, for an edit of something the server holds).
pub fn new_item(
    id: String,
    kind: crate::domain::sync::SyncKind,
    base_version: Option<i64>,
    payload: &impl serde::Serialize,
) -> crate::domain::sync::SyncItem {
    crate::domain::sync::SyncItem {
        id,
        kind: kind.as_str().into(),
        schema: crate::domain::sync::SCHEMA_VERSION,
        base_version,
        payload: serde_json::to_value(payload).unwrap_or_default(),
        created_on_device_at: device_now(),
    }
}

/// Seconds since the epoch on this device.
pub fn device_now() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    }
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Removes cached pages (they show the signed-in user's data) from the service worker's cache.
pub fn clear_page_cache() {
    #[cfg(feature = "hydrate")]
    if let Ok(caches) = window().caches() {
        let _ = caches.delete("mobilise-pages");
    }
}

/// Asks the service worker to fetch and keep now every page a worker may open offline, with the
/// code and styles those pages load, whichever way the worker reached them: after sign-in the app
/// moves between pages itself, so the worker would otherwise only keep what the browser happened
/// to load in full. With `clear_first`, the previous person's pages go first.
pub fn precache_offline_pages(clear_first: bool) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let window = window();
        if clear_first {
            if let Ok(caches) = window.caches() {
                let _ = JsFuture::from(caches.delete("mobilise-pages")).await;
            }
        }
        let Ok(ready) = window.navigator().service_worker().ready() else { return };
        let Ok(registration) = JsFuture::from(ready).await else { return };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        if let Some(worker) = registration.active() {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"precache".into());
            let _ = worker.post_message(&message);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = clear_first;
}

/// The session of whoever last used this tablet has ended (expired, or signed out elsewhere):
/// what it held about residents that is already on the server (the follow-ups list with names,
/// addresses and notes, the cached pages) goes now. What was never sent (the outbox, unfinished
/// forms) stays for that person, to be sent when they sign in again; nobody else can read it
/// through the app, which shows each person only their own.
pub fn session_ended() {
    if let Some(user) = store::load::<String>(keys::LAST_USER) {
        store::delete(&keys::follow_ups(&user));
        store::delete(&keys::referrals(&user));
        store::delete(&keys::reference(&user));
    }
    store::delete(keys::PROFILE);
    clear_page_cache();
}

/// How many records made by the tablet's last user are waiting to be sent (read in an effect).
pub fn unsent_for_last_user() -> usize {
    store::load::<String>(keys::LAST_USER).map(|user| kept_outbox::load(&user).pending()).unwrap_or(0)
}

impl Device {
    /// Events started on this tablet, kept so contacts can be recorded against them before (and
    /// just after) they reach the server.
    pub fn local_events(&self) -> Vec<(String, crate::domain::outreach::EventRecord)> {
        self.user_id.get_untracked().and_then(|u| store::load(&keys::local_events(&u))).unwrap_or_default()
    }

    pub fn is_local_event(&self, id: &str) -> bool {
        self.local_events().iter().any(|(e, _)| e == id)
    }

    pub fn provide() -> Device {
        let device = Device {
            user_id: RwSignal::new(None),
            outbox: RwSignal::new(Outbox::default()),
            reference: RwSignal::new(None),
            follow_ups: RwSignal::new(Vec::new()),
            referrals: RwSignal::new(Vec::new()),
            online: RwSignal::new(true),
            syncing: RwSignal::new(false),
            problem: RwSignal::new(None),
            last_sync: RwSignal::new(None),
            ready: RwSignal::new(false),
            retry_at: RwSignal::new(0.0),
        };
        provide_context(device);
        // Listeners for the life of the app (an effect with no dependencies runs once, in the
        // browser only).
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| browser::listen(device));
        device
    }

    /// Loads what this tablet holds for `user_id` and starts syncing. Called from an effect.
    pub fn start(&self, user_id: String) {
        if self.user_id.get_untracked().as_deref() == Some(user_id.as_str()) {
            return;
        }
        // Another person's pages must not be served from this tablet's cache; this person's are
        // fetched now, so the tablet opens Outreach offline after this one online visit.
        precache_offline_pages(store::load::<String>(keys::LAST_USER).is_some_and(|last| last != user_id));
        // Whatever was being sent when the last page closed is sent again (the server
        // recognises repeats), and that is written back: other tabs read the stored copy.
        let before = kept_outbox::load(&user_id);
        let mut outbox = before.clone();
        outbox.recover();
        if let Err(e) = kept_outbox::save(&user_id, &before, &outbox) {
            self.problem.set(Some(e.to_string()));
        }
        self.outbox.set(outbox);
        self.reference.set(store::load(&keys::reference(&user_id)));
        self.follow_ups.set(store::load(&keys::follow_ups(&user_id)).unwrap_or_default());
        self.referrals.set(store::load(&keys::referrals(&user_id)).unwrap_or_default());
        let _ = store::save(keys::LAST_USER, &user_id);
        self.user_id.set(Some(user_id));
        self.ready.set(true);
        self.sync_now();
    }

    /// The outbox as stored: another tab of the app may have changed it since this one last
    /// looked, so every change starts from what is stored, never from this tab's copy.
    pub fn latest(&self) -> Outbox {
        match self.user_id.get_untracked() {
            Some(user) => kept_outbox::load(&user),
            None => self.outbox.get_untracked(),
        }
    }

    /// Writes what changed since `before` (as read by `latest`): only that, so what another
    /// tab wrote meanwhile stays.
    fn persist(&self, before: &Outbox, outbox: &Outbox) -> Result<(), StoreError> {
        match self.user_id.get_untracked() {
            Some(user) => kept_outbox::save(&user, before, outbox),
            None => Err(StoreError::Unavailable("nobody is signed in".into())),
        }
    }

    /// Keeps a new record (or a corrected one) until the server has it. The record is in the
    /// outbox only if it could be written to storage; otherwise the caller keeps the form.
    pub fn enqueue(&self, item: SyncItem) -> Result<(), String> {
        let before = self.latest();
        let mut next = before.clone();
        next.enqueue(item).map_err(|_| "This record is being sent right now. Wait a moment and try again.".to_string())?;
        self.persist(&before, &next).map_err(|e| {
            self.problem.set(Some(e.to_string()));
            e.to_string()
        })?;
        self.outbox.set(next);
        self.sync_now();
        Ok(())
    }

    pub fn discard(&self, id: &str) {
        let before = self.latest();
        let mut next = before.clone();
        if next.discard(id) && self.persist(&before, &next).is_ok() {
            self.outbox.set(next);
        }
    }

    /// Starts a sync unless one is running (no-op on the server).
    pub fn sync_now(&self) {
        #[cfg(feature = "hydrate")]
        {
            let device = *self;
            leptos::task::spawn_local(async move { browser::sync(device).await });
        }
    }

    /// Deletes everything this tablet holds for the current user (on sign-out).
    pub fn wipe(&self) {
        if let Some(user) = self.user_id.get_untracked() {
            for key in store::keys_with_prefix(&keys::user_prefix(&user)) {
                store::delete(&key);
            }
        }
        store::delete(keys::LAST_USER);
        store::delete(keys::PROFILE);
        self.outbox.set(Outbox::default());
        self.user_id.set(None);
        clear_page_cache();
    }

    /// Drops what this tablet holds about residents erased since it got them: their details in
    /// the outbox, the follow-ups list and unfinished forms, and the cached pages.
    pub fn forget_residents(&self, erased: &[String]) {
        let Some(user) = self.user_id.get_untracked() else { return };
        let mut changed = false;
        let before = self.latest();
        let mut outbox = before.clone();
        if outbox.forget_residents(erased) > 0 {
            changed = true;
            match self.persist(&before, &outbox) {
                Ok(()) => self.outbox.set(outbox),
                Err(e) => self.problem.set(Some(e.to_string())),
            }
        }
        let mut follow_ups = self.follow_ups.get_untracked();
        for f in follow_ups.iter_mut().filter(|f| f.resident_id.as_ref().is_some_and(|r| erased.contains(r))) {
            if f.resident_name.is_some() || !f.address.is_empty() || !f.notes.is_empty() || f.commitments.iter().any(|c| !c.text.is_empty())
            {
                changed = true;
                f.resident_name = None;
                f.address.clear();
                f.notes.clear();
                f.commitments.iter_mut().for_each(|c| c.text.clear());
            }
        }
        if changed {
            let _ = store::save(&keys::follow_ups(&user), &follow_ups);
            self.follow_ups.set(follow_ups);
        }
        let mut referrals = self.referrals.get_untracked();
        let mut referrals_changed = false;
        for r in referrals.iter_mut().filter(|r| r.resident_id.as_ref().is_some_and(|id| erased.contains(id))) {
            if r.resident_name.is_some() || r.resident_contact.is_some() || !r.asked.is_empty() || !r.answer.is_empty() {
                referrals_changed = true;
                r.resident_name = None;
                r.resident_contact = None;
                r.asked.clear();
                r.answer.clear();
                r.steps.iter_mut().for_each(|s| s.note.clear());
            }
        }
        if referrals_changed {
            let _ = store::save(&keys::referrals(&user), &referrals);
            self.referrals.set(referrals);
        }
        for key in store::keys_with_prefix(&keys::draft(&user, "")) {
            let Some(mut draft) = store::load::<serde_json::Value>(&key) else { continue };
            let held = draft.get("resident_id").and_then(|v| v.as_str()).is_some_and(|r| erased.iter().any(|e| e == r));
            if let (true, Some(fields)) = (held, draft.as_object_mut()) {
                changed = true;
                for text in ["resident_name", "resident_contact", "resident_language", "address", "notes", "skills", "availability"] {
                    fields.insert(text.into(), serde_json::Value::String(String::new()));
                }
                for list in ["consents", "interests", "register", "commitments"] {
                    fields.insert(list.into(), serde_json::Value::Array(Vec::new()));
                }
                fields.insert("resident_id".into(), serde_json::Value::String(new_id()));
                let _ = store::save(&key, &draft);
            }
        }
        // Pages this tablet kept may show them.
        if changed {
            clear_page_cache();
        }
    }

    pub fn cache_reference(&self, data: ReferenceData) {
        if let Some(user) = self.user_id.get_untracked() {
            let _ = store::save(&keys::reference(&user), &data);
        }
        self.reference.set(Some(data));
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{device_now, kept_outbox, store, Device};
    use crate::api::outreach::{load_reference_data, my_follow_ups, sync_push};
    use crate::api::privacy::erased_residents;
    use crate::domain::outbox::backoff_ms;
    use crate::domain::sync::SyncBatch;
    use crate::error::AppError;
    use crate::offline::deadline::{self, within};
    use crate::offline::store::keys;
    use leptos::prelude::*;
    use std::time::Duration;

    const PERIODIC_SYNC: Duration = Duration::from_secs(30);

    pub fn listen(device: Device) {
        let navigator = window().navigator();
        device.online.set(navigator.on_line());
        // Ask the browser not to evict this site's storage under pressure.
        if let Ok(storage) = js_sys::Reflect::get(&navigator, &"storage".into()) {
            if !storage.is_undefined() {
                let _ = navigator.storage().persist();
            }
        }
        let on = window_event_listener(leptos::ev::online, move |_| {
            device.online.set(true);
            device.sync_now();
        });
        let off = window_event_listener(leptos::ev::offline, move |_| device.online.set(false));
        let tick = set_interval_with_handle(
            move || {
                if js_sys::Date::now() >= device.retry_at.get_untracked() {
                    device.sync_now();
                }
            },
            PERIODIC_SYNC,
        )
        .ok();
        // Another tab changed what is stored: show it here too.
        let other_tab = window_event_listener(leptos::ev::storage, move |ev| {
            if let (Some(user), Some(key)) = (device.user_id.get_untracked(), ev.key()) {
                if kept_outbox::is_outbox_key(&user, &key) {
                    device.outbox.set(device.latest());
                }
            }
        });
        on_cleanup(move || {
            on.remove();
            off.remove();
            other_tab.remove();
            if let Some(t) = tick {
                t.clear();
            }
        });
    }

    fn device_id() -> String {
        if let Some(id) = store::load::<String>(keys::DEVICE) {
            return id;
        }
        let id = super::new_id();
        let _ = store::save(keys::DEVICE, &id);
        id
    }

    /// Sends batches until the outbox has nothing waiting, or the network fails (then retries
    /// later with back-off, forever). Refreshes the cached lists after a successful sync.
    pub async fn sync(device: Device) {
        if device.syncing.get_untracked() || device.user_id.get_untracked().is_none() {
            return;
        }
        device.syncing.set(true);
        let mut answered = false;
        loop {
            let before = device.latest();
            let mut outbox = before.clone();
            let batch = outbox.next_batch();
            if batch.is_empty() {
                break;
            }
            if let Err(e) = device.persist(&before, &outbox) {
                device.problem.set(Some(e.to_string()));
            }
            device.outbox.set(outbox);
            // A request that is never answered must not hold the queue: past its deadline it
            // counts as a network failure and the batch is sent again later.
            let result = within(deadline::SYNC_BATCH_MS, sync_push(SyncBatch { device_id: device_id(), items: batch })).await;
            // Re-read: the worker (in this tab or another) may have saved more while it was away.
            let before = device.latest();
            let mut outbox = before.clone();
            match result {
                Ok(response) => {
                    device.retry_at.set(0.0);
                    outbox.apply(&response.results);
                    answered = true;
                    device.online.set(true);
                    device.problem.set(None);
                    device.last_sync.set(Some(device_now()));
                    let _ = device.persist(&before, &outbox);
                    device.outbox.set(outbox);
                }
                Err(error) => {
                    outbox.transport_failed();
                    let failures = outbox.failures;
                    let _ = device.persist(&before, &outbox);
                    device.outbox.set(outbox);
                    device.problem.set(Some(match &error {
                        AppError::Unauthenticated => "Your sign-in has expired. Sign in again to send your records: they are safe on this tablet.".to_string(),
                        AppError::Transport(_) => {
                            device.online.set(false);
                            "Could not reach the server. Your records are safe on this tablet and will be sent when the connection is back.".to_string()
                        }
                        other => format!("The server could not take your records just now ({other}). They are safe on this tablet; Mobilise will try again."),
                    }));
                    if error != AppError::Unauthenticated {
                        let wait = backoff_ms(failures, js_sys::Math::random());
                        device.retry_at.set(js_sys::Date::now() + wait as f64);
                        set_timeout(move || device.sync_now(), Duration::from_millis(wait));
                    }
                    break;
                }
            }
        }
        device.syncing.set(false);
        if answered || device.outbox.get_untracked().pending() == 0 {
            refresh_cached_lists(device).await;
        }
    }

    async fn refresh_cached_lists(device: Device) {
        let Some(user) = device.user_id.get_untracked() else { return };
        // Each answer is kept only if the same person is still signed in: one that arrives after
        // they signed out (and the tablet was wiped) must not write their lists back.
        let reference = within(deadline::LISTS_MS, load_reference_data()).await;
        let follow_ups = within(deadline::LISTS_MS, my_follow_ups()).await;
        let referrals = within(deadline::LISTS_MS, crate::api::referrals::my_referrals()).await;
        if device.user_id.get_untracked().as_deref() != Some(user.as_str()) {
            return;
        }
        if let Ok(reference) = reference {
            device.cache_reference(reference);
            device.online.set(true);
        }
        if let Ok(list) = follow_ups {
            let _ = store::save(&keys::follow_ups(&user), &list);
            device.follow_ups.set(list);
        }
        if let Ok(list) = referrals {
            let _ = store::save(&keys::referrals(&user), &list);
            device.referrals.set(list);
        }
        // Residents erased since this tablet took them down: ask about every one it holds.
        let mut held = device.latest().resident_ids();
        held.extend(device.follow_ups.get_untracked().into_iter().filter_map(|f| f.resident_id));
        held.extend(device.referrals.get_untracked().into_iter().filter_map(|r| r.resident_id));
        for key in store::keys_with_prefix(&keys::draft(&user, "")) {
            if let Some(id) =
                store::load::<serde_json::Value>(&key).and_then(|d| d.get("resident_id").and_then(|v| v.as_str()).map(str::to_string))
            {
                held.push(id);
            }
        }
        held.sort();
        held.dedup();
        if !held.is_empty() {
            if let Ok(erased) = within(deadline::LISTS_MS, erased_residents(held)).await {
                if !erased.is_empty() {
                    device.forget_residents(&erased);
                }
            }
        }
    }
}
