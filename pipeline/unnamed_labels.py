"""Speaker labels that are no names: numbered speakers and unidentified voices.

Transcription services label the speakers they cannot name by number (`Speaker 1:`,
`Speaker 2:`), and broadcasters an unknown voice `UNIDENTIFIED MALE:`. The shared converter
keeps a label's last word that is no title, so the seed's form reads `1 hello 2 heads up 1
heads up indeed` and `male thank you`. The label head learned surnames and roles and scores
such a label about 0.001, as it scores the numbers of speech (the tune split relabelled
`Speaker N`: word attribution 0.043 instead of 0.955).

:meth:`UnnamedLabels.reread` reads such a document again with each small number (``numbers``
digits at most) and each word of ``words`` (`male`, `female`) written as a made-up surname,
one per word, as the made-up names of training are. Only a document with at least
``places`` uses of them right after a possible sentence end (``boundary``; the numbers of
speech, `nord stream 2`, `33 000`, seldom follow one: median 0.000, against 0.32 before a
numbered label) is read again. A word that the second
reading scores a sure label start (0.5) at one use at least is a label word of the
document (numbers only in a run from 1, :func:`numbered`): its uses take the second
reading's tags where it scores the label start higher, and the word before them its
punctuation. The turn rules then decide as for any name
(`3 in anapa 5 but` alternates two speakers; `in 2 000` is speech).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, List, Mapping, Sequence, Tuple

from .restorer_model import Prediction

SURE = 0.5  # a label start of the second reading that makes its word a label word
GAP = 3  # the most by which a speaker's number may exceed the one before it
# made-up surnames (none a word of the restorer's vocabulary): the second reading's words
STAND_INS = ("zorvak", "kelidin", "marutov", "belsenko", "tadrin", "voskel", "primanov",
             "durelli", "soberg", "halvini", "kostrel", "yavenko", "lubrin", "gradetti",
             "shonkov", "varelin", "tekov", "mirashev", "polzetti", "karvin")


def numbered(sure) -> set:
    """The numbers of ``sure`` that number speakers: services count them from 1 (or 0) in
    order of appearance, so the run that starts there and holds 1, each number at most ``GAP`` above
    the one before (a speaker whose labels all read unsure), and not a number of speech
    that reads as a label once (`of 40 countries we re number 40 usually`)."""
    out, last = set(), None
    for w in sorted(sure, key=int):
        n = int(w)
        if (last is None and n > 1) or (last is not None and n - last > GAP):
            break
        out.add(w)
        last = n
    return out if any(int(w) == 1 for w in out) else set()


@dataclass(frozen=True)
class UnnamedLabels:
    """The second reading of documents whose labels are numbers or unidentified voices."""
    numbers: int = 0  # numbers of at most this many digits are read as names; 0: none
    words: Tuple[str, ...] = ()  # words read as names (`male`, `female`)
    places: int = 3  # uses after a possible sentence end a document needs to be read again
    boundary: float = 0.1  # how likely a sentence ends before such a use

    @classmethod
    def from_config(cls, cfg: Mapping[str, object]) -> "UnnamedLabels":
        """From the restorer's config keys (missing keys: the defaults)."""
        d = cls()
        return cls(numbers=int(cfg.get("unnamed_label_numbers", d.numbers)),
                   words=tuple(str(w).lower() for w in cfg.get("unnamed_label_words", ())),
                   places=int(cfg.get("unnamed_label_places", d.places)),
                   boundary=float(cfg.get("unnamed_label_boundary", d.boundary)))

    def config(self) -> dict:
        return {"unnamed_label_numbers": self.numbers,
                "unnamed_label_words": list(self.words),
                "unnamed_label_places": self.places,
                "unnamed_label_boundary": self.boundary}

    def _unnamed(self, w: str) -> bool:
        return (w.isdecimal() and len(w) <= self.numbers) or w in self.words

    def stand_ins(self, words: Sequence[str], pred: Prediction) -> dict:
        """``{word: made-up surname}`` for a document (lowercased ``words``) to read again,
        the words with most uses after a possible sentence end first; empty where it has fewer than ``places``
        such uses (or when off)."""
        if not self.numbers and not self.words:
            return {}
        ends = pred.p_boundary
        uses, opening = Counter(), Counter()
        for k, w in enumerate(words):
            if self._unnamed(w):
                uses[w] += 1
                opening[w] += k == 0 or ends[k - 1] >= self.boundary
        if sum(opening.values()) < self.places:
            return {}
        ranked = sorted(uses, key=lambda w: (-opening[w], -uses[w], w))
        return dict(zip(ranked, STAND_INS))

    def reread(self, words: Sequence[str], pred: Prediction,
               predict_many: Callable[[List[List[str]]], List[Prediction]]) -> List[int]:
        """Merge the second reading into ``pred`` at the uses of the label words it finds;
        return their positions. Nothing when off."""
        if not self.numbers and not self.words:
            return []
        words = [w.lower() for w in words]
        sub = self.stand_ins(words, pred)
        if not sub:
            return []
        second = predict_many([[sub.get(w, w) for w in words]])[0]
        sure = {w for k, w in enumerate(words) if w in sub and second.mark[k, 1] >= SURE}
        sure = ({w for w in sure if not w.isdecimal()}
                | numbered(w for w in sure if w.isdecimal()))
        at = [k for k, w in enumerate(words) if w in sure]
        pred.take_labels(second, at)
        return at
