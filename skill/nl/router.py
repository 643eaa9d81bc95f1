"""Natural language → one tool call: ``{"tool": NAME, "args": {...}}``, or no tool and why.

A deterministic grammar runs first (no key, no network, well under a millisecond a phrase):
``mentions.py`` finds the names, ``intents.py`` the job, ``grammar.py`` the dates,
breakdowns and options. When the grammar is unsure and ``ANTHROPIC_API_KEY`` is set, the
model picks a tool over the registry's schemas (``llm_router.py``); without a key the route
says what it understood and what it needs.

Safety: activation always comes back with ``yes: false`` and a note (only the user's
explicit yes turns an ad on); anything unmappable comes back as no tool with the list of
things the kit can do. Unknown campaign or ad names are never guessed: the nearest names
are suggested instead.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel

from skill.nl import acting, audience_routes, checks, grammar, intents, names
from skill.nl.mentions import Mentions, Vocabulary, find_mentions
from skill.registry import Tool
from skill.tools import all_tools, get_tool

NEEDS_CAMPAIGN = {"validate", "upload", "copy", "launch"}
REPORTS = checks.REPORTS
ACTIVATE_NOTE = ("Activation starts spending: it needs the user's explicit yes. "
                 "Show what would be activated, ask, then run: {command} --yes")


class Route(BaseModel):
    """The router's answer. ``tool`` is None when it cannot or will not map the request."""

    tool: str | None
    args: dict[str, Any] = {}
    reason: str | None = None
    notes: list[str] = []
    source: Literal["grammar", "model"] = "grammar"
    sure: bool = True

    def public(self) -> dict[str, Any]:
        """What ``meta-ads route --json`` prints."""
        if self.tool is None:
            return {"tool": None, "reason": self.reason, "source": self.source}
        data: dict[str, Any] = {"tool": self.tool, "args": self.args, "source": self.source}
        if self.notes:
            data["notes"] = self.notes
        return data


# ---------------------------------------------------------------- entry point


def route(text: str, vocab: Vocabulary, images: list[str] | None = None, *, use_model: bool = True,
          env: Mapping[str, str] | None = None, client: Any = None) -> Route:
    """The grammar first; when it is unsure, the model (if a key is set); else what it needs."""
    images = list(images or [])
    found = route_grammar(text, vocab, images)
    if found.sure:
        return found
    env = os.environ if env is None else env
    if not (use_model and (client is not None or env.get("ANTHROPIC_API_KEY") or env.get("ANTHROPIC_AUTH_TOKEN"))):
        return _unsure(found, "set ANTHROPIC_API_KEY to let the model place unusual phrasings")
    from skill.nl import llm_router  # imports the SDK: only when the model is asked

    try:
        name, args, said = llm_router.ask_model(text, vocab, images + _text_images(text), client=client, env=env)
        if name is None:
            return Route(tool=None, source="model", reason=(said or "The model did not pick a tool.") + " " + capabilities())
        args = llm_router.check_choice(name, args, vocab, images + _text_images(text))
    except llm_router.RouterModelError as exc:
        return _unsure(found, exc.message)
    note = f"routed by the model ({llm_router.router_model(env)}); check it before running"
    return finish(Route(tool=name, args=args, source="model", notes=[note]))


def _text_images(text: str) -> list[str]:
    return grammar.image_paths(text)[0]


def _unsure(found: Route, why: str) -> Route:
    """No tool: what the grammar understood, what it needs, and what the kit can do."""
    reason = (found.reason or "I couldn't tell which job you mean").rstrip(".")
    text = f"I'm not sure: {reason}. Say it as one of the jobs below, or {why}."
    return Route(tool=None, reason=text + " " + capabilities(), sure=False)


# ---------------------------------------------------------------- the grammar


def route_grammar(text: str, vocab: Vocabulary, images: list[str] | None = None) -> Route:
    """Route with the grammar alone: deterministic, offline, no key."""
    m = find_mentions(text, vocab)
    m.images = list(images or []) + m.images
    t = grammar.normalize(m.text)
    tracking = audience_routes.route_tracking(text, t)  # audiences, pixel, Conversions API
    if tracking is not None:
        return finish(Route(tool=tracking[0], args=tracking[1], reason=tracking[2]))
    intent = intents.detect(t, m)
    if intent.tool is None:
        reason = _understood(intent.reason, m)
        return Route(tool=None, reason=reason + " " + capabilities() if intent.sure else reason, sure=intent.sure)
    unknown = None if intent.tool == "budget" else checks.unknown_names(m, vocab, intent.tool)
    if unknown:
        return Route(tool=None, reason=unknown)
    route = _budget(text, t, m) if intent.tool == "budget" else BUILDERS[intent.tool](t, m, vocab, intent)
    route.sure = route.sure and intent.sure
    if not intent.sure and route.tool is not None:
        route.reason = intent.reason
    return finish(route)


def _campaign(m: Mentions, vocab: Vocabulary, tool: str, route: Route) -> bool:
    """Put the one campaign the text names into the args (or the only one there is)."""
    if tool in REPORTS and m.campaign_ids and not m.campaigns:  # Meta campaign ids: --campaign-id
        route.args["campaign_ids"] = list(m.campaign_ids)
        return True
    named = m.campaigns + ([] if tool in NEEDS_CAMPAIGN else m.campaign_ids)
    if tool == "copy" and not named and m.unknown:
        named = [names.slug(m.unknown[0])]
        route.notes.append(f"campaign {named[0]!r} is new: its folder will be created")
    if len(named) > 1:
        route.tool, route.reason = None, f"Name one campaign at a time (I see {', '.join(named)})."
        return False
    if named:
        route.args["campaign"] = named[0]
        return True
    if tool in NEEDS_CAMPAIGN:
        if len(vocab.campaigns) == 1:
            route.args["campaign"] = vocab.campaigns[0]
            route.notes.append(f"campaign not named: using the only one in the workspace, {vocab.campaigns[0]}")
            return True
        route.tool = None
        listed = ", ".join(vocab.campaigns) if vocab.campaigns else "none yet (workspace/campaigns/ is empty)"
        route.reason = f"I understood: {tool.replace('_', ' ')}. I need: which campaign? Campaigns: {listed}."
        return False
    return True


def _upload(t: str, m: Mentions, vocab: Vocabulary, intent: intents.Intent) -> Route:
    route = Route(tool=intent.tool, args={})
    if not _campaign(m, vocab, intent.tool or "", route):
        return route
    if intent.tool in ("upload", "launch"):
        route.args["dry_run"] = intent.dry_run
    configs = [c for c in m.configs if c.rsplit("/", 1)[-1] != "batch-upload.json"]
    if configs:
        route.args["config"] = configs[0]
    if intent.tool == "upload":
        if (n := grammar.parallel(t)) is not None:
            route.args["parallel"] = n
        elif "parallel" in t or "concurrent" in t:
            route.notes.append("say how many at once to run in parallel (e.g. '5 at once')")
        if intents.KEEP_GOING.search(t):
            route.args["keep_going"] = True
    return route


def _launch(t: str, m: Mentions, vocab: Vocabulary, intent: intents.Intent) -> Route:
    route = _upload(t, m, vocab, intent)
    if route.tool is None:
        route.reason = (route.reason or "").rstrip(".") + (". A new campaign is described in "
                        "workspace/campaigns/NAME/ads/batch-upload.json (campaign and adsets, see reference/launch.md), "
                        "then: meta-ads launch NAME --dry-run.")
    return route


def _copy(t: str, m: Mentions, vocab: Vocabulary, intent: intents.Intent) -> Route:
    route = Route(tool="copy", args={})
    if not m.images:
        route.tool = None
        route.reason = ("I understood: generate copy. I need: the images, as paths after the text, e.g. "
                        "meta-ads ask \"generate copy for these\" img1.jpg img2.jpg")
        return route
    route.args["images"] = m.images
    if not _campaign(m, vocab, "copy", route):
        return route
    product = next((q for q in m.quoted), None)
    if product is None and (pm := grammar.PRODUCT.search(t)):
        product = pm.group(1).strip()
    if product:
        route.args["product"] = product
    if (n := grammar.variants(t)) is not None:
        route.args["variants"] = n
    if (kind := grammar.cta(t)) is not None:
        route.args["cta"] = kind
    if m.model:
        route.args["model"] = m.model
    if intents.FORCE.search(t):
        route.args["force"] = True
    if intents.WRITE_BATCH.search(t):
        route.args["write_batch"] = True
    return route


def _report(t: str, m: Mentions, vocab: Vocabulary, intent: intents.Intent) -> Route:
    tool = intent.tool or "insights"
    route = Route(tool=tool, args={})
    if not _campaign(m, vocab, tool, route):
        return route
    dates = grammar.date_range(t, vocab.today)
    act_args, act_notes = acting.action_args(tool, t)
    route.args.update(act_args)
    route.notes += act_notes
    if tool != "insights":
        if m.ads:  # "is hero-receipt fatigued?": that ad only
            route.args["ads"] = m.ads
        if grammar.COMPARE.search(t):
            route.args["compare"] = "previous"
        if "date_preset" in dates:
            route.args["date_preset"] = dates["date_preset"]
        elif dates:
            route.notes.append(f"{tool.replace('_', ' ')} takes a date preset, not dates: ignored {dates}")
        return route
    if m.ads:
        route.args["ads"] = m.ads
    if (lvl := grammar.level(t)) is not None:
        route.args["level"] = lvl
    route.args.update(dates)
    if bd := grammar.breakdowns(t):
        route.args["breakdowns"] = bd
    if grammar.DAILY.search(t):
        route.args["daily"] = True
    if grammar.COMPARE.search(t):
        route.args["compare"] = "previous"
    if (action := grammar.result_action(t)) is not None:
        route.args["result"] = action
    if intents.ASYNC.search(t):
        route.args["mode"] = "async"
    elif intents.SYNC.search(t):
        route.args["mode"] = "sync"
    return route


def _ads_for(m: Mentions, vocab: Vocabulary, route: Route, verb: str, everything: bool = False) -> bool:
    ads = list(m.ads)
    if not ads and not m.campaigns and everything:
        if len(vocab.campaigns) != 1:
            route.tool = None
            listed = ", ".join(vocab.campaigns) or "none yet"
            route.reason = (f"I understood: {verb} every ad. I need: which campaign? Campaigns: {listed}. "
                            f"e.g. meta-ads ask \"{verb} every ad of {vocab.campaigns[0] if vocab.campaigns else 'CAMPAIGN'}\"")
            return False
        m.campaigns = list(vocab.campaigns)
    if not ads and m.campaigns and all(c in vocab.launched for c in m.campaigns):
        route.args["ads"] = [vocab.launched[c] for c in m.campaigns]  # the campaign itself, as launched
        route.notes.append(f"the launched campaign {', '.join(m.campaigns)}: every ad set and ad under it")
        return True
    if not ads and m.campaigns:
        uploaded = set(vocab.ad_ids.values())
        done = [n for names_ in vocab.uploaded.values() for n in names_]
        shared = {n for n in done if done.count(n) > 1}
        for campaign in m.campaigns:  # a name two campaigns use is said with its campaign, as pause takes it
            ads += [f"{campaign} - {n}" if n in shared else n for n in vocab.ads.get(campaign, []) if n in uploaded]
        if not ads:
            route.tool = None
            job = "launch" if _launches(vocab, m.campaigns[0]) else "upload"
            route.reason = (f"No ad of {', '.join(m.campaigns)} is {job}ed yet, so there is nothing to {verb}. "
                            f"{job.capitalize()} first (ads are created PAUSED): meta-ads {job} {m.campaigns[0]}")
            return False
        paused = " (an ad already paused stays as it is)" if verb == "pause" else ""
        route.notes.append(f"every uploaded ad of {', '.join(m.campaigns)}{paused}")
    if not ads:
        route.tool = None
        route.reason = f"I understood: {verb}. I need: which ads? Give their ids or names."
        return False
    route.args["ads"] = ads
    return True


def _launches(vocab: Vocabulary, campaign: str) -> bool:
    """Whether the campaign's folder holds a launch config (a campaign and ad sets to create)."""
    return campaign in vocab.launchable


def _status(t: str, m: Mentions, vocab: Vocabulary, intent: intents.Intent) -> Route:
    route = Route(tool=intent.tool, args={})
    _ads_for(m, vocab, route, "pause" if intent.tool == "pause" else "activate", bool(intents.EVERYTHING.search(t)))
    return route


PREVIEW_PLACES = {"stor": ["INSTAGRAM_STORY", "FACEBOOK_STORY_MOBILE"], "reel": ["INSTAGRAM_REELS"],
                  "feed": ["MOBILE_FEED_STANDARD", "INSTAGRAM_STANDARD"], "desktop": ["DESKTOP_FEED_STANDARD"]}


def _preview(t: str, m: Mentions, vocab: Vocabulary, intent: intents.Intent) -> Route:
    """One ad; the placements the text names (stories, reels, feed, desktop), else the main six."""
    formats = [f for word, fmts in PREVIEW_PLACES.items() if word in t for f in fmts]
    return Route(tool="preview", args={"ad": m.ads[0], **({"formats": formats} if formats else {})})


def _auth(t: str, m: Mentions, vocab: Vocabulary, intent: intents.Intent) -> Route:
    return Route(tool="auth_check", args={})


def _budget(raw: str, t: str, m: Mentions) -> Route:
    args, reason = acting.budget_args(raw, t, m)
    if args is None:
        return Route(tool=None, reason=reason)
    return Route(tool="budget", args=args)


def _history(t: str, m: Mentions, vocab: Vocabulary, intent: intents.Intent) -> Route:
    route = Route(tool="history", args={})
    if m.campaigns:
        route.args["campaign"] = m.campaigns[0]
    return route


BUILDERS = {
    "validate": _upload, "upload": _upload, "copy": _copy, "pause": _status, "activate": _status,
    "auth_check": _auth, "preview": _preview, "history": _history, **{name: _report for name in REPORTS},
}
BUILDERS["launch"] = _launch
ACTING = {"budget", "bleeders", "winners", "fatigue", "activate"}  # their yes is the user's alone
YES_NOTE = ("This can change spend: run it without yes, show the preview, and add --yes only after the user's "
            "explicit yes: {command} --yes")


# ---------------------------------------------------------------- after any router


def finish(route: Route) -> Route:
    """Safety and shape, whoever routed: activation never carries a yes; args fit the tool."""
    if route.tool is None:
        return route
    if route.tool == "activate":
        route.args["yes"] = False
        route.notes.append(ACTIVATE_NOTE.format(command=command_line("activate", {"ads": route.args.get("ads", [])})))
    elif route.tool in ACTING and (route.args.pop("yes", None) is not None or
                                   {"pause", "scale", "refresh", "target"} & route.args.keys()):
        route.notes.append(YES_NOTE.format(command=command_line(route.tool, route.args)))
    tool = get_tool(route.tool)
    if tool is not None:
        fields = tool.args.model_fields
        dropped = [k for k in route.args if k not in fields]
        for key in dropped:
            route.args.pop(key)
        if dropped:
            route.notes.append(f"{route.tool} does not take {', '.join(dropped)}: left out")
    return route


def runnable(route: Route, vocab: Vocabulary) -> str | None:
    """Why the call a route stands for cannot run in this workspace (None when it can)."""
    return checks.cannot_run(route.tool, route.args, route.reason, vocab)


def _understood(reason: str | None, m: Mentions) -> str:
    understood = []
    if m.campaigns:
        understood.append("campaign " + ", ".join(m.campaigns))
    if m.ads:
        understood.append("ads " + ", ".join(m.ads))
    if m.images:
        understood.append(f"{len(m.images)} image(s)")
    text = (reason or "I couldn't map that to a job.").rstrip(".") + "."
    if understood:
        text += " I understood: " + "; ".join(understood) + "."
    return text


def capabilities() -> str:
    """The jobs by name (one line even with many tools; ``meta-ads tools`` describes each)."""
    tools = sorted(all_tools(), key=lambda t: t.name)
    listed = ", ".join(t.name.replace("_", " ") for t in tools)
    return f"I can: {listed} (`meta-ads --help` says what each does)." if listed else "No tools are registered."


def command_line(name: str, args: dict[str, Any]) -> str:
    """The ``meta-ads`` command a route stands for (``meta-ads upload summer-sale-2026 --dry-run``)."""
    tool: Tool | None = get_tool(name)
    words = ["meta-ads", *(tool.command if tool else (name,))]
    fields = tool.args.model_fields if tool else {}
    for key, value in args.items():
        info = fields.get(key)
        extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
        cli = extra.get("cli", {}) if isinstance(extra, dict) else {}
        values = value if isinstance(value, list) else [value]
        if cli.get("positional"):
            words += [str(v) for v in values]
            continue
        flag = (cli.get("flags") or ["--" + key.replace("_", "-")])[0]
        if value is True:
            words.append(flag)
        elif value is False or value is None:
            continue
        elif isinstance(value, list) and cli.get("comma_list"):
            words += [flag, ",".join(map(str, value))]
        else:
            for v in values:
                words += [flag, str(v)]
    return " ".join(shlex.quote(w) if w != "meta-ads" else w for w in words)
