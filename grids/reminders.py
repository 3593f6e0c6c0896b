"""Reminder kinds of the grids app (registered in GridsConfig.ready)."""

KINDS = []
