"""The cross-app URL harness.

Every URL pattern of the project must be described by a Case in some app's
`tests/harness.py` (a module-level CASES list). The harness then checks, for every page:
anonymous users are sent to sign in (unless the page is public), a POST-only URL refuses GET,
the viewer opens the in-scope object, and the same viewer gets 404 on the out-of-scope one.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    url_name: str
    #: URL kwargs for an object the viewer may open; receives the `world` fixture.
    inside: Callable = lambda w: {}
    #: URL kwargs for a comparable object outside the viewer's scope (None: nothing to scope).
    outside: Callable | None = None
    #: Attribute of `world` holding the account that views the page.
    viewer: str = "staff_a"
    post_only: bool = False
    public: bool = False
