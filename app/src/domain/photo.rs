//! A photo taken on a checklist item: only the image types a phone camera
//! or the visit screen's own downscaling produce, and small enough for a
//! slow uplink. The type is read from the bytes, never from a name.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The visit screen downscales to at most 1600 px before sending; a full
/// resolution photo from a phone camera is refused rather than stored.
pub const MAX_PHOTO_BYTES: usize = 1_500_000;

text_enum! {
    pub enum ImageType {
        Jpeg = "image/jpeg",
        Png = "image/png",
        Webp = "image/webp",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum PhotoError {
    #[error("the photo is empty")]
    Empty,
    #[error("the photo is {size} bytes; at most {max} are accepted", max = MAX_PHOTO_BYTES)]
    TooLarge { size: usize },
    #[error("the photo is not a JPEG, PNG or WebP image")]
    NotAnImage,
}

/// The image type of `bytes`, if it is one this product stores.
pub fn check_photo(bytes: &[u8]) -> Result<ImageType, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge { size: bytes.len() });
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ImageType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(ImageType::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok(ImageType::Webp)
    } else {
        Err(PhotoError::NotAnImage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_three_image_types_by_their_bytes() {
        assert_eq!(
            check_photo(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Ok(ImageType::Jpeg)
        );
        assert_eq!(check_photo(b"\x89PNG\r\n\x1a\n\0\0"), Ok(ImageType::Png));
        assert_eq!(check_photo(b"RIFF\0\0\0\0WEBPVP8 "), Ok(ImageType::Webp));
    }

    #[test]
    fn refuses_what_is_not_an_image_whatever_it_claims() {
        assert_eq!(
            check_photo(b"<svg onload=alert(1)>"),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(check_photo(b"GIF89a"), Err(PhotoError::NotAnImage));
        assert_eq!(
            check_photo(b"RIFF\0\0\0\0WAVE"),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(check_photo(&[]), Err(PhotoError::Empty));
    }

    #[test]
    fn refuses_a_photo_over_the_limit_and_takes_one_at_it() {
        let mut at_limit = vec![0u8; MAX_PHOTO_BYTES];
        at_limit[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
        assert_eq!(check_photo(&at_limit), Ok(ImageType::Jpeg));
        at_limit.push(0);
        assert_eq!(
            check_photo(&at_limit),
            Err(PhotoError::TooLarge {
                size: MAX_PHOTO_BYTES + 1
            })
        );
    }
}
