"""Customer lists: how fast rows are normalised and hashed, and uploaded to the sandbox in sessions.

    .venv/bin/python bench/bench_audiences.py [--rows 100000] [--latency-ms 0]

Writes a synthetic CSV (email, phone, names, city, zip, country, date of birth, gender) in a
temporary workspace, then times (1) reading + normalising + SHA-256 hashing every cell and
(2) the whole ``create_customer_audience`` against an in-process sandbox: one create, batches
of 10,000 rows, the read-back of size and match count.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill.audiences.customers import read_customers  # noqa: E402
from skill.audiences.jobs import create_customer_audience  # noqa: E402
from skill.graph import GraphClient  # noqa: E402
from skill.sandbox import Sandbox  # noqa: E402
from skill.settings import load_settings  # noqa: E402

HEADER = ["email", "phone", "first_name", "last_name", "city", "zip", "country", "dob", "gender"]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(rows):
            out.writerow([f"Person.{i}@Example.com", f"+1 555 {i // 10000:03d} {i % 10000:04d}", "Mary-Ann",
                          "O'Brien", "New York", "10001-1234", "US", "1985-04-12", "F"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-aud-"))
    try:
        ws = tmp / "workspace"
        shutil.copytree(ROOT / "workspace", ws, ignore=shutil.ignore_patterns(".sandbox", ".audiences"))
        (ws / "audiences").mkdir(exist_ok=True)
        write_csv(ws / "audiences" / "bench.csv", args.rows)
        t0 = time.perf_counter()
        hashed = read_customers(ws / "audiences" / "bench.csv", "bench.csv")
        t_hash = time.perf_counter() - t0
        with Sandbox(latency_ms=args.latency_ms) as sb:
            settings = load_settings(ws, env={"META_GRAPH_URL": sb.url, "FACEBOOK_ACCESS_TOKEN": "sandbox-token"})
            client = GraphClient.from_settings(settings)
            t0 = time.perf_counter()
            result = create_customer_audience(settings, client, "bench", "audiences/bench.csv")
            t_all = time.perf_counter() - t0
            requests = sb.request_count
        print(f"rows {args.rows:,}, keys {len(hashed.schema_keys)} ({', '.join(hashed.schema_keys)})")
        print(f"normalise + hash: {t_hash:.2f} s ({args.rows / t_hash:,.0f} rows/s)")
        print(f"end to end (hash, create, {result.upload.batches} batches, read-back): {t_all:.2f} s, "
              f"{requests} requests, latency {args.latency_ms} ms")
        print(f"Meta received {result.upload.num_received:,}, matched {result.upload.num_matched:,}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
