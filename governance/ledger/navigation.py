"""Navigation entries and home panels the ledger adds (registered in GovernanceConfig.ready)."""

NAV_ITEMS = []
HOME_PANELS = []
