"""The optional label verifier: features, fitting, files and its use by the turn segmenter."""
import json

import numpy as np
import pytest

from pipeline.errors import PipelineError
from pipeline.label_verifier import (FEATURES, BoostedVerifier, Candidate, Context, LabelVerifier,
                                     decide, features, read_verifier)
from pipeline.tokenizer import is_word
from pipeline.turns import TurnSegmenter

CTX = Context(titles={"president"}, not_before_label={"the"}, not_before_weak_label={"the", "no"},
              non_openers={"said"}, roster={"putin"}, generic={"question"})


def _col(X, name):
    return X[:, FEATURES.index(name)].tolist()


def test_features_count_labels_and_context():
    ws = "putin thank you question why putin said so thank you putin".split()
    n = len(ws)
    cands = [Candidate(0, 1, "putin", (), True), Candidate(3, 4, "question", (), True),
             Candidate(5, 6, "putin", (), False), Candidate(10, 11, "putin", (), False)]
    p_end = [0.0] * n
    p_end[2] = 0.9
    X = features(ws, [0.5] * n, [0.0] * n, p_end, cands, CTX)
    assert X.shape == (4, len(FEATURES))
    assert _col(X, "rule") == [1, 1, 0, 0]
    assert _col(X, "name_labels_log") == pytest.approx([np.log(2)] * 1 + [np.log(2)] + [np.log(2)] * 2)
    assert _col(X, "name_dominance") == pytest.approx([1 / 3, 1.0, 1 / 3, 1 / 3])
    assert _col(X, "known") == [1, 1, 1, 1] and _col(X, "generic") == [0, 1, 0, 0]
    assert _col(X, "before_non_opener") == [0, 0, 1, 0]  # `putin said`
    assert _col(X, "before_first_label") == [1, 0, 0, 0]
    # the last rule label before word 5 is `question`, before word 10 too: not the same name
    assert _col(X, "is_current_speaker") == [0, 0, 0, 0]
    assert _col(X, "name_addressed") == [0, 0, 1, 1]  # putin occurred within 30 words before
    assert _col(X, "end_before_logit")[1] > 2 and _col(X, "end_before_logit")[2] < -2


def test_features_count_titled_and_prepositional_uses():
    """`mr sobyanin` twice: a person present; `in dagestan`, `to dagestan`: a place."""
    ws = "putin good afternoon mr sobyanin sobyanin thank you mr sobyanin in dagestan to dagestan".split()
    n = len(ws)
    cands = [Candidate(0, 1, "putin", (), True), Candidate(5, 6, "sobyanin", (), False),
             Candidate(13, 14, "dagestan", (), False)]
    X = features(ws, [0.5] * n, [0.0] * n, [0.0] * n, cands, CTX)
    assert _col(X, "name_titled_log") == pytest.approx([0.0, np.log1p(2), 0.0])
    assert _col(X, "name_after_preposition_log") == pytest.approx([0.0, 0.0, np.log1p(2)])


def test_fit_learns_a_separable_rule_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, len(FEATURES)))
    y = (X[:, 0] + 0.5 * X[:, 3] > 0).astype(float)
    model = LabelVerifier.fit(X, y, l2=0.1, threshold=0.4)
    p = model.predict(X)
    assert ((p >= 0.5) == (y > 0)).mean() > 0.97
    X[:, FEATURES.index("rule")] = np.arange(400) % 2
    assert (model.added(X)[::2] == model.predict(X)[::2]).all()
    assert (model.added(X)[1::2] == 1.0).all()  # rule labels are kept
    f = tmp_path / "v.json"
    model.to_file(f, trained_on={"note": "test"})
    back = LabelVerifier.from_file(f)
    assert back.threshold == 0.4
    assert np.allclose(back.predict(X), model.predict(X))


def test_hidden_layer_scores_an_interaction_and_round_trips(tmp_path):
    """A one-hidden-layer verifier (hand-set weights) scores high only where two features
    hold together, which no single logistic weight does; the file keeps the layer."""
    d = len(FEATURES)
    a, b = FEATURES.index("label_logit"), FEATURES.index("end_before_logit")
    hidden = np.zeros((d, 2))
    hidden[a, 0] = hidden[b, 0] = 4.0  # unit 0: both high
    hidden[a, 1] = hidden[b, 1] = -4.0  # unit 1: both low
    model = LabelVerifier([3.0, -3.0], -3.0, np.zeros(d), np.ones(d), threshold=0.6,
                          hidden_weights=hidden, hidden_bias=[-4.0, -4.0])
    X = np.zeros((4, d))
    X[:, a] = [2, 2, -2, 0]
    X[:, b] = [2, -2, 2, 0]
    p = model.predict(X)
    assert p[0] > 0.5 > max(p[1:])
    f = tmp_path / "v.json"
    model.to_file(f)
    back = LabelVerifier.from_file(f)
    assert back.threshold == 0.6 and back.hidden_weights.shape == (d, 2)
    assert np.allclose(back.predict(X), p)
    data = json.loads(f.read_text(encoding="utf-8"))
    f.write_text(json.dumps({**data, "hidden_bias": [0.0] * 3}), encoding="utf-8")
    with pytest.raises(PipelineError, match="T110.*3 hidden units"):
        LabelVerifier.from_file(f)
    del data["hidden_bias"]
    f.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PipelineError, match="T110.*incomplete"):
        LabelVerifier.from_file(f)


def test_decide_adds_no_label_that_would_empty_the_turn_before():
    # `... no brennan okafor said she expects`: a label the verifier adds right after another
    # leaves that turn without speech; one inside an earlier label is skipped too; the rules'
    # own labels stay
    cands = [Candidate(0, 1, "brennan", (), False), Candidate(1, 2, "okafor", (), False),
             Candidate(5, 7, "senior administration", (), False),
             Candidate(6, 7, "administration", (), False), Candidate(7, 8, "question", (), True),
             Candidate(9, 10, "dalton", (), False)]
    kept = decide(cands, np.array([0.9, 0.95, 0.8, 0.9, 1.0, 0.3]), 0.5)
    assert [c.name for c in kept] == ["brennan", "senior administration", "question"]


def _logit_of(model, X):
    p = model.predict(X)
    return np.log(p / (1 - p))


def test_average_of_verifiers_is_the_mean_of_their_logits(tmp_path):
    """A bag of fits is one file of the same format whose logit is exactly the mean of the
    members' logits; members that were standardised differently are refused."""
    rng = np.random.default_rng(1)
    d = len(FEATURES)
    mean, scale = rng.normal(size=d), rng.uniform(0.5, 2.0, size=d)
    mlps = [LabelVerifier(rng.normal(size=3), rng.normal(), mean, scale, threshold=0.4,
                          hidden_weights=rng.normal(size=(d, 3)), hidden_bias=rng.normal(size=3))
            for _ in range(3)]
    X = rng.normal(size=(50, d))
    bag = LabelVerifier.average(mlps)
    assert bag.hidden_weights.shape == (d, 9) and bag.threshold == 0.4
    want = np.mean([_logit_of(m, X) for m in mlps], axis=0)
    assert np.allclose(_logit_of(bag, X), want)
    f = tmp_path / "bag.json"
    bag.to_file(f)
    assert np.allclose(_logit_of(LabelVerifier.from_file(f), X), want)
    linear = [LabelVerifier(rng.normal(size=d), rng.normal(), mean, scale) for _ in range(2)]
    assert np.allclose(_logit_of(LabelVerifier.average(linear), X),
                       np.mean([_logit_of(m, X) for m in linear], axis=0))
    other = LabelVerifier(mlps[0].weights, 0.0, mean + 1.0, scale, threshold=0.4,
                          hidden_weights=mlps[0].hidden_weights, hidden_bias=mlps[0].hidden_bias)
    with pytest.raises(ValueError, match="same rows"):
        LabelVerifier.average([mlps[0], other])
    with pytest.raises(ValueError, match="one kind"):
        LabelVerifier.average([mlps[0], LabelVerifier(np.zeros(d), 0.0, mean, scale, 0.4)])


def test_fit_mlp_learns_what_a_logistic_regression_cannot():
    pytest.importorskip("torch")
    from pipeline.train_verifier import fit

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, len(FEATURES)))
    y = ((X[:, 0] > 0) == (X[:, 3] > 0)).astype(float)  # XOR of signs
    mlp = fit(X, y, hidden=8, l2=0.1)
    linear = fit(X, y, hidden=0, l2=0.1)
    assert ((mlp.predict(X) >= 0.5) == (y > 0)).mean() > 0.9
    assert ((linear.predict(X) >= 0.5) == (y > 0)).mean() < 0.7
    bag = fit(X, y, hidden=8, l2=0.1, seeds=(13, 14))  # two seeds: their logits averaged
    assert bag.hidden_weights.shape == (len(FEATURES), 16)
    assert ((bag.predict(X) >= 0.5) == (y > 0)).mean() > 0.9


def test_bad_verifier_files_are_named(tmp_path):
    f = tmp_path / "v.json"
    f.write_text("{not json", encoding="utf-8")
    with pytest.raises(PipelineError, match="T110.*v.json"):
        LabelVerifier.from_file(f)
    f.write_text(json.dumps({"features": ["other"], "weights": [1], "bias": 0, "mean": [0],
                             "scale": [1]}), encoding="utf-8")
    with pytest.raises(PipelineError, match="T111"):
        LabelVerifier.from_file(f)


def _stump_and_tree(a: int, b: int) -> list:
    """Two hand-built trees: a stump on feature ``a`` (NaN goes right), and a depth-2 tree
    that adds 3 only where ``a`` and ``b`` are both above 0: an interaction."""
    stump = {"feature": [a, 0, 0], "threshold": [0.0, 0, 0], "left": [1, 0, 0],
             "right": [2, 0, 0], "value": [0, -1.0, 1.0], "leaf": [False, True, True],
             "missing_left": [False, False, False]}
    both = {"feature": [a, 0, b, 0, 0], "threshold": [0.0, 0, 0.0, 0, 0],
            "left": [1, 0, 3, 0, 0], "right": [2, 0, 4, 0, 0],
            "value": [0, 0.0, 0, 0.0, 3.0], "leaf": [False, True, False, True, True],
            "missing_left": [True, False, False, False, False]}
    return [stump, both]


def test_boosted_trees_sum_leaf_values_and_round_trip(tmp_path):
    """The logit is the baseline plus one leaf per tree (`x <= threshold` goes left, NaN
    where the node says); the file is read back as trees, whatever class reads it."""
    d = len(FEATURES)
    a, b = FEATURES.index("label_logit"), FEATURES.index("end_before_logit")
    model = BoostedVerifier(_stump_and_tree(a, b), baseline=-0.5, threshold=0.45)
    X = np.zeros((5, d))
    X[:, a] = [1, 1, -1, 0, np.nan]
    X[:, b] = [1, -1, 1, 1, 1]
    assert np.allclose(model.logit(X), [-0.5 + 1 + 3, -0.5 + 1, -0.5 - 1, -0.5 - 1, -0.5 + 1])
    X[:, FEATURES.index("rule")] = [0, 0, 0, 0, 1]
    assert model.added(X)[4] == 1.0 and np.allclose(model.added(X)[:4], model.predict(X)[:4])
    f = tmp_path / "trees.json"
    model.to_file(f, trained_on={"note": "test"})
    back = read_verifier(f)
    assert isinstance(back, BoostedVerifier) and back.threshold == 0.45
    assert np.allclose(back.predict(X), model.predict(X))
    with pytest.raises(PipelineError, match="T110.*BoostedVerifier"):
        LabelVerifier.from_file(f)
    data = json.loads(f.read_text(encoding="utf-8"))
    data["trees"][1]["right"][2] = 9  # a child past the last node
    f.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PipelineError, match="T110.*out of range"):
        read_verifier(f)
    del data["baseline"]
    f.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PipelineError, match="T110.*incomplete"):
        read_verifier(f)


def test_a_vetoing_verifier_re_decides_the_rules_unqualified_labels(tmp_path):
    """By default the rules' labels are kept (1.0); a verifier that vetoes scores them like
    any candidate, but for those with a qualifier (`retranslated`), and says so in its file."""
    d = len(FEATURES)
    model = LabelVerifier(np.zeros(d), -3.0, np.zeros(d), np.ones(d), threshold=0.5)
    X = np.zeros((3, d))
    X[:, FEATURES.index("rule")] = [1, 1, 0]
    X[:, FEATURES.index("qualified")] = [0, 1, 0]
    low = 1 / (1 + np.exp(3.0))
    assert np.allclose(model.added(X), [1.0, 1.0, low])
    model.vetoes = True
    assert np.allclose(model.added(X), [low, 1.0, low])
    f = tmp_path / "veto.json"
    model.to_file(f)
    assert json.loads(f.read_text(encoding="utf-8"))["vetoes_rules"] is True
    assert read_verifier(f).vetoes and not read_verifier(_trusting_verifier(tmp_path)).vetoes


def test_fit_trees_exports_what_scikit_learn_predicts():
    """The numpy trees give scikit-learn's probabilities, and they learn an interaction
    (an XOR of signs) no logistic weight can."""
    pytest.importorskip("sklearn")
    from pipeline.train_verifier import fit

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, len(FEATURES)))
    y = ((X[:, 0] > 0) == (X[:, 3] > 0)).astype(float)
    trees = fit(X, y, hidden=0, l2=1.0, trees=100, threshold=0.4, vetoes=True)
    assert isinstance(trees, BoostedVerifier) and trees.threshold == 0.4 and trees.vetoes
    assert ((trees.predict(X) >= 0.5) == (y > 0)).mean() > 0.9
    from sklearn.ensemble import HistGradientBoostingClassifier
    sk = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.05, max_leaf_nodes=15,
                                        min_samples_leaf=20, l2_regularization=1.0,
                                        early_stopping=False, random_state=13).fit(X, y)
    Z = rng.normal(size=(200, len(FEATURES)))
    assert np.allclose(trees.predict(Z), sk.predict_proba(Z)[:, 1], atol=1e-12)


def _trusting_verifier(tmp_path):
    """A verifier file that trusts the label head and the sentence end before a candidate."""
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("label_logit")] = 2.0
    weights[FEATURES.index("end_before_logit")] = 1.0
    f = tmp_path / "v.json"
    LabelVerifier(weights, 0.0, np.zeros(len(FEATURES)), np.ones(len(FEATURES)),
                  threshold=0.5).to_file(f)
    return f


def _scored_doc(blank, text, label_start, ends):
    """A restored Doc with label-head scores by word index (``label_start``, 0.01 elsewhere)
    and sure sentence ends after the words in ``ends``."""
    d = blank(text)
    d._.restore_mode = "restore"
    for k, t in enumerate(t for t in d if is_word(t)):
        t._.label_start = label_start.get(k, 0.01)
        t._.sent_end = 0.95 if k in ends else 0.01
        t.is_sent_start = k == 0 or k - 1 in ends
    return d


def test_segmenter_adds_a_label_the_rules_missed(blank, tmp_path):
    """`kovacs` (label head 0.3, after a sentence end) is below every rule's bar; a verifier
    that trusts the label head and the sentence end before adds it."""
    text = "putin we will see kovacs thank you putin and now the gas"
    f = _trusting_verifier(tmp_path)
    plain = TurnSegmenter(blank, speakers_path="configs/speakers.yaml")
    verified = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", verifier_path=str(f))

    def doc():
        return _scored_doc(blank, text, {0: 0.95, 4: 0.3}, {3})

    before = plain(doc())
    assert [s.label_ for s in before.spans["turns"]] == ["putin"]
    out = verified(doc())
    assert [s.label_ for s in out.spans["turns"]] == ["putin", "kovacs"]
    assert out.spans["turns"][1].text.startswith("kovacs thank you")
    with pytest.raises(PipelineError, match="T112"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                      verifier_path=str(tmp_path / "missing.json"))


def test_segmenter_reads_a_boosted_tree_verifier(blank, tmp_path):
    """The turn segmenter takes a trees file as it takes an MLP's: `kovacs` (label head 0.3
    after a sentence end) is added where both trees' conditions hold."""
    a, b = FEATURES.index("label_logit"), FEATURES.index("end_before_logit")
    trees = _stump_and_tree(a, b)
    trees[0]["threshold"][0] = trees[1]["threshold"][0] = -2.0  # label head above 0.12
    f = tmp_path / "trees.json"
    BoostedVerifier(trees, baseline=-1.0, threshold=0.5).to_file(f)
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", verifier_path=str(f))
    text = "putin we will see kovacs thank you putin and now the gas"
    out = seg(_scored_doc(blank, text, {0: 0.95, 4: 0.3}, {3}))
    assert isinstance(seg.verifier, BoostedVerifier)
    assert [s.label_ for s in out.spans["turns"]] == ["putin", "kovacs"]
    weak = seg(_scored_doc(blank, text, {0: 0.95, 4: 0.06}, {3}))  # stump says no: logit -2
    assert [s.label_ for s in weak.spans["turns"]] == ["putin"]


def test_segmenter_adds_no_label_in_the_intro_before_the_first_rule_label(blank, tmp_path):
    """A narrator's intro names the principals at sentence starts (`last week kovacs met the
    press`): the verifier adds labels only after the rules' first label."""
    text = "last week kovacs met the press putin we will see kovacs thank you putin and now"
    f = _trusting_verifier(tmp_path)
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", verifier_path=str(f))
    doc = seg(_scored_doc(blank, text, {6: 0.95, 2: 0.3, 10: 0.3}, {1, 5, 9}))
    turns = doc.spans["turns"]
    assert [s._.turn["speaker"] for s in turns] == ["narrator", "putin", "kovacs"]
    assert turns[0].text == "last week kovacs met the press"


def test_segmenter_adds_no_label_right_after_a_title(blank, tmp_path):
    """`tell president kovacs would you` is speech however sure the verifier is; the same name
    after a sentence end elsewhere is still added."""
    text = "putin we will see tell president kovacs would you kovacs thank you putin and now"
    f = _trusting_verifier(tmp_path)
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", verifier_path=str(f))
    doc = seg(_scored_doc(blank, text, {0: 0.95, 6: 0.3, 9: 0.3}, {5, 8}))
    turns = doc.spans["turns"]
    assert [s._.turn["speaker"] for s in turns] == ["putin", "kovacs"]
    assert turns[1].text.startswith("kovacs thank you")


def test_a_speaker_who_follows_themself_answered_a_missed_label(blank, tmp_path):
    """`kovacs` (label head 0.1) scores below the verifier's threshold but above
    ``alternation_floor``; between two labels of `putin` it becomes a label (turns alternate).
    Not with the floor at 0, nor after a capitalised word that is no title (`donald kovacs`:
    a full name said in speech)."""
    f = _trusting_verifier(tmp_path)
    text = "putin we will see kovacs thank you putin and now the gas"

    def speakers(floor, text=text, cased=()):
        seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", verifier_path=str(f),
                            alternation_floor=floor)
        doc = _scored_doc(blank, text, {0: 0.95, 4: 0.1, 7: 0.95}, {3, 6})
        for k, t in enumerate(t for t in doc if is_word(t)):
            t._.restored = t.text.title() if k in cased else t.text
        return [s._.turn["speaker"] for s in seg(doc).spans["turns"]]

    assert speakers(0.05) == ["putin", "kovacs", "putin"]
    assert speakers(0.0) == ["putin"]
    assert speakers(0.5) == ["putin"]  # the verifier's own bar: nothing below it is added
    named = "putin we met donald kovacs thank you putin and now the gas"
    assert speakers(0.05, named, cased={3}) == ["putin"]
    assert speakers(0.05, named) == ["putin", "kovacs", "putin"]
    with pytest.raises(PipelineError, match="T113"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", alternation_floor=1.0)
    # a word the training text writes in lower case labels no turn of its own there
    # (`how will the new leaders behave of course`), as a one-off rule label would not
    common = tmp_path / "common.json"
    common.write_text(json.dumps(["kovacs"]), encoding="utf-8")
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", verifier_path=str(f),
                        alternation_floor=0.05, common_words_path=str(common))
    doc = seg(_scored_doc(blank, text, {0: 0.95, 4: 0.1, 7: 0.95}, {3, 6}))
    assert [s._.turn["speaker"] for s in doc.spans["turns"]] == ["putin"]


def test_saved_segmenter_carries_its_files(blank, tmp_path):
    f = tmp_path / "v.json"
    LabelVerifier(np.ones(len(FEATURES)), 0.0, np.zeros(len(FEATURES)), np.ones(len(FEATURES)),
                  threshold=0.7).to_file(f)
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", verifier_path=str(f),
                        non_openers_path="models/restorer/non_openers.json")
    seg.to_disk(tmp_path / "saved")
    assert sorted(p.name for p in (tmp_path / "saved").iterdir()) == [
        "non_openers.json", "speakers.yaml", "verifier.json"]
    f.unlink()  # the saved copy is what a loaded pipeline reads
    other = TurnSegmenter(blank, speakers_path="configs/speakers.yaml")
    other.from_disk(tmp_path / "saved")
    assert other.verifier is not None and other.verifier.threshold == 0.7
    assert other.non_openers == seg.non_openers and other.non_openers
    assert other.speakers_path == str(tmp_path / "saved" / "speakers.yaml")


def test_whole_pipeline_saved_and_loaded_gives_the_same_turns(nlp, tmp_path):
    import spacy

    text = ("putin through translator thank you mr president question what about syria "
            "putin we discussed syria at length trump thank you very much")
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    a, b = nlp(text), loaded(text)
    assert [(s.start, s.end, s.label_) for s in a.spans["turns"]] == \
        [(s.start, s.end, s.label_) for s in b.spans["turns"]]
    assert len(a.spans["turns"]) >= 3
    assert [t.is_sent_start for t in a] == [t.is_sent_start for t in b]


def test_cross_fit_folds_are_the_fit_splits_or_alternate_halves():
    from pipeline.train_verifier import cross_folds

    assert cross_folds([5]) == [0, 1, 0, 1, 0]
    assert cross_folds([2, 3]) == [0, 0, 1, 1, 1]
