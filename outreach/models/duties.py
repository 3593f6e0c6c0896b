"""Models of the duties part."""

__all__: list[str] = []
