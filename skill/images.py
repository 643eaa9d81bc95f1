"""Image facts from headers only: format by content, size, dimensions, aspect ratio.

``Image.open`` reads the header and stops; nothing here decodes pixels, so checking a
thousand images costs milliseconds, not seconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

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

    @property
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
    """Header facts of one image. Raises FileNotFoundError / OSError; never decodes."""
    size = path.stat().st_size
    with path.open("rb") as fh:  # a missing or unreadable file raises here, not below
        try:
            with Image.open(fh) as img:
                return ImageInfo(path, img.format, img.width, img.height, size)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return ImageInfo(path, None, 0, 0, size)


def md5_hex(path: Path) -> str:
    """The hash Meta gives an uploaded image: the md5 hex of its bytes."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
