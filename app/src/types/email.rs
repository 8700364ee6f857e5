//! Confirming an email address.

/// What a link confirming an address on a consultation response is for, for its page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AddressToConfirm {
    pub consultation_id: String,
    pub title: String,
    /// The address, masked.
    pub address: String,
    /// It is confirmed already (by this link).
    pub confirmed: bool,
}
