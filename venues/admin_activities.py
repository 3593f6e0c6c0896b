"""Admin of the activities part."""
