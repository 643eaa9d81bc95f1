"""Image facts from headers only: format by content, size, dimensions, aspect ratio.

``Image.open`` reads the header and stops; nothing here decodes pixels, so checking a
thousand images costs milliseconds, not seconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

SUPPORTED_FORMATS = {"JPEG": "JPG", "PNG": "PNG"}
MAX_BYTES = 30 * 1024 * 1024
MIN_SIDE = 600
ASPECT_RATIOS = {"1:1": 1.0, "4:5": 0.8, "16:9": 16 / 9, "9:16": 9 / 16}
ASPECT_TOLERANCE = 0.02  # 2 %: a 1080x1350 and a 1079x1350 are both 4:5


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
        except Image.DecompressionBombError:
            return _bomb_info(path, fh, size)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return ImageInfo(path, None, 0, 0, size)


MAX_SIDE = 30000  # no ad image is this big; a header claiming more is a trap, not a photo
DECODE_SCALE = 8  # JPEG decodes at 1/8 size for the check: every byte read, a 64th of the pixels


def _bomb_info(path: Path, fh: object, size: int) -> ImageInfo:
    """Pillow refuses a header promising more pixels than it will decode: report its real size."""
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
    """Decode the image cheaply (JPEG at 1/8 scale, PNG by its checksums); why it is broken, or None."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(path) as img:
            if img.width > MAX_SIDE or img.height > MAX_SIDE:
                return f"Image dimensions {img.width}x{img.height} are too large (max {MAX_SIDE} a side)"
            if img.format == "PNG":
                img.verify()  # reads every chunk and checks its CRC, without building pixels
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
