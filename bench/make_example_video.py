"""Write the example video the workspace ships: ``workspace/campaigns/summer-sale-2026/videos/
summer-clip.mp4`` (3 s, 720x720, H.264 + AAC, about 200 KB), generated with PyAV.

    python bench/make_example_video.py [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from skill.video.make import make_clip

DEFAULT = Path(__file__).resolve().parent.parent / "workspace/campaigns/summer-sale-2026/videos/summer-clip.mp4"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    out.parent.mkdir(parents=True, exist_ok=True)
    make_clip(out, seconds=3, size=(720, 720))
    print(f"{out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
