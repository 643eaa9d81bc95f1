"""Ad previews: Meta's rendering of an ad in the main placements, written as HTML files to open.

``GET /{creative}/previews?ad_format=…`` answers ``{"data": [{"body": "<iframe …>"}]}``. Each
placement's iframe goes into its own page, and ``index.html`` shows them side by side:
``campaigns/CAMPAIGN/previews/STEM/`` for an ad of the workspace, ``previews/AD_ID/`` otherwise.
Meta's iframe links are signed and expire (about a day): run the command again for fresh ones.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from skill.errors import ConfigError, GraphError
from skill.events import Event, Reporter, silent
from skill.fileio import write_text_atomic
from skill.records import find_records
from skill.settings import Settings

MAIN_FORMATS: tuple[str, ...] = (
    "MOBILE_FEED_STANDARD", "DESKTOP_FEED_STANDARD", "INSTAGRAM_STANDARD",
    "INSTAGRAM_STORY", "FACEBOOK_STORY_MOBILE", "INSTAGRAM_REELS",
)  # fmt: skip


class PreviewFile(BaseModel):
    ad_format: str
    path: str | None = None
    error: str | None = None


class PreviewResult(BaseModel):
    """What ``preview`` wrote: one HTML file per placement and an index page."""

    ad: str
    ad_id: str
    creative_id: str
    index: str
    files: list[PreviewFile]

    @property
    def exit_code(self) -> int:
        return 0 if any(f.path for f in self.files) else 1

    def render_text(self) -> str:
        return f"Open {Path(self.index).as_uri()} to see them side by side."


def preview_ad(settings: Settings, client: Any, ad: str, formats: list[str] | None = None,
               report: Reporter = silent) -> PreviewResult:
    """Fetch previews of one ad (a workspace name or a Meta ad id) and write them as HTML."""
    ad_id, creative_id, folder = _locate(settings, client, ad)
    files = []
    for fmt in formats or MAIN_FORMATS:
        try:
            page = client.get(f"{creative_id}/previews", {"ad_format": fmt})
            body = ((page or {}).get("data") or [{}])[0].get("body")
            if not body:
                raise GraphError(f"Meta returned no preview for {fmt}")
        except GraphError as exc:
            files.append(PreviewFile(ad_format=fmt, error=exc.user_msg or exc.message))
            report(Event("preview_failed", f"✗ {fmt}: {exc.user_msg or exc.message}"))
            continue
        path = folder / f"{fmt}.html"
        write_text_atomic(path, _page(f"{ad} · {fmt}", body))
        files.append(PreviewFile(ad_format=fmt, path=str(path)))
        report(Event("preview", f"✓ {fmt} → {path}"))
    index = folder / "index.html"
    write_text_atomic(index, _index(ad, files))
    return PreviewResult(ad=ad, ad_id=ad_id, creative_id=creative_id, index=str(index), files=files)


def _locate(settings: Settings, client: Any, ad: str) -> tuple[str, str, Path]:
    found = find_records(settings.workspace, ad)
    if len(found) > 1:
        raise ConfigError(f"ad {ad!r} is in several campaigns; name it by id", field="ad")
    if found:
        path, rec = found[0]
        return rec.ad_id, rec.creative_id, path.parent.parent / "previews" / path.name.removesuffix(".upload.json")
    if not (ad.isdigit() and len(ad) >= 6):
        raise ConfigError(f"no ad {ad!r} in the workspace", field="ad",
                          hint="use an ad name from the campaigns' *.upload.json files, or a Meta ad id")
    node = client.get(ad, {"fields": "id,name,creative"})
    creative = (node or {}).get("creative") or {}
    if not creative.get("id"):
        raise ConfigError(f"ad {ad} has no creative to preview", field="ad")
    return ad, str(creative["id"]), settings.workspace / "previews" / ad


def _page(title: str, body: str) -> str:
    return (f"<!doctype html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>\n"
            f"<body style='font-family:sans-serif'>\n<h3>{html.escape(title)}</h3>\n{body}\n</body></html>\n")


def _index(ad: str, files: list[PreviewFile]) -> str:
    cells = []
    for f in files:
        inner = (f"<iframe src='{html.escape(Path(f.path).name)}' width='560' height='760' style='border:none'>"
                 f"</iframe>" if f.path else f"<p>Not available: {html.escape(f.error or '')}</p>")
        cells.append(f"<div style='display:inline-block;vertical-align:top;margin:8px'><b>{f.ad_format}</b><br>"
                     f"{inner}</div>")
    return _page(f"Previews of {ad}", "\n".join(cells))
