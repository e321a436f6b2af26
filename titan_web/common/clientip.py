"""The address of the client a request comes from, behind configured proxies only.

``X-Forwarded-For`` is a header any client can send: it is believed only when the peer that
connected (``REMOTE_ADDR``) is in ``TITAN_TRUSTED_PROXIES`` (a list of addresses or CIDR
networks, default none). Then the list is read from the right, skipping trusted proxies, and
the first address that is not one is the client. Otherwise the peer is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.TITAN.get("TRUSTED_PROXIES", ())))


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(meta: Mapping[str, Any]) -> str:
    """The client's address for throttling and logs (``request.META`` or an ASGI-built map)."""
    peer = str(meta.get("REMOTE_ADDR") or "")
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a malformed hop: fall back to the proxy's own address
    return peer
