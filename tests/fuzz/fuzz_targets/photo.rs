//! A photo as a phone uploads it: size and type checked from its bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = app::domain::photo::check_photo(data);
});
