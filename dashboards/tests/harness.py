"""Harness cases of the dashboards (tests/test_url_harness.py runs them). The unit is a query
parameter, so the out-of-scope 404s are checked in test_dashboard.py."""

from tests.harness import Case

CASES = [
    Case("dashboards:dashboard", viewer="leader"),
    Case("dashboards:screen", viewer="leader"),
    Case("dashboards:export", viewer="leader"),
    Case("dashboards:refresh", viewer="leader", post_only=True),
]
