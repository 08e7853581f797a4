"""Contractions written without their apostrophe: `dont`, `theyre`, `putins`.

Converters either put a space where the apostrophe was (`don t`, the seed's form, which the
restorer's network learned) or drop it (`dont`). The network reads the dropped form as one
word it rarely or never saw, and ends fewer sentences around it. :class:`Contractions` reads
such a word as the two words of the spaced form and folds the tags back onto the one token:
what follows the token (punctuation, sentence end) comes from the last piece, its case and
speaker-label marks from the first; the token is rendered with its apostrophe (`Don't`).

The list (``contractions.json`` beside the restorer's weights, written by
``python -m pipeline.train_restorer --lists-only``) comes from the training text: a pair the
gold joins with an apostrophe, whose second word is a clitic (``CLITICS``), at least
``min_count`` times, whose joined form the text writes as a word of its own at most
``max_share`` as often, is always read as two words (`dont`, `thats`, `putins`). A frequent
pair whose joined form is also a word (`its`, `were`, `well`, `ill`) is read as two words
where the next word, or failing that the word before, follows the spaced form at least twice
as often as the joined word in the training text (`its a`, `were going`; `its own`, `were
you`), else by the commoner of the two overall.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from .restorer_model import PUNCT, Prediction

CLITICS = frozenset({"s", "t", "re", "ll", "ve", "m", "d"})
FILE = "contractions.json"


def _decisive(spaced: Counter, joined: Counter, min_count: int = 3) -> Dict[str, int]:
    """Context words after which one reading outnumbers the other at least twice: 1 where
    the spaced form (`it s`) does, 0 where the joined word (`its`) does."""
    out = {}
    for w in sorted(set(spaced) | set(joined)):
        a, b = spaced[w], joined[w]
        if a + b >= min_count and (a >= 2 * b or b >= 2 * a):
            out[w] = int(a > b)
    return out


def build_contractions(examples: Iterable, min_count: int = 5, max_share: float = 0.05,
                       ambiguous_min: int = 50) -> dict:
    """The list of :class:`Contractions` from examples with ``words`` and gold ``punct``
    classes (:class:`pipeline.golddata.Example`): ``always`` (`dont`) and ``context`` (`its`,
    `were`, `well`: pairs joined ``ambiguous_min`` times or more whose joined word is also a
    word of its own, with the next and previous words that decide; see the module
    docstring)."""
    examples = list(examples)
    apostrophe = PUNCT.index("'")
    pairs: Counter = Counter()
    alone: Counter = Counter()
    for ex in examples:
        words = [w.lower() for w in ex.words]
        alone.update(words)
        for k in range(len(words) - 1):
            if ex.punct[k] == apostrophe and words[k + 1] in CLITICS and words[k].isalpha():
                pairs[words[k], words[k + 1]] += 1
    always = {a + b: [a, b] for (a, b), n in sorted(pairs.items())
              if n >= min_count and alone[a + b] <= max_share * n}
    ambiguous = {a + b: (a, b) for (a, b), n in sorted(pairs.items())
                 if n >= ambiguous_min and alone[a + b] > max_share * n}
    seen = {j: [Counter() for _ in range(4)] for j in ambiguous}  # next/prev, spaced/joined
    for ex in examples:
        words = [w.lower() for w in ex.words]
        n = len(words)
        for k, w in enumerate(words):
            if (k + 1 < n and ex.punct[k] == apostrophe
                    and ambiguous.get(w + words[k + 1]) == (w, words[k + 1])):
                c = seen[w + words[k + 1]]
                c[0][words[k + 2] if k + 2 < n else ""] += 1
                c[2][words[k - 1] if k else ""] += 1
            elif w in ambiguous:
                c = seen[w]
                c[1][words[k + 1] if k + 1 < n else ""] += 1
                c[3][words[k - 1] if k else ""] += 1
    context = {j: {"pieces": list(ab), "next": _decisive(seen[j][0], seen[j][1]),
                   "prev": _decisive(seen[j][2], seen[j][3]),
                   "default": int(pairs[ab] > alone[j])}
               for j, ab in ambiguous.items()}
    return {"always": always, "context": context}


class Contractions:
    """Reads apostrophe-less contractions as their two words; see the module docstring.
    ``always``: ``{joined: [first, clitic]}``; ``context``: ``{joined: {"pieces", "next",
    "prev", "default"}}``, read as two words where the next word decides so, else the
    previous word, else ``default``. Only in a document that writes contractions so
    (:meth:`dropped`); elsewhere every word is read as it is."""

    def __init__(self, always: Optional[Dict[str, Sequence[str]]] = None,
                 context: Optional[Dict[str, dict]] = None, min_hits: int = 3):
        self.min_hits = min_hits
        self.always: Dict[str, Tuple[str, str]] = {
            w: (p[0], p[1]) for w, p in (always or {}).items()}
        self.context: Dict[str, dict] = dict(context or {})

    @classmethod
    def from_dir(cls, path: Path) -> "Contractions":
        """The list beside a model's weights; none (no expansion) if the file is absent."""
        f = Path(path) / FILE
        data = json.loads(f.read_text(encoding="utf-8")) if f.exists() else {}
        return cls(data.get("always"), data.get("context"))

    def __bool__(self) -> bool:
        return bool(self.always or self.context)

    def dropped(self, words: Sequence[str]) -> bool:
        """Whether ``words`` write contractions without their apostrophe: ``min_hits`` or more
        words of ``always`` (`dont`, `im`), and more of them than listed pairs written apart
        (`don t`, `it s`: the seed's form, where `were` and `its` are the words themselves,
        and `sheriffs` a plural)."""
        low = [w.lower() for w in words]
        joined = sum(w in self.always for w in low)
        if joined < self.min_hits:
            return False
        apart = sum(b in CLITICS and (a + b in self.always or a + b in self.context)
                    for a, b in zip(low, low[1:]))
        return joined > apart

    def split_at(self, words: Sequence[str], k: int) -> Optional[Tuple[str, str]]:
        """The two words that ``words[k]`` stands for, or ``None``."""
        w = words[k].lower()
        hit = self.always.get(w)
        if hit is not None or w not in self.context:
            return hit
        rule = self.context[w]
        nxt = words[k + 1].lower() if k + 1 < len(words) else ""
        prev = words[k - 1].lower() if k else ""
        spaced = rule["next"].get(nxt, rule["prev"].get(prev, rule["default"]))
        return (rule["pieces"][0], rule["pieces"][1]) if spaced else None

    def splits(self, words: Sequence[str]) -> Optional[List[Optional[Tuple[str, str]]]]:
        """For each word, the two words it stands for or ``None``; ``None`` for a document
        that does not write contractions so (:meth:`dropped`) or has none to split."""
        if not self.dropped(words):
            return None
        hits = [self.split_at(words, k) for k in range(len(words))]
        return hits if any(hits) else None

    def expand(self, words: Sequence[str]) -> Tuple[List[str], Optional[np.ndarray],
                                                     Optional[np.ndarray]]:
        """The words the network reads, and for each input word the index of its first and
        last piece among them (``None``, ``None`` where no word is read as two)."""
        hits = self.splits(words)
        if hits is None:
            return list(words), None, None
        out: List[str] = []
        first, last = np.empty(len(words), np.int64), np.empty(len(words), np.int64)
        for k, (w, hit) in enumerate(zip(words, hits)):
            first[k] = len(out)
            out.extend(hit or (w,))
            last[k] = len(out) - 1
        return out, first, last

    def tag(self, predict_many: Callable[..., List[Prediction]],
            docs: Sequence[Sequence[str]], **kwargs) -> List[Prediction]:
        """``predict_many`` over the expanded words, folded back to one row per input word."""
        expanded = [self.expand(words) for words in docs]
        preds = predict_many([e[0] for e in expanded], **kwargs)
        return [p if first is None else Prediction(p.punct[last], p.case[first], p.mark[first])
                for p, (_, first, last) in zip(preds, expanded)]

    @staticmethod
    def render(pieces: Tuple[str, str], case: Callable[[str], str]) -> str:
        """A split word with its apostrophe, its first piece cased by ``case`` (`Don't`,
        `I'm`)."""
        return f"{case(pieces[0])}'{pieces[1]}"

    def to_json(self) -> str:
        return json.dumps({"always": {w: list(p) for w, p in sorted(self.always.items())},
                           "context": self.context}, ensure_ascii=False)
