"""Copy generation: images and a product brief become an asset_feed_spec and a copy document.

The prompt, the Messages API client, the files written and the markdown document.
"""
