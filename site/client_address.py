"""The address of the client behind the site's reverse proxies.

Behind the TLS proxy REMOTE_ADDR is the proxy itself, so a limit keyed on it is shared
by every visitor. Each proxy appends the address it received the request from to
X-Forwarded-For; everything left of what our own proxies appended is whatever the
client chose to send. So the client is the right-most address that is not one of ours.
"""

import ipaddress

from django.conf import settings


def _trusted_networks():
    return [ipaddress.ip_network(network, strict=False) for network in settings.TRUSTED_PROXIES]


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request):
    """REMOTE_ADDR unless proxies are configured: with TRUSTED_PROXIES (addresses or
    networks), the right-most address in the chain X-Forwarded-For + REMOTE_ADDR that is
    not one of them; else with TRUSTED_PROXY_COUNT = n, the address n places from the
    right of that chain (the left-most when the chain is shorter)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks, count = _trusted_networks(), settings.TRUSTED_PROXY_COUNT
    if not networks and not count:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [address.strip() for address in forwarded.split(",") if address.strip()] + [remote]
    if networks:
        return next((address for address in reversed(chain) if not _is_trusted(address, networks)), chain[0])
    return chain[max(0, len(chain) - 1 - count)]
