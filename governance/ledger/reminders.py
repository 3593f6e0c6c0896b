"""Reminder kinds of the ledger (registered in GovernanceConfig.ready)."""

KINDS = []
