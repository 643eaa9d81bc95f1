"""Meta Ads Kit: from a folder of images to paused, reviewed Meta ads, and back to a report."""

__version__ = "0.1.0"
