"""One way to answer a page that htmx may ask for in part."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_partial(request) -> bool:
    """An htmx request for a piece of the page (a history restore wants the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page(request, template: str, context: dict, partial: str, status: int = 200):
    """The whole page, or only its named partial for htmx; Vary keeps caches from mixing them."""
    response = render(
        request, template + (f"#{partial}" if is_partial(request) else ""), context, status=status
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
