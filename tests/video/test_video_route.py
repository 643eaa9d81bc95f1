"""Plain words about a video reach the copy tool like an image does."""

from __future__ import annotations

import json

from skill.cli import main


def test_a_video_named_in_the_sentence_or_attached_goes_to_copy(capsys, tmp_path):
    for argv in (["route", "generate copy for summer-clip.mp4 in summer-sale-2026", "--json"],
                 ["route", "write copy for this video for summer-sale-2026", "clip.mov", "--json"]):
        assert main([*argv, "--workspace", str(tmp_path)]) == 0
        found = json.loads(capsys.readouterr().out)
        assert found["tool"] == "copy" and found["args"]["campaign"] == "summer-sale-2026"
        assert found["args"]["images"][0].endswith((".mp4", ".mov"))
