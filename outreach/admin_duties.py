"""Admin of the duties part."""
