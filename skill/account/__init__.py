"""The ad account's objects and health: status at every level, budgets and bids, creative refresh,
the change log, token and account checks.
"""
