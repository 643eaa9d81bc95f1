"""Where things are and how to reach Meta: workspace, ``brand/stack.md``, environment, token.

Precedence, highest first: command-line flags, environment variables, ``brand/stack.md``,
social-cli's config, built-in defaults.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from skill import inputs
from skill.errors import ConfigError, register_secret
from skill.flatyaml import UNKNOWN, flat_mapping, scalar
from skill.models import StackSettings, parse_model, read_user_text, unknown_keys

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v26.0"
DEFAULT_RETRY_BASE_S = 10.0
DEFAULT_AD_NAME_TEMPLATE = "{campaign} - {name}"
ADS_MANAGER_URL = "https://www.facebook.com/adsmanager/manage/ads?act={account_number}"

_FENCE = re.compile(r"^```\s*(ya?ml)?\s*$", re.IGNORECASE)
_BARE_LINE = re.compile(r"^\s*(?:[-*]\s+)?`?([A-Za-z_][A-Za-z0-9_]*)`?\s*:\s*(.*?)\s*$")


class Settings(BaseModel):
    """Everything a job needs to know about its surroundings. The token is a SecretStr."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    workspace: Path
    stack: StackSettings = StackSettings()
    stack_warnings: list[str] = []
    graph_url: str = DEFAULT_GRAPH_URL
    api_version: str = DEFAULT_API_VERSION
    ad_account: str | None = None
    token: SecretStr | None = None
    token_source: str | None = None
    retry_base_s: float = DEFAULT_RETRY_BASE_S
    sandbox: bool = False
    http_log: bool = False  # one line per Graph request (--verbose, META_ADS_DEBUG=http)
    allowed_folders: list[Path] = []  # folders outside the workspace that files may come from

    # ------------------------------------------------------------ paths

    @property
    def brand_dir(self) -> Path:
        return self.workspace / "brand"

    @property
    def assets_md(self) -> Path:
        return self.brand_dir / "assets.md"

    def campaign_dir(self, campaign: str) -> Path:
        return self.workspace / "campaigns" / check_name(campaign, "campaign")

    def ads_dir(self, campaign: str) -> Path:
        return self.campaign_dir(campaign) / "ads"

    def batch_config_path(self, campaign: str) -> Path:
        return self.ads_dir(campaign) / "batch-upload.json"

    def campaigns(self) -> list[str]:
        root = self.workspace / "campaigns"
        return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []

    def resolve(self, raw: str, base: Path | None = None) -> Path:
        """Resolve a path from a user file: absolute as is; else against the workspace root.

        A leading ``workspace/`` (the seed's style, relative to the project) is accepted, and
        a bare name found beside the file that named it (``base``) is accepted too.
        """
        path = Path(raw).expanduser()
        if path.is_absolute():
            return path
        parts = path.parts
        candidates = [self.workspace / path] + ([base / path] if base else [])
        if len(parts) > 1 and parts[0] in {self.workspace.name, "workspace"}:
            candidates.insert(0, self.workspace.joinpath(*parts[1:]))
        return next((c for c in candidates if c.exists()), candidates[0])

    # ------------------------------------------------------------ account

    def require_ad_account(self) -> str:
        if not self.ad_account:
            raise ConfigError(
                "no ad account set",
                hint="set META_AD_ACCOUNT=act_…, or `ad_account: act_…` in brand/stack.md",
            )
        return self.ad_account

    def require_token(self) -> str:
        if self.token is None:
            raise ConfigError(
                "no access token found",
                hint="export FACEBOOK_ACCESS_TOKEN=…, or log in with `social auth login`, "
                "or add --sandbox to try against the local sandbox",
            )
        token = self.token.get_secret_value()
        if any(c.isspace() or not c.isprintable() for c in token):
            raise ConfigError(
                f"the access token from {self.token_source or 'the environment'} contains spaces or line breaks",
                hint="copy the token again as one unbroken line, or log in again with `social auth login`",
            )
        return token

    def review_url(self) -> str:
        number = (self.ad_account or "").removeprefix("act_")
        return ADS_MANAGER_URL.format(account_number=number)

    def ad_name(self, campaign: str, name: str, **fields: str | None) -> str:
        """The ad's name from ``ad_name_template``: one function for every name (``naming.render_name``,
        which checks the template with ``inputs.template_problem`` and fills it with ``inputs.render_template``)."""
        from skill.creative.naming import render_name

        return render_name(self.stack.ad_name_template or DEFAULT_AD_NAME_TEMPLATE, campaign=campaign, name=name,
                           **fields)

    def outside_problem(self, path: Path) -> str | None:
        """Why a file someone named may not be read (outside the workspace and every allowed folder)."""
        return inputs.outside_problem(path, [self.workspace, *self.allowed_folders])


def check_name(value: str, what: str) -> str:
    """A campaign or ad name used in a path must stay inside its folder."""
    problem = inputs.name_problem(value, what) if isinstance(value, str) else f"{what} name must be text"
    if problem:
        raise ConfigError(problem, field=what)
    return value


def normalize_account(value: str | None) -> str | None:
    if not value:
        return None
    value = str(value).strip()
    return value if value.startswith("act_") else f"act_{value}"


# ---------------------------------------------------------------- stack.md


def parse_stack_text(text: str) -> dict[str, Any]:
    """``key: value`` settings from markdown: fenced yaml blocks and bare lines both count."""
    values: dict[str, Any] = {}
    block: list[str] | None = None
    block_is_yaml = False
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        fence = _FENCE.match(line.strip())
        if line.strip().startswith("```"):
            if block is None:
                block, block_is_yaml, start = [], bool(fence and fence.group(1)), number + 1
            else:
                if block_is_yaml:
                    values.update(_yaml_mapping("\n".join(block), start))
                block = None
            continue
        if block is not None:
            block.append(line)
            continue
        match = _BARE_LINE.match(line)
        if match and match.group(2) and not line.lstrip().startswith("#"):
            values[match.group(1)] = _yaml_scalar(match.group(2))
    return values


def _yaml_mapping(text: str, first_line: int = 1) -> dict[str, Any]:
    flat = flat_mapping(text)  # PyYAML (a third of pydantic's import) only for what is not flat
    if flat is not None:
        return flat
    import yaml  # here, not at import: only a stack.md with settings needs it

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        problem = " ".join(str(getattr(exc, "problem", None) or "cannot be parsed").split())
        raise ConfigError(f"invalid YAML in the settings block: {problem}", file="brand/stack.md",
                          field=f"line {line}") from None
    except RecursionError:
        raise ConfigError("the settings block is nested too deeply", file="brand/stack.md",
                          field=f"line {first_line}") from None
    return data if isinstance(data, dict) else {}


def _yaml_scalar(raw: str) -> Any:
    raw = raw.split(" #", 1)[0].strip().strip("`")
    value = scalar(raw)  # never a float
    if value is not UNKNOWN:
        return value
    import yaml

    try:
        value = yaml.safe_load(raw)
    except (yaml.YAMLError, RecursionError):
        return raw
    return raw if isinstance(value, float) else value  # keep money as written


def load_stack(workspace: Path) -> tuple[StackSettings, list[str]]:
    path = workspace / "brand" / "stack.md"
    if not path.exists():
        return StackSettings(), []
    data = parse_stack_text(read_user_text(path))
    known = set(StackSettings.model_fields)
    relevant = {k: v for k, v in data.items() if k in known or k.islower()}
    stack = parse_model(StackSettings, relevant, file=str(path))
    warnings = [f"{path}: unknown setting {k!r} (ignored)" for k in unknown_keys(stack)]
    return stack, warnings


# ---------------------------------------------------------------- social-cli


def social_cli_config(env: Mapping[str, str]) -> dict[str, Any] | None:
    """social-cli's config: ``$SOCIAL_FLOW_HOME``, ``$SOCIAL_CLI_HOME`` (the folder, or a home holding
    ``.social-flow`` / ``.social-cli``), ``$META_CLI_HOME``, then ``~/.social-cli`` or ``~/.social-flow``."""
    home = Path(env.get("HOME", str(Path.home())))
    candidates = []
    if env.get("SOCIAL_FLOW_HOME"):  # social-flow: the app folder itself
        candidates.append(Path(env["SOCIAL_FLOW_HOME"]) / "config.json")
    if env.get("SOCIAL_CLI_HOME"):
        candidates.append(Path(env["SOCIAL_CLI_HOME"]) / "config.json")
    for var in ("SOCIAL_CLI_HOME", "META_CLI_HOME"):  # social-cli: a home folder holding .social-flow / .social-cli
        if env.get(var):
            root = Path(env[var])
            candidates += [root / ".social-flow" / "config.json", root / ".social-cli" / "config.json"]
    candidates += [home / ".social-cli" / "config.json", home / ".social-flow" / "config.json"]
    for path in candidates:
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                return data
    return None


def _active_profile(config: dict[str, Any]) -> dict[str, Any]:
    if "profiles" not in config and "tokens" in config:  # the older one-profile layout, tokens at the top
        return config
    profiles = _mapping(config.get("profiles"))
    name = str(config.get("activeProfile") or "default").strip().removeprefix("@")
    return _mapping(profiles.get(name) or profiles.get("default"))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def token_from_social_cli(config: dict[str, Any] | None) -> str | None:
    if not config:
        return None
    token = _mapping(_active_profile(config).get("tokens")).get("facebook")
    return (token.strip() or None) if isinstance(token, str) else None


def account_from_social_cli(config: dict[str, Any] | None) -> str | None:
    if not config:
        return None
    account = _mapping(_active_profile(config).get("defaults")).get("marketingAdAccountId")
    if isinstance(account, bool) or not isinstance(account, str | int):
        return None
    return str(account).strip() or None


# ---------------------------------------------------------------- loading


def find_workspace(flag: str | Path | None, env: Mapping[str, str]) -> Path:
    raw = flag or env.get("META_WORKSPACE") or "workspace"
    path = Path(raw).expanduser()
    return path.resolve() if path.exists() else path.absolute()


def load_settings(
    workspace: str | Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Build Settings from flags, environment, stack.md and social-cli's config."""
    env = os.environ if env is None else env
    root = find_workspace(workspace, env)
    stack, warnings = load_stack(root)
    social = social_cli_config(env)
    token = (env.get("FACEBOOK_ACCESS_TOKEN") or "").strip() or None  # a pasted token often ends in \r or \n
    source = "FACEBOOK_ACCESS_TOKEN" if token else None
    if token is None and (token := token_from_social_cli(social)):
        source = "social-cli config"
    account = env.get("META_AD_ACCOUNT") or stack.ad_account or account_from_social_cli(social)
    retry = stack.retry
    account_source = "META_AD_ACCOUNT" if env.get("META_AD_ACCOUNT") else (
        "ad_account" if stack.ad_account else "social-cli marketingAdAccountId")
    _check_account(normalize_account(account), account_source)
    graph_url = (env.get("META_GRAPH_URL") or DEFAULT_GRAPH_URL).rstrip("/")
    register_secret(token)
    register_secret(_url_credentials(graph_url))
    try:
        retry_base = float(env.get("META_RETRY_BASE_S") or (retry.base if retry and retry.base is not None
                                                             else DEFAULT_RETRY_BASE_S))
    except ValueError:
        raise ConfigError("META_RETRY_BASE_S must be a number of seconds") from None
    return Settings(
        workspace=root,
        stack=stack,
        stack_warnings=warnings,
        graph_url=graph_url,
        api_version=env.get("META_API_VERSION") or stack.api_version or DEFAULT_API_VERSION,
        ad_account=normalize_account(account),
        token=SecretStr(token) if token else None,
        token_source=source,
        retry_base_s=retry_base,
        http_log="http" in (env.get("META_ADS_DEBUG") or "").lower().split(","),
    )


def _check_account(account: str | None, source: str) -> None:
    problem = inputs.account_problem(account) if account else None
    if problem:
        where = {"file": "brand/stack.md", "field": source} if source == "ad_account" else {"field": source}
        raise ConfigError(problem, **where)


def _url_credentials(url: str) -> str | None:
    """``https://user:pass@host`` → ``user:pass`` (masked like the token wherever it appears)."""
    from urllib.parse import urlsplit

    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return None
    return netloc.rpartition("@")[0] or None
