"""Speaker labels written as the source writes them, read as the restorer learned them.

The restorer's label head learned labels in the converter's default style: a surname or a
role (`jean pierre`, `putin`, `question`). Transcripts stripped another way keep the
source's label: `q`, `ms jean pierre`, `the president`, `secretary blinken`, `vladimir
putin`. There the head scores the label 0.00 to 0.01, because the words before the surname
never opened a label in training (tune turn-start recall 0.10 and 0.006).

:func:`rewrite` builds a second reading of such a document: label words renamed (`q` ->
`question`), the words that go before a name dropped (a run of prefix words, honorifics and
titles, before a name; a given name that the document writes before the same name three
times or more, `vladimir putin`), and a title after `the` with no name (`the president`)
read as ``lone_title``, an unknown surname. :meth:`RawLabels.reread` keeps it only where the
document reads as one in that style: at least ``sites`` places where the label start rises
from below 0.5 to 0.5 or more, not before a word of ``joiners`` (`mr putin and i agreed`),
and at least ``ratio`` times as many as the first reading's sure label starts. A document in
the default style finds its labels in the first reading, so the second adds few; two cheap
checks (places after a possible sentence end, then a probe of some of them in short
windows) spare most such documents the second reading. Where the second reading scores a
label start higher, the word takes its tags and the word before the prefix its
punctuation. The prefix words before a label start of ``floor`` or more are returned, so
the turn rules read past them and the label starts at the prefix; given names (`sergei` of
`sergei chemezov`) also where the first reading already found the label, honorifics and
titles (`mr putin`) only where the second reading did.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Collection, Dict, List, Mapping, Sequence, Set, Tuple

from .restorer_model import CASE, Prediction

SURE = 0.5  # a label start the first reading is sure of; one the second reading raises to it
REPEATS = 3  # uses of `given surname` that make `given` a prefix of the document's labels
ARTICLES = ("the",)  # a title alone is a label after one: `the president`, not `mr president`
OPENS = 0.03  # a place counts before the probe where a sentence end before it is this likely
PROBE_WIDTH = 16  # words each side of a probed place: the CNN's receptive field
PROBE_SHARE = 0.5  # the probe must project at least this share of the places needed


@dataclass(frozen=True)
class Rewrite:
    """The second reading's words; ``source[j]``: the position of word ``j`` in the
    document; ``dropped``: the positions of the prefix words left out; ``renamed``: those of
    the words read under another name."""
    words: List[str]
    source: List[int]
    dropped: List[int]
    renamed: List[int]


def _run_start(k: int, dropped: Set[int]) -> int:
    """The first of the dropped words right before position ``k`` (``k`` if none)."""
    while k - 1 in dropped:
        k -= 1
    return k


def _names(words: Sequence[str], pred: Prediction) -> Set[str]:
    """Words the case head capitalises at four uses in five or more: names."""
    cap = pred.case[:, CASE.index("cap")] + pred.case[:, CASE.index("upper")]
    uses, capped = Counter(words), Counter()
    for k, w in enumerate(words):
        capped[w] += cap[k] >= 0.5
    return {w for w in uses if capped[w] >= 0.8 * uses[w] and w.isalpha() and len(w) > 1}


def rewrite(words: Sequence[str], pred: Prediction, *, prefixes: Collection[str],
            titles: Collection[str], renames: Mapping[str, str], lone_title: str = "") -> Rewrite:
    """The second reading of a document's lowercased ``words`` (see the module docstring);
    ``pred`` is the first reading, whose case head tells names. A title that follows prefix
    words and no name (`the president`, `the vice president`) is read as ``lone_title``
    (the head scores `president` as a label start 0.00 to 0.01), the words before it dropped."""
    low = [w.lower() for w in words]
    prefix = set(prefixes) | set(titles)
    names = _names(low, pred) - prefix
    drop = [False] * len(low)
    lone = [False] * len(low)
    k = 0
    while k < len(low):
        j = k
        while j < len(low) and low[j] in prefix:
            j += 1
        if j > k and j < len(low):
            if low[j] in names:  # `ms jean pierre`, `secretary blinken`, `prime minister lee`
                drop[k:j] = [True] * (j - k)
            elif j - k > 1 and low[j - 1] in titles:  # `the president`: `president`
                drop[k:j - 1] = [True] * (j - 1 - k)
                lone[j - 1] = bool(lone_title) and low[k] in ARTICLES
        k = max(j, k + 1)
    pairs = Counter(zip(low, low[1:]))
    for k in range(len(low) - 1):  # `vladimir putin`, `recep tayyip erdogan`
        if (low[k] in names and low[k + 1] in names and pairs[(low[k], low[k + 1])] >= REPEATS
                and not (k and low[k - 1] in prefix)):
            drop[k] = True
    out, source, dropped, renamed = [], [], [], []
    for k, w in enumerate(low):
        if drop[k]:
            dropped.append(k)
            continue
        if w in renames or lone[k]:
            renamed.append(k)
        out.append(lone_title if lone[k] else renames.get(w, w))
        source.append(k)
    return Rewrite(out, source, dropped, renamed)


@dataclass(frozen=True)
class RawLabels:
    """The restorer's settings for raw labels (``raw_label_*`` in its config)."""
    on: bool = False
    prefixes: Tuple[str, ...] = ()  # words that go before a name in a label: `ms`, `the`
    titles: Tuple[str, ...] = ()  # titles: before a name, or the label itself (`the president`)
    renames: Dict[str, str] = field(default_factory=dict)  # `q` -> `question`
    sites: int = 5
    ratio: float = 1.0
    floor: float = 0.05
    joiners: Tuple[str, ...] = ()  # a place followed by one is no evidence: `mr putin and i`
    probe: int = 16  # places read first, each in a window of its own; 0: read the whole text
    lone_title: str = ""  # how a title read as a label is read: `the president` -> `question`

    @classmethod
    def from_config(cls, cfg: Mapping[str, object]) -> "RawLabels":
        """From the restorer's config keys (missing keys: the defaults)."""
        d = cls()
        return cls(on=bool(cfg.get("raw_labels", d.on)),
                   prefixes=tuple(cfg.get("raw_label_prefixes", ())),
                   titles=tuple(cfg.get("raw_label_titles", ())),
                   renames=dict(cfg.get("raw_label_renames", {})),
                   sites=int(cfg.get("raw_label_sites", d.sites)),
                   ratio=float(cfg.get("raw_label_ratio", d.ratio)),
                   floor=float(cfg.get("raw_label_floor", d.floor)),
                   joiners=tuple(cfg.get("raw_label_joiners", ())),
                   probe=int(cfg.get("raw_label_probe", d.probe)),
                   lone_title=str(cfg.get("raw_label_lone_title", d.lone_title)))

    def config(self) -> dict:
        return {"raw_labels": self.on, "raw_label_prefixes": list(self.prefixes),
                "raw_label_titles": list(self.titles), "raw_label_renames": dict(self.renames),
                "raw_label_sites": self.sites, "raw_label_ratio": self.ratio,
                "raw_label_floor": self.floor, "raw_label_joiners": list(self.joiners),
                "raw_label_probe": self.probe, "raw_label_lone_title": self.lone_title}


    def reread(self, words: Sequence[str], pred: Prediction,
               predict_many: Callable[[List[List[str]]], List[Prediction]]) -> Set[int]:
        """Merge the second reading into ``pred`` where the document's labels are written
        raw; return the positions of the prefix words before a label start of ``floor`` or
        more. Nothing when off.

        Most documents have places to try (`mr putin` in speech), so before the whole text
        is read again, a document needs as many places where the first reading may end a
        sentence before the prefix run (``OPENS``; speech's `mr putin` seldom follows one), and
        ``probe`` of them, spread over the text, are read in windows of
        ``PROBE_WIDTH`` words each side. The text is read again only where the share that
        rises, times the places, reaches half the places needed (``PROBE_SHARE``)."""
        if not self.on:
            return set()
        rw = rewrite(words, pred, prefixes=self.prefixes, titles=self.titles,
                     renames=self.renames, lone_title=self.lone_title)
        dropped, renamed = set(rw.dropped), set(rw.renamed)
        sites = [(j, k) for j, k in enumerate(rw.source) if k - 1 in dropped or k in renamed]
        first = pred.mark[:, 1]
        low = [w.lower() for w in words]
        open_ = [(j, k) for j, k in sites if first[k] < SURE
                 and (k + 1 >= len(low) or low[k + 1] not in self.joiners)]
        need = max(self.sites, self.ratio * int((first >= SURE).sum()))
        ends = pred.p_boundary
        after_end = sum(1 for _, k in open_  # a sentence end may come before the prefix run
                        if (a := _run_start(k, dropped)) == 0 or ends[a - 1] >= OPENS)
        if len(open_) < need or after_end < need:
            return set()  # too few places could rise, or open a turn where a sentence ends
        if self.probe:
            n = min(self.probe, len(open_))
            picks = sorted({open_[round(i * (len(open_) - 1) / max(1, n - 1))][0]
                            for i in range(n)})
            windows = [rw.words[max(0, j - PROBE_WIDTH):j + PROBE_WIDTH + 1] for j in picks]
            probed = predict_many(windows)
            up = sum(p.mark[min(j, PROBE_WIDTH), 1] >= SURE for p, j in zip(probed, picks))
            if up * len(open_) < PROBE_SHARE * need * len(picks):
                return set()
        second = predict_many([rw.words])[0]
        if sum(second.mark[j, 1] >= SURE for j, _ in open_) < need:
            return set()
        prefixes: Set[int] = set()
        given = set(self.prefixes) | set(self.titles)
        for j, k in sites:
            a = _run_start(k, dropped)
            if second.mark[j, 1] > pred.mark[k, 1]:
                pred.mark[k] = second.mark[j]
                pred.case[k] = second.case[j]
                if a and j:
                    pred.punct[a - 1] = second.punct[j - 1]
            elif any(low[i] in given for i in range(a, k)):
                continue  # `mr putin`, `the president` the first reading scored as they are
            if a < k and pred.mark[k, 1] >= self.floor:  # a label's given names: `sergei`
                prefixes.update(range(a, k))
                for i in range(a, k):  # nothing follows a label's first words
                    pred.punct[i] = 0.0
                    pred.punct[i, 0] = 1.0
        return prefixes
