"""Names a request gives that the workspace does not have, so nothing runs on a guess.

Two kinds, both read from the text once the known names are blanked out (``mentions.py``):

- near misses of a known name (``sumer sale``, ``spring lanch``, ``blak friday``): a window of
  words that reads almost like a campaign or ad name → "did you mean ...?";
- names of things that don't exist (``the winter sale``, ``easter promo``, ``the mothers day
  campaign``, ``black friday 2024``): words before a head word campaigns are named with
  (sale, promo, launch, friday, ...) or around the word "campaign".

Pure functions over text; ``Vocabulary`` gives the known names.
"""

from __future__ import annotations

import difflib
import re

from skill.nl import grammar
from skill.nl.lazyre import lazy

HEADS = frozenset("sale sales promo promos promotion launch friday monday giveaway clearance collection".split())
MARKERS = frozenset({"xcampx", "xadx", "xidx", "xunkx", "xfilex"})
# Words that end a name when walking back from a head word: grammar words and the jobs' words.
STOP = frozenset("""
a an the this that these those my our your their its his her all any each every which what whose per
new old next last past previous this current latest upcoming whole entire same other big first
in on at by for from to of with about into and or but so than since until after before between during
is are was were be been did do does doing done how why when where who has have had will would could
should can may might must please pls kindly just only also then now today yesterday tomorrow
need needs want wants write generate draft make give
ad ads adset adsets campaign campaigns creative creatives one ones it them they we us i me you
show give get tell report run check see look find pull make create start stop pause kill upload
numbers stats results insights performance spend
""".split()) | frozenset(grammar.KEYWORDS)
_WORD = lazy(r"[a-z0-9][a-z0-9']*")
_YEAR = lazy(r"^20\d\d$")
NEAR = 0.84  # how alike a window of words and a known name must be to be a misspelling of it
SUGGEST = 0.72  # how alike an unknown name and a known one must be to suggest it


def spaced(name: str) -> str:
    return " ".join(p for p in re.split(r"[-_\s]+", name.lower()) if p)


def forms(name: str) -> list[str]:
    """``summer-sale-2026`` → ``summer sale 2026``, ``summer sale``."""
    full = spaced(name)
    words = full.split()
    core = words[:]
    while core and core[-1].isdigit():
        core.pop()
    return [full] + ([" ".join(core)] if 1 < len(core) < len(words) else [])


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]


def near_misses(text: str, known: list[str]) -> list[tuple[int, int, str, str]]:
    """Windows of words that read almost like a known name: (start, end, as written, the name)."""
    words = _words(text)
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(known, key=len, reverse=True):
        for form in forms(name):
            size = len(form.split())
            for i in range(len(words) - size + 1):
                window = words[i:i + size]
                written = " ".join(w for _, _, w in window)
                if any(w in MARKERS for _, _, w in window) or written == form:
                    continue
                if all(w in STOP for _, _, w in window):
                    continue
                start, end = window[0][0], window[-1][1]
                if any(s < end and start < e for s, e in taken):
                    continue
                if abs(len(written) - len(form)) > len(form) * (1 - NEAR) + 2:
                    continue
                sm = difflib.SequenceMatcher(None, written, form)
                if sm.quick_ratio() >= NEAR and sm.ratio() >= NEAR:
                    found.append((start, end, text[start:end], name))
                    taken.append((start, end))
    return sorted(found)


def unknown_names(text: str) -> list[tuple[int, int, str]]:
    """Phrases that name a campaign the way campaigns are named: (start, end, phrase)."""
    words = _words(text)
    found: list[tuple[int, int, str]] = []
    for i, (_, _end, word) in enumerate(words):
        if word in HEADS:
            j = i
            while j > 0 and i - j < 2 and _namelike(words[j - 1][2]) and _joined(text, words, j):
                j -= 1
            if j == i:
                continue
            k = i + 1 if i + 1 < len(words) and _YEAR.match(words[i + 1][2]) else i
            found.append((words[j][0], words[k][1], " ".join(w for _, _, w in words[j:k + 1])))
        elif word in ("campaign", "campaigns"):
            found += _around_campaign(text, words, i)
    return _dedupe(found)


# Words that describe ads in general, never an ad's own name ("the video ad", "my facebook ad").
GENERIC = frozenset("""facebook instagram messenger video image photo carousel story stories reel reels feed
retargeting prospecting static dynamic paused active live running other remaining single cheapest
expensive good bad top bottom winning losing worst best latest oldest newest second third""".split())


# "ad copy", "ad account", "ad set": the word "ad" in a compound, not closing an ad's name.
COMPOUNDS = frozenset("""copy copies text texts account accounts set sets name names id ids budget budgets level
spend performance image images library review manager managers copywriting headline headlines""".split())


def unknown_ads(text: str) -> list[tuple[int, int, str]]:
    """``the pink banner ad``: words naming one ad that the workspace doesn't have."""
    words = _words(text)
    found = []
    for i, (_, _end, word) in enumerate(words):
        if word not in ("ad", "creative") or i == 0 or (i + 1 < len(words) and words[i + 1][2] in COMPOUNDS):
            continue
        j = i
        while j > 0 and i - j < 3 and _namelike(words[j - 1][2]) and words[j - 1][2] not in GENERIC \
                and _joined(text, words, j):
            j -= 1
        if j < i:
            found.append((words[j][0], words[i - 1][1], " ".join(w for _, _, w in words[j:i])))
    return found


def _namelike(word: str) -> bool:
    return word not in STOP and word not in MARKERS and not word.isdigit() and len(word) > 1


def _joined(text: str, words: list[tuple[int, int, str]], j: int) -> bool:
    """Word ``j - 1`` and word ``j`` are one phrase (only spaces between them, no comma)."""
    return not text[words[j - 1][1]:words[j][0]].strip()


def _around_campaign(text: str, words: list[tuple[int, int, str]], i: int) -> list[tuple[int, int, str]]:
    """``the mothers day campaign``, ``campaign xmas``, ``campaign called easter``."""
    j = i
    while j > 0 and i - j < 3 and _namelike(words[j - 1][2]) and _joined(text, words, j):
        j -= 1
    if j < i:
        return [(words[j][0], words[i - 1][1], " ".join(w for _, _, w in words[j:i]))]
    after = i + 1
    if after < len(words) and words[after][2] in ("called", "named"):
        after += 1
    if after < len(words) and _joined(text, words, after):
        word = words[after][2]
        if _namelike(word) and (after > i + 1 or word not in grammar.KNOWN):
            return [(words[after][0], words[after][1], word)]
    return []


def _dedupe(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for item in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if not any(s < item[1] and item[0] < e for s, e, _ in out):
            out.append(item)
    return out


def suggest(name: str, known: list[str], n: int = 3) -> list[str]:
    """The known names closest to ``name``, comparing their spaced forms too."""
    scored = []
    for candidate in known:
        best = max(difflib.SequenceMatcher(None, spaced(name), f).ratio() for f in forms(candidate))
        if best >= SUGGEST:
            scored.append((-best, candidate))
    return [c for _, c in sorted(scored)[:n]]


def slug(name: str) -> str:
    """A folder name for a new campaign: ``Easter Promo`` → ``easter-promo``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
