"""Models of the venues app, one module per part (see apps.PARTS)."""

from venues.models.activities import *  # noqa: F403
from venues.models.sites import *  # noqa: F403
