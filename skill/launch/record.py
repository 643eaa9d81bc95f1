"""What a launch leaves in the workspace: ``{config-stem}.launch.json`` beside the config (the ids of
the campaign and its ad sets) and one row each in ``brand/assets.md``. A cache of what the account
holds: the launch always asks the account first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from skill.errors import ConfigError
from skill.fileio import append_line, write_json_atomic, write_text_atomic
from skill.models import load_model
from skill.records import ASSETS_HEADER, now_iso


class AdSetRecord(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str           # as in the config
    meta_name: str      # as on Meta: "{campaign} - {name}"
    id: str
    budget: str | None = None
    status: str = "PAUSED"


class LaunchRecord(BaseModel):
    model_config = ConfigDict(extra="allow")

    launched_at: str
    campaign: str
    campaign_id: str
    account: str
    status: str = "PAUSED"
    adsets: list[AdSetRecord] = []
    review_url: str


def write_launch_record(path: Path, record: LaunchRecord) -> None:
    write_json_atomic(path, record.model_dump(mode="json", exclude_none=True))


def read_launch_record(path: Path) -> LaunchRecord | None:
    if not path.exists():
        return None
    try:
        return load_model(LaunchRecord, path)
    except ConfigError:
        return None


def launch_records(workspace: Path) -> list[tuple[Path, LaunchRecord]]:
    """Every launch record of the workspace, by campaign folder."""
    out = []
    for path in sorted((workspace / "campaigns").glob("*/ads/*.launch.json")):
        record = read_launch_record(path)
        if record is not None:
            out.append((path, record))
    return out


def append_structure_row(assets_md: Path, name: str, kind: str, object_id: str, status: str = "PAUSED") -> None:
    """``| black-friday-2026 | campaign | 2026-12-01 | campaign: 238… | PAUSED |``, once per id."""
    key = "adset" if kind == "ad set" else kind
    marker = f"{key}: {object_id} "
    if assets_md.exists():
        if marker in assets_md.read_text(encoding="utf-8"):
            return
    else:
        write_text_atomic(assets_md, "# Assets\n\n" + ASSETS_HEADER)
    append_line(assets_md, f"| {name} | {kind} | {now_iso()[:10]} | {marker}| {status} |")


def summary_of(record: LaunchRecord) -> dict[str, Any]:
    return {"campaign_id": record.campaign_id, "adsets": {a.name: a.id for a in record.adsets}}
