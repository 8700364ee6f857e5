//! The device side of outreach: the outbox kept in browser storage, the sync loop that empties
//! it, cached lists, and the service worker. The rules themselves live in `domain::outbox`.

pub mod clock;
pub mod deadline;
pub mod device;
pub mod kept_outbox;
pub mod store;

pub use device::{use_device, Device};
