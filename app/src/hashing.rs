//! SHA-256 in hexadecimal: what is kept of session tokens and one-time
//! codes (never the secret itself), and the seal over a signed record.

use sha2::{Digest, Sha256};

/// The hash kept for a session token or a one-time code.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
