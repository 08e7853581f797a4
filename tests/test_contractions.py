"""Contractions written without their apostrophe (`dont`, `theyre`): pipeline/contractions.py."""
from __future__ import annotations

import numpy as np

from conftest import HELSINKI
from pipeline.contractions import Contractions, build_contractions
from pipeline.golddata import Example
from pipeline.restorer_model import CASE, MARK, PUNCT, Prediction
from pipeline.restoring import Restorer

APOSTROPHE = PUNCT.index("'")


def _example(text: str) -> Example:
    """Words of ``text`` with `'` between a word and the next marking an apostrophe join."""
    words, punct = [], []
    for piece in text.split():
        parts = piece.split("'")
        for n, w in enumerate(parts):
            words.append(w)
            punct.append(APOSTROPHE if n < len(parts) - 1 else PUNCT.index(""))
    n = len(words)
    return Example("x", "test", words, punct, [0] * n, [MARK.index("O")] * n)


def test_the_list_comes_from_the_gold_apostrophes():
    # `don't` 6 times and never `dont`: always two words. `it's` 60 times and `its` 30: a
    # word of its own too, so the next word decides (`it's a`, `its own`); `u.s` is no
    # apostrophe join and `ok` no clitic
    text = ("i don't know " * 6 + "it's a deal " * 40 + "it's not " * 20
            + "its own way " * 30 + "tell us " * 10)
    built = build_contractions([_example(text)])
    assert built["always"] == {"dont": ["don", "t"]}
    its = built["context"]["its"]
    assert its["pieces"] == ["it", "s"] and its["default"] == 1
    assert its["next"]["a"] == 1 and its["next"]["not"] == 1 and its["next"]["own"] == 0
    c = Contractions(built["always"], built["context"], min_hits=1)
    words = "its own way dont go its a deal".split()
    assert [c.split_at(words, k) for k in (0, 3, 5)] == [None, ("don", "t"), ("it", "s")]


def test_only_a_document_that_drops_apostrophes_is_read_so():
    c = Contractions({"dont": ["don", "t"], "im": ["i", "m"], "sheriffs": ["sheriff", "s"]},
                     {"its": {"pieces": ["it", "s"], "next": {}, "prev": {}, "default": 1}})
    dropped = "i dont know im sure its fine dont worry".split()
    assert c.dropped(dropped)
    assert c.expand(dropped)[0][:5] == ["i", "don", "t", "know", "i"]
    # the seed's form writes them apart; there `its` is the word itself and `sheriffs` a plural
    spaced = "i don t know i m sure it s fine the sheriffs don t worry dont im".split()
    assert not c.dropped(spaced)  # 3 joined, 4 apart
    assert c.expand(spaced) == (spaced, None, None)
    assert not c.dropped("dont im".split())  # fewer than min_hits (3)


def test_tags_fold_back_onto_the_one_token():
    # what follows the token comes from its last piece, its case and label marks from the first
    c = Contractions({"dont": ["don", "t"]}, min_hits=1)

    def predict_many(docs, **kwargs):
        out = []
        for words in docs:
            n = len(words)
            punct = np.zeros((n, len(PUNCT)), np.float32)
            case = np.zeros((n, len(CASE)), np.float32)
            mark = np.zeros((n, len(MARK)), np.float32)
            for k, w in enumerate(words):
                punct[k, PUNCT.index("'") if w == "don" else PUNCT.index(".")] = 1
                case[k, CASE.index("cap") if w == "don" else CASE.index("lower")] = 1
                mark[k, MARK.index("B") if w == "don" else MARK.index("O")] = 1
            out.append(Prediction(punct, case, mark))
        return out

    (pred,) = c.tag(predict_many, [["i", "dont", "go"]])
    assert pred.punct.shape[0] == 3
    assert pred.punct[1].argmax() == PUNCT.index(".")  # from `t`, not `don`'s apostrophe
    assert pred.case[1].argmax() == CASE.index("cap") and pred.mark[1].argmax() == MARK.index("B")
    assert c.render(c.split_at(["i", "dont", "go"], 1), str.capitalize) == "Don't"


def _drop(words):
    """The seed's spaced contractions joined as a converter that drops the apostrophe writes
    them, and for each joined word the index of its first word in ``words``."""
    c = Contractions.from_dir(_model_dir())
    out, at, k = [], [], 0
    while k < len(words):
        pair = words[k] + words[k + 1] if k + 1 < len(words) else ""
        if pair in c.always or pair in c.context:
            out.append(pair)
            at.append(k)
            k += 2
        else:
            out.append(words[k])
            at.append(k)
            k += 1
    return out, at


def _model_dir():
    from pipeline.resources import resolve

    return resolve("models/restorer")


def _starts(restorer, blank, words):
    doc = restorer(blank(" ".join(words)))
    return {k for k, t in enumerate(w for w in doc if not w.is_space) if t.is_sent_start}


def test_helsinki_without_apostrophes_reads_like_the_seed(blank):
    # the seed transcript with `it s`, `don t` written `its`, `dont`: read as the two words,
    # its sentence starts agree with the seed's own reading (0.99 overlap; 0.79 when read as
    # they are), and the restored words carry the apostrophe. The seed itself is read as before
    words = HELSINKI.read_text(encoding="utf-8").split()
    dropped, at = _drop(words)
    assert len(words) - len(dropped) > 80
    on = Restorer(blank, model_path="models/restorer", threshold=0.4)
    off = Restorer(blank, model_path="models/restorer", threshold=0.4, contractions=False)
    seed = _starts(on, blank, words)
    assert seed == _starts(off, blank, words)
    # nor is a word of the seed's form written as a contraction (`were`, `sheriffs`)
    plain = "they were here for years and the sheriffs were there it s fine " * 3
    assert ([t._.restored for t in on(blank(plain))]
            == [t._.restored for t in off(blank(plain))])
    assert [t._.restored for t in on(blank(HELSINKI.read_text(encoding="utf-8")))] == \
        [t._.restored for t in off(blank(HELSINKI.read_text(encoding="utf-8")))]
    agree = {}  # Jaccard overlap of the sentence starts with the seed's
    for name, r in (("on", on), ("off", off)):
        got = {at[k] for k in _starts(r, blank, dropped)}
        agree[name] = len(got & seed) / len(got | seed)
    assert agree["on"] >= 0.95 and agree["off"] <= 0.85, agree
    doc = on(blank(" ".join(dropped)))
    restored = {t.text: t._.restored for t in doc}
    assert restored["dont"].lower() == "don't" and restored["thats"].lower() == "that's"


def test_the_list_travels_with_the_component(blank, tmp_path):
    on = Restorer(blank, model_path="models/restorer")
    on.to_disk(tmp_path / "r")
    assert (tmp_path / "r" / "contractions.json").exists()
    off = Restorer(blank, model_path="models/restorer", contractions=False)
    assert not off.contractions
    off.from_disk(tmp_path / "r")
    assert off.contractions.always == on.contractions.always
    assert off.contractions.context == on.contractions.context
