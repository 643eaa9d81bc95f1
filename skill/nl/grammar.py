"""The router's lexicon: words and phrases marketers use, and how each maps to a tool argument.

Pure functions over text, no I/O: typo correction, date phrases → Meta date presets,
breakdown words → Meta breakdown names, report level, image paths, ad ids, counts, CTAs.
``router.py`` decides the intent and assembles the arguments from these pieces.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from skill.nl.dates import (
    ISO_DATE,
    NUMBER,
    WORD_NUMBERS,
    as_number,
    date_range,
    find_dates,
    weekday_range,
)
from skill.nl.lazyre import lazy

__all__ = ["ISO_DATE", "WORD_NUMBERS", "as_number", "date_range", "find_dates", "weekday_range"]

IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "gif", "heic", "mp4", "mov", "m4v")  # videos too: copy takes them
_EXT = "|".join(IMAGE_EXTENSIONS)
IMAGE_PATH = lazy(r"""(['"\u201c])([^'"\u201d]+\.(?:""" + _EXT + r"""))['"\u201d]"""
                  r"|(?<![\w/.~-])((?:~|\.{1,2})?[\w./~-]*[\w~-]\.(?:" + _EXT + r"))(?![\w])", re.IGNORECASE)
JSON_PATH = lazy(r"(?<![\w/.-])([\w./~-]+\.json)\b", re.IGNORECASE)
AD_ID = lazy(r"(?<![\w-])(\d{6,})(?![\w-])")
WORD = lazy(r"[a-z0-9]+(?:['_-][a-z0-9]+)*")

# Words the grammar acts on. A word of 4+ letters that is not a known word is corrected to the
# nearest of these when it is close enough ("uplaod" → "upload", "bleders" → "bleeders").
KEYWORDS = """
upload uploads uploading uploaded push publish launch launching resume retry rerun batch
validate validation check checks simulate simulation preview payloads payload dry without
insights insight performance performing perform report reports results stats statistics metrics
numbers doing spend spent spending impressions clicks conversions purchases leads reach frequency
bleeders bleeding bleeder losers loser wasting waste burning underperforming worst expensive
winners winning winner best scale scaling fatigue fatigued tired stale saturated saturation
pause paused pausing stop activate activation unpause reactivate enable disable
copy copies copywriting headlines headline captions generate write draft variants variant
campaign campaigns creative creatives images image daily morning breakdown breakdowns
today yesterday week weeks month months quarter year days lifetime since until between
placement placements platform platforms device devices gender genders country countries region
regions demographics audience level adset adsets token tokens auth authentication login logged
permissions scopes expire expires expiry account accounts overwrite force regenerate button
parallel concurrent budget delete remove archive targeting
""".split()

KNOWN = set(KEYWORDS) | set("""
a an the and or but if then than so to of in on at by for from with into onto about as is are was
were be been being am do does did done have has had having i me my mine we us our ours you your
yours it its they them their this that these those what which who whom whose where when why how
all any each every some most more less much many few other another same such own just only also
very too not no nor yes please thanks thank could would should shall will can may might must
let lets make made show shows tell give get got need needs want wants like know see look looking
going go goes went run runs running ran start started work works working worked keep keeping
ads ad set sets new old now here there over under again still even ever out up down off per via
hey hi hello okay ok sure quick quickly real really actually everything anything something nothing
sale sales summer spring winter fall black friday cyber monday promo launch hero notes receipt split
test tests testing api apis meta facebook instagram dollars money cash cost costs cpa roas ctr cpc cpm
roi kpi kpis target targets goal goals good bad better worse great terrible fine okay working broken
first last next past previous current this these those morning evening night hour hours time times
cheap cheapest highest lowest top bottom rank ranking ranked table chart graph trend trends
file files folder config configuration json before after while during go live running serving
mobile desktop android iphone ios feed feeds stories reels country state states city cities age ages
xcampx xadx xidx xunkx xfilex
create created creating send sent sending live lives life item items list lists line lines name names
said says tell told take took taken find found fine five four nine zero half full part parts rest
sure true false real fact case point kind sort type types form side hand head mind word words text
able back best base bill body book both call came care come comes copy cost dear deal does done door
down draw drop each else even ever fail fails failed fast feel felt fill firm flat flow form free
from gave glad gone good grew grow hard have hear held help here high hold home hope huge idea into
join jump just keep kept kind knew know land late lead left less like link live long look lost lots
love made mail main make many mark mean meet mind miss more most move much must near need news next
nice note once only open over paid pass past pick plan play plus poor post pull push rate read ready
rely rich ride ring rise risk road role room rule safe said sale same save seem seen self sell send
sent ship shop show shut sign site size slow some soon sort spot step such sure take talk team tell
tend term than that them then they thin this thus till time told took tool tops tour town tree trip
true turn type unit upon used user uses very view wait walk wall want ways week well went were what
when whom wide wife will wind wish with word wore work yeah year your zone
about above after again against along already always among another answer around asked away become
began begin being below beside better between beyond bring brought build built busy came cannot
carry cause certain change clear close could country course cover cross current doing during early
earth either enough every example except family favor field figure final follow force front fully
given going great group happen happy heard heavy hello house however human important including
inside instead issue itself later learn least leave level light likely little local longer lower
major maybe means might minute moment money month move never night number often order other others
outside paper people perhaps person place please power present pretty price problem public quite
rather reason recent right round second seems seven several shall short should simple since single
small social something sound space speak special start still story study sure system taken thing
things think those though three through today together total toward trying under until using usual
value various water where whether which while whole within without world would write wrong young
again alright anyway awesome maybe hmm quickly sorry thanks tomorrow tonight weekend
""".split())



@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """The keyword a misspelt word most likely meant; the word itself when nothing is close."""
    if len(word) < 4 or word in KNOWN or not word.isalpha() or _inflected(word):
        return word
    match = difflib.get_close_matches(word, KEYWORDS, n=1, cutoff=0.8)
    return match[0] if match else word


_SUFFIXES = ("ing", "ed", "es", "s", "ly", "er", "ers", "d")


def _inflected(word: str) -> bool:
    """``calling`` is ``call`` + ing: a known word, not a typo of ``scaling``."""
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and (stem in KNOWN or stem + "e" in KNOWN or stem[:-1] in KNOWN):
            return True
    return False


# Short typos and shorthands the spelling corrector (4+ letters) does not reach.
SHORT_TYPOS = {"wek": "week", "wk": "week", "wks": "weeks", "weeek": "week", "mnth": "month", "mth": "month",
               "yday": "yesterday", "yest": "yesterday", "tdy": "today", "lst": "last", "dys": "days",
               "tues": "tuesday", "thurs": "thursday"}
_SHORT = lazy(r"\b(" + "|".join(SHORT_TYPOS) + r")\b")


def normalize(text: str) -> str:
    """Lower-case, unify dashes and quotes, spell-correct: the text the intent patterns read."""
    text = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", " ")
    text = _SHORT.sub(lambda m: SHORT_TYPOS[m.group(1)], text)
    text = re.sub(r"\bdry\s*-?\s*run\w*", "dry-run", text)
    text = re.sub(r"\bad\s*-?\s*sets?\b", "adset", text)
    text = re.sub(r"\bper-", "per ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return WORD.sub(lambda m: correct_word(m.group(0)), text)


# ---------------------------------------------------------------- breakdowns, level, daily

_BREAKDOWNS: list[tuple[re.Pattern[str], list[str]]] = [
    (lazy(r"\bdemographics?\b|\bage\s*(and|&|/|,|\+)\s*gender\b|\bgender\s*(and|&|/|,|\+)\s*age\b"), ["age", "gender"]),
    (lazy(r"\bages?\b|\bage groups?\b|\bage brackets?\b"), ["age"]),
    (lazy(r"\bgenders?\b|\bmen (vs|versus|and) women\b|\bmale\b|\bfemale\b"), ["gender"]),
    (lazy(r"\bplacements?\b|\bposition\b"), ["publisher_platform", "platform_position"]),
    (lazy(r"\b(platforms?|facebook (vs|versus|or) instagram|instagram (vs|versus|or) facebook|fb vs ig)\b"),
     ["publisher_platform"]),
    (lazy(r"\bdevices?\b|\bmobile (vs|versus|or) desktop\b|\bdesktop (vs|versus|or) mobile\b"), ["device_platform"]),
    (lazy(r"\b(country|countries|geo|geography|geos)\b"), ["country"]),
    (lazy(r"\b(regions?|states?)\b"), ["region"]),
    (lazy(r"\bhourly\b|\bhours?( of (the )?day)?\b|\btime of day\b"),
     ["hourly_stats_aggregated_by_advertiser_time_zone"]),
    (lazy(r"\b(dmas?|metros?|metro areas?|markets?)\b"), ["dma"]),
    (lazy(r"\b(products?|skus?|product ids?)\b"), ["product_id"]),
]
_BREAKDOWN_CUE = lazy(r"\b(by|per|across|split|broken|breakdown|breakdowns|break it down|segment|vs|versus|each|"
                      r"hourly|time of day)\b")
COMPARE = lazy(r"\b(vs\.?|versus|compared (to|with)|against|than) (the )?(previous|prior|preceding|last) "
               r"(period|week|month|quarter|year|\d+ days|fortnight)\b|\b(period|week|month) over \1?"
               r"(period|week|month)\b|\bperiod[- ]over[- ]period\b|\b(wow|mom|pop)\b|"
               r"\bchanged? (since|from) (the )?(previous|prior|last) (period|week|month)\b|"
               r"\b(vs\.?|versus|compared (to|with)|against|than) (the )?(week|month|period|days|quarter) before\b|"
               r"\bcompar\w* .{0,40}?\b(to|with|against|vs\.?) (the )?(previous|prior|preceding|last) "
               r"(period|week|month|quarter|year|\d+ days|fortnight)\b")
_RESULT_WORDS = [("add_to_cart", r"adds? to carts?|atcs?|add-to-carts?"), ("initiate_checkout", r"checkouts?|initiated? checkouts?"),
                 ("landing_page_view", r"landing page views?|lpvs?"), ("lead", r"leads?"), ("purchase", r"purchases?|sales?"),
                 ("link_click", r"link clicks?")]
_RESULT = lazy(r"\b(?:cost per|cpa (?:for|on)|count(?:ing)? (?:as results?|results? as)|results? (?:as|=))\s+("
               + "|".join(w for _, w in _RESULT_WORDS) + r")\b")


def result_action(text: str) -> str | None:
    """The action a request counts as its result ("cost per add to cart" → add_to_cart)."""
    m = _RESULT.search(text)
    if not m:
        return None
    return next(name for name, words in _RESULT_WORDS if re.fullmatch(words, m.group(1)))


def breakdowns(text: str) -> list[str]:
    """Meta breakdown names for the dimensions the text asks to split by, in text order."""
    if not _BREAKDOWN_CUE.search(text) and "demographic" not in text:
        return []
    hits: list[tuple[int, list[str]]] = []
    taken: list[tuple[int, int]] = []
    for pattern, names in _BREAKDOWNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            hits.append((m.start(), names))
    result: list[str] = []
    for _, names in sorted(hits, key=lambda h: h[0]):
        result += [n for n in names if n not in result]
    return result


_LEVELS = [
    (lazy(r"\b(per|by|each|every|for each|at the|at|on the)\s+adset\b|\badset[- ]level\b|\badsets\b"), "adset"),
    (lazy(r"\b(per|by|each|at the|at|on the)\s+campaign\b|\bcampaign[- ]level\b|\bcampaigns level\b"), "campaign"),
    (lazy(r"\b(per|by|each|every|for each|at the)\s+ad\b|\bad[- ]level\b|\bad by ad\b|\beach of (my|the) ads\b"), "ad"),
]


def level(text: str) -> str | None:
    for pattern, name in _LEVELS:
        if pattern.search(text):
            return name
    return None


DAILY = lazy(r"\b(daily|day[- ]by[- ]day|per day|by day|each day|every day|day over day|"
             r"trend|trends|trending|over time|time series)\b")


# ---------------------------------------------------------------- copy options

CTA_TYPES = ("LEARN_MORE SHOP_NOW SIGN_UP BOOK_TRAVEL DOWNLOAD GET_OFFER GET_QUOTE SUBSCRIBE WATCH_MORE "
             "APPLY_NOW CONTACT_US GET_DIRECTIONS ORDER_NOW REQUEST_TIME SEE_MENU SEND_MESSAGE BUY_TICKETS "
             "CALL_NOW").split()
_CTA_PHRASE = lazy(r"\b(" + "|".join(c.lower().replace("_", "[ _-]") for c in CTA_TYPES) + r")\b")
CTA_SLUG = lazy("|".join(c.lower().replace("_", "[-_]") for c in CTA_TYPES))
_CTA_CUE = lazy(r"\b(cta|ctas|call[- ]to[- ]action|button)\b")


def cta(text: str) -> str | None:
    """A CTA type, when the text talks about the button (``with a Shop Now button``)."""
    m = _CTA_PHRASE.search(text)
    if m and (_CTA_CUE.search(text) or "_" in m.group(0)):
        return re.sub(r"[ -]", "_", m.group(0)).upper()
    return None


_VARIANTS = lazy(NUMBER + r"\s+(?:different\s+|copy\s+|ad\s+)?(variants?|variations?|versions?|options?|bodies|headlines?|takes)\b")
_PARALLEL = lazy(NUMBER + r"\s+(?:batches\s+|ads\s+)?(?:at (?:a|one) time|at once|in parallel|concurrent\w*|simultaneous\w*)"
                 r"|\bparallel(?:ism)?\s*(?:of|=|:)?\s*" + NUMBER + r"\b")


def variants(text: str) -> int | None:
    m = _VARIANTS.search(text)
    return as_number(m.group(1)) if m else None


def parallel(text: str) -> int | None:
    m = _PARALLEL.search(text)
    if not m:
        return None
    return as_number(m.group(1) or m.group(2))


QUOTED = lazy(r"\"([^\"]{2,80})\"|\u201c([^\u201d]{2,80})\u201d|(?<![\w])'([^']{2,80})'(?![\w])")
PRODUCT = lazy(r"\bproduct\s*(?:is|:|=|called|named)?\s+([\w][\w .&+-]{1,60}?)(?=[,.;!?]|\s+(?:with|and|for|in|using)\b|$)")
MODEL_ID = lazy(r"\bclaude-[a-z0-9][a-z0-9.-]*[a-z0-9]\b")


def quoted(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in QUOTED.finditer(text)]


def image_paths(text: str) -> tuple[list[str], str]:
    """Image paths written in the text (as written), and the text without them."""
    paths = [(m.group(2) or m.group(3)).strip() for m in IMAGE_PATH.finditer(text)]
    return paths, IMAGE_PATH.sub(" ", text)


def ad_ids(text: str) -> list[tuple[int, str]]:
    """Long digit strings (Meta ids) with their offsets; account ids (``act_…``) are not ads."""
    return [(m.start(), m.group(1)) for m in AD_ID.finditer(text) if not text[max(0, m.start() - 4):m.start()].endswith("act_")]


def close_names(name: str, names: list[str], n: int = 3) -> list[str]:
    """The nearest known names to an unknown one (for "did you mean ...?")."""
    lowered = {x.lower(): x for x in names}
    return [lowered[m] for m in difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.5)]
