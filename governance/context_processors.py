from django.urls import reverse

from governance import access
from governance.notifications import unread_count
from governance.registry import registry


def shell(request):
    """Navigation and the unread badge for the base layout (lazy: no query until rendered)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def nav():
        items = []
        for item in registry.nav:
            if item.capabilities and not any(access.can(user, c) for c in item.capabilities):
                continue
            url = reverse(item.url_name)
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "active": request.path == url or (url != "/" and request.path.startswith(url)),
                }
            )
        return items

    def roles():
        return [m for m in access.memberships(user)]

    return {
        "nav_items": nav,
        "unread_notifications": lambda: unread_count(user),
        "my_memberships": roles,
    }
