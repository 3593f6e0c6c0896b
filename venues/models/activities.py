"""Models of the activities part."""

__all__: list[str] = []
