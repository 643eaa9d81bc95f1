"""The kit's output records: ``{stem}.upload.json`` per ad and the rows of ``brand/assets.md``.

Upload writes them; pause / activate update their status; insights reads them to map a
campaign name to its ad ids.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from skill.errors import ConfigError
from skill.fileio import append_line, append_lines, write_json_atomic, write_text_atomic
from skill.models import UploadRecord, load_model

ASSETS_HEADER = "| name | type | date | ids | status |\n| --- | --- | --- | --- | --- |\n"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_path(spec_path: Path) -> Path:
    """``ads/notes-app.json`` → ``ads/notes-app.upload.json``."""
    return spec_path.with_name(f"{spec_path.stem}.upload.json")


def write_record(path: Path, record: UploadRecord, *, durable: bool = True) -> None:
    """Atomic; ``durable=False`` skips the fsync (an upload makes a batch durable at once)."""
    write_json_atomic(path, record.model_dump(mode="json", exclude_none=True), durable=durable)


def read_record(path: Path) -> UploadRecord:
    return load_model(UploadRecord, path)


def campaign_records(ads_dir: Path) -> list[tuple[Path, UploadRecord]]:
    """Every readable ``*.upload.json`` in a campaign's ads folder, sorted by file name.

    An unreadable record (empty or cut short: records are renamed into place without fsync, so a
    power loss may leave one so) counts as absent, as in the upload: the account is the truth, and
    the next upload finds that ad by name and writes its record again."""
    if not ads_dir.is_dir():
        return []
    out = []
    for path in sorted(ads_dir.glob("*.upload.json")):
        try:
            out.append((path, read_record(path)))
        except ConfigError:
            continue
    return out


def find_records(workspace: Path, ad: str) -> list[tuple[Path, UploadRecord]]:
    """Records whose ad id or ad name is ``ad`` across every campaign of the workspace."""
    found = []
    for path in sorted((workspace / "campaigns").glob("*/ads/*.upload.json")):
        try:
            rec = read_record(path)
        except ConfigError:
            continue
        if ad in (rec.ad_id, rec.ad_name, f"{rec.campaign} - {rec.ad_name}"):
            found.append((path, rec))
    return found


# ---------------------------------------------------------------- assets.md


def assets_row(record: UploadRecord) -> str:
    day = record.uploaded_at[:10]
    ids = f"creative: {record.creative_id} ad: {record.ad_id}"
    return f"| {record.campaign} {record.ad_name} | ad | {day} | {ids} | {record.status} |"


def append_asset(assets_md: Path, record: UploadRecord) -> None:
    """Add the ad's row, once: a row naming the same ad id is not added again."""
    if assets_md.exists():
        if f"ad: {record.ad_id} " in assets_md.read_text(encoding="utf-8"):
            return
    else:
        write_text_atomic(assets_md, "# Assets\n\n" + ASSETS_HEADER)
    append_line(assets_md, assets_row(record))


def asset_ad_ids(assets_md: Path) -> set[str]:
    """The ad ids the rows of ``assets.md`` name (read once; see ``append_assets``)."""
    if not assets_md.exists():
        return set()
    return set(re.findall(r"ad: (\S+) ", assets_md.read_text(encoding="utf-8")))


def append_assets(assets_md: Path, records: list[UploadRecord], known: set[str]) -> None:
    """Add the rows of several ads in one write and one fsync, each once: ``known`` holds the ad
    ids already in the file (``asset_ad_ids``) and is updated. The caller serialises calls."""
    rows = []
    for record in records:
        if record.ad_id not in known:
            known.add(record.ad_id)
            rows.append(assets_row(record))
    if not rows:
        return
    if not assets_md.exists():
        write_text_atomic(assets_md, "# Assets\n\n" + ASSETS_HEADER)
    append_lines(assets_md, rows)


def update_asset_status(assets_md: Path, ad_id: str, status: str) -> bool:
    """Set the status cell of the row naming ``ad_id``. Returns whether a row was found."""
    if not assets_md.exists():
        return False
    pattern = re.compile(rf"^(\|.*\bad: {re.escape(ad_id)} \|)\s*[A-Z_]+\s*\|\s*$")
    lines = assets_md.read_text(encoding="utf-8").splitlines()
    changed = False
    for i, line in enumerate(lines):
        match = pattern.match(line)
        if match:
            lines[i] = f"{match.group(1)} {status} |"
            changed = True
    if changed:
        write_text_atomic(assets_md, "\n".join(lines) + "\n")
    return changed
