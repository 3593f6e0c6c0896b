from django.urls import reverse

from governance import access
from governance.notifications import unread_count
from governance.registry import NAV_GROUPS, registry

#: Menus with at most this many entries are shown as plain links, without groups.
FLAT_MENU_MAX = 6


def shell(request):
    """Navigation and the unread badge for the base layout (lazy: no query until rendered)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def nav():
        """The menu: entries standing alone, then the groups (registry.NAV_GROUPS) that have
        an entry for this user."""
        held = access.roles(user)
        loose, groups = [], {key: [] for key in NAV_GROUPS}
        for item in registry.nav:
            if user.is_superuser:
                pass
            elif item.roles:
                if not held & set(item.roles):
                    continue
            elif item.capabilities and not any(access.can(user, c) for c in item.capabilities):
                continue
            url = reverse(item.url_name)
            entry = {
                "label": item.label,
                "url": url,
                "active": request.path == url or (url != "/" and request.path.startswith(url)),
            }
            (groups[item.group] if item.group else loose).append(entry)
        if len(loose) + sum(map(len, groups.values())) <= FLAT_MENU_MAX:
            # A short menu (a grid worker's, a department's) is quicker as plain links.
            flat = [*loose, *(e for entries in groups.values() for e in entries)]
            return {"loose": flat, "groups": []}
        return {
            "loose": loose,
            "groups": [
                {
                    "label": NAV_GROUPS[key],
                    "items": entries,
                    "active": any(e["active"] for e in entries),
                }
                for key, entries in groups.items()
                if entries
            ],
        }

    def roles():
        return [m for m in access.memberships(user)]

    return {
        "nav_items": nav,
        "unread_notifications": lambda: unread_count(user),
        "my_memberships": roles,
    }
