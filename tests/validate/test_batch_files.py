"""The batch's file look-ups (a folder listed once, resolved once) answer exactly as ``Settings.resolve``,
``Path.exists``, ``Path.resolve`` and ``inputs.outside_problem`` do, on a tree with the awkward cases:
symlinks in and out, a broken one, a folder symlink, names differing in case, ``..``, missing files."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import CAMPAIGN, copy_workspace
from skill import inputs
from skill.settings import load_settings
from skill.validate.files import BatchFiles


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    ws = copy_workspace(tmp_path)
    base = ws / "campaigns" / CAMPAIGN / "ads"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.json").write_text("{}")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "h.json").write_text("{}")
    (ws / "top.json").write_text("{}")
    (base / "top.json").write_text("{}")
    (base / "Upper.json").write_text("{}")
    (base / "link-in.json").symlink_to(base / "top.json")
    (base / "link-out.json").symlink_to(outside / "x.json")
    (base / "broken.json").symlink_to(base / "nowhere.json")
    (base / "dirlink").symlink_to(outside)
    (base / "loop.json").symlink_to(base / "loop.json")
    return ws, base, outside


def raw_names(ws: Path, base: Path, outside: Path) -> list[str]:
    return ["top.json", "notes-app.json", "missing.json", "upper.json", "Upper.json", "link-in.json",
            "link-out.json", "broken.json", "loop.json", "dirlink/x.json", "dirlink", "workspace/top.json",
            f"{ws.name}/campaigns/{CAMPAIGN}/ads/top.json", f"campaigns/{CAMPAIGN}/ads/top.json", "../ads/top.json",
            "./top.json", "~/h.json", "~", ".", "..", str(base / "top.json"), str(outside / "x.json"),
            str(base / "dirlink" / "x.json"), str(base / ".." / "ads" / "top.json"), str(ws / "nope" / "a.json"),
            str(base / "link-out.json"), "/", "images/notes-app.jpg", "a//b.json",
            str(base / "top.json" / "x.json")]  # a file named as a folder: it cannot be listed


def test_look_ups_answer_as_the_system_calls_do(tree):
    ws, base, outside = tree
    settings = load_settings(workspace=ws)
    files = BatchFiles(settings, base)
    roots = [settings.workspace, *settings.allowed_folders]
    for raw in raw_names(ws, base, outside) * 2:  # twice: the second time from what was kept
        path = files.resolve(raw)
        assert path == settings.resolve(raw, base), raw
        assert files.exists(path) == path.exists(), raw
        try:
            expected = path.resolve()
        except RuntimeError:  # a symlink loop
            with pytest.raises(RuntimeError):
                files.real(path)
        else:
            assert files.real(path) == expected, raw
        problem = inputs.outside_problem(path, roots)
        assert inputs.outside_problem(path, roots, files.real) == problem, raw
        if files.plainly_inside(path, roots):
            assert problem is None, raw


def test_outside_files_are_still_refused_when_their_folder_is_inside(tree):
    ws, base, outside = tree
    settings = load_settings(workspace=ws)
    files = BatchFiles(settings, base)
    roots = [settings.workspace]
    assert files.plainly_inside(base / "top.json", roots)
    assert not files.plainly_inside(base / "link-out.json", roots)
    assert "outside the workspace" in inputs.outside_problem(base / "link-out.json", roots, files.real)
    assert "outside the workspace" in inputs.outside_problem(base / "dirlink" / "x.json", roots, files.real)
    assert inputs.outside_problem(base / "link-in.json", roots, files.real) is None

