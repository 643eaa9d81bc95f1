"""Image facts from headers only: format by content, size, dimensions, aspect ratio.

``Image.open`` reads the header and stops; nothing here decodes pixels, so checking a
thousand images costs milliseconds, not seconds. PIL is imported by the functions that open
images, not with the module (``md5_hex`` and the constants need none of it).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

SUPPORTED_FORMATS = {"JPEG": "JPG", "PNG": "PNG"}
MAX_BYTES = 30 * 1024 * 1024
MIN_SIDE = 600
ASPECT_RATIOS = {"1:1": 1.0, "4:5": 0.8, "16:9": 16 / 9, "9:16": 9 / 16, "1.91:1": 1.91}
ASPECT_TOLERANCE = 0.02  # 2 %: a 1080x1350 and a 1079x1350 are both 4:5; 1200x628 is 1.91:1


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    format: str | None  # "JPEG", "PNG", "GIF" … as found in the content; None if unreadable
    width: int
    height: int
    size_bytes: int

    @cached_property  # asked for by several checks of every ad using the image
    def aspect(self) -> str | None:
        """The supported ratio this image matches, or None."""
        if not self.width or not self.height:
            return None
        ratio = self.width / self.height
        for name, target in ASPECT_RATIOS.items():
            if abs(ratio - target) / target <= ASPECT_TOLERANCE:
                return name
        return None


def read_info(path: Path) -> ImageInfo:
    """Header facts of one image. Raises FileNotFoundError / OSError; never decodes. Read once per
    file of a batch (kept per ``file_key``, like ``decode_problem``)."""
    stat = path.stat()  # a missing file raises here
    key = file_key(path, stat)
    if key in _INFOS:
        return _INFOS[key]
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # sizes are our own rule
        info = _read_info(path)
    if len(_INFOS) >= 4096:
        _INFOS.clear()
    _INFOS[key] = info
    return info


_INFOS: dict[tuple[str, int, int, int, int], ImageInfo] = {}


def file_key(path: Path, stat: os.stat_result) -> tuple[str, int, int, int, int]:
    """A file as it is now: a rewrite, a rename over it or a permission change makes a new key."""
    return str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _read_info(path: Path) -> ImageInfo:
    from PIL import Image, UnidentifiedImageError

    size = path.stat().st_size
    with path.open("rb") as fh:  # a missing or unreadable file raises here, not below
        try:
            with Image.open(fh) as img:
                return ImageInfo(path, img.format, img.width, img.height, size)
        except Image.DecompressionBombError:
            return _bomb_info(path, fh, size)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return ImageInfo(path, None, 0, 0, size)


MAX_SIDE = 30000  # no ad image is this big; a header claiming more is a trap, not a photo
DECODE_SCALE = 8  # JPEG decodes at 1/8 size for the check: every byte read, a 64th of the pixels


def _bomb_info(path: Path, fh: object, size: int) -> ImageInfo:
    """Pillow refuses a header promising more pixels than it will decode: report its real size."""
    from PIL import Image, UnidentifiedImageError

    previous = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None  # header only: Image.open never decodes
        fh.seek(0)  # type: ignore[attr-defined]
        with Image.open(fh) as img:  # type: ignore[arg-type]
            return ImageInfo(path, img.format, img.width, img.height, size)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return ImageInfo(path, None, 0, 0, size)
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def decode_problem(path: Path) -> str | None:
    """Decode the image cheaply (JPEG at 1/8 scale, PNG by its checksums); why it is broken, or None.

    A file used by many ads of a batch is decoded once: the answer is kept per ``file_key``
    (a changed file is decoded again)."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = file_key(path, stat) if stat else None
    if key is not None and key in _DECODED:
        return _DECODED[key]
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        problem = _decode_problem(path)
    if key is not None:
        if len(_DECODED) >= 4096:
            _DECODED.clear()
        _DECODED[key] = problem
    return problem


_DECODED: dict[tuple[str, int, int, int, int], str | None] = {}


def _decode_problem(path: Path) -> str | None:
    from PIL import Image, ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(path) as img:
            if img.width > MAX_SIDE or img.height > MAX_SIDE:
                return f"Image dimensions {img.width}x{img.height} are too large (max {MAX_SIDE} a side)"
            if img.format == "PNG":
                img.verify()  # reads every chunk and checks its CRC, without building pixels
                short = png_pixel_data_problem(path)
                if short:
                    return short
            else:
                img.draft("RGB", (max(img.width // DECODE_SCALE, 1), max(img.height // DECODE_SCALE, 1)))
                img.load()
    except Image.DecompressionBombError:
        return "Image dimensions are too large to check safely (a decompression bomb?)"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"Image is corrupt or truncated ({reason}); export it again"
    return None


def md5_hex(path: Path) -> str:
    """The hash Meta gives an uploaded image: the md5 hex of its bytes."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def png_pixel_data_problem(path: Path, step: int = 1 << 20) -> str | None:
    """Whether the PNG's compressed pixel data inflates to every row its header promises.

    Streams the IDAT chunks through zlib a megabyte at a time and only counts bytes, so a
    header that claims 20000x20000 over a few bytes of data costs nothing to catch."""
    import struct
    import zlib

    data = path.read_bytes()
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    bits = depth * PNG_CHANNELS.get(color, 4)
    expected = sum(((w * bits + 7) // 8 + 1) * h for w, h in _passes(width, height, interlace) if w and h)
    inflate, got, pos = zlib.decompressobj(), 0, 8
    try:
        while pos + 8 <= len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            if kind == b"IDAT":
                chunk = inflate.decompress(data[pos + 8:pos + 8 + length], step)
                got += len(chunk)
                while inflate.unconsumed_tail and got <= expected:
                    got += len(inflate.decompress(inflate.unconsumed_tail, step))
            pos += 12 + length
    except zlib.error as exc:
        return f"Image is corrupt (PNG pixel data: {exc}); export it again"
    if got < expected:
        return f"Image is truncated: its pixel data covers {100 * got // max(expected, 1)}% of the {width}x{height} " \
               "it claims; export it again"
    return None


def _passes(width: int, height: int, interlace: int) -> list[tuple[int, int]]:
    if not interlace:
        return [(width, height)]
    return [((width - x + dx - 1) // dx if width > x else 0, (height - y + dy - 1) // dy if height > y else 0)
            for x, y, dx, dy in ADAM7]
