"""Pre-flight: before the first write, one Graph batch of four reads says whether the upload can work.

- the token is valid and does not expire within the hour (``debug_token``);
- the ad account exists for this token and is active (``account_status`` 1);
- the ad set exists, belongs to that ad account and is not deleted or archived;
- the page exists and the token can reach it.

Any "no" raises before anything is created, naming the setting and its value
(``batch-upload.json › adset_id: ad set '999' does not exist…``), so a wrong id can never leave an
image or a creative behind. Meta's transient errors are retried by the client like any read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from skill.errors import ConfigError, GraphError, InvalidParameter, PermissionDenied, TokenInvalid
from skill.upload.graph_ops import make_op

MIN_TOKEN_LIFE_S = 3600
GONE = {"DELETED", "ARCHIVED"}
ACCOUNT_STATUS = {1: "ACTIVE", 2: "DISABLED", 3: "UNSETTLED", 7: "PENDING_RISK_REVIEW", 8: "PENDING_SETTLEMENT",
                  9: "IN_GRACE_PERIOD", 100: "PENDING_CLOSURE", 101: "CLOSED"}
TOKEN_ADVICE = ("get a new token (social auth login, or a new FACEBOOK_ACCESS_TOKEN), check it with "
                "`meta-ads auth check`, then re-run; nothing was sent")


@dataclass(frozen=True)
class Where:
    """Where a setting came from, for the message: the file and the field naming it."""

    file: str | None
    field: str


@dataclass(frozen=True)
class Target:
    """What an upload is about to write into, and where each id was set."""

    account: str
    account_from: Where
    adset_id: str
    adset_from: Where
    page_id: str
    page_from: Where


def target_for(settings: Any, batch: Any) -> Target:
    """The ids an upload writes into (``Settings``, ``BatchCheck``), each with where it was set."""
    config, stack = str(batch.config_path), str(settings.brand_dir / "stack.md")
    cfg = batch.config
    account = settings.require_ad_account()
    from_stack = settings.stack.ad_account and account.removeprefix("act_") == settings.stack.ad_account.removeprefix(
        "act_")
    return Target(
        account=account,
        account_from=Where(stack, "ad_account") if from_stack else Where(None, "META_AD_ACCOUNT"),
        adset_id=batch.adset_id or "",
        adset_from=Where(config, "adset_id") if cfg.adset_id else Where(stack, "default_adset_id"),
        page_id=batch.page_id or "",
        page_from=Where(config, "page_id") if cfg.page_id else Where(stack, "page_id"),
    )


def preflight_ops(token: str | None, target: Target) -> list[Any]:
    """The four reads, as batch operations (a caller may add its own reads to the same call).
    Without the token's value (a client made elsewhere) only its validity is checked, through ``me``."""
    return [
        make_op("GET", f"debug_token?{urlencode({'input_token': token})}" if token else "me?fields=id", name="token"),
        make_op("GET", f"{target.account}?fields=id,account_status,name"),
        make_op("GET", f"{target.adset_id}?fields=id,name,account_id,status,effective_status"),
        make_op("GET", f"{target.page_id}?fields=id,name"),
    ]


def run_batch(client: Any, ops: list[Any]) -> list[Any]:
    """One batch call; a refused token says what to do about it."""
    try:
        return client.batch(ops)
    except TokenInvalid as exc:
        raise _token_error(exc) from None


def check(results: list[Any], token: str | None, target: Target, now: float | None = None) -> None:
    """Raise ``ConfigError`` / ``TokenInvalid`` when the upload cannot work; return quietly when it can."""
    token_r, account_r, adset_r, page_r = results[:4]
    token_data = _data(token_r, None)
    if token:
        _check_token(token_data, now if now is not None else time.time())
    _check_account(_data(account_r, _refusal(target.account_from, "ad account", target.account)), target)
    _check_adset(_data(adset_r, _refusal(target.adset_from, "ad set", target.adset_id)), target)
    _data(page_r, _refusal(target.page_from, "page", target.page_id))


def preflight(client: Any, token: str | None, target: Target, now: float | None = None) -> None:
    """The pre-flight on its own: one batch call of the four reads, then the checks."""
    check(run_batch(client, preflight_ops(token, target)), token, target, now)


def entry_data(result: Any) -> dict[str, Any]:
    """A batch entry's data; its error raised (a read that failed after the client's retries)."""
    return _data(result, None)


def _data(result: Any, refusal: Any) -> dict[str, Any]:
    """An entry's data; its error raised as is, or as the refusal when Meta says 'no such object'."""
    error = getattr(result, "error", None)
    if error is None and getattr(result, "ok", False) and isinstance(result.data, dict):
        return result.data
    if isinstance(error, TokenInvalid):
        raise _token_error(error)
    if refusal is not None and isinstance(error, InvalidParameter | PermissionDenied):
        raise refusal(error)
    raise error if isinstance(error, GraphError) else GraphError("no answer to the pre-flight check; re-run")


def _token_error(error: GraphError) -> TokenInvalid:
    return TokenInvalid(error.message, code=error.code, subcode=error.subcode, fbtrace_id=error.fbtrace_id,
                        hint=TOKEN_ADVICE)


def _refusal(where: Where, what: str, value: str) -> Any:
    def make(error: GraphError) -> ConfigError:
        return ConfigError(f"{what} {value!r} does not exist or this token cannot reach it "
                           f"(Meta: {error.user_msg or error.message}); nothing was sent",
                           file=where.file, field=where.field, hint=f"check the {what} id in Ads Manager")
    return make


def _check_token(data: dict[str, Any], now: float) -> None:
    info = data.get("data") if isinstance(data.get("data"), dict) else {}
    if not info.get("is_valid"):
        error = info.get("error") if isinstance(info.get("error"), dict) else {}
        reason = str(error.get("message") or "expired or revoked").rstrip(".")
        raise TokenInvalid(f"the access token is not valid ({reason})", code=190, hint=TOKEN_ADVICE)
    expires_at = int(info.get("expires_at") or 0)
    if expires_at and expires_at - now < MIN_TOKEN_LIFE_S:
        minutes = max(int((expires_at - now) // 60), 0)
        raise TokenInvalid(f"the access token expires in {minutes} minute(s): an upload could stop half-way",
                           code=190, hint=TOKEN_ADVICE)


def _check_account(data: dict[str, Any], target: Target) -> None:
    status = data.get("account_status")
    if status is not None and int(status) != 1:
        name = ACCOUNT_STATUS.get(int(status), str(status))
        raise ConfigError(f"ad account {target.account} is {name}, not ACTIVE; nothing was sent",
                          file=target.account_from.file, field=target.account_from.field,
                          hint="review it in Ads Manager (https://www.facebook.com/adsmanager/account_quality)")


def _check_adset(data: dict[str, Any], target: Target) -> None:
    where = target.adset_from
    owner = str(data.get("account_id") or "")
    if owner and owner != target.account.removeprefix("act_"):
        raise ConfigError(f"ad set {target.adset_id!r} belongs to ad account act_{owner}, not {target.account}; "
                          "nothing was sent", file=where.file, field=where.field,
                          hint="use an ad set of the configured ad account, or change the ad account")
    status = str(data.get("effective_status") or data.get("status") or "")
    if status in GONE:
        raise ConfigError(f"ad set {target.adset_id!r} is {status}; nothing was sent", file=where.file,
                          field=where.field, hint="pick a live ad set in Ads Manager")
