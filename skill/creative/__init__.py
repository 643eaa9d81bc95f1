"""Creative formats: single image, Dynamic Creative, per-placement images, CTAs, Advantage+ options.

What each ad looks like on Meta, decided from the batch config and brand/stack.md; also previews.
"""
