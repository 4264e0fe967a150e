"""Where webhooks may be sent: to public addresses over https, never inside the city's networks
unless an administrator allows it.

By default a target URL must be ``https://`` and every address its host name resolves to must be
public: not loopback, private, link-local, multicast, unspecified, reserved, carrier-grade NAT
(100.64.0.0/10), IPv4-mapped, nor a 6to4, Teredo or NAT64 address carrying such an IPv4 address.
Host names are resolved with ``getaddrinfo``, which also reads the numeric spellings a URL may use
(``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) as the address they mean, so each is judged
by that address. The check runs when a subscription is made and again before every delivery, and
the delivery connects to the addresses checked (``webhook_http.py``): a name that changes its answer
in between (DNS rebinding) reaches nothing it was not checked for.

``KAMPUNG_WEBHOOK_ALLOW`` (an administrator's setting) lists host names and IP networks (CIDR, or
single addresses) that are allowed although internal, and over plain http too: on-premise receivers,
and the tests' receiver on 127.0.0.1. A host is allowed if its name is listed, or if every address it
resolves to lies in a listed network.
"""

import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from urllib.parse import urlsplit

from domain.errors import InvalidValue

SETTING = "KAMPUNG_WEBHOOK_ALLOW"

# Why a delivery was refused before anything was sent: short reasons of ours, shown with the delivery.
REFUSED_HTTP = "refused: plain http"
REFUSED_INTERNAL = "refused: internal address"
HOST_NOT_FOUND = "host not found"

# What an integrator is told when subscribing (interfaces/messages.py has the Indonesian).
SUBSCRIPTION_REFUSALS = {
    REFUSED_HTTP: "Give an https URL: plain http is allowed only for hosts an administrator has allowed.",
    REFUSED_INTERNAL: "The URL's host is not a public address: private, loopback, link-local and other internal "
                      "addresses are refused unless an administrator has allowed them.",
    HOST_NOT_FOUND: "The URL's host name cannot be resolved.",
}

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
Resolver = Callable[[str, int], list[Address]]

CARRIER_GRADE_NAT = ip_network("100.64.0.0/10")
NAT64 = (ip_network("64:ff9b::/96"), ip_network("64:ff9b:1::/48"))
HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$")


class TargetRefused(Exception):
    """A target this deployment does not send to; ``reason`` is one of the short reasons above."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def resolve_host(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (none: it cannot be resolved)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):  # socket.gaierror is an OSError; an impossible IDN label a UnicodeError
        return []
    return list(dict.fromkeys(ip_address(info[4][0]) for info in found))


def _embedded_ipv4(address: IPv6Address) -> list[IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (6to4, Teredo, NAT64): reaching it reaches them."""
    carried: list[IPv4Address] = []
    if address.sixtofour is not None:
        carried.append(address.sixtofour)
    if address.teredo is not None:
        carried.extend(address.teredo)
    if any(address in prefix for prefix in NAT64):
        carried.append(IPv4Address(int(address) & 0xFFFFFFFF))
    return carried


def is_public(address: Address) -> bool:
    """Whether ``address`` is on the public internet: none of the internal kinds (module docstring)."""
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None or address.is_site_local:
            return False
        if not all(is_public(carried) for carried in _embedded_ipv4(address)):
            return False
    elif address in CARRIER_GRADE_NAT:
        return False
    internal = (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
                or address.is_unspecified or address.is_reserved)
    return address.is_global and not internal


@dataclass(frozen=True)
class Destination:
    """A checked target: where to connect (the addresses checked) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[Address, ...]


@dataclass(frozen=True)
class TargetPolicy:
    """The targets this deployment sends webhooks to: public https ones, and those allowed by an
    administrator (``hosts`` by name, ``networks`` by address). ``resolve`` is the name lookup."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()
    resolve: Resolver = field(default=resolve_host, compare=False)

    @classmethod
    def from_setting(cls, setting: str, resolve: Resolver = resolve_host) -> "TargetPolicy":
        """The policy of ``KAMPUNG_WEBHOOK_ALLOW``: host names and networks, separated by commas or spaces."""
        hosts: set[str] = set()
        networks: list[Network] = []
        for entry in filter(None, re.split(r"[\s,]+", setting.strip())):
            try:
                networks.append(ip_network(entry, strict=False))
            except ValueError:
                name = entry.lower().rstrip(".")
                if not HOST_NAME.match(name):
                    raise InvalidValue(f"{SETTING}: {entry!r} is neither a host name nor an IP network",
                                       SETTING) from None
                hosts.add(name)
        return cls(frozenset(hosts), tuple(networks), resolve)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> "TargetPolicy":
        return cls.from_setting(environ.get(SETTING, ""))

    def destination(self, url: str) -> Destination:
        """Where a delivery to ``url`` connects; ``TargetRefused`` if it may not be sent there."""
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
        secure = parts.scheme == "https"
        named = host in self.hosts
        if not secure and not named and not self.networks:
            raise TargetRefused(REFUSED_HTTP)  # no address could make it allowed: no need to look up
        port = parts.port or (443 if secure else 80)
        addresses = self.resolve(host, port) if host else []
        if not addresses:
            raise TargetRefused(HOST_NOT_FOUND)
        allowed = named or all(any(address in network for network in self.networks) for address in addresses)
        if not allowed:
            if not secure:
                raise TargetRefused(REFUSED_HTTP)
            if not all(is_public(address) for address in addresses):
                raise TargetRefused(REFUSED_INTERNAL)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return Destination(parts.scheme, host, port, path, tuple(addresses))

    def check_subscription(self, url: str) -> None:
        """Refuse, as an invalid ``url``, a target no delivery would be sent to."""
        try:
            self.destination(url)
        except TargetRefused as refused:
            raise InvalidValue(SUBSCRIPTION_REFUSALS[refused.reason], "url") from None
