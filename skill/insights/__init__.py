"""Insights: numbers fetched from the account, turned into metrics, findings and reports.

Fetch, aggregate, analyse (bleeders, winners, fatigue), chart and render markdown.
"""
