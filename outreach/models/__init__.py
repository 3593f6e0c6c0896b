"""Models of the outreach app, one module per part (see apps.PARTS)."""

from outreach.models.community import *  # noqa: F403
from outreach.models.duties import *  # noqa: F403
