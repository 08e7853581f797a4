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
        Restorer(blank, model_path="models/restorer", rescan_label=0.0)
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
    assert other.rescan_label == pipe.rescan_label == 0.75


def _member(model, scale: float, seed: int = 0):
    """The weights of ``model`` with every array shifted by noise: a second network."""
    import numpy as np
    rng = np.random.default_rng(seed)
    return {k: v + scale * rng.standard_normal(v.shape).astype(np.float32) * (v.std() + 1e-3)
            for k, v in model.w.items()}


def test_an_ensemble_averages_its_networks_and_survives_to_disk(nlp, tmp_path):
    import numpy as np
    from pipeline.restorer_model import RestorerModel
    one = nlp.get_pipe("transcript_restorer").model
    other = _member(one, 0.5)
    pair = RestorerModel(one.w, one.vocab, one.meta, [(other, dict(one.meta, seed=29))])
    alone = RestorerModel(other, one.vocab, one.meta)
    words = "thank you mr president question from the times yes please".split()
    a, b, mean = one.predict(words), alone.predict(words), pair.predict(words)
    assert abs(a.punct - b.punct).max() > 1e-3  # the networks differ
    for k in ("punct", "case", "mark"):
        assert np.allclose(getattr(mean, k), (getattr(a, k) + getattr(b, k)) / 2, atol=1e-6)
    pair.to_disk(tmp_path / "m")
    back = RestorerModel.from_disk(tmp_path / "m")
    assert len(back.nets) == 2 and back.member_meta[0]["seed"] == 29
    assert abs(back.predict(words).p_boundary - mean.p_boundary).max() < 1e-2  # float16
    first = RestorerModel.from_disk(tmp_path / "m", members=False)
    assert len(first.nets) == 1 and "members" not in first.meta
    assert abs(first.predict(words).p_boundary - a.p_boundary).max() < 1e-2


def test_a_member_of_another_vocabulary_is_refused(nlp, tmp_path):
    import json
    from pipeline.restorer_model import RestorerModel
    one = nlp.get_pipe("transcript_restorer").model
    RestorerModel(one.w, one.vocab, one.meta, [(one.w, one.meta)]).to_disk(tmp_path / "m")
    vocab = tmp_path / "m" / "members" / "1" / "vocab.json"
    vocab.write_text(json.dumps(one.vocab[:-1]), encoding="utf-8")
    with pytest.raises(PipelineError, match="T101.*differs"):
        RestorerModel.from_disk(tmp_path / "m")


def test_a_trained_network_joins_a_model_as_a_member(nlp, tmp_path):
    from pipeline.restorer_model import RestorerModel
    one = nlp.get_pipe("transcript_restorer").model
    RestorerModel(one.w, one.vocab, one.meta).to_disk(tmp_path / "m")
    RestorerModel(_member(one, 0.5), one.vocab, dict(one.meta, seed=29)).to_disk(tmp_path / "s29")
    assert RestorerModel.add_member(tmp_path / "m", tmp_path / "s29") == "members/1"
    model = RestorerModel.from_disk(tmp_path / "m")
    assert len(model.nets) == 2 and model.member_meta[0]["seed"] == 29
    RestorerModel(one.w, one.vocab[:-1], one.meta).to_disk(tmp_path / "other")
    with pytest.raises(PipelineError, match="T101"):
        RestorerModel.add_member(tmp_path / "m", tmp_path / "other")
    assert not (tmp_path / "m" / "members" / "2").exists()


def test_the_ensemble_knob_runs_the_members_of_the_shipped_model(nlp, tmp_path):
    pipe = nlp.get_pipe("transcript_restorer")
    assert len(pipe.model.nets) == 1 and not pipe.ensemble  # configs/pipeline.cfg: off
    both = Restorer(nlp, model_path=str(pipe.model_path), ensemble=True)
    assert len(both.model.nets) == 2
    words = "thank you mr president question from the times yes please".split()
    assert abs(both.model.predict(words).punct - pipe.model.predict(words).punct).max() > 1e-4
    both.to_disk(tmp_path / "r")
    back = Restorer(nlp, model_path=str(tmp_path / "r")).from_disk(tmp_path / "r")
    assert back.ensemble and len(back.model.nets) == 2


def test_unknown_words_are_read_as_out_of_the_vocabulary(nlp):
    model = nlp.get_pipe("transcript_restorer").model
    words = "what is he hopeful about price he is".split()
    plain, hidden = model.predict_many([words, words], unknown=[set(), {"price"}])
    assert "price" in model.featurizer.vocab and "zzprice" not in model.featurizer.vocab
    unknown = model.predict([w if w != "price" else "zzprice" for w in words])
    assert abs(plain.mark - model.predict(words).mark).max() < 1e-6
    assert abs(hidden.mark - unknown.mark).max() > 0  # the affixes differ, the word id not
    feats = model.featurizer(words)
    assert feats[words.index("price"), 0] != 0  # in the vocabulary unless hidden


def test_a_speaker_whose_name_is_a_common_word_is_read_again(nlp, blank):
    # a spokesperson named Price: the label head reads `price` as the noun after the text's
    # first word (`what exactly is he hopeful about price he is`: 0.001); the document is
    # read again with `price` out of the vocabulary, as an unknown surname is read, and
    # `the price of that violence` stays speech. Not with rescan_label 1.01
    import json
    from conftest import DATA

    gold = json.loads((DATA / "briefing-price.seedlike.jsonl").read_text(encoding="utf-8"))
    pipe = nlp.get_pipe("transcript_restorer")
    words = gold["seedlike"].split()
    first = pipe.model.predict(words)
    assert pipe._common_names(words, first) == {"price"}
    starts = {t["start"] for t in gold["turns"] if t["speaker"] == "price"}
    doc = nlp(gold["seedlike"])
    p = [t._.label_start for t in doc if not t.is_space]
    assert sum(p[k] >= 0.5 for k in starts) >= 0.7 * len(starts)
    assert sum(first.mark[k, 1] >= 0.5 for k in starts) <= 2
    noun = next(k for k in range(len(words)) if words[k - 1:k + 3] == ["the", "price", "of",
                                                                       "that"])
    assert words[noun] == "price" and p[noun] < 0.05
    off = Restorer(blank, model_path="models/restorer", rescan_label=1.01)
    assert off._predict([words])[0].mark[1:, 1].max() == first.mark[1:, 1].max()
    # a name the case head writes capitalised elsewhere (`putin`), a role word and a word
    # out of the vocabulary are left alone; so is a word the training text always writes in
    # lower case (`authoritarian`: a false label, no name), and one the label head already
    # takes for a label at half its uses or more
    import numpy as np
    from pipeline.restorer_model import Prediction

    def hand(words, sure, lower=1.0, labelled=()):
        mark = np.zeros((len(words), 3), np.float32)
        case = np.zeros((len(words), 3), np.float32)
        case[:, 0] = lower
        for k in sure:
            mark[k, 1] = 0.9
        for k in labelled:
            mark[k, 1] = 0.6
        return Prediction(np.zeros((len(words), len(pipe.model.meta["labels"]["punct"]))),
                          case, mark)

    text = "grant good afternoon question the grant program grant yes authoritarian rule".split()
    text += ["the", "authoritarian", "state"]
    assert "authoritarian" in pipe.common_words and "grant" not in pipe.common_words
    assert pipe._common_names(text, hand(text, [0, 9])) == {"grant"}
    assert pipe._common_names(text, hand(text, [0, 9], lower=0.1)) == set()
    assert pipe._common_names(text, hand(text, [0])) == {"grant"}
    assert pipe._common_names(text, hand(text, [0], labelled=[7])) == set()  # half of 2
    helsinki = "putin good afternoon question thank you putin yes putin question thanks".split()
    assert pipe._common_names(helsinki, pipe.model.predict(helsinki)) == set()


def _with_vectors(model, rows: int = 4, dim: int = 3):
    """``model``'s network given a frozen vector table of ``rows`` rows (row 0: none)."""
    import numpy as np
    from pipeline.restorer_model import RestorerModel
    rng = np.random.default_rng(0)
    w = dict(model.w, emb_vec=np.vstack([np.zeros((1, dim)), rng.standard_normal((rows - 1, dim))]),
             proj_w=np.vstack([model.w["proj_w"], rng.standard_normal((dim, model.arch.hidden))]))
    arch = dict(model.meta["architecture"], vec_dim=dim)
    return RestorerModel(w, model.vocab, dict(model.meta, architecture=arch),
                         vectors={"syria": 1, "treaty": 2, "zzkorp": 3})


def test_pretrained_vectors_are_a_feature_that_survives_to_disk(nlp, tmp_path):
    from pipeline.restorer_model import RestorerModel
    model = _with_vectors(nlp.get_pipe("transcript_restorer").model)
    words = "we discussed syria and the treaty with zzkorp".split()
    feats = model.featurizer(words)
    assert feats.shape == (8, 5) and list(feats[:, 4]) == [0, 0, 1, 0, 0, 2, 0, 3]
    plain, hidden = model.predict_many([words, words], unknown=[set(), {"zzkorp"}])
    # zzkorp is out of the vocabulary, so only its vector can differ once hidden
    assert abs(plain.mark - hidden.mark).max() > 0
    model.to_disk(tmp_path / "v")
    back = RestorerModel.from_disk(tmp_path / "v")
    assert back.vectors == model.vectors and back.arch.vec_dim == 3
    assert abs(back.predict(words).p_boundary - plain.p_boundary).max() < 1e-2  # float16
    (tmp_path / "v" / RestorerModel.VECTORS).unlink()
    with pytest.raises(PipelineError, match="T101.*vectors"):
        RestorerModel.from_disk(tmp_path / "v")


def test_vectors_of_a_spacy_vocabulary_are_read_in_lower_case(tmp_path):
    import numpy as np
    from spacy.strings import StringStore
    from spacy.vectors import Vectors
    from pipeline.train_restorer import load_vectors
    keys = ["Syria", "syria", "Kremlin", "u.s.", "treaty"]
    strings = StringStore(keys)
    data = np.random.default_rng(1).standard_normal((4, 6)).astype(np.float32)
    vectors = Vectors(data=data, keys=[strings[k] for k in keys[:4]])
    vectors.add(strings["treaty"], row=0)
    vectors.to_disk(tmp_path)
    strings.to_disk(tmp_path / "strings.json")
    words, table = load_vectors(tmp_path, 2)
    # the lower-case key wins over its cased twin; a cased key stands in; no punctuation
    assert words == {"syria": 2, "kremlin": 3, "treaty": 1}
    assert table.shape == (5, 2) and not table[0].any() and table[1:].std() > 0
