"""Labels as the source writes them (`q`, `ms holloway`, `the president`, `vladimir putin`):
pipeline/raw_labels.py."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import DATA
from pipeline.errors import PipelineError
from pipeline.raw_labels import RawLabels, rewrite
from pipeline.restorer_model import CASE, MARK, PUNCT, Prediction
from pipeline.restoring import Restorer


def _raw_briefing():
    """The briefing fixture with its labels as the White House writes them: `Q` and
    `MS. HOLLOWAY`. Returns the text and the gold speaker at each turn's first word."""
    gold = json.loads((DATA / "briefing.seedlike.jsonl").read_text(encoding="utf-8"))
    words = gold["seedlike"].split()
    out, starts = [], {}
    for t in gold["turns"]:
        starts[len(out)] = t["speaker"]
        label = words[t["start"]:t["text_start"]]
        out += ["q"] if t["speaker"] == "question" else ["ms"] + label
        out += words[t["text_start"]:t["end"]]
    return " ".join(out), starts


def _turn_starts(doc):
    """Word position of each turn's first token -> speaker."""
    pos = {t.i: n for n, t in enumerate(w for w in doc if not w.is_space)}
    return {pos[s.start]: s.label_ for s in doc.spans["turns"]}


def test_raw_labels_are_read_as_the_restorer_learned_them(nlp):
    # the label head learned `question` and `holloway`; it scores `q` and `ms holloway`
    # near 0. The second reading renames `q` and drops `ms`: the turns are found, named as
    # in the default style, and each label starts at its `ms`. With raw_labels off, they are not
    import pipeline

    text, gold = _raw_briefing()
    doc = nlp(text)
    got = _turn_starts(doc)
    assert sum(got.get(k) == who for k, who in gold.items()) >= 26  # of 30
    assert set(got.values()) == {"question", "holloway"}
    words = text.split()
    assert all(words[k] in ("q", "ms") for k in got)
    spans = [s for s in doc.spans["speaker_labels"] if s.label_ == "holloway"]
    assert spans and all(s.text.split()[0] == "ms" for s in spans)
    off = pipeline.load(**{"components.transcript_restorer.raw_labels": False})
    assert sum(_turn_starts(off(text)).get(k) == who for k, who in gold.items()) <= 10


def test_a_document_in_the_default_style_is_read_once(nlp):
    # the same briefing with its labels as the converter writes them: the first reading
    # finds them, and the probe (short windows around a few places) finds too few rising,
    # so the text is not read again and nothing changes. Its raw twin is read again
    gold = json.loads((DATA / "briefing.seedlike.jsonl").read_text(encoding="utf-8"))
    pipe = nlp.get_pipe("transcript_restorer")
    words = gold["seedlike"].split()
    pred = pipe.model.predict(words)
    before = pred.mark.copy()
    calls = []

    def predict(texts):
        calls.extend(texts)
        return pipe.model.predict_many(texts)

    assert pipe.raw.reread(words, pred, predict) == set()
    assert (pred.mark == before).all()
    assert all(len(c) <= 33 for c in calls)  # probe windows at most
    raw, _ = _raw_briefing()
    raw_words = raw.split()
    calls.clear()
    prefixes = pipe.raw.reread(raw_words, pipe.model.predict(raw_words), predict)
    assert sum(raw_words[k] == "ms" for k in prefixes) >= 12  # of 15
    assert {raw_words[k] for k in prefixes} <= set(pipe.raw.prefixes)
    assert len(calls) == 16 + 1 and len(calls[-1]) > 0.9 * len(raw_words)  # probe, then all
    assert RawLabels(on=False).reread(raw_words, pipe.model.predict(raw_words), predict) == set()


def _prediction(words, names):
    n = len(words)
    case = np.zeros((n, len(CASE)))
    for k, w in enumerate(words):
        case[k, CASE.index("cap" if w in names else "lower")] = 1.0
    return Prediction(np.eye(len(PUNCT))[[0] * n], case, np.eye(len(MARK))[[0] * n])


def test_rewrite_drops_the_words_before_a_name_and_renames_roles():
    words = ("q is it true vladimir putin thank you vladimir putin yes ms jean pierre the "
             "president well vladimir putin said secretary blinken sure").split()
    names = {"vladimir", "putin", "jean", "pierre", "blinken"}
    rw = rewrite(words, _prediction(words, names), prefixes=["ms", "the"],
                 titles=["president", "secretary"], renames={"q": "question"})
    assert rw.words == ("question is it true putin thank you putin yes jean pierre president "
                        "well putin said blinken sure").split()
    assert [words[k] for k in rw.dropped] == ["vladimir", "vladimir", "ms", "the", "vladimir",
                                              "secretary"]
    assert rw.renamed == [0]
    assert [words[k] for k in rw.source] == [w for k, w in enumerate(words)
                                             if k not in rw.dropped]
    # a given name the document writes before the same name fewer than 3 times stays
    rw = rewrite(words[:10], _prediction(words[:10], names), prefixes=[], titles=[], renames={})
    assert rw.dropped == []


def test_raw_label_settings_are_validated_and_saved(nlp, blank, tmp_path):
    with pytest.raises(PipelineError, match="T102"):
        Restorer(blank, model_path="models/restorer", raw_label_sites=0)
    pipe = nlp.get_pipe("transcript_restorer")
    pipe.to_disk(tmp_path / "r")
    other = Restorer(blank, model_path="models/restorer").from_disk(tmp_path / "r")
    assert other.raw == pipe.raw and other.raw.on and other.raw.renames == {"q": "question"}
    assert other.raw.joiners == ("and", "or", "but", "nor") and other.raw.ratio == 1.0


def test_a_given_name_opens_the_label_whichever_reading_found_it():
    # in a document read again (its `q` labels rise), `sergei chemezov` labels that the first
    # reading already found at `chemezov` start at `sergei`; `mr putin`, which the first
    # reading scored as it stands, keeps `mr` out of the label
    words = ("q how are sales sergei chemezov fine q and costs sergei chemezov lower q why "
             "sergei chemezov because q ok sergei chemezov yes q more mr putin thanks q end"
             ).split()
    first = _prediction(words, {"sergei", "chemezov", "putin"})
    first.punct[:] = np.eye(len(PUNCT))[PUNCT.index(".")]  # sentence ends everywhere
    for k, w in enumerate(words):
        if w in ("chemezov", "putin"):
            first.mark[k] = [0.1, 0.9, 0.0]
    scores = {"question": 0.9, "chemezov": 0.6, "putin": 0.3}

    def predict_many(texts):
        out = []
        for ws in texts:
            p = _prediction(ws, set())
            for j, w in enumerate(ws):
                b = scores.get(w, 0.0)
                p.mark[j] = [1 - b, b, 0.0]
            out.append(p)
        return out

    raw = RawLabels(on=True, prefixes=("mr",), renames={"q": "question"}, probe=0)
    prefixes = raw.reread(words, first, predict_many)
    assert sorted({words[k] for k in prefixes}) == ["sergei"] and len(prefixes) == 4
    assert all(first.mark[k, 1] == 0.9 for k, w in enumerate(words) if w == "q")


@pytest.mark.parametrize("label, speaker", [("the president", "president"),
                                            ("the vice president", "vice president")])
def test_a_title_alone_labels_a_press_conference(nlp, label, speaker):
    # `THE PRESIDENT:` stripped: the head scores `president` near 0 at the text's labels, and
    # the turn rules take a title alone for an address (`thanks admiral`). The second reading
    # reads it as an unknown surname (raw_label_lone_title), and a title right after a raw
    # label's prefix labels turns; the speaker keeps the title's words (`vice president`)
    gold = json.loads((DATA / "briefing.seedlike.jsonl").read_text(encoding="utf-8"))
    words = gold["seedlike"].split()
    out, starts = [], {}
    for t in gold["turns"]:
        starts[len(out)] = "question" if t["speaker"] == "question" else speaker
        out += ["q"] if t["speaker"] == "question" else label.split()
        out += words[t["text_start"]:t["end"]]
    got = _turn_starts(nlp(" ".join(out)))
    assert sum(got.get(k) == who for k, who in starts.items()) >= 26  # of 30


def test_rewrite_reads_a_title_alone_after_an_article_as_a_name():
    # `mr president` is how one addresses the president: `mr` goes, `president` stays
    words = "q why the president said thanks mr president well the president yes".split()
    rw = rewrite(words, _prediction(words, set()), prefixes=["mr", "the"],
                 titles=["president"], renames={"q": "question"}, lone_title="ramavetti")
    assert rw.words == "question why ramavetti said thanks president well ramavetti yes".split()
    assert [words[k] for k in rw.renamed] == ["q", "president", "president"]
    assert [k for k in rw.renamed if words[k] == "president"] == [3, 10]
