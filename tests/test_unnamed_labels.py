"""Speakers labelled by number or as unidentified voices (pipeline/unnamed_labels.py)."""
import numpy as np
import pytest

from pipeline.errors import PipelineError
from pipeline.restorer_model import PUNCT, SENT_FINAL, Prediction
from pipeline.restoring import Restorer
from pipeline.unnamed_labels import STAND_INS, UnnamedLabels, numbered


def _pred(n, ends=(), starts=()):
    """A first reading by hand: sentence ends after ``ends``, sure label starts at
    ``starts``."""
    punct = np.zeros((n, len(PUNCT)), np.float32)
    punct[:, 0] = 1.0
    for k in ends:
        punct[k] = 0.0
        punct[k, SENT_FINAL[0]] = 1.0
    mark = np.zeros((n, 3), np.float32)
    mark[:, 0] = 1.0
    for k in starts:
        mark[k] = (0.1, 0.9, 0.0)
    return Prediction(punct, np.zeros((n, 3), np.float32), mark)


def test_speaker_numbers_run_from_one():
    assert numbered({"1", "3", "5", "40"}) == {"1", "3", "5"}  # 40: a number of speech
    assert numbered({"0", "1", "2"}) == {"0", "1", "2"}
    assert numbered({"0", "40"}) == numbered({"2", "3"}) == numbered({"40"}) == set()
    assert numbered({"1", "5"}) == {"1"}


def test_only_a_document_with_enough_uses_after_a_sentence_end_is_read_again():
    unnamed = UnnamedLabels(numbers=2, words=("male",), places=3, boundary=0.1)
    words = "1 hello there 2 hi 1 yes male thanks in 2 000 we".split()
    sub = unnamed.stand_ins(words, _pred(len(words), ends=(2, 4, 6)))
    assert set(sub) == {"1", "2", "male"} and set(sub.values()) <= set(STAND_INS)
    assert "000" not in sub  # three digits
    sup = "1 hello there ² hi 1 yes".split()  # a superscript is no decimal number
    assert set(UnnamedLabels(numbers=2, places=2).stand_ins(sup, _pred(len(sup), ends=(2, 4)))) \
        == {"1"}
    assert list(sub)[0] == "1"  # most uses after a sentence end first
    assert unnamed.stand_ins(words, _pred(len(words), ends=(2,))) == {}  # 2 places: too few
    assert UnnamedLabels().stand_ins(words, _pred(len(words), ends=(2, 4, 6))) == {}  # off


def test_the_second_reading_is_taken_at_the_uses_of_sure_label_words():
    unnamed = UnnamedLabels(numbers=2, places=2)
    words = "1 hello there 2 hi 1 yes we had 40 of them".split()
    first = _pred(len(words), ends=(2, 4, 6))
    seen = []

    def predict_many(docs):
        seen.extend(docs)
        out = docs[0]
        return [_pred(len(out), starts=[k for k, w in enumerate(out)
                                        if w in STAND_INS and words[k] != "40" or k == 9])]

    at = unnamed.reread(words, first, predict_many)
    assert seen and seen[0][0] in STAND_INS and seen[0][1] == "hello"
    assert at == [0, 3, 5]  # 40 reads as a label once but numbers no speaker
    assert first.mark[3, 1] == pytest.approx(0.9) and first.mark[9, 1] == 0.0


def test_config_is_validated_and_survives_to_disk(nlp, blank, tmp_path):
    with pytest.raises(PipelineError) as e:
        Restorer(blank, model_path="models/restorer", unnamed_label_numbers=5)
    assert e.value.code == "T102"
    pipe = nlp.get_pipe("transcript_restorer")
    assert pipe.unnamed == UnnamedLabels(numbers=2, words=("male", "female"))
    assert not set(STAND_INS) & set(pipe.model.featurizer.vocab)  # made-up: out of vocabulary
    pipe.to_disk(tmp_path / "r")
    other = Restorer(blank, model_path=str(tmp_path / "r")).from_disk(tmp_path / "r")
    assert other.unnamed == pipe.unnamed
