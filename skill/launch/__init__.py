"""Launch: a campaign and its ad sets described in the workspace, created PAUSED, exactly once.

Models of the launch config, Meta's rules checked before any call, the plan, and the run.
"""
