//! A person's own account page.

use serde::{Deserialize, Serialize};

/// An authenticator app being added: what the person needs to add it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetup {
    /// The secret, in groups of four, for typing into the app.
    pub secret: String,
    /// `otpauth://…`: opens the app on the phone that shows this page.
    pub url: String,
    /// The same as a QR code (an SVG made on the server from the address above).
    pub qr_svg: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    pub display_name: String,
    pub second_factor: bool,
    /// Administrators cannot turn it off.
    pub second_factor_required: bool,
    pub recovery_codes_left: i64,
    pub setup: Option<TotpSetup>,
    /// Just made: shown until the person says they have kept them, then never again.
    pub new_recovery_codes: Vec<String>,
}
