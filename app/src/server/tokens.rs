//! Secrets for links sent by email (invitations, confirmations, resets, unsubscribes).

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh secret for a link: 32 random bytes as hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Only this hash is stored, so a copy of the database does not hold working links.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}
