"""Tracking: is the pixel counting what the ads optimise for (pixel check), and server events
sent through the Conversions API with hashed user data and deduplication ids."""
