"""Copy for a video: a few frames and the duration go to the model instead of one image, and the
same spec, copy document and batch entry (with ``video_path``) come out. Real anthropic SDK
against the loopback fake Messages API."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from PIL import Image

from factories import ads_dir, edit_json
from fake_anthropic import json_message
from skill.cli import main
from skill.models import load_batch_config
from skill.video.make import make_clip
from support import COPY_KEY

KEY = COPY_KEY
GOOD = {
    "image_summary": "A yellow bar sweeps down a blue square: a receipt being scanned.",
    "titles": ["Receipts, Filed in a Snap"],
    "bodies": ["Snap a receipt and it is filed before you close the app, all summer long."],
    "descriptions": ["Snap. Logged. Done."],
    "call_to_action": "LEARN_MORE",
}



def run(ws: Path, capsys, *args: str) -> tuple[int, str]:
    code = main([*args, "--workspace", str(ws)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and KEY not in out + err
    return code, out + err


def test_copy_for_a_video_sends_frames_and_duration_and_writes_spec_doc_and_batch(ws, fake, tmp_path, capsys):
    (tmp_path / "in").mkdir()
    clip = make_clip(tmp_path / "in" / "promo.mp4", seconds=2.0, size=(720, 1280))
    fake.default = json_message(GOOD)
    code, out = run(ws, capsys, "copy", str(clip), "--campaign", "v", "--write-batch", "--variants", "1")
    assert code == 0, out
    (request,) = fake.message_requests
    stills = request.blocks("image")
    assert len(stills) == 4
    sizes = set()
    for block in stills:
        img = Image.open(io.BytesIO(base64.b64decode(block["source"]["data"])))
        sizes.add(img.size)
    assert sizes == {(432, 768)}  # 9:16 frames, downscaled
    assert "frames of one 2.0 s video ad (720x1280, with sound)" in request.user_text
    assert re.search(r"taken at 0\.[23] s, 0\.8 s, 1\.[23] s, 1\.8 s\.", request.user_text)
    ads = ads_dir(ws, "v")
    assert (ads / "promo.json").exists()
    doc = (ads / "promo.md").read_text()
    assert "Video: `" in doc and "(1 video × 1 headlines × 1 bodies)" in doc and GOOD["image_summary"] in doc
    (entry,) = load_batch_config(ads / "batch-upload.json").ads
    assert entry.video_path and entry.video_path.endswith("promo.mp4") and entry.image_path is None
    edit_json(ads / "batch-upload.json", lambda d: d["adsets"][0].update(daily_budget="20.00"))  # a new campaign
    code, out = run(ws, capsys, "upload", "v", "--dry-run")
    assert code == 0, out
    assert '"upload_phase": "start"' in out and '"video_data": {' in out


def test_a_video_that_breaks_a_rule_costs_no_request(ws, fake, tmp_path, capsys):
    (tmp_path / "in").mkdir()
    bad = make_clip(tmp_path / "in" / "wide.mp4", seconds=1.2, size=(960, 720), audio=False)
    code, out = run(ws, capsys, "copy", str(bad), "--campaign", "v")
    assert code == 1
    assert "Unsupported aspect ratio: 960x720" in out and "no copy was generated" in out
    assert fake.message_requests == []
