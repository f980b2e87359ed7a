//! The address a request came from, as the sign-in limits and the audit record it: the
//! connection's peer, or, when that peer is a reverse proxy named in
//! `SAFEWALK_TRUSTED_PROXIES`, the client it forwarded the request for (`X-Forwarded-For`).
//! A header from anyone else is ignored: it is whatever the client chose to write.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::AppState;

/// The request's client address as text (`"unknown"` when the connection's is not known,
/// as in tests that call the router without a socket).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer(pub String);

impl FromRequestParts<Arc<AppState>> for Peer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Peer, Infallible> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip());
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        let client = client_address(peer, forwarded, &state.trusted_proxies);
        Ok(Peer(client.map(|a| a.to_string()).unwrap_or_else(|| "unknown".into())))
    }
}

/// The client behind `peer`: the peer itself unless it is trusted; then, walking
/// `X-Forwarded-For` from the right (each proxy appends the address it was reached from),
/// the first address that is not itself a trusted proxy. Everything left of that was written
/// by the client and proves nothing. A hop that is not an address stops the walk at the
/// proxy that passed it on; a chain of nothing but trusted proxies ends at its left-most.
pub fn client_address<'a>(peer: Option<IpAddr>, forwarded_for: impl IntoIterator<Item = &'a str>, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = forwarded_for.into_iter().flat_map(|value| value.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(address) = hop_address(hop) else { break };
        client = address;
        if !is_trusted(&address) {
            break;
        }
    }
    Some(client)
}

/// One `X-Forwarded-For` entry: `203.0.113.7`, `2001:db8::1`, and the forms with a port some
/// proxies write (`203.0.113.7:5123`, `[2001:db8::1]:5123`, `[2001:db8::1]`).
fn hop_address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let address = hop
        .parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .or_else(|_| hop.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or("").parse::<IpAddr>())
        .ok()?;
    Some(address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::trusted_proxies;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = trusted_proxies("10.0.0.0/8").unwrap();
        assert_eq!(client_address(ip("198.51.100.1"), ["203.0.113.7"], &trusted), ip("198.51.100.1"));
        assert_eq!(client_address(ip("198.51.100.1"), ["203.0.113.7"], &[]), ip("198.51.100.1"), "nothing trusted by default");
        assert_eq!(client_address(None, ["203.0.113.7"], &trusted), None);
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
        let trusted = trusted_proxies("10.0.0.0/8, 192.0.2.1").unwrap();
        let proxy = ip("10.0.0.5");
        assert_eq!(client_address(proxy, ["203.0.113.7"], &trusted), ip("203.0.113.7"));
        // The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
        assert_eq!(client_address(proxy, ["1.2.3.4, 203.0.113.7"], &trusted), ip("203.0.113.7"));
        // Two proxies: the second's own address is skipped.
        assert_eq!(client_address(proxy, ["1.2.3.4, 203.0.113.7, 192.0.2.1"], &trusted), ip("203.0.113.7"));
        // Several header lines are one list, in order.
        assert_eq!(client_address(proxy, ["1.2.3.4", "203.0.113.7, 10.1.1.1"], &trusted), ip("203.0.113.7"));
        // No header: the proxy itself (a health check from it, say).
        assert_eq!(client_address(proxy, [], &trusted), proxy);
        // Only proxies: the left-most.
        assert_eq!(client_address(proxy, ["10.2.2.2, 10.1.1.1"], &trusted), ip("10.2.2.2"));
    }

    #[test]
    fn a_hop_that_is_no_address_stops_at_the_proxy_that_passed_it() {
        let trusted = trusted_proxies("10.0.0.0/8").unwrap();
        let proxy = ip("10.0.0.5");
        assert_eq!(client_address(proxy, ["203.0.113.7, not-an-address"], &trusted), proxy);
        assert_eq!(client_address(proxy, ["not-an-address, 10.1.1.1"], &trusted), ip("10.1.1.1"));
        assert_eq!(client_address(proxy, [""], &trusted), proxy);
    }

    #[test]
    fn hops_are_read_with_ports_and_brackets_and_mapped_v4_as_v4() {
        let trusted = trusted_proxies("10.0.0.0/8").unwrap();
        let proxy = ip("10.0.0.5");
        assert_eq!(client_address(proxy, ["203.0.113.7:5123"], &trusted), ip("203.0.113.7"));
        assert_eq!(client_address(proxy, ["[2001:db8::1]:5123"], &trusted), ip("2001:db8::1"));
        assert_eq!(client_address(proxy, [" [2001:db8::1] "], &trusted), ip("2001:db8::1"));
        assert_eq!(client_address(proxy, ["::ffff:203.0.113.7"], &trusted), ip("203.0.113.7"));
        assert_eq!(client_address(ip("::ffff:10.0.0.5"), ["203.0.113.7"], &trusted), ip("203.0.113.7"), "a dual-stack socket's peer");
    }
}
