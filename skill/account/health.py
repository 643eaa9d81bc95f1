"""``meta-ads auth check``: is the token valid, when does it expire, which scopes does it have,
which ad accounts can it reach, and what to do about each problem. The token is never shown.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from skill.errors import GraphError, TokenInvalid, redact
from skill.settings import Settings

NEEDED_SCOPES = ("ads_management", "ads_read", "pages_read_engagement", "business_management")
WARN_DAYS = 7
LOGIN = 'social auth login --scopes "ads_read,ads_management,pages_read_engagement,business_management"'
ACCOUNT_STATUS = {1: "ACTIVE", 2: "DISABLED", 3: "UNSETTLED", 7: "PENDING_RISK_REVIEW", 8: "PENDING_SETTLEMENT",
                  9: "IN_GRACE_PERIOD", 100: "PENDING_CLOSURE", 101: "CLOSED", 201: "ANY_ACTIVE", 202: "ANY_CLOSED"}


class AdAccount(BaseModel):
    id: str
    name: str = ""
    status: str
    currency: str | None = None
    configured: bool = False


class AuthReport(BaseModel):
    token_source: str | None
    valid: bool
    expires_at: datetime | None = None  # ISO 8601 in JSON; None when it never expires
    never_expires: bool = False
    days_left: int | None = None
    scopes: list[str] = []
    missing_scopes: list[str] = []
    user: str | None = None
    ad_accounts: list[AdAccount] = []
    configured_account: str | None = None
    problems: list[str] = []  # each says what to do
    warnings: list[str] = []

    @property
    def exit_code(self) -> int:
        return 0 if self.valid and not self.problems else 1

    def render_text(self) -> str:
        lines = [f"Token: {'valid' if self.valid else 'NOT valid'} (from {self.token_source or 'nowhere'})"]
        if self.never_expires:
            lines.append("Expires: never")
        elif self.expires_at:
            left = f" ({self.days_left} days left)" if self.days_left is not None else ""
            lines.append(f"Expires: {_when(self.expires_at)}{left}")
        if self.user:
            lines.append(f"User: {self.user}")
        if self.scopes:
            lines.append(f"Scopes: {', '.join(self.scopes)}")
        if self.valid:
            lines.append(f"Missing scopes: {', '.join(self.missing_scopes) or 'none'}")
        if self.ad_accounts:
            lines.append("Ad accounts:")
        for acct in self.ad_accounts:
            mark = " ← configured" if acct.configured else ""
            lines.append(f"  {acct.id}  {acct.status:<8} {acct.currency or ''}  {acct.name}{mark}")
        lines += [f"⚠ {w}" for w in self.warnings]
        lines += [f"✗ {p}" for p in self.problems]
        if self.valid and not self.problems:
            lines.append("✓ Ready: the token can create and manage ads." if not self.warnings
                         else "✓ Usable, but see the warnings above.")
        return "\n".join(lines)


def check_auth(settings: Settings, client: Any, now: datetime | None = None) -> AuthReport:
    token = settings.require_token()
    result = AuthReport(token_source=settings.token_source, valid=False, configured_account=settings.ad_account)
    try:
        data = client.get("debug_token", {"input_token": token}).get("data") or {}
    except TokenInvalid as exc:
        result.problems.append(f"the token was refused ({exc.message}); log in again: {LOGIN}")
        return result
    result.valid = bool(data.get("is_valid", data.get("valid", False)))
    now = now or datetime.now(UTC)
    if not result.valid:
        result.problems.append(f"{_why_invalid(data, now, token)}; log in again: {LOGIN}")
        return result
    _expiry(result, data.get("expires_at"), now)
    result.scopes = sorted(data.get("scopes") or [])
    result.missing_scopes = [s for s in NEEDED_SCOPES if s not in result.scopes]
    if result.missing_scopes:
        result.warnings.append(f"missing scopes {', '.join(result.missing_scopes)}: {LOGIN}")
    _accounts(result, client, settings.ad_account)
    return result


def _why_invalid(data: dict[str, Any], now: datetime, token: str) -> str:
    """Meta's reason, without anything of the token: expired on a date, or its error message."""
    expires_at = data.get("expires_at")
    if expires_at and int(expires_at) <= now.timestamp():
        when = datetime.fromtimestamp(int(expires_at), UTC).strftime("%Y-%m-%d %H:%M UTC")
        return f"the token expired on {when}"
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    reason = redact(str(error.get("message") or ""), (token,)).rstrip(".")
    return f"the token is not valid ({reason})" if reason else "the token is expired or revoked"


def _when(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _expiry(result: AuthReport, expires_at: Any, now: datetime) -> None:
    """0 (or none) is a token that never expires: a system user's."""
    if not expires_at or int(expires_at) == 0:
        result.never_expires = True
        return
    when = datetime.fromtimestamp(int(expires_at), UTC)
    result.expires_at = when
    result.days_left = max(math.ceil((when - now).total_seconds() / 86400), 0)
    if when - now <= timedelta(days=WARN_DAYS):
        result.warnings.append(f"the token expires in {result.days_left} day(s), on {_when(when)}; "
                               f"renew it now: {LOGIN}")


def _accounts(result: AuthReport, client: Any, configured: str | None) -> None:
    try:
        me = client.get("me", {"fields": "id,name"})
        result.user = f"{me.get('name', '')} ({me.get('id', '')})".strip()
        rows = list(client.paginate("me/adaccounts", {"fields": "id,name,account_status,currency", "limit": 100}))
    except GraphError as exc:
        result.problems.append(f"cannot list ad accounts: {exc.message}. {exc.hint or ''}".strip())
        return
    for row in rows:
        status = ACCOUNT_STATUS.get(int(row.get("account_status") or 0), str(row.get("account_status")))
        result.ad_accounts.append(AdAccount(id=row.get("id", ""), name=row.get("name", ""), status=status,
                                            currency=row.get("currency"), configured=row.get("id") == configured))
    if not configured:
        result.warnings.append("no ad account configured: set META_AD_ACCOUNT=act_… or `ad_account:` in brand/stack.md")
        return
    mine = next((a for a in result.ad_accounts if a.configured), None)
    if mine is None:
        result.problems.append(f"{configured} is not among this token's ad accounts; pick one listed above "
                               "(META_AD_ACCOUNT or `ad_account:` in brand/stack.md)")
    elif mine.status != "ACTIVE":
        result.problems.append(f"{configured} is {mine.status}: review it in Ads Manager "
                               "(https://www.facebook.com/adsmanager/account_quality) before uploading")
