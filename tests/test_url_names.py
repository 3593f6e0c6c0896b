"""No URL pattern is defined twice: a second pattern of the same name and route is dead (the
first one matches) and hides mistakes when urls.py files are merged. (One name may serve
several routes, e.g. economy's import of each kind of sheet.)"""

from collections import Counter

from django.urls import URLResolver, get_resolver


def _names(resolver, namespace="", prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner, f"{prefix}{pattern.pattern}")
        elif pattern.name:
            yield f"{namespace}{pattern.name}", f"{prefix}{pattern.pattern}"


def test_no_url_pattern_is_defined_twice():
    counts = Counter(_names(get_resolver()))
    assert [name for name, n in counts.items() if n > 1] == []
