"""Demo data of the community part (filled in below)."""


def seed_community(*, stdout, scale="demo", rng=None):
    return None
