"""The upload's compact results: what ``Results`` gives back for the summary is the ``AdResult`` it was told."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from skill.records import record_path
from skill.upload.summary import AdResult, Results

STATUSES = ("created", "skipped", "adopted", "stale", "failed", "not_run")
ids = st.none() | st.from_regex(r"[0-9]{1,17}", fullmatch=True)


class Entry:
    def __init__(self, stem: str) -> None:
        self.stem, self.name = stem, f"{stem} ad"


class Check:
    def __init__(self, index: int, stem: str) -> None:
        self.index, self.entry, self.name = index, Entry(stem), f"{stem} ad"
        self.spec_path = Path("/ws/campaigns/c/ads") / f"{stem}.json"


@given(st.lists(st.fixed_dictionaries({
    "status": st.sampled_from(STATUSES),
    "image_hashes": st.lists(st.text(min_size=1, max_size=8), max_size=3),
    "creative_id": ids, "ad_id": ids, "video_id": ids,
    "errors": st.lists(st.text(max_size=20), max_size=2),
    "record": st.sampled_from(["usual", "elsewhere", None]),
}), max_size=8))
def test_each_ad_comes_back_as_it_was_recorded(rows: list[dict]) -> None:
    results, checks, expected = Results(), [], []
    for i, row in enumerate(rows):
        check = Check(i, f"ad-{i}")
        checks.append(check)
        record = {"usual": str(record_path(check.spec_path)), "elsewhere": f"/other/{i}.upload.json",
                  "none": None}.get(row["record"])
        kw = {k: v for k, v in row.items() if k not in ("status", "record")}
        results.put(check, row["status"], record=record, **kw)
        expected.append(AdResult(index=i, name=check.name, stem=check.entry.stem, status=row["status"], record=record,
                                 **kw))
    assert results.all(checks) == expected
    assert len(results) == len(rows) and all(i in results for i in range(len(rows)))


def test_an_ad_never_recorded_is_not_run() -> None:
    check = Check(3, "late")
    assert Results().result(check) == AdResult(index=3, name="late ad", stem="late", status="not_run")
