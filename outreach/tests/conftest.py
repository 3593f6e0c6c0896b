from outreach.tests.fixtures_community import at, reception_world  # noqa: F401
