"""Which job a request asks for: the intent patterns and the order they are tried in.

The patterns read normalized text (lower case, typos corrected, names blanked out by
``mentions.py``). ``detect`` returns the tool, or no tool with a reason, and whether the
grammar is sure (when it is not, the router may ask the model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from skill.nl import acting, grammar
from skill.nl.lazyre import lazy
from skill.nl.mentions import Mentions


def _p(pattern: str) -> re.Pattern[str]:
    return lazy(pattern)


DRY = _p(r"dry-run|\bsimulat\w*|\bwithout (actually |really |ever )?(hitting|calling|touching|sending|uploading|using|"
         r"talking to|making|contacting|reaching)\b|\bno (real |actual )?(api|network) calls?\b|\bpreview\w*\b|"
         r"\bwhat would (be sent|happen|go out|get sent)\b|\bwould (look like|be sent|send|go out)\b|\btest[- ]?run\b|\brehears\w*|\bpayloads?\b|"
         r"\bdon'?t (actually |really )?(upload|send|create|publish|push|post)\b|\bnot for real\b|\bpretend\w*\b|"
         r"\bpractice run\b|\bwhat would it send\b|\boffline\b")
TEST = _p(r"\btest\w*\b")
UPLOAD = _p(r"\b(upload\w*|re-?upload\w*|push\w*|publish\w*|launch\w*|resum\w*|retry\w*|re-?try\w*|re-?run|ship|"
            r"send (it|them|the ads|everything|the batch|xcampx)|create (the |my |all |these |those )?ads|"
            r"run (the |my )?batch|pick up where|continue the batch|finish the batch)\b")
BEFORE_UPLOAD = _p(r"\b(before|prior to|ahead of) (i |we |you )?(actually |really |finally )?(upload|push|publish|launch|"
                   r"go live|send|ship)\w*")
VALIDATE = _p(r"\b(validat\w*|lint\w*|sanity[- ]check\w*|proof-?read\w*|verif\w*|(any|find|spot) (errors|problems|issues|"
              r"mistakes)|valid|invalid|is (it|everything|the batch|my batch|the config|xcampx) (ok|okay|"
              r"correct|ready|good)|look(s)? (ok|okay|right|good|valid)|ready to (upload|go|launch))\b")
READY = _p(r"\bready (to|for) (upload|go|launch|push|publish|ship)\w*")
CHECK = _p(r"\b(check\w*|review|inspect|look over|go over|audit)\b")
CHECK_OBJECT = _p(r"\b(batch|config|configuration|copy|specs?|images?|files?|headlines?|bodies|creatives?|xcampx|xfilex)\b")

INSIGHTS = _p(r"\b(insights?|performance|perform\w*|doing|did|results?|stats|statistics|metrics|numbers|report\w*|"
              r"cpa|roas|ctr|cpc|cpm|spend|spent|spending|impressions|clicks|conversions|purchases|leads|reach|"
              r"frequency|roi|kpis?|analytics|dashboard|breakdown|broken down|going|went|how many|how much|"
              r"overview|summary|data|cost per|converting|conversion rate)\b")
DAILY_CHECK = _p(r"\bdaily (check\w*|review|report|summary|health|rundown|digest|pulse|update|briefing|status|scan)\b|"
                 r"\bmorning (check\w*|report|review|routine|update|briefing|rundown)\b|\bcheck-in\b|\bcheck in on\b|"
                 r"\bhealth ?check\b|\b(anything|something) (broken|wrong|on fire|off|weird)\b|\bpacing\b|"
                 r"\bspend pace\b|\btoday'?s (check|status|health|rundown)\b|\bday'?s (check|status)\b|^\s*daily\s*\??$")
BLEEDERS = _p(r"\bbleed\w*|\blosers?\b|\blos(ing|e) (money|cash)\b|\bwast\w*|\bmoney pits?\b|"
              r"\bburn\w* (money|cash|budget|through)|\bmoney[- ]losing\b|\bcash[- ]burning\b|\bunder-?perform\w*|\bworst\b|\bover (the )?(target|budget)\b|"
              r"\btoo expensive\b|\boverspend\w*|\b(what|which|anything|any) (ads? |creatives? )?(should|to|can|must|do|"
              r"could) (i |we )?(pause|kill|stop|cut|turn off|switch off)|\b(ads?|anything|something) to (pause|kill|cut|"
              r"turn off)\b|\bkill list\b|\bnot (working|performing|converting)\b|\bduds?\b|\bdrain\w*\b|\bcut losses\b")
WINNERS = _p(r"\bwinn\w*|\bwins\b|\b(top|best) (\d+|three|five|ten) (ads?|creatives?|performers?)\b|\b(best|top)[- ]?(perform\w*|ads?|creatives?|converting|ones?)\b|\bwhat'?s working\b|"
             r"\bworking (best|well)\b|\bscal(e|ing)\b|\bdouble down\b|\bstars?\b|\bperforming (best|well)\b|"
             r"\bmost (efficient|profitable)\b|\bcheapest\b|\bhighest roas\b|\bput more (money|budget|spend)\b|"
             r"\bbest (cpa|roas|results?)\b|\b(is|are|was|were) (the )?best\b")
FATIGUE = _p(r"\bfatigu\w*|\btired\b|\bstale\b|\bwear\w* out|\bworn out\b|\bburn(ed|t)? ?out\b|\bsaturat\w*|"
             r"\bfrequency (is |getting |too )*(too )?high\b|\bhigh frequency\b|\bseen\b.*\btoo (often|much|many)\b|"
             r"\bctr (is )?(falling|dropping|declining|down|sliding)\b|\b(falling|dropping|declining|sliding) ctr\b|"
             r"\brefresh\w* (the |my |our )?creatives?\b|\bgetting old\b|\b(banner|ad) blind\w*|\bwearing thin\b")
_ALL = r"everything |it all |all (of )?(the |my |our )?(ads |of them |xcampx (ads )?)?|every (single )?ad |"
PAUSE = _p(r"\b(pause|pausing|stop|stopping|halt|turn (" + _ALL + r"it |them |that |those |these |xadx |xidx )?off|"
           r"switch (" + _ALL + r"it |them |xadx |xidx )?off|shut (" + _ALL + r"it |them )?(off|down)|kill|disable|"
           r"deactivate|suspend|(everything|it all|all (of )?(the |my |our )?ads) (off|down))\b")
EVERYTHING = _p(r"\b(everything|it all|all (of )?(the |my |our )?(ads|of them|campaigns?)|every (single )?ad|"
                r"all (the |my |our )?xcampx)\b")
ACTIVATE = _p(r"\b(activat\w*|reactivat\w*|unpause\w*|un-pause|turn (it |them |that |those |these |xadx |xidx |xcampx )?(back )?on|"
              r"switch (it |them |xadx |xidx )?(back )?on|enable|go live|goes live|make (it |them |xadx |xidx |xcampx )?live|"
              r"(start|begin) (running|delivering|serving|spending)|set (it |them )?(to )?active|"
              r"(push|put|take|set) (it |them |xadx |xidx |xcampx |the ads |all ads )?live|turn on)\b")
RESUME_AD = _p(r"\b(resume|restart|launch)\b")
AUTH = _p(r"\b(auth\w*|tokens?|logged in|log ?in|login|credentials?|permissions?|scopes?|access token|expir\w*|"
          r"connected|connection|which (ad )?accounts?|ad accounts?|my accounts?|account status)\b")
COPY = _p(r"\b(copy|copies|copywrit\w*|headlines?|ad text|ad copy|captions?|taglines?|primary text|bodies|body text|"
          r"hooks?|slogans?|asset_feed_spec|asset feed spec)\b")
WRITE = _p(r"\b(generate|write|draft|create|make|come up with|brainstorm|produce|need|want|give me)\b")
IMAGE_WORDS = _p(r"\b(these|this|attached|the) (\d+ |five |three |two |four |ten )?(images?|pictures?|photos?|pics?|"
                 r"creatives?|files?)\b")

# The daily questions: a sentence matching one of these asks for that report (two: ambiguous).
REPORT_INTENTS: list[tuple[str, re.Pattern[str]]] = [
    ("daily_check", DAILY_CHECK), ("bleeders", BLEEDERS), ("winners", WINNERS), ("fatigue", FATIGUE)]

# Options of a job, read once the job is known.
KEEP_GOING = _p(r"\b(keep going|don'?t stop|continue on (error|failure)s?|skip (the )?(failures|failed|errors|bad ones)|"
                r"even if (some|one|any) fail\w*|ignore (the )?errors)\b")
FORCE = _p(r"\b(overwrite\w*|force|regenerate|redo|replace (the )?existing|from scratch|again)\b")
WRITE_BATCH = _p(r"\b(batch|write[- ]batch)\b")
ASYNC = _p(r"\basync\w*\b|\breport run\b")
SYNC = _p(r"\bsync(hronous(ly)?)?\b")

REFUSALS: list[tuple[re.Pattern[str], str]] = [
    (_p(r"\b(delete|remove|archive|trash|erase|destroy)\b"),
     "I never delete or archive anything. To stop an ad, pause it: meta-ads pause AD."),
    (_p(r"\b(create|make|set up|start|build|add) (a |an |the |my )?(new )?(audience|lookalike)\b"),
     "Audiences are made with their own commands: meta-ads audience create NAME --customers FILE, "
     "meta-ads audience website NAME ..., meta-ads audience lookalike NAME ...; then name them in a launch "
     "config's targeting."),
    (_p(r"\b(change|edit|update|modify|set)\b.*\b(targeting|audiences?|schedule|placements)\b"),
     "I don't change targeting, audiences or schedules: do that in Ads Manager."),
]
# Several requests in one sentence: clauses joined by these, each asking for a different job.
CLAUSES = _p(r"\s*(?:;|\band then\b|\band also\b|\bthen\b|\balso\b|\band\b|(?<=\w)[.!?]\s)\s*")
STRONG_INSIGHTS = _p(r"\b(insights?|reports?|numbers|stats|performance|results|how (is|are|did|was))\b")
PREVIEW = _p(r"\b(preview\w*|what (does|do|would) .* look like|show me (how|what)|see (it|them|how it looks) in)\b")
# A new campaign from the workspace (skill/launch): "create a campaign for black-friday-2026".
CREATE_CAMPAIGN = _p(r"\b(create|make|set up|start|build|add) (a |an |the |my )?(new )?(campaign|ad ?sets?)\b")
WHAT_WOULD_LAUNCH = _p(r"\bwhat would (launching|uploading|the launch( of)?|a launch( of)?)\b")
HELP = _p(r"^\s*(help|\?|what can you do|what do you do|commands|what are (the|your) commands|menu|options)\s*\??\s*$")


@dataclass
class Intent:
    tool: str | None
    sure: bool = True
    reason: str | None = None
    alternatives: list[str] = field(default_factory=list)
    dry_run: bool = False


def detect(t: str, m: Mentions) -> Intent:
    """The job the text asks for. Order matters: refusals, then the most specific jobs first."""
    for pattern, reason in REFUSALS:
        if pattern.search(t):
            return Intent(None, reason=reason)
    if HELP.search(t):
        return Intent(None, reason="Here is what I can do.")
    if (several := several_jobs(t, m)) is not None:
        return several
    return detect_one(t, m)


def detect_one(t: str, m: Mentions) -> Intent:
    """The job of one request (or one clause of a sentence asking for several)."""
    if WHAT_WOULD_LAUNCH.search(t):
        return Intent("upload", dry_run=True)  # upload launches a config that describes its campaign
    if CREATE_CAMPAIGN.search(t):
        return Intent("launch", dry_run=bool(DRY.search(t)))
    if acting.wants_history(t):
        return Intent("history")
    if acting.wants_budget(t):
        return Intent("budget")
    targets = bool(m.ads or m.campaign_ids)
    reports = [name for name, pattern in REPORT_INTENTS if pattern.search(t)]
    if is_copy(t, m):
        return Intent("copy")
    if PREVIEW.search(t) and m.ads:
        return Intent("preview")
    if AUTH.search(t) and not reports:
        return Intent("auth_check")
    if BEFORE_UPLOAD.search(t) and (VALIDATE.search(t) or CHECK.search(t) or TEST.search(t)):
        return Intent("upload", dry_run=True)
    if ACTIVATE.search(t) or (targets and not m.campaigns and RESUME_AD.search(t)):
        return Intent("activate")
    if PAUSE.search(t) and not reports and (targets or m.campaigns):
        return Intent("pause")
    if len(reports) == 1:
        return Intent(reports[0])
    if len(reports) > 1:
        return Intent(reports[0], sure=False, alternatives=reports,
                      reason=f"that could be {' or '.join(r.replace('_', ' ') for r in reports)}")
    if PAUSE.search(t):
        if re.search(r"\b(should|what|which|any|anything)\b", t):
            return Intent("bleeders")
        return Intent("pause")
    upload = _upload_family(t, m)
    if upload is not None:
        return upload
    if (INSIGHTS.search(t) or m.ads or grammar.breakdowns(t) or grammar.DAILY.search(t)
            or grammar.date_range(t, date.today())):
        return Intent("insights")
    if m.images:
        return Intent(None, sure=False, reason="I see images but not what to do with them "
                      "(to write copy for them: \"generate copy for these\")")
    return Intent(None, sure=False, reason="I couldn't tell which job you mean")


def several_jobs(t: str, m: Mentions) -> Intent | None:
    """Two different jobs asked in one sentence ("pause X and show the winners"): one at a time."""
    jobs: list[str] = []
    for clause in CLAUSES.split(t):
        if not clause.strip():
            continue
        job = _clause_job(clause, m)
        if job is not None and job not in jobs:
            jobs.append(job)
    if len(jobs) < 2:
        return None
    said = " and ".join(j.replace("_", " ") for j in jobs)
    return Intent(None, reason=f"One at a time, please: I see {said}. Ask for each on its own, one after the other.")


def _clause_job(clause: str, m: Mentions) -> str | None:
    """The job one clause asks for, when it clearly asks for one (weak insights cues don't count)."""
    found = detect_one(clause, m)
    if found.tool is None or not found.sure:
        return None
    if found.tool == "insights" and not STRONG_INSIGHTS.search(clause):
        return None
    if found.tool == "upload" and found.dry_run:
        return "dry run"
    return found.tool


def is_copy(t: str, m: Mentions) -> bool:
    copy_words, write = bool(COPY.search(t)), bool(WRITE.search(t))
    if m.images:
        return copy_words or write
    if not write and (VALIDATE.search(t) or CHECK.search(t)):
        return False
    return copy_words and (write or bool(IMAGE_WORDS.search(t)))


def _upload_family(t: str, m: Mentions) -> Intent | None:
    validate = bool(VALIDATE.search(t))
    upload = bool(UPLOAD.search(VALIDATE.sub(" ", READY.sub(" ", t))))  # "ready to upload?" asks to validate
    check = bool(CHECK.search(t)) and bool(CHECK_OBJECT.search(t)) and not INSIGHTS.search(t)
    test = bool(TEST.search(t))
    if DRY.search(t) or (test and (upload or m.campaigns or "batch" in t)):
        return Intent("upload", dry_run=True)
    if BEFORE_UPLOAD.search(t) and (validate or check or test or CHECK.search(t)):
        return Intent("upload", dry_run=True)
    if upload:
        return Intent("upload")
    if validate or check:
        return Intent("validate")
    return None
