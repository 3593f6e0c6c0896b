"""Navigation entries and home panels of the grids app (registered in GridsConfig.ready).

Several modules contribute; each appends its own entries to these lists.
"""

NAV_ITEMS = []
HOME_PANELS = []
