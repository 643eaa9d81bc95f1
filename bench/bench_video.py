"""Upload throughput of the kit's resumable video upload against the sandbox.

A file of ``--mb`` megabytes (default 200) is written once: an MP4 ``ftyp`` box followed by random
bytes. It is not a playable video: the benchmark measures the chunked transfer, so it calls the
uploader directly and skips the kit's content checks (which would refuse it); the sandbox only
looks at the first bytes, so its processing accepts it. For each chunk size Meta might pick
(the sandbox's ``video_chunk_bytes``) it prints the wall time of start → transfer → finish, MB/s,
the number of chunks and the bytes the sandbox received; then it kills a run by its own progress
(half way) and times the resume, to show nothing before the last acknowledged chunk is sent again.

Run: python bench/bench_video.py [--mb 200] [--chunks-mb 1,4,16]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from skill.events import Event
from skill.graph import GraphClient
from skill.sandbox import Sandbox
from skill.video.store import VideoStore
from skill.video.upload import ChunkedUpload

TOKEN = "sandbox-token"
ACCOUNT = "act_123456789"
FTYP = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"


class Stop(Exception):
    """Stops a run from its progress events (the benchmark's stand-in for a kill)."""


def write_file(path: Path, megabytes: int) -> None:
    with path.open("wb") as fh:
        fh.write(FTYP)
        left = megabytes * 1024 * 1024 - len(FTYP)
        while left > 0:
            block = os.urandom(min(left, 8 << 20))
            fh.write(block)
            left -= len(block)


def upload(sb: Sandbox, path: Path, store_dir: Path, key: str, report=None) -> tuple[float, str]:
    client = GraphClient(sb.url, TOKEN, retry_base_s=0.01, ad_account=ACCOUNT, timeout=300)
    job = ChunkedUpload(client, ACCOUNT, path, key=key, title=f"bench · kit:{key}", store=VideoStore(store_dir),
                        report=report or (lambda e: None))
    t0 = time.perf_counter()
    try:
        video_id = job.run()
    finally:
        client.close()
    return time.perf_counter() - t0, video_id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--chunks-mb", default="1,4,16")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.mp4"
        write_file(path, args.mb)
        size = path.stat().st_size
        print(f"file: {size:,} bytes ({args.mb} MB, random after an ftyp box)")
        print(f"{'chunk':>7} {'chunks':>7} {'seconds':>8} {'MB/s':>7} {'received':>14}")
        for chunk_mb in [int(c) for c in args.chunks_mb.split(",")]:
            with Sandbox(token=TOKEN) as sb:
                sb.configure(video_chunk_bytes=chunk_mb << 20)
                seconds, _ = upload(sb, path, Path(tmp) / f"s{chunk_mb}", f"c{chunk_mb}")
                counts = sb.request_counts
                print(f"{chunk_mb:>5}MB {counts['video_chunks']:>7} {seconds:>8.2f} {args.mb / seconds:>7.1f} "
                      f"{counts['video_bytes']:>14,}")
        with Sandbox(token=TOKEN) as sb:
            sb.configure(video_chunk_bytes=4 << 20)

            def half_way(event: Event) -> None:
                if event.kind == "video_progress" and event.data["bytes"] >= size // 2:
                    raise Stop

            try:
                upload(sb, path, Path(tmp) / "kill", "kill", half_way)
            except Stop:
                pass
            first = sb.request_counts["video_bytes"]
            seconds, _ = upload(sb, path, Path(tmp) / "kill", "kill")
            again = sb.request_counts["video_bytes"] - first
            print(f"killed half way after {first:,} bytes; the resume sent {again:,} bytes in {seconds:.2f} s "
                  f"(total {first + again:,} for {size:,}: {first + again - size:,} sent twice)")


if __name__ == "__main__":
    main()
