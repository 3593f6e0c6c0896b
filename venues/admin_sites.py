"""Admin of the sites part."""
