"""Charts for reports, drawn with Pillow: spend and cost per result per ad, or a daily trend."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from skill.fileio import write_bytes_atomic

WIDTH, HEIGHT = 1000, 520
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 80, 80, 60, 110
BG, AXIS, GRID, TEXT = (255, 255, 255), (60, 60, 60), (228, 228, 228), (30, 30, 30)
SPEND, CPA, TARGET = (66, 133, 244), (234, 67, 53), (52, 168, 83)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def _scale(values: list[float]) -> float:
    top = max([v for v in values if v is not None] + [1e-9])
    return top * 1.15


def _frame(title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(img)
    draw.text((MARGIN_L, 18), title, fill=TEXT, font=_font(20))
    x0, y0, x1, y1 = MARGIN_L, MARGIN_T, WIDTH - MARGIN_R, HEIGHT - MARGIN_B
    for i in range(5):
        y = y1 - (y1 - y0) * i / 4
        draw.line([(x0, y), (x1, y)], fill=GRID)
    draw.line([(x0, y0), (x0, y1), (x1, y1)], fill=AXIS, width=2)
    return img, draw


def _axis_labels(draw: ImageDraw.ImageDraw, top_left: float, top_right: float | None, left: str, right: str) -> None:
    y0, x1, y1 = MARGIN_T, WIDTH - MARGIN_R, HEIGHT - MARGIN_B
    font = _font(13)
    for i in range(5):
        y = y1 - (y1 - y0) * i / 4
        draw.text((8, y - 7), f"{top_left * i / 4:,.0f}", fill=SPEND, font=font)
        if top_right is not None:
            draw.text((x1 + 8, y - 7), f"{top_right * i / 4:,.2f}", fill=CPA, font=font)
    draw.text((8, y0 - 30), left, fill=SPEND, font=font)
    draw.text((x1 - 40, y0 - 30), right, fill=CPA, font=font)


def _put(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill: tuple[int, int, int],
         font: ImageFont.ImageFont | ImageFont.FreeTypeFont, anchor: str, box: bool = False) -> None:
    """Text placed by an anchor (``md`` above, ``lm`` right of, ``ma`` below the point), for any font;
    ``box`` puts it on a white label so it reads over a bar."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    w, h = right - left, bottom - top
    x, y = xy
    x -= {"l": 0, "m": w / 2}[anchor[0]]
    y -= {"d": h + top, "m": h / 2 + top, "a": 0}[anchor[1]]
    if box:
        draw.rectangle([x + left - 3, y + top - 2, x + right + 3, y + bottom + 2], fill=BG, outline=fill)
    draw.text((x, y), text, fill=fill, font=font)


def _short(label: str, n: int = 16) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def _target_line(draw: ImageDraw.ImageDraw, target: Decimal, c_top: float) -> None:
    x0, y0, x1, y1 = MARGIN_L, MARGIN_T, WIDTH - MARGIN_R, HEIGHT - MARGIN_B
    ty = y1 - (y1 - y0) * float(target) / c_top
    for x in range(int(x0), int(x1), 14):
        draw.line([(x, ty), (x + 7, ty)], fill=TARGET, width=2)
    draw.text((x1 - 150, ty - 18), f"target {float(target):,.2f}", fill=TARGET, font=_font(13))


def _save(img: Image.Image, path: Path) -> Path:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    write_bytes_atomic(path, buf.getvalue())  # a crash never leaves half a chart
    return path


def bar_chart(path: Path, title: str, labels: list[str], spend: list[Decimal], cpa: list[Decimal | None],
              target: Decimal | None = None) -> Path:
    """Bars: spend per ad (left axis), labelled. Dots: cost per result (right axis), with the target line;
    an ad that spent without a result gets a hollow mark at the top instead of a dot."""
    img, draw = _frame(title)
    x0, y0, x1, y1 = MARGIN_L, MARGIN_T, WIDTH - MARGIN_R, HEIGHT - MARGIN_B
    s_top = _scale([float(v) for v in spend])
    c_top = _scale([float(v) for v in cpa if v is not None] + ([float(target)] if target else []))
    slot = (x1 - x0) / max(len(labels), 1)
    font, small = _font(13), _font(11 if len(labels) > 12 else 13)
    for i, label in enumerate(labels):
        cx = x0 + slot * (i + 0.5)
        h = (y1 - y0) * float(spend[i]) / s_top
        draw.rectangle([cx - slot * 0.3, y1 - h, cx + slot * 0.3, y1], fill=SPEND)
        if len(labels) <= 20:
            _put(draw, (cx, y1 - h - 4), f"{float(spend[i]):,.0f}", SPEND, small, "md")
        if cpa[i] is not None:
            cy = y1 - (y1 - y0) * float(cpa[i]) / c_top
            draw.ellipse([cx - 7, cy - 7, cx + 7, cy + 7], fill=CPA, outline=AXIS)
            if len(labels) <= 12:
                _put(draw, (cx + 12, cy), f"{float(cpa[i]):,.2f}", CPA, small, "lm", box=True)
        elif spend[i] > 0:
            draw.ellipse([cx - 7, y0 - 7, cx + 7, y0 + 7], outline=CPA, width=2)
            if len(labels) <= 12:
                _put(draw, (cx + 10, y0), "no results", CPA, small, "lm")
        draw.text((cx - slot * 0.45, y1 + 10), _short(label, max(int(slot / 8), 6)), fill=TEXT, font=font)
    if target:
        _target_line(draw, target, c_top)
    _axis_labels(draw, s_top, c_top, "spend", "cost / result")
    draw.text((x0, HEIGHT - 40), "bars: spend   dots: cost per result   hollow: spent, no result   dashes: target",
              fill=AXIS, font=font)
    return _save(img, path)


def trend_chart(path: Path, title: str, days: list[str], spend: list[Decimal], cpa: list[Decimal | None],
                target: Decimal | None = None) -> Path:
    """Daily spend (line, left axis) and cost per result (line, right axis), with the target line."""
    img, draw = _frame(title)
    x0, y0, x1, y1 = MARGIN_L, MARGIN_T, WIDTH - MARGIN_R, HEIGHT - MARGIN_B
    s_top = _scale([float(v) for v in spend])
    c_top = _scale([float(v) for v in cpa if v is not None] + ([float(target)] if target else []))
    step = (x1 - x0) / max(len(days) - 1, 1)
    s_points = [(x0 + step * i, y1 - (y1 - y0) * float(v) / s_top) for i, v in enumerate(spend)]
    c_points = [(x0 + step * i, y1 - (y1 - y0) * float(v) / c_top) for i, v in enumerate(cpa) if v is not None]
    if target:
        _target_line(draw, target, c_top)
    for points, colour in ((s_points, SPEND), (c_points, CPA)):
        if len(points) > 1:
            draw.line(points, fill=colour, width=3, joint="curve")
        if len(points) <= 45:
            for x, y in points:
                draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=colour)
    font = _font(13)
    every = max(len(days) // 10, 1)
    for i, day in enumerate(days):
        if i % every == 0:
            _put(draw, (x0 + step * i, y1 + 10), day[5:], TEXT, font, "ma")
    _axis_labels(draw, s_top, c_top, "spend", "cost / result")
    draw.text((x0, HEIGHT - 40), "blue: spend per day   red: cost per result   dashes: target", fill=AXIS, font=font)
    return _save(img, path)
