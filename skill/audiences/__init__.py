"""Audiences: customer lists hashed on this machine and uploaded in resumable sessions,
website audiences from pixel rules, lookalikes, and names resolved to ids for launches."""

from skill.audiences.resolve import audience_targeting, resolve_audiences

__all__ = ["audience_targeting", "resolve_audiences"]
