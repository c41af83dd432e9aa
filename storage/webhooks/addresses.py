"""The address guard: a webhook's host is resolved when a delivery is sent, and refused when any
of its addresses is on this server's own networks (loopback, private, link-local, reserved,
multicast, unspecified, cloud metadata). The request then goes to the address that was checked,
never to the name again, so a DNS answer that changes between check and connect (rebinding)
cannot send it elsewhere."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.webhooks.model import is_blocked_address

MAX_ADDRESSES = 16
"""A host with more addresses than this is refused: the check's work is bounded."""


class BlockedAddress(Exception):
    """The host resolves to an address webhooks must not reach."""


class Unresolvable(Exception):
    """The host does not resolve."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where to connect (a checked IP address), and the names the request must carry."""

    url: str
    """The URL with the checked address in place of the host name."""
    host_header: str
    sni_hostname: str | None
    """The name TLS checks the certificate against (https only)."""


async def resolve_target(url: str, *, allow_private: bool) -> Target:
    """The checked target of a URL; BlockedAddress or Unresolvable when there is none."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise Unresolvable(host) from e
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Unresolvable(host)
    if len(addresses) > MAX_ADDRESSES:
        raise BlockedAddress(host)
    if not allow_private and any(is_blocked_address(a) for a in addresses):
        raise BlockedAddress(host)
    address = addresses[0].split("%", 1)[0]
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{port}"
    path = parts.path or "/"
    target = f"{parts.scheme}://{netloc}{path}" + (f"?{parts.query}" if parts.query else "")
    default_port = port == (443 if https else 80)
    host_literal = f"[{host}]" if ":" in host else host
    host_header = host_literal if default_port else f"{host_literal}:{port}"
    return Target(url=target, host_header=host_header, sni_hostname=host if https else None)
