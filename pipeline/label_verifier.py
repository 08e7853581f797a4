"""Second stage of label detection: a small model that finds labels the rules missed.

The hand rules of :class:`~pipeline.turns.TurnSegmenter` accept labels from the restorer's
label head and from the document's label lexicon. The verifier scores every other
candidate (every word the label head gives a fair chance, every further use of a label
name) with the whole document in view: the label and sentence-end scores around it, how
often the name opens turns and occurs at all, whether it is the current speaker or was
just addressed (`thank you bharat`), whether the document names it after a person's title
(`good afternoon mr sobyanin`) or after a preposition (`in dagestan`), how long the turns
around it would be. A candidate at or above the threshold becomes a label. The model is a
logistic regression, or an MLP with one tanh hidden layer where that scores better on
unseen text. Trained by ``python -m pipeline.train_verifier`` (see
models/turn_verifier/MODEL_CARD.md); the weights are a small JSON file read with numpy only.
"""
from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Set, Tuple

import numpy as np

from .errors import PipelineError
from .phrases import by_first, positions

FEATURES = (
    "label_logit", "inside_logit", "name_words", "end_before_logit", "end_after_logit",
    "rule", "qualified", "known", "generic", "name_labels_log", "name_dominance",
    "name_uses_log", "after_title", "after_veto", "after_weak_veto", "before_non_opener",
    "before_and_or", "before_first_label", "is_current_speaker", "name_addressed",
    "since_label_log", "until_label_log", "next_label_logit", "position",
    "name_titled_log", "name_after_preposition_log",
)
VERSION = 2  # 2: optional hidden layer (hidden_weights, hidden_bias)
TREES_VERSION = 3  # boosted trees (BoostedVerifier): kind "boosted_trees"
# a person's title before a name anywhere in the document (`putin good afternoon mr sobyanin`):
# someone present, likely to speak; a determiner or preposition before it (`in dagestan`, `to
# the pandemics`) is how places and things are named
PERSONAL_TITLES = frozenset({"mr", "mrs", "ms", "mister", "dr"})
BEFORE_NOUN = frozenset({"the", "a", "an", "of", "in", "to", "from", "with", "for", "by", "at",
                         "on", "into", "about"})


@dataclass
class Candidate:
    k: int  # word index of the first label word
    end: int  # word index after the label (qualifiers included)
    name: str
    quals: Tuple[str, ...]
    rule: bool  # accepted by the hand rules


@dataclass
class Context:
    """Word lists of the speaker book the features need."""
    titles: Set[str]
    not_before_label: Set[str]
    not_before_weak_label: Set[str]
    non_openers: Set[str]
    roster: Set[str]
    generic: Set[str]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def features(ws: Sequence[str], p_start: Sequence[float], p_in: Sequence[float],
             p_end: Sequence[float], cands: List[Candidate], ctx: Context) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate (document-level counts from the rule labels)."""
    n = len(ws)
    rules = sorted((c.k, c.name) for c in cands if c.rule)
    rule_ks = [k for k, _ in rules]
    labels_of = Counter(name for _, name in rules)
    first_words = {}
    for c in cands:
        first_words.setdefault(c.name, tuple(c.name.split()))
    at = positions(ws, by_first({phrase: " ".join(phrase) for phrase in first_words.values()}))
    uses = Counter({name: len(pos) for name, pos in at.items()})
    titled = {name: sum(1 for p in pos if p and ws[p - 1] in PERSONAL_TITLES)
              for name, pos in at.items()}
    after_prep = {name: sum(1 for p in pos if p and ws[p - 1] in BEFORE_NOUN)
                  for name, pos in at.items()}
    rows = []
    for c in cands:
        k, end = c.k, c.end
        name_end = k + len(first_words[c.name])
        inside = [_logit(p_in[i]) for i in range(k + 1, min(name_end, n))]
        i = bisect_left(rule_ks, k)
        prev_rule = rules[i - 1] if i else None
        j = bisect_right(rule_ks, k)
        next_k = rule_ks[j] if j < len(rule_ks) else n
        pos = at.get(c.name, [])
        a = bisect_left(pos, max(0, k - 30))
        addressed = a < len(pos) and pos[a] < k
        prev = ws[k - 1] if k else ""
        nxt = ws[end] if end < n else ""
        rows.append((
            _logit(p_start[k]),
            sum(inside) / len(inside) if inside else 0.0,
            float(len(first_words[c.name])),
            _logit(p_end[k - 1]) if k else 9.2,
            _logit(p_end[end - 1]) if end else 0.0,
            float(c.rule),
            float(bool(c.quals)),
            float(c.name in ctx.roster or c.name in ctx.generic),
            float(c.name in ctx.generic),
            math.log1p(labels_of[c.name]),
            labels_of[c.name] / max(1, uses[c.name]),
            math.log1p(uses[c.name]),
            float(prev in ctx.titles),
            float(prev in ctx.not_before_label),
            float(prev in ctx.not_before_weak_label),
            float(nxt in ctx.non_openers),
            float(nxt in ("and", "or")),
            float(prev_rule is None),
            float(prev_rule is not None and prev_rule[1] == c.name),
            float(addressed),
            math.log1p(k - prev_rule[0]) if prev_rule else math.log1p(k),
            math.log1p(next_k - k),
            _logit(p_start[end]) if end < n else 0.0,
            k / max(1, n),
            math.log1p(titled.get(c.name, 0)),
            math.log1p(after_prep.get(c.name, 0)),
        ))
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


class Verifier:
    """What every verifier shares: a threshold, what it does with the rules' labels, an
    atomic file write."""
    threshold: float
    indent: Optional[int] = 1  # JSON indentation of the file (None: one line)
    # False: the rules' labels are kept (1.0). True: the verifier re-decides them too, all but
    # those with a qualifier (`retranslated`, `through translator`), which leave no doubt
    vetoes: bool = False

    def predict(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_dict(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def added(self, X: np.ndarray) -> np.ndarray:
        """The verifier's probability for each candidate, 1.0 for the rules' labels it keeps:
        all of them, or with :attr:`vetoes` those with a qualifier. A logistic verifier
        that dropped rule labels lost more than it gained on the tune split (attribution
        0.956 -> 0.930-0.955); the boosted trees' veto is measured in the model card."""
        if not len(X):
            return np.zeros(0)
        kept = X[:, FEATURES.index("rule")] > 0
        if self.vetoes:
            kept &= X[:, FEATURES.index("qualified")] > 0
        return np.where(kept, 1.0, self.predict(X))

    def to_file(self, path: Path | str, **extra) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        data = {**self.to_dict(), "vetoes_rules": self.vetoes, **extra}
        tmp.write_text(json.dumps(data, indent=self.indent), encoding="utf-8")
        tmp.replace(path)


class LabelVerifier(Verifier):
    """Logistic regression over standardised :data:`FEATURES`, optionally through one tanh
    hidden layer (a small MLP, so that features can act together)."""

    def __init__(self, weights: Sequence[float], bias: float, mean: Sequence[float],
                 scale: Sequence[float], threshold: float = 0.5,
                 hidden_weights: Optional[Sequence[Sequence[float]]] = None,
                 hidden_bias: Optional[Sequence[float]] = None):
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = float(bias)
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        self.threshold = threshold
        self.hidden_weights = (None if hidden_weights is None
                               else np.asarray(hidden_weights, dtype=np.float64))
        self.hidden_bias = None if hidden_bias is None else np.asarray(hidden_bias, dtype=np.float64)
        if (self.hidden_weights is None) != (self.hidden_bias is None):
            raise ValueError("hidden_weights and hidden_bias go together")
        n_in = len(self.mean)
        shape = (n_in, len(self.hidden_bias)) if self.hidden_bias is not None else None
        if (len(self.scale) != n_in
                or (shape and self.hidden_weights.shape != shape)
                or len(self.weights) != (shape[1] if shape else n_in)):
            raise ValueError(f"weights do not fit {n_in} features"
                             + (f" and {shape[1]} hidden units" if shape else ""))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probability that each candidate is a label."""
        if not len(X):
            return np.zeros(0)
        Z = (X - self.mean) / self.scale
        if self.hidden_weights is not None:
            Z = np.tanh(Z @ self.hidden_weights + self.hidden_bias)
        z = Z @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iters: int = 50,
            threshold: float = 0.5) -> "LabelVerifier":
        """Newton's method on the L2-penalised log loss (the bias is not penalised)."""
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale == 0] = 1.0
        Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
        w = np.zeros(Z.shape[1])
        pen = np.full(Z.shape[1], l2)
        pen[-1] = 0.0
        for _ in range(iters):
            p = 1.0 / (1.0 + np.exp(-(Z @ w)))
            grad = Z.T @ (p - y) + pen * w
            hess = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(pen + 1e-9)
            step = np.linalg.solve(hess, grad)
            w -= step
            if np.abs(step).max() < 1e-8:
                break
        return cls(w[:-1], w[-1], mean, scale, threshold)

    @classmethod
    def average(cls, models: Sequence["LabelVerifier"]) -> "LabelVerifier":
        """One verifier whose logit is the mean of the ``models``' logits (a bag of fits
        from several seeds): their hidden layers side by side, the output weights divided
        by their number. Exact, and the file keeps its format. The models must share the
        standardisation (fit on the same rows) and the threshold."""
        first = models[0]
        for m in models[1:]:
            if (not np.array_equal(m.mean, first.mean) or not np.array_equal(m.scale, first.scale)
                    or m.threshold != first.threshold):
                raise ValueError("only verifiers fit on the same rows with the same threshold "
                                 "can be averaged")
            if (m.hidden_weights is None) != (first.hidden_weights is None):
                raise ValueError("logistic and MLP verifiers are not averaged: one kind only")
        n = len(models)
        if first.hidden_weights is None:
            return cls(sum(m.weights for m in models) / n, sum(m.bias for m in models) / n,
                       first.mean, first.scale, first.threshold)
        return cls(np.concatenate([m.weights for m in models]) / n,
                   sum(m.bias for m in models) / n, first.mean, first.scale, first.threshold,
                   hidden_weights=np.hstack([m.hidden_weights for m in models]),
                   hidden_bias=np.concatenate([m.hidden_bias for m in models]))

    def to_dict(self) -> dict:
        out = {"version": VERSION, "features": list(FEATURES), "threshold": self.threshold,
               "bias": self.bias, "weights": self.weights.tolist(),
               "mean": self.mean.tolist(), "scale": self.scale.tolist()}
        if self.hidden_weights is not None:
            out["hidden_weights"] = self.hidden_weights.tolist()
            out["hidden_bias"] = self.hidden_bias.tolist()
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "LabelVerifier":
        return cls(data["weights"], data["bias"], data["mean"], data["scale"],
                   data.get("threshold", 0.5), data.get("hidden_weights"),
                   data.get("hidden_bias"))

    @classmethod
    def from_file(cls, path: Path | str) -> "LabelVerifier":
        model = read_verifier(path)
        if not isinstance(model, cls):
            raise PipelineError("T110", f"label verifier {path} holds {type(model).__name__}, "
                                f"not {cls.__name__}")
        return model


class BoostedVerifier(Verifier):
    """Gradient-boosted regression trees over the raw :data:`FEATURES`: the logit is a
    baseline plus one leaf value per tree, each split a test of one feature against a
    threshold (measured against the MLP in models/turn_verifier/MODEL_CARD.md, session 59:
    no better alone, and not shipped). Fit with scikit-learn's
    ``HistGradientBoostingClassifier`` (the ``train`` extra, :meth:`from_sklearn`); runs
    with numpy only. Each tree is arrays over its nodes:
    ``feature`` and ``threshold`` (a row goes ``left`` where its value is at most the
    threshold; a NaN goes left where ``missing_left``), ``left`` and ``right`` child indices,
    ``leaf``, and ``value`` (a leaf's share of the logit); node 0 is the root."""

    # a tree's node arrays and their types, in the file's order
    FIELDS = {"feature": np.int64, "threshold": np.float64, "left": np.int64, "right": np.int64,
              "value": np.float64, "leaf": bool, "missing_left": bool}
    indent = None  # thousands of numbers: one line, not one line each

    def __init__(self, trees: Sequence[dict], baseline: float, threshold: float = 0.5):
        self.baseline = float(baseline)
        self.threshold = threshold
        self.trees = []
        for t in trees:
            tree = {k: np.asarray(t[k], dtype=dtype) for k, dtype in self.FIELDS.items()}
            n = len(tree["leaf"])
            if not n or any(len(v) != n for v in tree.values()):
                raise ValueError("a tree's node arrays differ in length or are empty")
            inner = ~tree["leaf"]
            if (inner.any() and (tree["feature"][inner].min() < 0
                                 or tree["feature"][inner].max() >= len(FEATURES)
                                 or min(tree["left"][inner].min(), tree["right"][inner].min()) < 1
                                 or max(tree["left"][inner].max(),
                                        tree["right"][inner].max()) >= n)):
                raise ValueError(f"a tree's features or children are out of range "
                                 f"({len(FEATURES)} features, {n} nodes)")
            self.trees.append(tree)

    def logit(self, X: np.ndarray) -> np.ndarray:
        """The summed logit of each row of ``X``."""
        z = np.full(len(X), self.baseline)
        rows = np.arange(len(X))
        for t in self.trees:
            node = np.zeros(len(X), dtype=np.int64)
            live = ~t["leaf"][node]
            while live.any():
                r, nd = rows[live], node[live]
                x = X[r, t["feature"][nd]]
                go_left = np.where(np.isnan(x), t["missing_left"][nd], x <= t["threshold"][nd])
                node[live] = np.where(go_left, t["left"][nd], t["right"][nd])
                live = ~t["leaf"][node]
            z += t["value"][node]
        return z

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probability that each candidate is a label."""
        if not len(X):
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self.logit(np.asarray(X, dtype=np.float64))))

    @classmethod
    def from_sklearn(cls, model, threshold: float = 0.5) -> "BoostedVerifier":
        """A fitted binary ``HistGradientBoostingClassifier`` (numeric features only)."""
        trees = []
        for (pred,) in model._predictors:
            nodes = pred.nodes
            if pred.raw_left_cat_bitsets.size or nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            trees.append({"feature": nodes["feature_idx"].tolist(),
                          "threshold": nodes["num_threshold"].tolist(),
                          "left": nodes["left"].tolist(), "right": nodes["right"].tolist(),
                          "value": nodes["value"].tolist(),
                          "leaf": nodes["is_leaf"].astype(bool).tolist(),
                          "missing_left": nodes["missing_go_to_left"].astype(bool).tolist()})
        return cls(trees, float(np.ravel(model._baseline_prediction)[0]), threshold)

    def to_dict(self) -> dict:
        return {"version": TREES_VERSION, "kind": "boosted_trees", "features": list(FEATURES),
                "threshold": self.threshold, "baseline": self.baseline,
                "trees": [{k: t[k].tolist() for k in self.FIELDS} for t in self.trees]}

    @classmethod
    def from_dict(cls, data: dict) -> "BoostedVerifier":
        return cls(data["trees"], data["baseline"], data.get("threshold", 0.5))


def read_verifier(path: Path | str) -> Verifier:
    """The verifier in ``path``: a :class:`BoostedVerifier` where the file's ``kind`` is
    ``boosted_trees``, else a :class:`LabelVerifier` (logistic or MLP)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PipelineError("T110", f"label verifier {path} cannot be read: {e}") from e
    if not isinstance(data, dict) or data.get("features") != list(FEATURES):
        raise PipelineError("T111", f"label verifier {path} was trained on other features; "
                            "retrain it with python -m pipeline.train_verifier")
    kind = BoostedVerifier if data.get("kind") == "boosted_trees" else LabelVerifier
    try:
        model = kind.from_dict(data)
    except (KeyError, ValueError, TypeError) as e:
        raise PipelineError("T110", f"label verifier {path} is incomplete: {e}") from e
    model.vetoes = bool(data.get("vetoes_rules", False))
    return model


def decide(cands: List[Candidate], probs: np.ndarray, threshold: float) -> List[Candidate]:
    """Candidates at or above the threshold, left to right, none inside an earlier label,
    and none the verifier adds right after one: that label's turn would hold no speech (1 of
    the 14,263 turns of the train gold does; `brennan okafor said she expects`)."""
    out, last_end = [], 0
    for c, p in sorted(zip(cands, probs), key=lambda x: x[0].k):
        if c.k < last_end or p < threshold or (out and c.k == last_end and not c.rule):
            continue
        out.append(c)
        last_end = c.end
    return out
