"""Journalists' names and outlets, from the words of a turn.

Two ways a transcript says who asks: the journalist introduces themself at the
start of the question (``my name is ilya petrenko rt tv channel``, ``i m from
interfax``), or whoever gives the floor names them at the end of the turn before
(``goes to jeff mason from reuters``). Both work on lowercased words with no
punctuation, so they also serve punctuated text. The lists (cues, stop words,
known outlets) are in the ``journalists`` section of ``configs/speakers.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

Phrase = Tuple[str, ...]
Range = Optional[Tuple[int, int]]  # [start, end) into the words


@dataclass
class Press:
    intro_cues: List[Phrase] = field(default_factory=list)
    outlet_intro_cues: List[Phrase] = field(default_factory=list)
    handoff_cues: List[Phrase] = field(default_factory=list)
    outlet_cues: frozenset = frozenset()
    stop_words: frozenset = frozenset()
    outlets: Dict[Phrase, str] = field(default_factory=dict)
    max_name_words: int = 3
    max_outlet_words: int = 5

    @classmethod
    def from_dict(cls, data: dict, function_words=()) -> "Press":
        def phrases(key):
            return [tuple(str(p).lower().split()) for p in data.get(key) or []]

        return cls(intro_cues=phrases("intro_cues"), outlet_intro_cues=phrases("outlet_intro_cues"),
                   handoff_cues=phrases("handoff_cues"),
                   outlet_cues=frozenset(str(w).lower() for w in data.get("outlet_cues") or []),
                   stop_words=frozenset({str(w).lower() for w in data.get("stop_words") or []}
                                        | set(function_words)),
                   outlets={tuple(str(k).lower().split()): str(v)
                            for k, v in (data.get("outlets") or {}).items()})


@dataclass
class Found:
    name: Range = None
    outlet: Range = None
    outlet_display: str = ""  # the known outlet's display name, if it is one


def _find(words: Sequence[str], cues: List[Phrase], lo: int, hi: int) -> Optional[int]:
    """Index just after the first cue that starts in ``[lo, hi)``."""
    for k in range(lo, min(hi, len(words))):
        for c in cues:
            if tuple(words[k:k + len(c)]) == c:
                return k + len(c)
    return None


def _name(words: Sequence[str], k: int, press: Press) -> Range:
    j = k
    while (j < len(words) and j - k < press.max_name_words and words[j].isalpha()
           and words[j] not in press.stop_words and words[j] not in press.outlet_cues
           and _known_outlet(words, j, press) is None):
        j += 1
    return (k, j) if j > k else None


def _known_outlet(words: Sequence[str], k: int, press: Press) -> Optional[Tuple[int, str]]:
    """(end, display) of the longest known outlet starting at ``k``."""
    best = None
    for phrase, display in press.outlets.items():
        if tuple(words[k:k + len(phrase)]) == phrase and (best is None or len(phrase) > best[0] - k):
            best = (k + len(phrase), display)
    return best


def _outlet(words: Sequence[str], k: int, press: Press, reach: int = 4,
            cued: bool = False) -> Tuple[Range, str]:
    """An outlet at ``k`` (after an outlet cue such as ``from``, or right after an intro cue
    when ``cued``), or else a known outlet starting within ``reach`` words."""
    j = k
    if not cued and j < len(words) and words[j] in press.outlet_cues:
        j, cued = j + 1, True
    if not cued:
        for s in range(k, min(len(words), k + reach)):
            known = _known_outlet(words, s, press)
            if known:
                return (s, known[0]), known[1]
        return None, ""
    while j < len(words) and words[j] == "the":
        j += 1
    known = _known_outlet(words, j, press)
    if known:
        return (j, known[0]), known[1]
    e = j
    while (e < len(words) and e - j < press.max_outlet_words
           and (words[e] not in press.stop_words or (e > j and words[e] in ("of", "and")))):
        e += 1
    while e > j and words[e - 1] in ("of", "and"):
        e -= 1
    return ((j, e), "") if e > j else (None, "")


def introduction(words: Sequence[str], press: Press, window: int = 20) -> Found:
    """A self-introduction among the first ``window`` words of a turn."""
    found = Found()
    k = _find(words, press.intro_cues, 0, window)
    if k is not None:
        found.name = _name(words, k, press)
        after = found.name[1] if found.name else k
        found.outlet, found.outlet_display = _outlet(words, after, press)
    if found.outlet is None:
        k = _find(words, press.outlet_intro_cues, 0, window)
        if k is not None:
            found.outlet, found.outlet_display = _outlet(words, k, press, cued=True)
    return found


def handoff(words: Sequence[str], press: Press, window: int = 25) -> Found:
    """Whoever gives the floor names the next asker among the last ``window`` words."""
    lo = max(0, len(words) - window)
    k = _find(words, press.handoff_cues, lo, len(words))
    found = Found()
    if k is None:
        return found
    while k < len(words) and words[k] == "the":
        k += 1
    found.name = _name(words, k, press)
    if found.name is None:
        return found
    found.outlet, found.outlet_display = _outlet(words, found.name[1], press, reach=2)
    if found.outlet is None and found.name[1] < len(words) - 1:
        return Found()  # "it goes to show that": a name must end the turn or come with an outlet
    return found
