"""Models of the community part."""

__all__: list[str] = []
