//! One resident behind several records.

use serde::{Deserialize, Serialize};

/// A record made at the door that may be the signed-in resident's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkOffer {
    pub resident_id: String,
    /// UK date of the first conversation, and how it happened ("at the door", …).
    pub met: Option<(String, String)>,
}

/// What the signed-in resident is asked about: the door records holding their verified address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDoorRecords {
    /// Their verified address, the one the records hold.
    pub email: String,
    pub offers: Vec<LinkOffer>,
}

/// One of the records an admin sees as the same person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub id: String,
    pub name: String,
    pub contact: String,
    /// The record of an online account.
    pub account: bool,
    /// UK date it was linked (door records linked to the account).
    pub linked_on: Option<String>,
}
