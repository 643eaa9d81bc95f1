"""``meta-ads history``: the change log read back, for one campaign or all of them."""

from __future__ import annotations

from pydantic import BaseModel

from skill.account import changelog
from skill.account.changelog import Change
from skill.settings import Settings


class HistoryResult(BaseModel):
    campaign: str | None
    path: str
    changes: list[Change]

    @property
    def exit_code(self) -> int:
        return 0

    def render_text(self) -> str:
        head = f"Changes to {self.campaign}" if self.campaign else "Changes"
        if not self.changes:
            return f"{head}: none logged yet ({self.path})."
        return "\n".join([f"{head} ({len(self.changes)}, oldest first; {self.path}):"]
                         + [f"  {c.line()}" for c in self.changes])


def history(settings: Settings, campaign: str | None = None) -> HistoryResult:
    return HistoryResult(campaign=campaign, path=str(changelog.log_path(settings)),
                         changes=changelog.read(settings, campaign))
