"""A corpus of broken inputs: each case breaks one thing in a copy of the shipped workspace.

A case is a name, a function that breaks the workspace (it gets the workspace and a folder
outside it), CLI arguments and environment to add, the commands it applies to, and the words
the one error line must contain (the file and the field). ``test_bad_inputs.py`` runs every
case through ``validate``, ``upload --dry-run``, ``upload`` and ``upload --json``.
"""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

CAMPAIGN = "summer-sale-2026"
ALL = ("validate", "dry-run", "upload", "upload-json")
UPLOADS = ("dry-run", "upload", "upload-json")
DEEP = 100_000


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path, Path], None]
    expect: tuple[str, ...]  # in the stderr line: the file, then the field
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    commands: tuple[str, ...] = ALL


# ---------------------------------------------------------------- helpers


def ads(ws: Path) -> Path:
    return ws / "campaigns" / CAMPAIGN / "ads"


def images(ws: Path) -> Path:
    return ws / "campaigns" / CAMPAIGN / "images"


def config(ws: Path) -> Path:
    return ads(ws) / "batch-upload.json"


def spec(ws: Path) -> Path:
    return ads(ws) / "notes-app.json"


def stack(ws: Path) -> Path:
    return ws / "brand" / "stack.md"


def edit(path: Path, change: Callable[[Any], Any]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def cfg(change: Callable[[dict], Any]) -> Callable[[Path, Path], None]:
    return lambda ws, _: edit(config(ws), change)


def ad0(**values: Any) -> Callable[[Path, Path], None]:
    return cfg(lambda d: d["ads"][0].update(values))


def sp(change: Callable[[dict], Any]) -> Callable[[Path, Path], None]:
    return lambda ws, _: edit(spec(ws), change)


def raw(path_of: Callable[[Path], Path], data: bytes) -> Callable[[Path, Path], None]:
    return lambda ws, _: path_of(ws).write_bytes(data)


def stack_line(key: str, value: str) -> Callable[[Path, Path], None]:
    """Replace (or add) ``key: value`` in stack.md's yaml block."""

    def make(ws: Path, _: Path) -> None:
        lines = [ln for ln in stack(ws).read_text().splitlines() if not ln.startswith(f"{key}:")]
        at = lines.index("```yaml") + 1
        lines.insert(at, f"{key}: {value}")
        stack(ws).write_text("\n".join(lines) + "\n")
    return make


def both(*makers: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def make(ws: Path, outside: Path) -> None:
        for m in makers:
            m(ws, outside)
    return make


def image_for_ad0(name: str, data: bytes | Callable[[Path], bytes]) -> Callable[[Path, Path], None]:
    def make(ws: Path, _: Path) -> None:
        path = images(ws) / name
        path.write_bytes(data(ws) if callable(data) else data)
        edit(config(ws), lambda d: d["ads"][0].update(image_path=str(path)))
    return make


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a few bytes of pixel data (a decompression bomb's shape)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


def truncated(name: str, keep: float) -> Callable[[Path], bytes]:
    return lambda ws: (images(ws) / name).read_bytes()[: int((images(ws) / name).stat().st_size * keep)]


def image_bytes(size: tuple[int, int], fmt: str) -> bytes:
    import io
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buf, format=fmt)
    return buf.getvalue()


def outside_image(ws: Path, outside: Path) -> Path:
    path = outside / "secret.jpg"
    shutil.copy(images(ws) / "notes-app.jpg", path)
    return path


def outside_spec(ws: Path, outside: Path) -> Path:
    path = outside / "secret.json"
    shutil.copy(spec(ws), path)
    return path


def symlink_in(folder_of: Callable[[Path], Path], name: str, target_of: Callable[[Path, Path], Path],
               key: str) -> Callable[[Path, Path], None]:
    def make(ws: Path, outside: Path) -> None:
        link = folder_of(ws) / name
        link.symlink_to(target_of(ws, outside))
        edit(config(ws), lambda d: d["ads"][0].update({key: str(link)}))
    return make


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


# ---------------------------------------------------------------- the cases

CFG, SPEC, STACK = "batch-upload.json", "notes-app.json", "stack.md"
AD0_IMG, AD0_SPEC = "ads[0].image_path", "ads[0].asset_feed_spec_path"

CASES: list[Case] = [
    # -- the batch config itself
    Case("config-nested-100k", lambda ws, _: config(ws).write_text(nested(DEEP)), (CFG, "nested")),
    Case("config-nested-100k-in-ad", lambda ws, _: config(ws).write_text(
        '{"campaign": "x", "ads": [{"name": ' + nested(DEEP) + "}]}"), (CFG, "nested")),
    Case("config-campaign-nested-500", cfg(lambda d: d.update(campaign=json.loads(nested(500)))), (CFG, "campaign")),
    Case("config-not-json", raw(config, b"{campaign: summer"), (CFG, "line 1")),
    Case("config-empty", raw(config, b""), (CFG, "line 1")),
    Case("config-array", raw(config, b"[1, 2]"), (CFG, "JSON object")),
    Case("config-not-utf8", raw(config, '{"campaign": "sommer-ça"}'.encode("latin-1")), (CFG, "line 1")),
    Case("config-over-5mb", raw(config, b'{"campaign": "x", "pad": "' + b"x" * (6 << 20) + b'"}'), (CFG, "MB")),
    Case("config-campaign-traversal", cfg(lambda d: d.update(campaign="../../evil")), (CFG, "campaign")),
    Case("config-campaign-empty", cfg(lambda d: d.update(campaign="")), (CFG, "campaign")),
    Case("config-campaign-nul", cfg(lambda d: d.update(campaign="summer\x00sale")), (CFG, "campaign")),
    Case("config-campaign-slash", cfg(lambda d: d.update(campaign="a/b")), (CFG, "campaign")),
    Case("config-adset-traversal", cfg(lambda d: d.update(adset_id="../../me")), (CFG, "adset_id")),
    Case("config-adset-edge", cfg(lambda d: d.update(adset_id="23847000000001/ads")), (CFG, "adset_id")),
    Case("config-adset-bool", cfg(lambda d: d.update(adset_id=True)), (CFG, "adset_id")),
    Case("config-page-me", cfg(lambda d: d.update(page_id="me")), (CFG, "page_id")),
    Case("config-destination-javascript", cfg(lambda d: d.update(destination_url="javascript:alert(1)")),
         (CFG, "destination_url")),
    Case("config-destination-no-scheme", cfg(lambda d: d.update(destination_url="yoursite.com/summer-sale")),
         (CFG, "destination_url")),
    Case("config-destination-ftp", cfg(lambda d: d.update(destination_url="ftp://yoursite.com/x")),
         (CFG, "destination_url")),
    Case("config-destination-no-host", cfg(lambda d: d.update(destination_url="https://")), (CFG, "destination_url")),
    Case("config-destination-space", cfg(lambda d: d.update(destination_url="https://your site.com")),
         (CFG, "destination_url")),
    Case("config-no-ads", cfg(lambda d: d.update(ads=[])), (CFG, "ads")),
    Case("config-max-concurrent-0", cfg(lambda d: d.update(max_concurrent=0)), (CFG, "max_concurrent")),
    Case("config-max-concurrent-huge", cfg(lambda d: d.update(max_concurrent=100000)), (CFG, "max_concurrent")),
    Case("config-ad-without-image", cfg(lambda d: d["ads"][0].pop("image_path")), (CFG, "ads[0]")),
    Case("config-ad-name-traversal", ad0(name="../x"), (CFG, "ads[0].name")),
    Case("config-ad-name-bidi", ad0(name="hero\u202eppa"), (CFG, "ads[0].name")),
    Case("config-ad-name-surrogate", lambda ws, _: config(ws).write_text(
        config(ws).read_text().replace('"hero-notes-app"', '"hero-\\ud800"')), (CFG, "ads[0].name")),
    Case("config-eleven-images", ad0(image_path=None, image_paths=["workspace/campaigns/summer-sale-2026/images/"
                                                                   "notes-app.jpg"] * 11),
         (CFG, "ads[0].image_paths")),
    # -- files outside the workspace
    Case("image-dotdot", ad0(image_path="../../../../../../etc/hostname"), (CFG, AD0_IMG)),
    Case("image-absolute-outside", ad0(image_path="/etc/hostname"), (CFG, AD0_IMG)),
    Case("image-dotdot-to-real-jpeg", lambda ws, out: edit(config(ws), lambda d: d["ads"][0].update(
        image_path="../" + outside_image(ws, out).relative_to(ws.parent).as_posix()),), (CFG, AD0_IMG)),
    Case("image-symlink-outside", symlink_in(images, "link.jpg", outside_image, "image_path"), (CFG, AD0_IMG)),
    Case("spec-absolute-outside", lambda ws, out: edit(config(ws), lambda d: d["ads"][0].update(
        asset_feed_spec_path=str(outside_spec(ws, out)))), (CFG, AD0_SPEC)),
    Case("spec-dotdot-outside", lambda ws, out: edit(config(ws), lambda d: d["ads"][0].update(
        asset_feed_spec_path="../" + outside_spec(ws, out).relative_to(ws.parent).as_posix())), (CFG, AD0_SPEC)),
    Case("spec-symlink-outside", symlink_in(ads, "linked.json", outside_spec, "asset_feed_spec_path"),
         (CFG, AD0_SPEC)),
    # -- the asset_feed_spec
    Case("spec-nested-100k", lambda ws, _: spec(ws).write_text('{"titles": ' + nested(DEEP) + "}"), (SPEC, "nested")),
    Case("spec-not-utf8", raw(spec, b'{"titles": [{"text": "caf\xe9"}]}'), (SPEC, "line 1")),
    Case("spec-bad-json", raw(spec, b'{"titles": [}'), (SPEC, "line 1")),
    Case("spec-array", raw(spec, b"[]"), (SPEC,)),
    Case("spec-titles-string", sp(lambda d: d.update(titles="Buy now")), (SPEC, "titles")),
    Case("spec-title-rlo", sp(lambda d: d["titles"][0].update(text="Half price \u202eecirp flah")),
         (SPEC, "titles[0].text")),
    Case("spec-title-escape", sp(lambda d: d["titles"][0].update(text="Sale \x1b[31mnow")), (SPEC, "titles[0].text")),
    Case("spec-body-zwsp", sp(lambda d: d["bodies"][0].update(text=d["bodies"][0]["text"] + "\u200b")),
         (SPEC, "bodies[0].text")),
    Case("spec-body-nul", sp(lambda d: d["bodies"][1].update(text=d["bodies"][1]["text"] + "\x00")),
         (SPEC, "bodies[1].text")),
    Case("spec-body-surrogate", lambda ws, _: spec(ws).write_text(
        spec(ws).read_text().replace("one place.", "one place \\ud83d.")), (SPEC, "bodies[0].text")),
    Case("spec-description-bom", sp(lambda d: d["descriptions"][0].update(text="\ufeff50% off")),
         (SPEC, "descriptions[0].text")),
    Case("spec-caption-isolate", sp(lambda d: d["call_to_actions"][0]["value"].update(link_caption="\u2066site")),
         (SPEC, "link_caption")),
    Case("spec-cta-javascript", sp(lambda d: d["call_to_actions"][0]["value"].update(link="javascript:alert(1)")),
         (SPEC, "call_to_actions[0].value.link")),
    Case("spec-cta-no-scheme", sp(lambda d: d["call_to_actions"][0]["value"].update(link="yoursite.com/x")),
         (SPEC, "call_to_actions[0].value.link")),
    Case("spec-cta-data-url", sp(lambda d: d["call_to_actions"][0]["value"].update(link="data:text/html,<b>x</b>")),
         (SPEC, "call_to_actions[0].value.link")),
    Case("spec-link-javascript", sp(lambda d: d.update(link_urls=[{"website_url": "javascript:void(0)"}])),
         (SPEC, "link_urls[0].website_url")),
    Case("spec-link-protocol-relative", sp(lambda d: d.update(link_urls=[{"website_url": "//evil.example/x"}])),
         (SPEC, "link_urls[0].website_url")),
    Case("spec-cta-type-bogus", sp(lambda d: d["call_to_actions"][0].update(type="'; DROP TABLE ads")),
         (SPEC, "call_to_actions")),
    # -- images
    Case("image-png-bomb-20000", image_for_ad0("bomb.png", png_header(20000, 20000)), ("bomb.png", AD0_IMG)),
    Case("image-png-header-12000", image_for_ad0("big.png", png_header(12000, 12000)), ("big.png", AD0_IMG)),
    Case("image-jpeg-truncated", image_for_ad0("cut.jpg", truncated("notes-app.jpg", 0.5)), ("cut.jpg", AD0_IMG)),
    Case("image-png-truncated", image_for_ad0("cut.png", truncated("receipt.png", 0.6)), ("cut.png", AD0_IMG)),
    Case("image-text-as-jpeg", image_for_ad0("notes.jpg", b"not an image at all\n"), ("notes.jpg", AD0_IMG)),
    Case("image-empty", image_for_ad0("empty.jpg", b""), ("empty.jpg", AD0_IMG)),
    Case("image-gif", image_for_ad0("anim.gif", image_bytes((1080, 1080), "GIF")), ("anim.gif", AD0_IMG)),
    Case("image-too-small", image_for_ad0("small.jpg", image_bytes((100, 100), "JPEG")), ("small.jpg", AD0_IMG)),
    Case("image-is-a-folder", lambda ws, _: edit(config(ws), lambda d: d["ads"][0].update(
        image_path=str(images(ws)))), ("images", AD0_IMG)),
    # -- brand/stack.md
    Case("stack-not-utf8", lambda ws, _: stack(ws).write_bytes(stack(ws).read_bytes() + b"\nbrand: caf\xe9\n"),
         (STACK, "line")),
    Case("stack-bad-yaml", lambda ws, _: stack(ws).write_text(stack(ws).read_text().replace(
        "page_id: \"123456789\"", "page_id: [unclosed\n  - : :")), (STACK, "line")),
    Case("stack-yaml-nested-100k", lambda ws, _: stack(ws).write_text(stack(ws).read_text().replace(
        "brand_name: Snapbook", "brand_name: " + nested(DEEP))), (STACK,)),
    Case("stack-account-traversal", stack_line("ad_account", "act_1/../../me"), (STACK, "ad_account")),
    Case("env-account-traversal", lambda ws, _: None, ("META_AD_ACCOUNT",), env={"META_AD_ACCOUNT": "act_1/../../me"}),
    Case("stack-template-dunder", stack_line("ad_name_template", "'{campaign.__class__}'"),
         (STACK, "ad_name_template")),
    Case("stack-template-conversion", stack_line("ad_name_template", "'{name!r}'"), (STACK, "ad_name_template")),
    Case("stack-template-positional", stack_line("ad_name_template", "'{0}'"), (STACK, "ad_name_template")),
    Case("stack-template-huge-pad", stack_line("ad_name_template", "'{name:>999999999}'"),
         (STACK, "ad_name_template")),
    Case("stack-adset-traversal", both(stack_line("default_adset_id", "'../me'"), cfg(lambda d: d.pop("adset_id"))),
         (STACK, "default_adset_id")),
    Case("stack-page-me", both(stack_line("page_id", "me"), cfg(lambda d: d.pop("page_id"))), (STACK, "page_id")),
    Case("stack-destination-javascript", both(stack_line("destination_url", "'javascript:alert(1)'"),
                                              cfg(lambda d: d.pop("destination_url"))), (STACK, "destination_url")),
    # -- options
    Case("parallel-0", lambda ws, _: None, ("parallel",), args=("--parallel", "0"), commands=UPLOADS),
    Case("parallel-negative", lambda ws, _: None, ("parallel",), args=("--parallel", "-1"), commands=UPLOADS),
    Case("parallel-huge", lambda ws, _: None, ("parallel",), args=("--parallel", "100000"), commands=UPLOADS),
    Case("parallel-word", lambda ws, _: None, ("parallel",), args=("--parallel", "many"), commands=UPLOADS),
    Case("config-option-missing-file", lambda ws, _: None, ("nope.json",), args=("--config", "nope.json")),
]
