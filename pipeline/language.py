"""Which language a document is in, for the ``documents.language`` flag.

The models are English; other text is processed all the same, and flagged. The
guess is by script (Cyrillic, Arabic, CJK, ...) and then by the share of the
first words that are frequent function words of each language listed in
``configs/languages.yaml``. ``und`` when no list covers enough of the words.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, FrozenSet

from .resources import load_yaml, resolve

UNDETERMINED = "und"
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageLists:
    words: Dict[str, FrozenSet[str]]
    scripts: Dict[str, str] = field(default_factory=dict)
    min_share: float = 0.15
    sample_words: int = 2000

    @classmethod
    def from_file(cls, path: str = "configs/languages.yaml") -> "LanguageLists":
        data = load_yaml(resolve(path))
        return cls(words={k: frozenset(str(v).lower().split()) for k, v in data["words"].items()},
                   scripts=dict(data.get("scripts") or {}),
                   min_share=float(data.get("min_share", 0.15)),
                   sample_words=int(data.get("sample_words", 2000)))


@lru_cache(maxsize=4)
def _lists(path: str) -> LanguageLists:
    return LanguageLists.from_file(path)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first in ("HIRAGANA", "KATAKANA"):
        return "Kana"
    return "CJK" if first == "CJK" else first.title()


def detect_language(text: str, lists: LanguageLists | str = "configs/languages.yaml") -> str:
    """An ISO 639-1 code (``en``, ``ru``, ...) or ``und``."""
    if isinstance(lists, str):
        lists = _lists(lists)
    words = _WORD.findall(text[:lists.sample_words * 12].lower())[:lists.sample_words]
    if not words:
        return UNDETERMINED
    scripts = Counter(_script(ch) for w in words for ch in w)
    script, n = scripts.most_common(1)[0]
    if script == "CJK" and scripts["Kana"] > 0.1 * sum(scripts.values()):
        script, n = "Kana", n + scripts["Kana"]  # Japanese mixes kanji and kana
    if script != "Latin" and n > 0.5 * sum(scripts.values()):
        langs = [lang for lang, s in lists.scripts.items() if s == script]
        if not langs:
            return UNDETERMINED
        if len(langs) == 1:
            return langs[0]
    else:
        langs = [lang for lang in lists.words if lang not in lists.scripts]
    share = {lang: sum(w in lists.words.get(lang, ()) for w in words) / len(words)
             for lang in langs}
    best = max(share, key=share.get)
    if share[best] >= lists.min_share or (script != "Latin" and share[best] > 0):
        return best
    return langs[0] if script != "Latin" else UNDETERMINED
