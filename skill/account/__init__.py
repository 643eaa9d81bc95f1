"""The ad account's objects and health: status changes, token and account checks.

Budgets, campaigns and ad sets belong here as they arrive.
"""
