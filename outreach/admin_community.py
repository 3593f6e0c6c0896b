"""Admin of the community part."""
