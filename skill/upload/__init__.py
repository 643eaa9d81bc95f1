"""Batch upload: a campaign's batch config becomes images, creatives and PAUSED ads, exactly once.

Plan, dry run, payloads, the Graph steps, the ledger that remembers them, and the text the user reads.
"""
