//! Record ids: UUIDs (v7 where this system makes them), created on the
//! device for anything a phone can create, so offline work needs no server
//! round trip to get an id.

use serde::{Deserialize, Serialize};

use super::validation::{Problem, ValidationError};

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecordId(String);

impl RecordId {
    /// Accepts the canonical 8-4-4-4-12 hexadecimal form, any case; keeps it
    /// lower-case so ids compare as text in SQL.
    pub fn parse(field: &'static str, value: &str) -> Result<RecordId, ValidationError> {
        let value = value.trim();
        let bad = || {
            ValidationError::new(
                field,
                Problem::BadFormat("expected a UUID such as 0193a5e2-7c4b-7d2e-9f00-1234567890ab"),
            )
        };
        if value.len() != 36 {
            return Err(bad());
        }
        for (index, c) in value.chars().enumerate() {
            let hyphen_here = matches!(index, 8 | 13 | 18 | 23);
            if hyphen_here != (c == '-') || (!hyphen_here && !c.is_ascii_hexdigit()) {
                return Err(bad());
            }
        }
        Ok(RecordId(value.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits,
    /// so ids made on a phone sort by when they were made. The caller brings
    /// the randomness (the browser's or the server's generator).
    pub fn v7(unix_millis: i64, random: [u8; 10]) -> RecordId {
        let millis = (unix_millis.max(0) as u64) & 0xffff_ffff_ffff;
        let mut bytes = [0u8; 16];
        bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
        bytes[6..].copy_from_slice(&random);
        bytes[6] = 0x70 | (bytes[6] & 0x0f);
        bytes[8] = 0x80 | (bytes[8] & 0x3f);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        RecordId(format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        ))
    }
}

/// This device could not give the random bits an id needs (no
/// `crypto.getRandomValues` in the browser, no OS source on the server).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no random source for a new id")]
pub struct NoRandomness;

/// A new UUIDv7 for an operation or a record made here: the one place ids
/// are made, on the phone with the browser's generator, on the server with
/// the operating system's.
pub fn new_id() -> Result<RecordId, NoRandomness> {
    Ok(RecordId::v7(
        super::time::Timestamp::now().unix_millis(),
        random_bytes()?,
    ))
}

#[cfg(feature = "hydrate")]
fn random_bytes() -> Result<[u8; 10], NoRandomness> {
    let mut bytes = [0u8; 10];
    let crypto = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .ok_or(NoRandomness)?;
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| NoRandomness)?;
    Ok(bytes)
}

#[cfg(all(feature = "ssr", not(feature = "hydrate")))]
fn random_bytes() -> Result<[u8; 10], NoRandomness> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|_| NoRandomness)?;
    Ok(bytes)
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn random_bytes() -> Result<[u8; 10], NoRandomness> {
    Err(NoRandomness)
}

impl TryFrom<String> for RecordId {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        RecordId::parse("id", &value)
    }
}

impl From<RecordId> for String {
    fn from(id: RecordId) -> String {
        id.0
    }
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_uuids_are_accepted_and_lower_cased() {
        let id = RecordId::parse("id", "0193A5E2-7C4B-7D2E-9F00-1234567890AB").unwrap();
        assert_eq!(id.as_str(), "0193a5e2-7c4b-7d2e-9f00-1234567890ab");
    }

    #[test]
    fn v7_ids_carry_their_time_and_version() {
        let id = RecordId::v7(1_795_568_400_000, [0xff; 10]);
        assert_eq!(RecordId::parse("id", id.as_str()), Ok(id.clone()));
        assert_eq!(&id.as_str()[..13], "01a21037-7680");
        assert_eq!(&id.as_str()[14..15], "7", "version 7");
        assert!(
            matches!(&id.as_str()[19..20], "8" | "9" | "a" | "b"),
            "RFC variant"
        );
        let later = RecordId::v7(1_795_568_400_001, [0; 10]);
        assert!(later > id, "later ids sort after earlier ones");
    }

    #[test]
    fn anything_else_is_refused_with_the_field() {
        for bad in [
            "",
            "x",
            "0193a5e27c4b7d2e9f001234567890ab",
            "0193a5e2-7c4b-7d2e-9f00-1234567890ag",
            "0193a5e2-7c4b-7d2e-9f00_1234567890ab",
            "{0193a5e2-7c4b-7d2e-9f00-1234567890a}",
        ] {
            assert_eq!(
                RecordId::parse("visit_id", bad).unwrap_err().field,
                "visit_id",
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<RecordId>("\"nope\"").is_err());
    }
}
