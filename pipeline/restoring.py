"""``transcript_restorer``: sentence boundaries, punctuation and casing.

On unpunctuated lowercased text (the seed form) the restorer tags every word
with the punctuation that follows it, its casing and how likely it opens an
inline speaker label (one pass of :class:`~pipeline.restorer_model.RestorerModel`; a
second where a speaker's name is a common word, ``rescan_label``), and sets
``token.is_sent_start``. On text that is already punctuated and cased
it keeps what is there and splits sentences on the existing punctuation.

Assigns ``doc._.restore_mode`` (``restore`` | ``keep``), ``token._.restored``
(the cased word), ``token._.punct_after`` (a PUNCT class), ``token._.sent_end``
(probability that a sentence ends after the word), ``token._.label_start`` and
``token._.label_inside`` (speaker-label probabilities) and sentence starts.
:func:`render` turns any token range into readable text with an offset map.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import numpy as np

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import minibatch

from .contractions import FILE as CONTRACTIONS_FILE, Contractions
from .errors import PipelineError
from .raw_labels import RawLabels
from .unnamed_labels import UnnamedLabels
from .resources import resolve, word_set
from .restorer_model import CASE, PUNCT, PUNCT_RENDER, ROLE_WORDS, SENT_FINAL, Prediction, \
    RestorerModel
from .tokenizer import is_word, set_sent_starts

# Per-token restorer output lives in one list per attribute in ``doc.user_data`` (written
# once per doc, serialised by DocBin); the token extensions read and write those lists.
USER_KEY = "transcript_restorer"
TOKEN_ATTRS = {"restored": None, "punct_after": "", "label_start": 0.0, "label_inside": 0.0,
               "sent_end": 0.0, "label_prefix": False}


def token_values(doc: Doc, name: str) -> list:
    """The list of one restorer attribute for every token of ``doc`` (defaults if unset)."""
    store = doc.user_data.get(USER_KEY)
    if store is None or name not in store:
        return [TOKEN_ATTRS[name]] * len(doc)
    return store[name]


def _store(doc: Doc) -> dict:
    store = doc.user_data.get(USER_KEY)
    if store is None or len(next(iter(store.values()), [])) != len(doc):
        store = {k: [v] * len(doc) for k, v in TOKEN_ATTRS.items()}
        doc.user_data[USER_KEY] = store
    return store


def _extension(name: str):
    def getter(token: Token):
        store = token.doc.user_data.get(USER_KEY)
        return TOKEN_ATTRS[name] if store is None else store[name][token.i]

    def setter(token: Token, value) -> None:
        _store(token.doc)[name][token.i] = value

    return getter, setter


for _name in TOKEN_ATTRS:
    if not Token.has_extension(_name):
        _get, _set = _extension(_name)
        Token.set_extension(_name, getter=_get, setter=_set)
if not Doc.has_extension("restore_mode"):
    Doc.set_extension("restore_mode", default=None)

# forms the case head cannot express
FIXED_FORMS = {"i": "I", "ok": "OK", "tv": "TV", "mr": "Mr", "mrs": "Mrs", "ms": "Ms",
               "dr": "Dr", "st": "St", "jr": "Jr"}
_JOINERS = {"'", "-", "join.", "join,"}
_SENT_END_CHARS = {".", "?", "!"}
_CLOSERS = set("\"'\u201d\u2019)]")
_ABBREV = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col",
           "sgt", "capt", "prof", "rev", "hon", "no", "vs", "etc", "inc", "co", "corp", "ltd",
           "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
           "nov", "dec", "e", "g", "i", "a", "m", "p", "u", "s", "k", "n", "d", "c"}


def detect_mode(doc: Doc, min_rate: float = 1 / 60) -> str:
    """``keep`` when the text already carries sentence punctuation and capitals."""
    n_words = n_final = 0
    upper = False
    for t in doc:
        if is_word(t):
            n_words += 1
            upper = upper or not t.text.islower()
        elif t.text in _SENT_END_CHARS:
            n_final += 1
    if n_words == 0:
        return "keep"
    return "keep" if upper and n_final >= max(1, n_words * min_rate) else "restore"


class Restorer:
    """The restorer pipe. See the module docstring."""

    def __init__(self, nlp: Language, name: str = "transcript_restorer", *, model_path: str,
                 mode: str = "auto", threshold: float = 0.5, ensemble: bool = False,
                 rescan_label: float = 1.01, raw_labels: bool = False,
                 raw_label_prefixes: Sequence[str] = (), raw_label_titles: Sequence[str] = (),
                 raw_label_renames: Optional[Dict[str, str]] = None, raw_label_sites: int = 5,
                 raw_label_ratio: float = 1.0, raw_label_floor: float = 0.05,
                 raw_label_joiners: Sequence[str] = (), raw_label_probe: int = 16,
                 raw_label_lone_title: str = "", contractions: bool = True,
                 unnamed_label_numbers: int = 0, unnamed_label_words: Sequence[str] = (),
                 unnamed_label_places: int = 3, unnamed_label_boundary: float = 0.1):
        if mode not in ("auto", "restore", "keep"):
            raise PipelineError("T102", f"restorer mode must be auto, restore or keep, not {mode!r}")
        if not 0.0 < threshold < 1.0:
            raise PipelineError("T102", f"restorer threshold must lie in (0, 1), not {threshold}")
        if not 0.0 < rescan_label <= 1.01:
            raise PipelineError("T102", f"restorer rescan_label must lie in (0, 1.01], not "
                                f"{rescan_label}")
        if (raw_label_sites < 1 or raw_label_ratio < 0 or not 0.0 <= raw_label_floor <= 1.0
                or raw_label_probe < 0):
            raise PipelineError("T102", "restorer raw_label_sites must be 1 or more, "
                                "raw_label_ratio and raw_label_probe 0 or more and "
                                "raw_label_floor in [0, 1]")
        if (not 0 <= unnamed_label_numbers <= 4 or unnamed_label_places < 1
                or not 0.0 <= unnamed_label_boundary <= 1.0):
            raise PipelineError("T102", "restorer unnamed_label_numbers must lie in [0, 4], "
                                "unnamed_label_places be 1 or more and unnamed_label_boundary "
                                "lie in [0, 1]")
        self.name = name
        self.mode = mode
        self.unnamed = UnnamedLabels.from_config({
            "unnamed_label_numbers": unnamed_label_numbers,
            "unnamed_label_words": unnamed_label_words,
            "unnamed_label_places": unnamed_label_places,
            "unnamed_label_boundary": unnamed_label_boundary})
        self.raw = RawLabels.from_config({
            "raw_labels": raw_labels, "raw_label_prefixes": raw_label_prefixes,
            "raw_label_titles": raw_label_titles, "raw_label_renames": raw_label_renames or {},
            "raw_label_sites": raw_label_sites, "raw_label_ratio": raw_label_ratio,
            "raw_label_floor": raw_label_floor, "raw_label_joiners": raw_label_joiners,
            "raw_label_probe": raw_label_probe, "raw_label_lone_title": raw_label_lone_title})
        self.threshold = threshold
        self.ensemble = ensemble
        self.rescan_label = rescan_label
        self.model_path = resolve(model_path)
        self.model = RestorerModel.from_disk(self.model_path, members=ensemble)
        self.truecase = self._load_truecase(self.model_path)
        self.common_words = self._load_common_words(self.model_path)
        self.contractions = (Contractions.from_dir(self.model_path) if contractions
                             else Contractions())

    @staticmethod
    def _load_truecase(path: Path) -> Dict[str, str]:
        f = path / "truecase.json"
        return json.loads(f.read_text(encoding="utf-8")) if f.exists() else {}

    @staticmethod
    def _load_common_words(path: Path) -> FrozenSet[str]:
        """The words the training text writes in lower case (``common_words.json``; read once
        per process with the turn rules' copy, :func:`pipeline.resources.word_set`)."""
        f = path / "common_words.json"
        return word_set(f.resolve()) if f.exists() else frozenset()

    def _predict(self, docs: List[List[str]]) -> List[Prediction]:
        """The model's tags of each word list, read again where a speaker's name is a common
        word (`price`, `grant`), which the network reads as the noun at most of the speaker's
        turns (`what exactly is he hopeful about price he is`: label start 0.001). Such a
        word (:meth:`_common_names`) is hidden from the vocabulary, as the made-up surnames
        of training are, and the document is read again; where the word's label start is
        then higher, its tags and the punctuation before it are taken from that reading
        (Price's turns 0.19 to 0.98, `the price of that violence` 0.0), all else stays as
        first read. Only such documents pay for the second pass; ``rescan_label`` 1.01
        disables."""
        preds = self._tag(docs)
        if self.rescan_label > 1.0:
            return preds
        again = []
        for n, (words, pred) in enumerate(zip(docs, preds)):
            hidden = self._common_names(words, pred)
            if hidden:
                again.append((n, hidden))
        if again:
            redo = self._tag([docs[n] for n, _ in again],
                             unknown=[hidden for _, hidden in again])
            for (n, hidden), second in zip(again, redo):
                preds[n].take_labels(second, [k for k, w in enumerate(docs[n])
                                              if w.lower() in hidden])
        return preds

    def _tag(self, docs: Sequence[Sequence[str]], **kwargs) -> List[Prediction]:
        """The network's tags, one row per word; a contraction written without its
        apostrophe (`dont`) is read as its two words (:mod:`pipeline.contractions`)."""
        return self.contractions.tag(self.model.predict_many, docs, **kwargs)

    def _common_names(self, words: List[str], pred: Prediction) -> Set[str]:
        """The words that :meth:`_predict` reads again as names: in the vocabulary, no role
        word and none the training text always writes in lower case (``common_words.json``:
        `authoritarian`, `quantify` are no names), a label start of ``rescan_label`` or more
        somewhere, while at the word's other uses the label head mostly says no and the
        case head mostly writes it in lower case (the noun, not a name the network knows:
        `putin` stays as it is)."""
        p_start = pred.mark[:, 1]
        sure = {words[k].lower() for k in np.flatnonzero(p_start >= self.rescan_label)}
        vocab = self.model.featurizer.vocab
        sure = {w for w in sure if w in vocab and w.isalpha() and len(w) >= 3
                and w not in ROLE_WORDS and w not in self.common_words}
        if not sure:
            return set()
        lower = pred.case[:, CASE.index("lower")]
        other: Dict[str, List[int]] = {}
        for k, w in enumerate(words):
            w = w.lower()
            if w in sure and p_start[k] < self.rescan_label:
                other.setdefault(w, []).append(k)
        return {w for w, at in other.items()
                if sum(lower[k] for k in at) >= 0.5 * len(at)
                and sum(p_start[k] >= 0.5 for k in at) < 0.5 * len(at)}

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterable[Doc]:
        """Restore docs in batches: the model tags all of a batch's words in one pass."""
        for batch in minibatch(docs, size=batch_size):
            todo = []
            for doc in batch:
                mode = detect_mode(doc) if self.mode == "auto" else self.mode
                doc._.restore_mode = mode
                if mode == "keep":
                    self._keep(doc)
                else:
                    todo.append((doc, [t.i for t in doc if is_word(t)]))
            texts = [[doc[i].text for i in idx] for doc, idx in todo]
            preds = self._predict(texts)
            for (doc, idx), words, pred in zip(todo, texts, preds):
                self.unnamed.reread(words, pred, self._tag)
                prefixes = self.raw.reread(words, pred, self._tag)
                self._restore(doc, idx, words, pred)
                label_prefix = _store(doc)["label_prefix"]
                for k in prefixes:
                    label_prefix[idx[k]] = True
            yield from batch

    # -- modes -------------------------------------------------------------
    def _restore(self, doc: Doc, idx: List[int], words: List[str], pred) -> None:
        pb = pred.p_boundary
        ends = pb >= self.threshold
        punct = pred.punct.argmax(axis=1)
        final = pred.punct[:, list(SENT_FINAL)].argmax(axis=1)
        case = pred.case.argmax(axis=1)
        store = _store(doc)
        splits = self.contractions.splits(words)  # `dont` -> `Don't`
        restored, punct_after = store["restored"], store["punct_after"]
        label_start, label_inside, sent_end = store["label_start"], store["label_inside"], store["sent_end"]
        starts = set()
        prev_end = True
        for k, i in enumerate(idx):
            if prev_end:
                starts.add(i)
            if ends[k]:
                punct_after[i] = PUNCT[SENT_FINAL[int(final[k])]]
            else:
                p = int(punct[k])
                punct_after[i] = "" if p in SENT_FINAL else PUNCT[p]
            c = int(case[k])
            hit = splits[k] if splits else None
            restored[i] = (self.contractions.render(hit, lambda w: self._case(w, c)) if hit
                           else self._case(doc[i].text, c))
            label_start[i] = float(pred.mark[k, 1])
            label_inside[i] = float(pred.mark[k, 2])
            sent_end[i] = float(pb[k])
            prev_end = bool(ends[k])
        set_sent_starts(doc, starts)

    def _case(self, word: str, c: int) -> str:
        low = word.lower()
        if low in FIXED_FORMS:
            return FIXED_FORMS[low]
        if CASE[c] == "lower":
            return low
        if low in self.truecase:
            return self.truecase[low]
        return word.upper() if CASE[c] == "upper" else low[:1].upper() + low[1:]

    def _keep(self, doc: Doc) -> None:
        """Sentences from existing punctuation and line breaks."""
        n = len(doc)
        starts = {0} if n else set()
        _store(doc)["restored"] = [t.text for t in doc]
        for t in doc:
            if t.is_space and "\n" in t.text and t.i + 1 < n:
                starts.add(t.i + 1)
            if t.text in _SENT_END_CHARS:
                j = t.i + 1
                while j < n and (doc[j].text in _CLOSERS or doc[j].text in _SENT_END_CHARS):
                    j += 1
                k = j
                while k < n and doc[k].is_space:
                    k += 1
                if k >= n or not (doc[j - 1].whitespace_ or doc[j].is_space):
                    continue
                nxt = doc[k].text
                prev = doc[t.i - 1].text.lower() if t.i else ""
                if t.text == "." and prev in _ABBREV and not nxt[:1].isdigit():
                    continue
                if nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "\"\u201c'(\u2018[-":
                    starts.add(k)
        set_sent_starts(doc, {i for i in starts if not doc[i].is_space})

    # -- serialisation -----------------------------------------------------
    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.to_disk(path)
        if self.truecase:
            (path / "truecase.json").write_text(json.dumps(self.truecase), encoding="utf-8")
        if self.common_words:
            (path / "common_words.json").write_text(json.dumps(sorted(self.common_words)),
                                                    encoding="utf-8")
        if self.contractions:
            (path / CONTRACTIONS_FILE).write_text(self.contractions.to_json(), encoding="utf-8")
        (path / "cfg.json").write_text(json.dumps({"mode": self.mode, "threshold": self.threshold,
                                                   "ensemble": self.ensemble,
                                                   "rescan_label": self.rescan_label,
                                                   **self.raw.config(),
                                                   **self.unnamed.config()}),
                                       encoding="utf-8")

    def from_disk(self, path, *, exclude=tuple()) -> "Restorer":
        path = Path(path)
        cfg = path / "cfg.json"
        if cfg.exists():
            data = json.loads(cfg.read_text(encoding="utf-8"))
            self.mode, self.threshold = data["mode"], data["threshold"]
            self.ensemble = data.get("ensemble", False)
            self.rescan_label = data.get("rescan_label", 1.01)
            self.raw = RawLabels.from_config(data)
            self.unnamed = UnnamedLabels.from_config(data)
        self.model = RestorerModel.from_disk(path, members=self.ensemble)
        self.truecase = self._load_truecase(path)
        if (path / "common_words.json").exists():
            self.common_words = self._load_common_words(path)
        self.contractions = Contractions.from_dir(path)
        return self


@Language.factory(
    "transcript_restorer",
    assigns=["token.is_sent_start", "token._.restored", "token._.punct_after",
             "token._.label_start", "token._.label_inside", "token._.sent_end",
             "token._.label_prefix", "doc._.restore_mode"],
    default_config={"model_path": "models/restorer", "mode": "auto", "threshold": 0.5,
                    "ensemble": False, "rescan_label": 1.01, "raw_labels": False,
                    "raw_label_prefixes": [], "raw_label_titles": [], "raw_label_renames": {},
                    "raw_label_sites": 5, "raw_label_ratio": 1.0, "raw_label_floor": 0.05,
                    "raw_label_joiners": [], "raw_label_probe": 16,
                    "raw_label_lone_title": "", "contractions": True,
                    "unnamed_label_numbers": 0, "unnamed_label_words": [],
                    "unnamed_label_places": 3, "unnamed_label_boundary": 0.1},
)
def make_restorer(nlp: Language, name: str, model_path: str, mode: str,
                  threshold: float, ensemble: bool, rescan_label: float, raw_labels: bool,
                  raw_label_prefixes: List[str], raw_label_titles: List[str],
                  raw_label_renames: Dict[str, str], raw_label_sites: int,
                  raw_label_ratio: float, raw_label_floor: float,
                  raw_label_joiners: List[str], raw_label_probe: int,
                  raw_label_lone_title: str, contractions: bool, unnamed_label_numbers: int,
                  unnamed_label_words: List[str], unnamed_label_places: int,
                  unnamed_label_boundary: float) -> Restorer:
    return Restorer(nlp, name, model_path=model_path, mode=mode, threshold=threshold,
                    ensemble=ensemble, rescan_label=rescan_label, raw_labels=raw_labels,
                    raw_label_prefixes=raw_label_prefixes, raw_label_titles=raw_label_titles,
                    raw_label_renames=raw_label_renames, raw_label_sites=raw_label_sites,
                    raw_label_ratio=raw_label_ratio, raw_label_floor=raw_label_floor,
                    raw_label_joiners=raw_label_joiners, raw_label_probe=raw_label_probe,
                    raw_label_lone_title=raw_label_lone_title, contractions=contractions,
                    unnamed_label_numbers=unnamed_label_numbers,
                    unnamed_label_words=unnamed_label_words,
                    unnamed_label_places=unnamed_label_places,
                    unnamed_label_boundary=unnamed_label_boundary)


# -- rendering ---------------------------------------------------------------
def render(doc: Doc, start: int, end: int, skip: Optional[set] = None,
           sentence_case: bool = True) -> Tuple[str, List[Tuple[int, int, int]]]:
    """Readable text for tokens ``[start, end)`` and ``(token_i, char_start, char_end)``
    for every word in it. In ``keep`` mode the original text is returned as it is.
    Sentence starts are capitalised and every sentence gets final punctuation."""
    skip = skip or set()
    if doc._.restore_mode == "keep":
        if start >= end:
            return "", []
        base = doc[start].idx
        text = doc[start:end].text
        return text, [(t.i, t.idx - base, t.idx - base + len(t)) for t in doc[start:end]
                      if not t.is_space and t.i not in skip]
    parts: List[str] = []
    offsets: List[Tuple[int, int, int]] = []
    pos = 0
    restored, punct_after = token_values(doc, "restored"), token_values(doc, "punct_after")
    words = [t for t in doc[start:end] if is_word(t) and t.i not in skip]
    for k, t in enumerate(words):
        form = restored[t.i] or t.text
        last = k == len(words) - 1
        nxt_start = not last and words[k + 1].is_sent_start
        if sentence_case and (k == 0 or t.is_sent_start) and form[:1].islower():
            form = form[:1].upper() + form[1:]
        offsets.append((t.i, pos, pos + len(form)))
        parts.append(form)
        pos += len(form)
        p = punct_after[t.i]
        if (last or nxt_start) and sentence_case and p not in (".", "?", "!"):
            p = "."
        sep = PUNCT_RENDER.get(p, " ")
        if last:
            sep = sep.rstrip()
        parts.append(sep)
        pos += len(sep)
    return "".join(parts), offsets
