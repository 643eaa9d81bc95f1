"""Audiences: customer lists hashed on this machine and uploaded in resumable sessions,
website audiences from pixel rules, lookalikes, and names resolved to ids for launches."""

from skill.audiences.resolve import resolve_audiences

__all__ = ["resolve_audiences"]
