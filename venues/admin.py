"""Admin of the venues app, one module per part."""

from venues import admin_activities, admin_sites  # noqa: F401
