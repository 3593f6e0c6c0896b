"""Where to send the user after a POST: the page they came from, when it is one of ours."""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default: str) -> str:
    """The posted `next` when it is a local URL that resolves to one of our pages, else `default`.

    A step has been committed by the time this is asked, so a `next` that is not a URL (`foo`,
    a view name, another host) must never turn into a 500: it falls back to the object's page.
    """
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    try:
        resolve(urlsplit(target).path)
    except Resolver404:
        return default
    return target
