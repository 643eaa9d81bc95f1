"""The survey's call, prepared while the batch is validated and sent the moment it passes.

``upload_batch`` validates every ad before it sends anything (a broken input makes no call at
all), then reads the account (the survey: pre-flight, the ad set's ads, the creatives, which
images the account holds). The config is parsed once (``read_config``), and validation takes
that parse; :class:`EarlySurvey` keeps from it only the ids and the distinct image files (not a
second config held while validation holds its own), takes the campaign lock, hashes the image
files on a thread while validation runs, builds the call, and waits: once every
ad is valid, ``send`` lets it go, and its round trip overlaps the rest of the preparation
(ledgers, names, stale temp files). An invalid batch cancels it: no call.

- The call is a read, sent under the campaign lock (as the survey always is), so nothing another
  run does can slip in between the read and the writes that follow it.
- The upload uses the answers only if validation ended with the same target (account, ad set,
  page) and no image the call did not ask about; else (or when anything failed here) it sends the
  survey as before. Meta's refusal of the call is raised as the survey's would be.
- A config with remote images or videos, or a campaign locked by another run, is left to the
  usual order: validate, lock, survey.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from skill.errors import KitError
from skill.models import BatchConfig, load_batch_config
from skill.settings import Settings
from skill.upload.adopt import survey_ops
from skill.upload.images import file_md5s
from skill.upload.lock import CampaignLock
from skill.upload.preflight import Target, run_batch, target_for


def read_config(settings: Settings, campaign: str | None, config: str | Path | None) -> tuple[Path, BatchConfig] | None:
    """The batch config parsed once, for the early survey and then validation (``parsed``); None
    when it does not parse (validation reads it again and says what is wrong)."""
    try:
        path = Path(config).expanduser().absolute() if config else settings.batch_config_path(campaign or "")
        return path, load_batch_config(path)
    except Exception:  # noqa: BLE001 - validation says what is wrong
        return None


class EarlySurvey:
    """Lock, config, hashes and the survey's call, on a thread; ``take`` hands the answers over once."""

    def __init__(self, settings: Settings, client: Any, token: str | None) -> None:
        self.settings, self.client, self.token = settings, client, token
        self.lock: CampaignLock | None = None
        self.target: Target | None = None
        self.md5_of: dict[Path, str] = {}
        self.results: list[Any] | None = None
        self.error: KitError | None = None  # Meta's answer to the call was an error (a refusal, a rate limit)
        self._thread: threading.Thread | None = None
        self._go = threading.Event()  # set by ``send`` (every ad valid) or ``cancel``
        self._cancelled = False

    @classmethod
    def start(cls, settings: Settings, parsed: tuple[Path, BatchConfig], client: Any) -> EarlySurvey | None:
        """Lock the campaign and send the call on a thread; None when the usual order must do.
        ``parsed``: the config as ``read_config`` parsed it (validation uses the same parse); only
        the ids and the distinct image files are kept from it here."""
        path, cfg = parsed
        if any(e.image_url or e.video_path or not e.images for e in cfg.ads):
            return None
        try:
            lock = CampaignLock(path.parent, cfg.campaign)
            lock.acquire()
        except Exception:  # noqa: BLE001 - validation (or the lock, taken again later) says what is wrong
            return None
        token = settings.token.get_secret_value() if settings.token else None
        early = cls(settings, client, token)
        early.lock = lock
        ids = SimpleNamespace(config_path=path, config=SimpleNamespace(adset_id=cfg.adset_id, page_id=cfg.page_id),
                              adset_id=cfg.adset_id or settings.stack.default_adset_id,
                              page_id=cfg.page_id or settings.stack.page_id)
        named = dict.fromkeys(p for e in cfg.ads for p in e.images)  # each file once, however many ads name it
        paths = [settings.resolve(p, path.parent) for p in named]
        early._thread = threading.Thread(target=early._send, args=(ids, paths), name="upload-survey", daemon=True)
        early._thread.start()
        return early

    def _send(self, batch: Any, paths: list[Path]) -> None:
        try:
            self.target = target_for(self.settings, batch)
            self.md5_of = file_md5s(paths)
            ops, _ = survey_ops(self.token, self.target, self.md5_of.values())
            self._go.wait()
            if self._cancelled:
                return
            self.results = run_batch(self.client, ops)
        except KitError as exc:  # the same call, sent now, would be refused the same way: raised by ``take``
            self.error = exc
        except Exception:  # noqa: BLE001 - the usual survey runs instead, and says what is wrong
            self.results = None

    def send(self) -> None:
        """Every ad is valid: the call may go."""
        self._go.set()

    def cancel(self) -> None:
        """No call (the batch is not valid, or the upload is over)."""
        if not self._go.is_set():
            self._cancelled = True
            self._go.set()

    def join(self) -> None:
        """Wait for the thread; a call not let go by now is cancelled (some ad is invalid)."""
        self.cancel()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def take(self, target: Target, md5s: set[str]) -> tuple[list[Any], list[str]] | None:
        """The answers and the hashes they cover, if they answer this target and these hashes (once);
        raises the error Meta answered the call with (a refusal, a rate limit), as the survey would."""
        self.join()
        results, self.results = self.results, None
        error, self.error = self.error, None
        asked = set(self.md5_of.values())
        if target != self.target or not md5s <= asked:
            return None
        if error is not None:
            raise error
        return (results, sorted(asked)) if results is not None else None

    def holds(self, ads_dir: Path) -> CampaignLock | None:
        """The campaign lock, if it is this folder's."""
        if self.lock is not None and self.lock.path.parent.resolve() == ads_dir.resolve():
            return self.lock
        return None

    def close(self) -> None:
        self.join()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
