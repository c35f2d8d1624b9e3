"""The SSRF guard: member feeds may only be fetched from public internet addresses.

Every connection the feed client opens (the first request and every redirect) goes
through `GuardedNetworkBackend`, which resolves the host itself, refuses the whole
connection if any address is not public, and then connects to the address it checked,
so a name cannot resolve to one address for the check and another for the connection.
Exceptions are host:port pairs in FEEDS_ALLOWED_PRIVATE_HOSTS; nothing else opens it.
"""

import ipaddress
import socket

import anyio
import httpcore
from django.conf import settings

# Ranges never reachable from the feed client, beyond what `is_global` already refuses.
METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class RefusedAddress(httpcore.ConnectError):
    """The feed's host is, or resolves to, an address the guard refuses."""


def address_is_public(address):
    """True for a globally routable unicast address (IPv4-mapped IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour:
        ip = ip.sixtofour
    return ip.is_global and not ip.is_multicast and ip not in METADATA_ADDRESSES


def allowed_private_hosts():
    return {entry.strip().lower() for entry in settings.FEEDS_ALLOWED_PRIVATE_HOSTS if entry.strip()}


def resolve(host, port):
    """Every address `host` resolves to (a literal address resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def checked_addresses(host, port, *, resolver=resolve):
    """The addresses to connect to for host:port, or RefusedAddress.

    All of a name's addresses must be public: one private answer refuses the name.
    """
    if f"{host.lower()}:{port}" in allowed_private_hosts():
        return resolver(host, port)
    try:
        addresses = resolver(host, port)
    except OSError as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
    refused = [address for address in addresses if not address_is_public(address)]
    if refused or not addresses:
        raise RefusedAddress(f"{host} resolves to a non-public address ({', '.join(refused) or 'none'})")
    return addresses


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, with every TCP connection checked by the guard."""

    def __init__(self):
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = await anyio.to_thread.run_sync(checked_addresses, host, port)
        last_error = None
        for address in addresses:
            try:
                return await self._backend.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as error:
                last_error = error
        raise last_error

    async def connect_unix_socket(self, *args, **kwargs):
        raise RefusedAddress("unix sockets are never used for feeds")

    async def sleep(self, seconds):
        await self._backend.sleep(seconds)
