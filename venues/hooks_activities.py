"""What the activities part plugs into governance.registry (read by apps.ready)."""

NAV_ITEMS: list = []
HOME_PANELS: list = []
REMINDER_KINDS: list = []
DEMO_SEEDERS: list = []
