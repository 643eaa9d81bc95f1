"""Copy generation: what the bounded thread pool buys, and what downscaling saves per request.

Runs ``generate_copy`` over N images against the loopback fake Messages API (each reply delayed
like a real model call), once one image at a time and once with the default pool, side by side,
and prints the medians and the ratio. Then prints the request payload of a large photo
before and after ``encode_image``.
Run: python bench/bench_copy.py [--images 8] [--latency 0.25] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import anthropic  # noqa: E402

from fake_anthropic import FakeAnthropic, Reply, json_message  # noqa: E402
from skill.copy import writer as copywriter  # noqa: E402
from skill.copy.prompt import encode_image  # noqa: E402
from skill.settings import load_settings  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DRAFT = {
    "image_summary": "A benchmark image.",
    "titles": ["Never Lose a Receipt Again"],
    "bodies": ["Track expenses in seconds. Snap a photo and Snapbook files it for you, every time."],
    "descriptions": ["Snap. Logged. Done."],
    "call_to_action": "LEARN_MORE",
}


def run_once(root: Path, images: list[str], fake: FakeAnthropic, workers: int) -> float:
    ws = root / f"ws-{time.monotonic_ns()}"
    shutil.copytree(REPO / "workspace", ws)
    client = anthropic.Anthropic(api_key="bench", base_url=fake.url, max_retries=0)
    copywriter.MAX_WORKERS = workers
    start = time.perf_counter()
    copywriter.generate_copy(load_settings(ws, env={}), images, "bench", client=client)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds per fake reply")
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()
    default_workers = copywriter.MAX_WORKERS
    with tempfile.TemporaryDirectory() as tmp, FakeAnthropic(api_key="bench") as fake:
        root = Path(tmp)
        images = []
        for i in range(opts.images):
            path = root / f"img{i}.jpg"
            Image.effect_noise((1080, 1080), 30 + i).convert("RGB").save(path)
            images.append(str(path))
        fake.default = Reply(body=json_message(DRAFT).body, delay_s=opts.latency)
        serial, pooled = [], []
        for _ in range(opts.rounds):
            serial.append(run_once(root, images, fake, 1))
            pooled.append(run_once(root, images, fake, default_workers))
        s, p = statistics.median(serial), statistics.median(pooled)
        print(f"{opts.images} images, {opts.latency:.2f} s per reply, median of {opts.rounds}:")
        print(f"  one at a time      {s:6.2f} s")
        print(f"  pool of {default_workers}          {p:6.2f} s   ({s / p:.1f}x faster)")

        photo = root / "photo.jpg"
        Image.effect_noise((4032, 3024), 60).convert("RGB").save(photo, quality=95)
        encoded = len(encode_image(photo)[1])
        raw_b64 = (photo.stat().st_size + 2) // 3 * 4
        print(f"a 4032x3024 photo: {raw_b64 / 1e6:.1f} MB as base64 unchanged, "
              f"{encoded / 1e6:.2f} MB after encode_image ({raw_b64 / encoded:.0f}x smaller)")


if __name__ == "__main__":
    main()
