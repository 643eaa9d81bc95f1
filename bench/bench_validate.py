"""Validation alone: images per image, and ``validate_batch``'s CPU and memory per ad (issue 18,
validation's share of targets 1 and 3).

- Images: ``validate_image`` over ``--images`` files (header read + decode of each distinct
  image once), beside a full decode of the same files.
- Batch CPU: ``validate_batch`` on the upload benchmark's workspace (``bench_upload.make_workspace``:
  one spec file per ad, 40 images), at ``--sizes`` (default 100 and 500 ads), each run from cold
  caches, median of ``--runs``. Two workspaces: every ad with the same copy (as
  ``bench_upload_scale.py``), and every ad with its own copy (nothing shared between spec files).
  The figure for target 1 is the CPU per *added* ad, (CPU at 500 − CPU at 100) / 400, with the
  images read and decoded beforehand (a cost per distinct image, the same at both sizes, whose
  noise would swamp the difference); the CPU per ad at 500 from cold caches is printed beside it.
- Batch memory: ``tracemalloc`` at ``--mem-sizes`` (default 500 and 2,000 ads; 5,000 with
  ``--full``): what the returned ``BatchCheck`` keeps per added ad, beside what the parsed batch
  config alone keeps (``load_batch_config``, the entries every ad needs), and the peak while
  validating.

Run: python bench/bench_validate.py [--sizes 100,500] [--runs 5] [--mem-sizes 500,2000] [--full] [--images 200]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_upload import CAMPAIGN, make_workspace  # noqa: E402

from skill import images as image_facts  # noqa: E402
from skill.models import load_batch_config  # noqa: E402
from skill.settings import load_settings  # noqa: E402
from skill.validate import validate_batch, validate_image  # noqa: E402

SIZES = [(1080, 1080), (1080, 1350), (1920, 1080), (1080, 1920)]
IMAGES = 40
CPU_GOAL_MS = 0.25  # a quarter of target 1's ~1 ms of the kit's own time per ad
AT_500_GOAL_MS = 1.0
KEPT_GOAL_B = 1024  # what validation keeps per ad beyond the parsed config
TOTAL_GOAL_B = 2048  # with it (~1.1 KB an ad of pydantic entries, models.py's)


# ---------------------------------------------------------------- images


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


def bench_images(count: int, rounds: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_images(Path(tmp), count)
        for p in paths:  # all must pass, or we'd be timing the error path
            assert validate_image(p)[0] == [], p
        header = [time_per_image(paths, validate_image) for _ in range(rounds)]
        decode = [time_per_image(paths[:20], full_decode) for _ in range(rounds)]
    return statistics.median(header), statistics.median(decode)


# ---------------------------------------------------------------- batches


def batch_workspace(root: Path, n_ads: int, distinct: bool) -> Path:
    """The upload benchmark's workspace; ``distinct``: every spec file gets copy of its own."""
    ws = make_workspace(root, n_ads, IMAGES)
    if distinct:
        ads = ws / "campaigns" / CAMPAIGN / "ads"
        for i in range(n_ads):
            path = ads / f"bench-{i:03d}.json"
            spec = json.loads(path.read_text())
            spec["titles"][0]["text"] = f"Never Lose a Receipt Again, No. {i}"
            spec["bodies"][0]["text"] += f" Offer {i} of the summer."
            path.write_text(json.dumps(spec))
    return ws


def cold(images: bool = True) -> None:
    """Forget what earlier runs learnt: parsed copy and (``images``) image facts and decodes."""
    if images:
        image_facts._INFOS.clear()
        image_facts._DECODED.clear()
    try:
        from skill.validate import specs
    except ImportError:  # the single-module validate of before
        return
    specs._PARSED.clear()


def cpu_of(ws: Path, runs: int, images_known: bool) -> float:
    """Median CPU of ``validate_batch``; ``images_known``: the images read and decoded beforehand
    (a cost per distinct image, the same at every size), else from cold caches."""
    settings = load_settings(workspace=ws)
    times = []
    cold()
    if images_known:
        validate_batch(settings, CAMPAIGN)
    for _ in range(runs):
        if images_known:
            cold(images=False)
        else:
            cold()
        gc.collect()
        start = time.process_time()
        batch = validate_batch(settings, CAMPAIGN)
        times.append(time.process_time() - start)
        assert batch.ok, [str(f) for f in batch.all_findings][:3]
    return statistics.median(times)


def memory_of(ws: Path) -> tuple[int, int, int]:
    """Bytes kept by the BatchCheck, by the parsed config alone, and the peak while validating."""
    settings = load_settings(workspace=ws)
    cold()
    validate_batch(settings, CAMPAIGN)  # models built, modules loaded: not the batch's memory
    cold()
    gc.collect()
    tracemalloc.start()
    batch = validate_batch(settings, CAMPAIGN)
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    del batch
    gc.collect()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    cfg = load_batch_config(settings.batch_config_path(CAMPAIGN))
    config = tracemalloc.get_traced_memory()[0] - base
    del cfg
    tracemalloc.stop()
    return kept, config, peak


# ---------------------------------------------------------------- report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the image timing")
    parser.add_argument("--sizes", default="100,500", help="two batch sizes for the CPU per added ad")
    parser.add_argument("--runs", type=int, default=5, help="runs per batch size (median)")
    parser.add_argument("--mem-sizes", default="500,2000", help="two batch sizes for the memory per added ad")
    parser.add_argument("--full", action="store_true", help="memory at 500 and 5,000 ads")
    opts = parser.parse_args()
    small, large = (int(s) for s in opts.sizes.split(","))
    m_small, m_large = (500, 5000) if opts.full else (int(s) for s in opts.mem_sizes.split(","))
    h, d = bench_images(opts.images, opts.rounds)
    print(f"images validated:        {opts.images} x {opts.rounds} rounds")
    print(f"validate_image:          {h * 1000:.3f} ms per image (median; each distinct image decoded once)")
    print(f"full decode, for scale:  {d * 1000:.3f} ms per image (median over 20 images)")
    cpu: dict[tuple[bool, int, bool], float] = {}
    mem: dict[int, tuple[int, int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for distinct in (False, True):
            for n in (small, large):
                ws = batch_workspace(Path(tmp) / f"{distinct}-{n}", n, distinct)
                for known in (True, False):
                    cpu[distinct, n, known] = cpu_of(ws, opts.runs, known)
                shutil.rmtree(ws.parent)
        for n in (m_small, m_large):
            ws = batch_workspace(Path(tmp) / f"mem-{n}", n, True)
            mem[n] = memory_of(ws)
            shutil.rmtree(ws.parent)
    print()
    print(f"| ads | copy | validate_batch CPU, images known | per ad | from cold ({IMAGES} images decoded) | per ad |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for distinct in (False, True):
        for n in (small, large):
            known, cold_s = cpu[distinct, n, True], cpu[distinct, n, False]
            print(f"| {n} | {'own per ad' if distinct else 'shared'} | {known * 1000:.0f} ms | "
                  f"{known / n * 1000:.3f} ms | {cold_s * 1000:.0f} ms | {cold_s / n * 1000:.3f} ms |")
    print()
    print("| ads | kept by the BatchCheck | of which the parsed config | peak while validating |")
    print("| ---: | ---: | ---: | ---: |")
    for n, (kept, config, peak) in sorted(mem.items()):
        print(f"| {n} | {kept / 1e6:.2f} MB | {config / 1e6:.2f} MB | {peak / 1e6:.2f} MB |")
    added = large - small
    rows = []
    for distinct, label in ((False, "shared copy"), (True, "own copy per ad")):
        per = (cpu[distinct, large, True] - cpu[distinct, small, True]) / added * 1000
        rows.append((f"1. validate_batch CPU per added ad, {small}→{large}, {label}, images known", f"{per:.3f} ms",
                     f"≤ {CPU_GOAL_MS} ms", per <= CPU_GOAL_MS))
    at = cpu[True, large, False] / large * 1000
    rows.append((f"1. validate_batch CPU per ad at {large} ads, own copy, {IMAGES} images decoded", f"{at:.3f} ms",
                 f"< {AT_500_GOAL_MS} ms", at < AT_500_GOAL_MS))
    (k1, c1, _), (k2, c2, _) = mem[m_small], mem[m_large]
    m_added = m_large - m_small
    own = ((k2 - c2) - (k1 - c1)) / m_added
    rows.append((f"3. validation keeps per added ad beyond the config, {m_small}→{m_large}", f"{own:.0f} B",
                 f"≤ {KEPT_GOAL_B} B", own <= KEPT_GOAL_B))
    total = (k2 - k1) / m_added
    rows.append((f"3. BatchCheck per added ad with the parsed config, {m_small}→{m_large}", f"{total:.0f} B",
                 f"≤ {TOTAL_GOAL_B} B", total <= TOTAL_GOAL_B))
    print()
    print(f"cores: {os.cpu_count()}")
    print("| target | measured | goal | met |")
    print("| --- | --- | --- | --- |")
    for name, measured, goal, met in rows:
        print(f"| {name} | {measured} | {goal} | {'yes' if met else 'no'} |")


if __name__ == "__main__":
    main()
