"""The sandbox's advideos: Meta's chunked protocol, offsets and 1363037, processing, thumbnails,
expired sessions and video creatives, over real HTTP."""

from __future__ import annotations

import time

from support import SANDBOX_ACCOUNT, SANDBOX_PAGE, Graph, png_bytes

MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"


def start(graph: Graph, size: int) -> dict:
    r = graph.post(f"{SANDBOX_ACCOUNT}/advideos", upload_phase="start", file_size=size)
    assert r.status_code == 200, r.text
    return r.json()


def chunk(graph: Graph, session: str, offset: int, data: bytes):
    return graph.post(f"{SANDBOX_ACCOUNT}/advideos", files={"video_file_chunk": ("v.mp4", data)},
                      upload_phase="transfer", upload_session_id=session, start_offset=offset)


def upload(graph: Graph, body: bytes, title: str = "clip.mp4 · kit:0123") -> str:
    s = start(graph, len(body))
    offset, end = int(s["start_offset"]), int(s["end_offset"])
    while offset != end:
        r = chunk(graph, s["upload_session_id"], offset, body[offset:end])
        assert r.status_code == 200, r.text
        offset, end = int(r.json()["start_offset"]), int(r.json()["end_offset"])
    r = graph.post(f"{SANDBOX_ACCOUNT}/advideos", upload_phase="finish", upload_session_id=s["upload_session_id"],
                   title=title)
    assert r.json() == {"success": True}
    return s["video_id"]


def status(graph: Graph, video_id: str) -> dict:
    return graph.get(video_id, fields="status").json()["status"]


def test_start_gives_a_session_and_the_first_chunk_as_strings(graph, sandbox):
    sandbox.configure(video_chunk_bytes=1000)
    s = start(graph, 2500)
    assert s["start_offset"] == "0" and s["end_offset"] == "1000"
    assert s["upload_session_id"] and s["video_id"]
    r = graph.post(f"{SANDBOX_ACCOUNT}/advideos", upload_phase="start")
    assert r.status_code == 400 and r.json()["error"]["code"] == 100


def test_a_chunk_at_the_wrong_offset_is_1363037_with_the_offsets_meta_expects(graph, sandbox):
    sandbox.configure(video_chunk_bytes=1000)
    body = MP4_HEAD + bytes(2500 - len(MP4_HEAD))
    s = start(graph, len(body))
    assert chunk(graph, s["upload_session_id"], 0, body[:1000]).json() == {"start_offset": "1000",
                                                                            "end_offset": "2000"}
    again = chunk(graph, s["upload_session_id"], 0, body[:1000])  # the same chunk twice
    err = again.json()["error"]
    assert again.status_code == 400
    assert (err["code"], err["error_subcode"]) == (6001, 1363037)
    assert err["error_data"] == {"start_offset": "1000", "end_offset": "2000"}
    short = chunk(graph, s["upload_session_id"], 1000, body[1000:1500])  # not the length asked for
    assert short.json()["error"]["error_subcode"] == 1363037
    early = graph.post(f"{SANDBOX_ACCOUNT}/advideos", upload_phase="finish", upload_session_id=s["upload_session_id"])
    assert early.json()["error"]["error_subcode"] == 1363037
    assert sandbox.request_counts["video_bytes"] == 1000 + 1000 + 500


def test_processing_takes_reads_then_ready_with_thumbnails_and_a_title_to_find_it_by(graph, sandbox):
    sandbox.configure(video_chunk_bytes=700, video_processing_polls=3)
    video_id = upload(graph, MP4_HEAD + bytes(2000))
    assert graph.get(f"{video_id}/thumbnails").json() == {"data": []}
    seen = [status(graph, video_id) for _ in range(3)]
    assert [s["video_status"] for s in seen] == ["processing", "processing", "ready"]
    assert [s["processing_progress"] for s in seen] == [33, 66, 100]
    assert seen[0]["uploading_phase"] == {"status": "complete", "bytes_transferred": 2016, "source_file_size": 2016}
    thumbs = graph.get(f"{video_id}/thumbnails").json()["data"]
    assert len(thumbs) == 3 and thumbs[0]["is_preferred"] and thumbs[0]["uri"].startswith("https://")
    rows = graph.get(f"{SANDBOX_ACCOUNT}/advideos", fields="id,title,status").json()["data"]
    assert [(r["id"], r["title"], r["status"]["video_status"]) for r in rows] == [
        (video_id, "clip.mp4 · kit:0123", "ready")]


def test_processing_fails_with_meta_message_when_injected_or_not_a_container(graph, sandbox):
    sandbox.configure(video_chunk_bytes=4096, video_processing_polls=1)
    not_video = upload(graph, b"hello, this is not a video file at all" * 10)
    st = status(graph, not_video)
    assert st["video_status"] == "error"
    assert "format that we don't support" in st["processing_phase"]["errors"][0]["message"]
    sandbox.configure(video_processing_error="Your video could not be processed (injected).")
    bad = upload(graph, MP4_HEAD + bytes(100))
    st = status(graph, bad)
    assert st["processing_phase"] == {"status": "error", "errors": [
        {"code": 1363008, "message": "Your video could not be processed (injected)."}]}


def test_an_expired_session_refuses_chunks_and_the_video_says_expired(graph, sandbox):
    sandbox.configure(video_chunk_bytes=1000)
    s = start(graph, 3000)
    assert chunk(graph, s["upload_session_id"], 0, MP4_HEAD + bytes(1000 - len(MP4_HEAD))).status_code == 200
    sandbox.configure(video_sessions_expired_before=time.time() + 1)
    r = chunk(graph, s["upload_session_id"], 1000, bytes(1000))
    assert r.status_code == 400 and r.json()["error"]["code"] == 6001
    assert status(graph, s["video_id"])["video_status"] == "expired"
    unknown = chunk(graph, "999", 0, bytes(10))
    assert unknown.json()["error"]["error_user_title"] == "Error Uploading Video"


def test_a_creative_needs_a_ready_video_of_the_account_and_a_thumbnail(graph, sandbox):
    sandbox.configure(video_chunk_bytes=4096, video_processing_polls=2)
    video_id = upload(graph, MP4_HEAD + bytes(100))
    thumb = graph.upload_image(png_bytes())

    def creative(**video_data):
        return graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", name="v",
                          object_story_spec={"page_id": SANDBOX_PAGE, "video_data": video_data})

    not_ready = creative(video_id=video_id, image_hash=thumb).json()["error"]
    assert not_ready["error_user_title"] == "Video Not Ready"
    status(graph, video_id), status(graph, video_id)
    assert creative(video_id=video_id).json()["error"]["error_user_title"] == "Missing Thumbnail"
    assert creative(video_id="12345", image_hash=thumb).json()["error"]["error_user_title"] == "Video Not Found"
    ok = creative(video_id=video_id, image_hash=thumb, message="m",
                  call_to_action={"type": "LEARN_MORE", "value": {"link": "https://x.com"}})
    assert ok.status_code == 200 and ok.json()["id"]
    feed = graph.post(f"{SANDBOX_ACCOUNT}/adcreatives", name="f", object_story_spec={"page_id": SANDBOX_PAGE},
                      asset_feed_spec={"videos": [{"video_id": video_id, "thumbnail_hash": thumb}],
                                       "bodies": [{"text": "b"}], "titles": [{"text": "t"}],
                                       "link_urls": [{"website_url": "https://x.com"}],
                                       "call_to_action_types": ["LEARN_MORE"], "ad_formats": ["SINGLE_VIDEO"]})
    assert feed.status_code == 200, feed.text
