use leptos::prelude::*;

use crate::domain::validation::PhoneNumber;
use crate::i18n::use_i18n;

/// The address as a link that opens the phone's map app (Amap's web URI
/// hands over to the app when it is installed, and works without it).
#[component]
pub fn MapLink(address: String) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("https://uri.amap.com/search?keyword={}", encode(&address));
    let shown = address.clone();
    view! {
        <a class="contact-link" href=href data-testid="map-link"
            aria-label=move || format!("{} {}", i18n.t().open_map, address)>
            {shown}
        </a>
    }
}

/// The customer's number as a `tel:` link: one tap calls.
#[component]
pub fn CallLink(phone: PhoneNumber) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="contact-link" href=format!("tel:{}", phone.dial_string()) data-testid="call-link">
            {phone.as_str().to_string()} " · " {move || i18n.t().call_customer}
        </a>
    }
}

/// Percent-encodes text for a URL query (UTF-8, unreserved characters kept).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
