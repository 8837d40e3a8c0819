//! Who is on the other end of a request, and how much of the server one
//! of them may hold at once.
//!
//! Behind a reverse proxy every connection comes from the proxy, so the
//! person's address is the one the proxy forwards (`Forwarded`, else
//! `X-Forwarded-For`). Those headers are believed only from a connection
//! whose peer is a configured trusted proxy: from anyone else they are
//! ignored, or any client could name any address and dodge its limits.
//! Login throttling, the per-client limits and the logs all use the
//! address found here (`app::auth::ClientAddress`).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use app::auth::ClientAddress;

/// The reverse proxies whose forwarding headers are believed: addresses
/// and networks (`DOORSTEP_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Arc<[IpNet]>);

impl TrustedProxies {
    pub fn none() -> TrustedProxies {
        TrustedProxies::default()
    }

    /// A comma-separated list of addresses (`10.0.0.5`, `::1`) and
    /// networks (`10.0.0.0/8`); an empty list trusts no proxy.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut networks = Vec::new();
        for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let network = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("{item:?} is not an IP address or network (such as 10.0.0.0/8)")
                })?;
            networks.push(network.trunc());
        }
        Ok(TrustedProxies(networks.into()))
    }

    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|network| network.contains(&address))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An IPv4 address reached over IPv6 (`::ffff:10.0.0.5`) as the IPv4
/// address it is.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The person's address: the peer's, unless the peer is a trusted proxy;
/// then the nearest forwarded address that is not itself a trusted proxy
/// (reading the chain from the right, as each proxy appends the address
/// it was reached from), or the farthest one when all of them are.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.trusts(peer) {
        return peer;
    }
    let chain = forwarded_chain(headers);
    let mut farthest = None;
    for address in chain.into_iter().rev() {
        let address = canonical(address);
        if !trusted.trusts(address) {
            return address;
        }
        farthest = Some(address);
    }
    farthest.unwrap_or(peer)
}

/// The forwarded addresses, nearest to the client first: from the standard
/// `Forwarded` header's `for=` parameters when it is there, else from
/// `X-Forwarded-For`. An entry that is not an address (`unknown`, an
/// obfuscated name) ends the chain there: nothing before it can be known.
fn forwarded_chain(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|item| item.trim().to_string())
            .collect()
    };
    let forwarded = values("forwarded");
    let entries: Vec<String> = if forwarded.is_empty() {
        values("x-forwarded-for")
    } else {
        forwarded
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| value.trim().to_string())
                })
            })
            .collect()
    };
    let mut chain = Vec::new();
    for entry in entries {
        match parse_node(&entry) {
            Some(address) => chain.push(address),
            // Unknown: what came before it cannot be believed either.
            None => chain.clear(),
        }
    }
    chain
}

/// `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`, `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(address) = node.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = node.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    let inner = node.strip_prefix('[')?.split(']').next()?;
    inner.parse::<IpAddr>().ok()
}

/// Requests one client address may have in progress at once, by default.
/// A phone or a browser makes a handful at a time; an office of
/// dispatchers behind one address a few dozen, each desk holding its live
/// stream open.
pub const DEFAULT_MAX_IN_PROGRESS_PER_CLIENT: usize = 128;

/// The client addressing a router uses: whom to believe, and how many
/// requests one client address may have in progress.
#[derive(Clone, Debug)]
pub struct ClientLimits {
    pub trusted_proxies: TrustedProxies,
    pub max_in_progress_per_client: usize,
    in_progress: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl ClientLimits {
    pub fn new(trusted_proxies: TrustedProxies, max_in_progress_per_client: usize) -> ClientLimits {
        ClientLimits {
            trusted_proxies,
            max_in_progress_per_client,
            in_progress: Arc::default(),
        }
    }
}

impl Default for ClientLimits {
    fn default() -> Self {
        ClientLimits::new(TrustedProxies::none(), DEFAULT_MAX_IN_PROGRESS_PER_CLIENT)
    }
}

/// One request in progress for one address, given back when dropped.
pub struct Slot {
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
    address: IpAddr,
}

impl Slot {
    /// Takes one of `max` slots for `address`, if one is free.
    pub fn take(
        counts: &Arc<Mutex<HashMap<IpAddr, usize>>>,
        address: IpAddr,
        max: usize,
    ) -> Option<Slot> {
        let mut all = counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = all.entry(address).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Slot {
            counts: counts.clone(),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut all = self
            .counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = all.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                all.remove(&self.address);
            }
        }
    }
}

/// Finds the request's client address and holds it to its share of the
/// server: past its limit of requests in progress, one client is answered
/// 503 with Retry-After (the phone's outbox then waits and sends again),
/// while everyone else is still served.
pub async fn client_address_and_share(
    State(limits): State<ClientLimits>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let Some(peer) = peer else {
        // Driven in-process (tests, benches): no connection, no address.
        return next.run(request).await;
    };
    let address = client_address(peer, request.headers(), &limits.trusted_proxies);
    request.extensions_mut().insert(ClientAddress(address));
    let Some(_slot) = Slot::take(
        &limits.in_progress,
        address,
        limits.max_in_progress_per_client,
    ) else {
        tracing::warn!(client = %address, path = %request.uri().path(), "one client's share of requests in progress is used up");
        return super::hardening::overloaded();
    };
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let trusted = TrustedProxies::parse(" 10.0.0.0/8, 192.0.2.7 ,::1").unwrap();
        assert!(trusted.trusts(ip("10.20.30.40")));
        assert!(trusted.trusts(ip("192.0.2.7")));
        assert!(!trusted.trusts(ip("192.0.2.8")));
        assert!(trusted.trusts(ip("::1")));
        assert!(trusted.trusts(ip("::ffff:10.1.2.3")), "IPv4 over IPv6");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        let error = TrustedProxies::parse("10.0.0.0/8, proxy.local").unwrap_err();
        assert!(error.contains("proxy.local"), "{error}");
        assert!(TrustedProxies::parse("10.0.0.0/40").is_err());
    }

    #[test]
    fn forwarding_headers_count_only_from_a_trusted_proxy() {
        let trusted = TrustedProxies::parse("10.0.0.1").unwrap();
        let forwarded = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &forwarded, &trusted),
            ip("203.0.113.9")
        );
        // From anyone else the header changes nothing.
        assert_eq!(
            client_address(ip("198.51.100.4"), &forwarded, &trusted),
            ip("198.51.100.4")
        );
        assert_eq!(
            client_address(ip("198.51.100.4"), &forwarded, &TrustedProxies::none()),
            ip("198.51.100.4")
        );
        // A trusted proxy that forwards nothing is the client.
        assert_eq!(
            client_address(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn the_client_is_the_nearest_untrusted_address_in_the_chain() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // The client wrote a fake first entry; the proxies appended the rest.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &chain, &trusted),
            ip("203.0.113.9")
        );
        let split = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &split, &trusted),
            ip("203.0.113.9")
        );
        let all_inside = headers(&[("x-forwarded-for", "10.9.9.9, 10.0.0.2")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &all_inside, &trusted),
            ip("10.9.9.9")
        );
    }

    #[test]
    fn the_standard_forwarded_header_comes_first() {
        let trusted = TrustedProxies::parse("10.0.0.1").unwrap();
        let both = headers(&[
            (
                "forwarded",
                "for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\"",
            ),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &both, &trusted),
            ip("2001:db8:cafe::17")
        );
        let with_port = headers(&[("forwarded", "for=\"192.0.2.60:8080\"")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &with_port, &trusted),
            ip("192.0.2.60")
        );
        // An unknown hop: nothing before it can be believed.
        let unknown = headers(&[("forwarded", "for=192.0.2.60, for=unknown")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &unknown, &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn slots_are_counted_per_address_and_given_back() {
        let counts = Arc::default();
        let a = Slot::take(&counts, ip("192.0.2.1"), 2).unwrap();
        let _b = Slot::take(&counts, ip("192.0.2.1"), 2).unwrap();
        assert!(Slot::take(&counts, ip("192.0.2.1"), 2).is_none());
        assert!(Slot::take(&counts, ip("192.0.2.2"), 2).is_some());
        drop(a);
        assert!(Slot::take(&counts, ip("192.0.2.1"), 2).is_some());
    }
}
