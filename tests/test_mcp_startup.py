"""`meta-ads mcp` starts lean: `initialize` is answered by the standard library alone, exactly as
the SDK would answer it, and the server loads only the SDK's low-level parts. Real processes;
nothing here is timed (bench/bench_mcp_startup.py measures it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

VERSIONS = ["2025-06-18", "2024-11-05", "2025-11-25", "1999-01-01", "2026-07-28"]
BOOT = [sys.executable, "-m", "skill", "mcp"]  # the `meta-ads` entry: mcp_boot
SDK_ONLY = [sys.executable, "-c", "import sys; from skill.cli import main; sys.exit(main(['mcp']))"]  # no early answer


def initialize(version: str, request_id: int | str = 1) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": "initialize",
            "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}


def talk(cmd: list[str], messages: list[dict | str], tmp_path: Path) -> tuple[list[dict], str]:
    """Send every message, read until each request has its answer, then close stdin (as a client
    would when done): closing first would race the server's shutdown against its answers."""
    env = {**os.environ, "HOME": str(tmp_path / "home"), "FACEBOOK_ACCESS_TOKEN": ""}
    wanted = {json.dumps(m["id"]) for m in messages if isinstance(m, dict) and "id" in m}
    lines = "".join((m if isinstance(m, str) else json.dumps(m)) + "\n" for m in messages)
    with (tmp_path / "stderr.txt").open("w+") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True,
                                env=env, cwd=tmp_path)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(lines)
        proc.stdin.flush()
        answers: list[dict] = []
        while wanted - {json.dumps(a.get("id")) for a in answers}:
            line = proc.stdout.readline()
            if not line:
                break  # the server ended: the asserts say what is missing
            answers.append(json.loads(line))
        proc.stdin.close()
        answers += [json.loads(line) for line in proc.stdout.read().splitlines()]
        proc.wait(timeout=300)
        err.seek(0)
        return answers, err.read()


@pytest.mark.parametrize("version", VERSIONS)
def test_the_early_answer_is_the_sdks_answer(version: str, tmp_path: Path):
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
    messages = [initialize(version), {"jsonrpc": "2.0", "method": "notifications/initialized"}, listing]
    early, err = talk(BOOT, messages, tmp_path)
    sdk, _ = talk(SDK_ONLY, messages, tmp_path)
    assert [m["id"] for m in early] == [1, 2], "one answer each: the SDK's own initialize answer is not sent twice"
    assert early[0] == sdk[0] and "differs" not in err
    assert early[1] == sdk[1] and len(early[1]["result"]["tools"]) > 20


def test_a_malformed_initialize_is_left_to_the_sdk(tmp_path: Path):
    bad = {"jsonrpc": "2.0", "id": "a", "method": "initialize", "params": {"protocolVersion": 20250618}}
    early, _ = talk(BOOT, [bad, "not json", initialize("2025-06-18", 7)], tmp_path)
    sdk, _ = talk(SDK_ONLY, [bad, "not json", initialize("2025-06-18", 7)], tmp_path)
    assert early == sdk and early[0]["id"] == "a" and "error" in early[0] and early[-1]["id"] == 7


def test_the_first_answer_needs_nothing_heavy():
    """What runs before `initialize` is answered: the boot module and the handshake, no pydantic, no SDK."""
    code = "import sys, skill.mcp_boot; print(sorted(m for m in sys.modules if m.startswith(('skill', 'mcp', " \
           "'pydantic', 'anyio'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['skill', 'skill.mcp_boot', 'skill.mcp_handshake']"


def test_the_server_loads_only_the_sdks_low_level_parts():
    code = "import sys, skill.mcp_server, skill.mcp_sdk as s; print(s.is_lean(), 'httpx2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]


def test_an_sdk_that_needs_its_package_init_is_imported_the_ordinary_way():
    code = ("import importlib.util as u; find = u.find_spec\n"
            "u.find_spec = lambda name, *a: None if name == 'mcp.server' else find(name, *a)\n"
            "import skill.mcp_sdk as s; print(s.is_lean(), s.Server.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "Server"]


def test_other_arguments_go_to_the_cli(tmp_path: Path):
    done = subprocess.run([*BOOT, "--help"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and "meta-ads mcp --sandbox" in done.stdout
    done = subprocess.run([*BOOT, "--bogus"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and "Usage error" in done.stderr and "--bogus" in done.stderr
