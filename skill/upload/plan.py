"""The operations of one Graph batch call, and how to read their answers back per ad.

For each ad the plan holds its missing steps, in order: each new image (``adimages`` with the
file attached; an image shared by two ads of the batch is sent once), the creative (its
asset_feed_spec refers to the images with ``{result=imgN:$.images.*.hash}``), then the ad
(``creative_id`` = ``{result=crN:$.id}``), always PAUSED.

When the batch must pause after a failed ad, each ad's first operation also ``depends_on``
the previous ad's last one: Meta does not run an operation whose dependency failed, so
nothing after a refused ad is created (the seed's "Batch paused" semantics, even inside
one HTTP call).

An operation whose dependency failed was certainly not run: its intent is cleared without a
look-up, and the ad's outcome is decided by the operation that actually failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.errors import GraphError, RateLimited, TransientError
from skill.upload.graph_ops import Entry, make_op


def ref(name: str, path: str) -> str:
    return f"{{result={name}:{path}}}"


def is_definite(error: GraphError | None) -> bool:
    """Meta answered and refused: the write did not happen. A rate limit refuses before running;
    a 4xx error names what is wrong. An unknown or server-side error (codes 1 and 2, HTTP 5xx,
    ``is_transient``) or no answer at all says nothing, so the step is looked up before a retry."""
    if error is None:
        return False
    if isinstance(error, RateLimited):
        return True
    unclear = isinstance(error, TransientError) or error.is_transient or error.code in (None, 1, 2)
    return not unclear and (error.http_status or 400) < 500


def ok(result: Entry | None) -> bool:
    return result is not None and result.ok


@dataclass
class Step:
    """One ad's operations in this call (indexes into ``Plan.ops``)."""

    images: list[tuple[str, int]] = field(default_factory=list)  # (md5, op index)
    creative: int | None = None
    ad: int = -1

    def indexes(self) -> list[int]:
        return [i for _, i in self.images] + ([self.creative] if self.creative is not None else []) + [self.ad]


@dataclass
class Cause:
    """Why an ad's step did not succeed: its own error, an earlier ad's (``chained``), or none."""

    error: GraphError | None
    chained: bool = False


@dataclass
class Plan:
    account: str
    chain: bool
    ops: list[Any] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    deps: dict[int, list[int]] = field(default_factory=dict)
    chained: set[tuple[int, int]] = field(default_factory=set)  # (op, dependency) across ads
    image_op: dict[str, int] = field(default_factory=dict)  # md5 → op index
    steps: dict[int, Step] = field(default_factory=dict)  # ad index → its step
    last_op: int | None = None

    def _add(self, method: str, path: str, *, deps: list[int], first: bool, **kw: Any) -> int:
        index = len(self.ops)
        after = self.last_op if (self.chain and first and self.last_op is not None) else None
        if after is not None:
            kw["depends_on"] = self.ops[after].name
            self.chained.add((index, after))
        self.ops.append(make_op(method, f"{self.account}/{path}", name=kw.pop("name", f"op{index}"), **kw))
        self.deps[index] = deps + ([after] if after is not None else [])
        return index

    def image(self, md5: str, path: Path, first: bool) -> tuple[int, bool]:
        """The op uploading this file (added once per call); whether it was added now."""
        if md5 in self.image_op:
            return self.image_op[md5], False
        name = f"img{len(self.image_op)}"
        self.files[name] = (path.name, path.read_bytes())
        index = self._add("POST", "adimages", deps=[], first=first, name=name, attached_files=name)
        self.image_op[md5] = index
        return index, True

    def creative(self, ad_index: int, body: dict[str, Any], image_ops: list[int], first: bool) -> int:
        return self._add("POST", "adcreatives", deps=image_ops, first=first, name=f"cr{ad_index}", body=body)

    def ad(self, ad_index: int, body: dict[str, Any], creative_op: int | None, first: bool) -> int:
        deps = [creative_op] if creative_op is not None else []
        index = self._add("POST", "ads", deps=deps, first=first, name=f"ad{ad_index}", body=body)
        self.last_op = index
        return index

    # ------------------------------------------------------------ reading answers

    def not_run(self, i: int, results: list[Entry | None]) -> bool:
        """The op failed because one it depends on failed: it certainly did not run."""
        return not ok(results[i]) and any(not ok(results[d]) for d in self.deps.get(i, []))

    def cause(self, i: int, results: list[Entry | None]) -> Cause | None:
        """Why op ``i`` failed, following dependencies to the op that really failed."""
        if ok(results[i]):
            return None
        for dep in self.deps.get(i, []):
            if not ok(results[dep]):
                if (i, dep) in self.chained:
                    return Cause(None, chained=True)
                return self.cause(dep, results)
        result = results[i]
        return Cause(result.error if result is not None else None)
