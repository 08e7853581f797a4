import pytest

from pipeline.errors import PipelineError
from pipeline.restoring import Restorer, detect_mode, render


def _hand_doc(blank, text, marks):
    """A Doc with restorer output set by hand: marks[i] = (form, punct_after, sent_start)."""
    doc = blank(text)
    doc._.restore_mode = "restore"
    for t, (form, punct, start) in zip(doc, marks):
        t._.restored = form
        t._.punct_after = punct
        t.is_sent_start = start
    return doc


def test_render_joins_contractions_and_abbreviations(blank):
    doc = _hand_doc(blank, "it s the u s position yes", [
        ("it", "'", True), ("s", "", False), ("the", "", False), ("U", "join.", False),
        ("S", "abbr.", False), ("position", ".", False), ("yes", "", True)])
    text, offsets = render(doc, 0, len(doc))
    assert text == "It's the U.S. position. Yes."
    # the offset map points each word at its form in the rendered text
    for i, a, b in offsets:
        assert text[a:b].lower() == doc[i].text.lower()


def test_render_skips_tokens(blank):
    doc = _hand_doc(blank, "well laughter ok", [("well", ",", True), ("laughter", "", False),
                                                ("ok", "", False)])
    text, _ = render(doc, 0, 3, skip={1})
    assert text == "Well, OK." or text == "Well, ok."


def test_detect_mode(blank):
    assert detect_mode(blank("it s quite clear to everyone that we agree")) == "restore"
    assert detect_mode(blank("It's quite clear. We agree. Yes.")) == "keep"
    assert detect_mode(blank("")) == "keep"


def test_config_is_validated(blank):
    with pytest.raises(PipelineError) as e:
        Restorer(blank, model_path="models/restorer", mode="guess")
    assert e.value.code == "T102"
    with pytest.raises(PipelineError) as e:
        Restorer(blank, model_path="models/restorer", threshold=1.5)
    assert e.value.code == "T102"
    with pytest.raises(PipelineError) as e:
        Restorer(blank, model_path="/nonexistent/model")
    assert e.value.code == "T101"


def test_restores_unpunctuated_text(nlp):
    doc = nlp("thank you very much it s a great honor to be here we had a very good meeting today")
    assert doc._.restore_mode == "restore"
    text, _ = render(doc, 0, len(doc))
    assert text[0].isupper() and text.endswith((".", "?", "!"))
    assert "it's" in text.lower()
    assert sum(1 for t in doc if t.is_sent_start) >= 2


def test_short_and_empty_input(nlp):
    assert len(nlp("")) == 0
    doc = nlp("yes")
    assert doc[0].is_sent_start
    text, _ = render(doc, 0, 1)
    assert text == "Yes."


def test_punctuated_input_is_kept(nlp):
    text = "President Trump met Mr. Putin in Helsinki. They spoke for two hours. Was it useful?"
    doc = nlp(text)
    assert doc._.restore_mode == "keep"
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["President", "They", "Was"]
    assert render(doc, 0, len(doc))[0] == text


def test_to_disk_from_disk_roundtrip(nlp, tmp_path):
    pipe = nlp.get_pipe("transcript_restorer")
    pipe.to_disk(tmp_path / "r")
    other = Restorer(nlp, model_path=str(tmp_path / "r"))
    words = "we discussed syria and the inf treaty it was a good meeting".split()
    a, b = pipe.model.predict(words), other.model.predict(words)
    assert (a.punct.argmax(1) == b.punct.argmax(1)).all()
    assert abs(a.p_boundary - b.p_boundary).max() < 1e-2  # weights are stored as float16
    other.from_disk(tmp_path / "r")
    assert other.threshold == pipe.threshold
