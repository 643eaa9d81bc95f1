"""Validate 1,000 images and print the time per image (target: under 1 ms per image).

Header reads only: compared side by side with a full decode of the same files.
Run: python bench/bench_validate.py [--images 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image

from skill.validate import validate_image

SIZES = [(1080, 1080), (1080, 1350), (1920, 1080), (1080, 1920)]


def make_images(root: Path, count: int) -> list[Path]:
    """A few distinct real images, copied to ``count`` files (mixed JPEG and PNG)."""
    seeds = []
    for i, size in enumerate(SIZES * 2):
        fmt, ext = ("JPEG", "jpg") if i % 2 == 0 else ("PNG", "png")
        path = root / f"seed-{i}.{ext}"
        img = Image.effect_noise(size, 40 + i).convert("RGB")
        img.save(path, format=fmt)
        seeds.append(path)
    paths = []
    for n in range(count):
        src = seeds[n % len(seeds)]
        dst = root / f"img-{n:04d}{src.suffix}"
        shutil.copyfile(src, dst)
        paths.append(dst)
    return paths


def time_per_image(paths: list[Path], fn) -> float:
    start = time.perf_counter()
    for p in paths:
        fn(p)
    return (time.perf_counter() - start) / len(paths)


def full_decode(path: Path) -> None:
    with Image.open(path) as img:
        img.load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_images(Path(tmp), opts.images)
        for p in paths:  # all must pass, or we'd be timing the error path
            assert validate_image(p)[0] == [], p
        header = [time_per_image(paths, validate_image) for _ in range(opts.rounds)]
        decode = [time_per_image(paths[:100], full_decode) for _ in range(opts.rounds)]
    h, d = statistics.median(header), statistics.median(decode)
    print(f"images validated:        {opts.images} x {opts.rounds} rounds")
    print(f"validate (headers):      {h * 1000:.3f} ms per image (median; target < 1 ms)")
    print(f"full decode, for scale:  {d * 1000:.3f} ms per image (median over 100 images)")
    print(f"ratio decode / header:   {d / h:.0f}x")


if __name__ == "__main__":
    main()
