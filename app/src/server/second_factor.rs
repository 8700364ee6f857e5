//! A second factor for signing in: time-based one-time codes (TOTP, RFC 6238) from an
//! authenticator app, through totp-rs, and single-use recovery codes. Required for
//! administrators (they reach every resident's records), optional for everyone else.

use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

/// How many recovery codes are made at once; each works one time.
pub const RECOVERY_CODES: usize = 10;

/// A new random secret (160 bits, as RFC 4226 recommends), written in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes.to_vec()).to_base32()
}

fn totp(secret_b32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_b32).ok()?;
    // SHA-1, 6 digits, 30-second steps, one step either side: what every authenticator app uses.
    Builder::new().with_secret(secret).with_account_name(account.replace(':', "")).with_issuer(Some("Mobilise")).build().ok()
}

/// The step a code is for, if `code` is right for `secret` at `now` (one step either side).
/// The caller must accept each step once only (see `repo::users::use_totp_step`).
pub fn check(secret_b32: &str, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret_b32, "account")?;
    totp.check(&code, now.max(0) as u64).map(|step| step as i64)
}

/// The code an authenticator app shows for `secret` at `now` (for tests and the demo).
pub fn code_at(secret_b32: &str, now: i64) -> Option<String> {
    Some(totp(secret_b32, "account")?.generate(now.max(0) as u64).to_string())
}

/// The `otpauth://` address an authenticator app reads (from the QR code, or tapped on a phone).
pub fn setup_url(secret_b32: &str, account: &str) -> Option<String> {
    totp(secret_b32, account)?.to_url().ok()
}

/// The secret in groups of four, for typing into an app by hand.
pub fn grouped(secret_b32: &str) -> String {
    secret_b32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// The QR code of `text` as an SVG image: dark squares on white, with a quiet zone.
pub fn qr_svg(text: &str) -> Option<String> {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + 2 * border;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" width=\"220\" height=\"220\" shape-rendering=\"crispEdges\" \
         role=\"img\" aria-labelledby=\"qr-title\"><title id=\"qr-title\">QR code for your authenticator app</title>\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/><path d=\"{path}\" fill=\"#0b0c0c\"/></svg>"
    ))
}

/// Ten new recovery codes, as shown once to their owner (`xxxx-xxxx-xxxx`, lower-case letters
/// and digits without look-alikes).
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<char> = (0..12).map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char).collect();
            format!(
                "{}-{}-{}",
                chars[0..4].iter().collect::<String>(),
                chars[4..8].iter().collect::<String>(),
                chars[8..12].iter().collect::<String>()
            )
        })
        .collect()
}

/// What is stored of a recovery code. Typed codes are compared without case, spaces or dashes.
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).flat_map(|c| c.to_lowercase()).collect();
    format!("{:x}", Sha256::digest(format!("mobilise-recovery:{normal}").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_right_for_its_own_step_and_the_steps_either_side_only() {
        let secret = new_secret();
        let now = 1_800_000_015;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(code.len(), 6);
        assert_eq!(check(&secret, &code, now), Some(now / 30));
        assert_eq!(check(&secret, &format!("{} {}", &code[..3], &code[3..]), now), Some(now / 30), "spaces are ignored");
        assert!(check(&secret, &code, now + 30).is_some(), "the next step still takes it (a slow typist)");
        assert!(check(&secret, &code, now + 90).is_none());
        assert!(check(&secret, "12345", now).is_none());
        assert!(check(&secret, "abcdef", now).is_none());
        assert!(check("not base32!", &code, now).is_none());
    }

    #[test]
    fn recovery_codes_are_distinct_and_typed_loosely() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        assert_eq!(recovery_hash(&codes[0]), recovery_hash(&codes[0].to_uppercase().replace('-', " ")));
        assert_ne!(recovery_hash(&codes[0]), recovery_hash(&codes[1]));
    }

    #[test]
    fn the_setup_page_can_show_the_secret_as_a_link_a_qr_code_and_groups() {
        let secret = new_secret();
        let url = setup_url(&secret, "priya@riverside.example").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Mobilise:priya%40riverside.example?") && url.contains(&format!("secret={secret}")),
            "{url}"
        );
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<path d=\"M"));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
