"""Who is asking, and how often: the client's address behind a proxy, and counters in the cache.

The client address is `REMOTE_ADDR`, unless `SHANZHI_TRUSTED_PROXIES` names the proxies in front
of the app: then, when the request comes from one of them, it is the rightmost address of
`X-Forwarded-For` that is not itself a trusted proxy (the addresses to its left are whatever the
client chose to send). django-axes and every throttle use this one function.

The counters live in the cache (Redis in production). When the cache cannot be reached, a
throttle lets the request through and logs it: a resident's registration is worth more than the
limit, and the page must not fail.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.SHANZHI_TRUSTED_PROXIES]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str | None:
    """The address of the client that sent `request` (see the module's docstring); None when the
    request has none (a request made up in code, as `Client.force_login` does)."""
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None:
        return None
    networks = _networks()
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # garbage in the header: count it against the proxy
    return remote


def over_limit(key: str, limit: int, window: int) -> bool:
    """Count one more hit on `key` in a window of `window` seconds; True past `limit` hits."""
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:  # the cache is down: never fail the page over a counter
        logger.warning("throttle %s not counted: the cache is unreachable", key, exc_info=True)
        return False
    return count > limit


def hits(key: str) -> int:
    """How many hits `key` has in its current window (0 when the cache is unreachable)."""
    try:
        return int(cache.get(key) or 0)
    except Exception:
        logger.warning("throttle %s not read: the cache is unreachable", key, exc_info=True)
        return 0


def forget(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("throttle %s not reset: the cache is unreachable", key, exc_info=True)
