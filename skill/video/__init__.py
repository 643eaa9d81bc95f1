"""Video ads: read a video by its content (PyAV), check it against Meta's rules, and upload it
with Meta's resumable chunked protocol, then wait for processing. PyAV is imported lazily."""
