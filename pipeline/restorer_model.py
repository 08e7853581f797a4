"""The restorer's tagging model: features and a NumPy forward pass.

One pass over the lowercased words of a transcript predicts, for every word,
what follows it (nothing, ``.``, ``?``, ``,``, an apostrophe join, ...), how it
is cased, and whether it is part of an inline speaker label. The network is a
small residual dilated CNN (trained with PyTorch by ``pipeline.train_restorer``)
whose weights are shipped as a ``.npz`` file, so the runtime needs NumPy only.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Dict, List, Sequence

import numpy as np

from .errors import PipelineError

# What follows a word. Sentence-final classes end a sentence.
PUNCT = ["", ".", "?", "!", ",", ":", "abbr.", "'", "-", "join.", "join,"]
PUNCT_RENDER = {
    "": " ", ".": ". ", "?": "? ", "!": "! ", ",": ", ", ":": ": ", "abbr.": ". ",
    "'": "'", "-": "-", "join.": ".", "join,": ",",
}
SENT_FINAL = (PUNCT.index("."), PUNCT.index("?"), PUNCT.index("!"))
CASE = ["lower", "cap", "upper"]
MARK = ["O", "B", "I"]

N_AFFIX = 8192
UNK, NUM = 0, 1
# Label words that name a role, not a person: never swapped by the name augmentation of
# training, never hidden by a rescan (RestorerModel.predict_many's ``unknown``).
ROLE_WORDS = frozenset("""question q remark reply moderator staff aide operator announcer interpreter
translator through via off mike mic senior administration official officials audience participant
reporter journalist member members unidentified voice voices male female speaker the president vice
prime minister mr ms mrs dr secretary general press of russia united states narrator as interpreted
an a""".split())


def _bucket(n: int) -> int:
    return 0 if n <= 1 else 1 if n == 2 else 2 if n <= 4 else 3 if n <= 7 else 4


def shape_id(word: str) -> int:
    """A small categorical shape: digit class x length bucket."""
    digit = 2 if word.isdigit() else 1 if any(c.isdigit() for c in word) else 0
    return digit * 5 + _bucket(len(word))


N_SHAPE = 15


def _affix(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % N_AFFIX


@dataclass(frozen=True)
class Architecture:
    word_dim: int = 128
    affix_dim: int = 32
    shape_dim: int = 16
    hidden: int = 256
    dilations: tuple = (1, 2, 4, 8, 1)
    gru: int = 0  # hidden size of each direction of a BiGRU after the CNN (0: none)
    vec_dim: int = 0  # width of the frozen pretrained word vectors (0: none)

    @property
    def context(self) -> int:
        """The CNN's receptive field, in words each side."""
        return sum(self.dilations)

    gru_context: int = 64  # words each side that warm up the BiGRU in every window


class Featurizer:
    """Maps words to the integer feature rows the network embeds."""

    def __init__(self, vocab: Sequence[str], vectors: Dict[str, int] | None = None):
        """``vectors``: the row of each word in the pretrained vector table (row 0: none),
        an extra feature column when given."""
        self.vocab: Dict[str, int] = {w: i + 2 for i, w in enumerate(vocab)}
        self.vectors = vectors
        self._cache: Dict[str, tuple] = {}

    def __len__(self) -> int:
        return len(self.vocab) + 2

    @property
    def width(self) -> int:
        """Feature columns: word, prefix, suffix, shape (and vector row)."""
        return 5 if self.vectors is not None else 4

    def row(self, word: str) -> tuple:
        hit = self._cache.get(word)
        if hit is None:
            wid = self.vocab.get(word)
            if wid is None:
                wid = NUM if word.isdigit() else UNK
            hit = (wid, _affix("p:" + word[:3]), _affix("s:" + word[-3:]), shape_id(word))
            if self.vectors is not None:
                hit += (self.vectors.get(word, 0),)
            if len(self._cache) < 500_000:
                self._cache[word] = hit
        return hit

    def __call__(self, words: Sequence[str]) -> np.ndarray:
        if not words:
            return np.zeros((0, self.width), dtype=np.int64)
        return np.array([self.row(w) for w in words], dtype=np.int64)


@dataclass
class Prediction:
    punct: np.ndarray  # (T, len(PUNCT)) probabilities
    case: np.ndarray  # (T, len(CASE))
    mark: np.ndarray  # (T, len(MARK))

    @property
    def p_boundary(self) -> np.ndarray:
        """Probability that a sentence ends after each word."""
        return self.punct[:, list(SENT_FINAL)].sum(axis=1)

    def take_labels(self, second: "Prediction", at: Sequence[int]) -> None:
        """Take ``second``'s tags (a second reading of the same words) at each word of
        ``at`` whose label start it scores higher, and its punctuation of the word before."""
        for k in at:
            if second.mark[k, 1] > self.mark[k, 1]:
                self.mark[k] = second.mark[k]
                self.case[k] = second.case[k]
                if k:
                    self.punct[k - 1] = second.punct[k - 1]


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=1, keepdims=True)
    return x


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def _gru(x: np.ndarray, w_ih, w_hh, b_ih, b_hh, reverse: bool) -> np.ndarray:
    """PyTorch's GRU (gates r, z, n) over a batch of sequences ``x`` (B, T, D)."""
    B, T, _ = x.shape
    H = w_hh.shape[1]
    gx = x @ w_ih.T + b_ih  # (B, T, 3H)
    h = np.zeros((B, H), dtype=np.float32)
    out = np.empty((B, T, H), dtype=np.float32)
    w_hh_t = np.ascontiguousarray(w_hh.T)
    steps = range(T - 1, -1, -1) if reverse else range(T)
    for t in steps:
        gh = h @ w_hh_t + b_hh
        g = gx[:, t]
        r = _sigmoid(g[:, :H] + gh[:, :H])
        z = _sigmoid(g[:, H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(g[:, 2 * H:] + r * gh[:, 2 * H:])
        h = (1.0 - z) * n + z * h
        out[:, t] = h
    return out


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-5) * g + b


class RestorerModel:
    """Weights plus the forward pass; ``predict(words)`` tags one word sequence.

    A model may hold several networks of one architecture and vocabulary (``members`` of
    ``meta.json``, each a folder with its own ``weights.npz``, trained with another seed): its
    probabilities are then the mean of theirs, an ensemble."""

    FILES = ("weights.npz", "vocab.json", "meta.json")
    VECTORS = "vectors.json"  # word -> row of ``emb_vec``, with ``vec_dim``

    def __init__(self, weights: Dict[str, np.ndarray], vocab: List[str], meta: dict,
                 members: Sequence[tuple] = (), vectors: Dict[str, int] | None = None):
        """``members``: (weights, meta) of the networks after the first; ``vectors``: the
        pretrained vector row of each word (needed with ``vec_dim``)."""
        self.meta = {k: v for k, v in meta.items() if k != "members"}
        self.member_meta = [m for _, m in members]
        self.arch = Architecture(**{k: tuple(v) if k == "dilations" else v
                                    for k, v in meta["architecture"].items()})
        self.vocab = list(vocab)
        if self.arch.vec_dim and vectors is None:
            raise PipelineError("T101", "a restorer with pretrained vectors needs their word "
                                f"map ({self.VECTORS})")
        self.featurizer = Featurizer(self.vocab, vectors if self.arch.vec_dim else None)
        self.nets = [{k: np.asarray(v, dtype=np.float32) for k, v in net.items()}
                     for net in (weights, *(w for w, _ in members))]
        self.window = int(meta.get("window", 256 if self.arch.gru else 2048))

    @property
    def vectors(self) -> Dict[str, int] | None:
        """The pretrained vector row of each word (``None`` without ``vec_dim``)."""
        return self.featurizer.vectors

    @property
    def w(self) -> Dict[str, np.ndarray]:
        """The first network's weights."""
        return self.nets[0]

    @staticmethod
    def _read(path: Path, files: Sequence[str] = FILES) -> tuple:
        missing = [f for f in files if not (path / f).exists()]
        if missing:
            raise PipelineError("T101", f"restorer model folder {path} lacks {', '.join(missing)}; "
                                "retrain it with `python -m pipeline.train_restorer` or fix "
                                "`model_path` in the config")
        with np.load(path / "weights.npz") as z:
            weights = {k: z[k] for k in z.files}
        vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8")) \
            if (path / "vocab.json").exists() else None
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        return weights, vocab, meta

    @classmethod
    def from_disk(cls, path: Path | str, members: bool = True) -> "RestorerModel":
        """Load a model folder; ``members=False`` keeps its first network only. A member
        folder holds ``weights.npz`` and ``meta.json``, and may leave out ``vocab.json``."""
        path = Path(path)
        weights, vocab, meta = cls._read(path)
        nets = []
        for sub in meta.get("members", []) if members else []:
            m_weights, m_vocab, m_meta = cls._read(path / sub, ("weights.npz", "meta.json"))
            cls.check_member(path, vocab, meta, path / sub, m_vocab, m_meta)
            nets.append((m_weights, m_meta))
        vectors = (json.loads((path / cls.VECTORS).read_text(encoding="utf-8"))
                   if (path / cls.VECTORS).exists() else None)
        return cls(weights, vocab, meta, nets, vectors)

    @staticmethod
    def check_member(path: Path, vocab: List[str], meta: dict, sub: Path,
                     m_vocab: List[str] | None, m_meta: dict) -> None:
        """T101 unless the network in ``sub`` can join the model in ``path``."""
        if m_vocab not in (None, vocab) or m_meta["architecture"] != meta["architecture"] \
                or m_meta.get("labels") != meta.get("labels"):
            raise PipelineError("T101", f"restorer member {sub} differs from {path} in "
                                "vocabulary, architecture or labels; members must come from "
                                "the same training data and command, seed aside")

    @classmethod
    def add_member(cls, path: Path | str, src: Path | str) -> str:
        """Copy the network of the model folder ``src`` into ``path/members/N`` and list it in
        ``path/meta.json``; returns ``members/N``."""
        path, src = Path(path), Path(src)
        _, vocab, meta = cls._read(path)
        _, m_vocab, m_meta = cls._read(src)
        cls.check_member(path, vocab, meta, src, m_vocab, m_meta)
        subs = list(meta.get("members", []))
        k = 1
        while f"members/{k}" in subs or (path / "members" / str(k)).exists():
            k += 1
        sub = f"members/{k}"
        (path / sub).mkdir(parents=True)
        for f in ("weights.npz", "meta.json"):
            (path / sub / f).write_bytes((src / f).read_bytes())
        meta["members"] = subs + [sub]
        (path / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        return sub

    def to_disk(self, path: Path | str) -> None:
        """The first network in ``path``, the others in ``path/members/1``, ``2``, ... (their
        weights and meta; the vocabulary is the first network's)."""
        path = Path(path)
        subs = [f"members/{k}" for k in range(1, len(self.nets))]
        meta = dict(self.meta, members=subs) if subs else self.meta
        for sub, net, m in [("", self.nets[0], meta), *zip(subs, self.nets[1:], self.member_meta)]:
            folder = path / sub
            folder.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(folder / "weights.npz",
                                **{k: v.astype(np.float16) for k, v in net.items()})
            (folder / "meta.json").write_text(json.dumps(m, indent=2), encoding="utf-8")
        (path / "vocab.json").write_text(json.dumps(self.vocab), encoding="utf-8")
        if self.vectors is not None:
            (path / self.VECTORS).write_text(json.dumps(self.vectors), encoding="utf-8")

    # -- forward -----------------------------------------------------------
    def _cnn(self, feats: np.ndarray, w: Dict[str, np.ndarray]) -> np.ndarray:
        parts = [w["emb_word"][feats[:, 0]], w["emb_pre"][feats[:, 1]],
                 w["emb_suf"][feats[:, 2]], w["emb_shape"][feats[:, 3]]]
        if self.arch.vec_dim:
            parts.append(w["emb_vec"][feats[:, 4]])
        x = np.concatenate(parts, axis=1)
        h = np.maximum(x @ w["proj_w"] + w["proj_b"], 0.0)
        T, H = h.shape
        for i, d in enumerate(self.arch.dilations):
            pad = np.zeros((d, H), dtype=np.float32)
            hp = np.concatenate([pad, h, pad], axis=0)
            cat = np.concatenate([hp[0:T], hp[d:d + T], hp[2 * d:2 * d + T]], axis=1)
            c = np.maximum(cat @ w[f"conv{i}_w"] + w[f"conv{i}_b"], 0.0)
            h = _layer_norm(h + c, w[f"ln{i}_g"], w[f"ln{i}_b"])
        return h

    @staticmethod
    def _heads(h: np.ndarray, w: Dict[str, np.ndarray]) -> tuple:
        return (_softmax(h @ w["punct_w"] + w["punct_b"]),
                _softmax(h @ w["case_w"] + w["case_b"]),
                _softmax(h @ w["mark_w"] + w["mark_b"]))

    @staticmethod
    def _bigru(windows: List[np.ndarray], w: Dict[str, np.ndarray]) -> List[np.ndarray]:
        """BiGRU + residual + LayerNorm over windows of any lengths, as one batch: the
        forward pass sees them left-aligned, the backward pass right-aligned, so padding
        never precedes a real word in either direction."""
        n, H = len(windows), windows[0].shape[1]
        L = max(len(x) for x in windows)
        left = np.zeros((n, L, H), dtype=np.float32)
        right = np.zeros((n, L, H), dtype=np.float32)
        for k, x in enumerate(windows):
            left[k, :len(x)] = x
            right[k, L - len(x):] = x
        fwd = _gru(left, w["gru_w_ih"], w["gru_w_hh"], w["gru_b_ih"], w["gru_b_hh"], False)
        bwd = _gru(right, w["gru_w_ih_r"], w["gru_w_hh_r"], w["gru_b_ih_r"], w["gru_b_hh_r"], True)
        out = []
        for k, x in enumerate(windows):
            g = np.concatenate([fwd[k, :len(x)], bwd[k, L - len(x):]], axis=1)
            g = g @ w["gru_proj_w"] + w["gru_proj_b"]
            out.append(_layer_norm(x + g, w["gru_ln_g"], w["gru_ln_b"]))
        return out

    def _encode(self, feats: np.ndarray, w: Dict[str, np.ndarray]) -> np.ndarray:
        """CNN features of a whole sequence, in chunks with receptive-field margins."""
        T = len(feats)
        ctx, step = self.arch.context, 2048
        out = np.empty((T, self.arch.hidden), dtype=np.float32)
        for lo in range(0, T, step):
            hi = min(T, lo + step)
            a, b = max(0, lo - ctx), min(T, hi + ctx)
            out[lo:hi] = self._cnn(feats[a:b], w)[lo - a:hi - a]
        return out

    def predict(self, words: Sequence[str]) -> Prediction:
        """Tag one word sequence of any length (bounded memory)."""
        return self.predict_many([words])[0]

    def predict_many(self, docs: Sequence[Sequence[str]], max_windows: int = 256,
                     unknown: Sequence[Collection[str]] = ()) -> List[Prediction]:
        """Tag several word sequences; BiGRU windows of all of them run as one batch. With
        several networks, each probability is the mean of theirs. ``unknown``: for each
        sequence, words read as out of the vocabulary (their affixes and shape kept), as the
        made-up names of training are."""
        feats = [self.featurizer([w.lower() for w in words]) for words in docs]
        for f, words, hidden in zip(feats, docs, unknown):
            if hidden:
                rows = [w.lower() in hidden for w in words]
                f[rows, 0] = UNK
                if self.vectors is not None:
                    f[rows, 4] = 0
        runs = [self._run(feats, net, max_windows) for net in self.nets]
        if len(runs) == 1:
            return runs[0]
        return [Prediction(*(sum(p[k] for p in preds) / len(preds) for k in range(3)))
                for preds in zip(*([(r.punct, r.case, r.mark) for r in run] for run in runs))]

    def _run(self, feats: List[np.ndarray], w: Dict[str, np.ndarray],
             max_windows: int) -> List[Prediction]:
        """One network over featurised sequences."""
        hs = [self._encode(f, w) for f in feats]
        if self.arch.gru:
            ctx, step = self.arch.gru_context, self.window
            jobs = []  # (doc, lo, hi, a, b)
            for d, h in enumerate(hs):
                T = len(h)
                for lo in range(0, T, step):
                    hi = min(T, lo + step)
                    jobs.append((d, lo, hi, max(0, lo - ctx), min(T, hi + ctx)))
            new = [np.empty_like(h) for h in hs]
            for g in range(0, len(jobs), max_windows):
                group = jobs[g:g + max_windows]
                res = self._bigru([hs[d][a:b] for d, _, _, a, b in group], w)
                for (d, lo, hi, a, _), r in zip(group, res):
                    new[d][lo:hi] = r[lo - a:hi - a]
            hs = new
        out = []
        for h in hs:
            if len(h) == 0:
                out.append(Prediction(np.zeros((0, len(PUNCT)), np.float32),
                                      np.zeros((0, len(CASE)), np.float32),
                                      np.zeros((0, len(MARK)), np.float32)))
            else:
                out.append(Prediction(*self._heads(h, w)))
        return out
