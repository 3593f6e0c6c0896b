"""The grids app's part of seed_demo (registered in GridsConfig.ready)."""


def seed_grids(*, stdout, scale, rng):
    return None
