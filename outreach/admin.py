"""Admin of the outreach app, one module per part."""

from outreach import admin_community, admin_duties  # noqa: F401
