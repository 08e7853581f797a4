"""Conservation invariants on arbitrary text (hypothesis)."""
import re

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.tables import Source, doc_rows
from pipeline.turns import NOTES, REPEATED_LABEL

WORDS = ["putin", "trump", "question", "through", "translator", "staff", "off", "mike",
         "laughter", "ph", "thank", "you", "syria", "nord", "stream", "2", "the", "inf", "treaty",
         "crimea", "it", "s", "u", "we", "discussed", "president", "update", "this", "post",
         "contact", "us", "at", "Mr.", "Putin:", "Q:", "(Laughter.)", "\u00e9t\u00e9", "33", "000"]
SEPS = [" ", " ", " ", "  ", "\n", "\r\n", ". ", ", ", "? ", "\t"]

texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), min_size=0,
                 max_size=60).map(lambda xs: "".join(w + s for w, s in xs))
noisy = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


def _rows(nlp, text):
    doc = nlp(text)
    cols = doc_rows(doc, Source("d", "d.txt"), "test").cols
    rows = {t: [dict(zip(c, v)) for v in zip(*c.values())] for t, c in cols.items()}
    repeated = {(t.idx, t.idx + len(t)) for s in doc.spans[NOTES] if s.label_ == REPEATED_LABEL
                for t in s}
    return rows, repeated


def check_invariants(text, rows, repeated):
    """``repeated``: the character spans of the tokens of repeated labels inside a turn,
    which lie in no sentence."""
    turns = rows["turns"]
    owner = {}
    for t in turns:
        assert text[t["start_char"]:t["end_char"]] == t["text"]
        lo = t["marker_start"] if t["marker_start"] is not None else t["start_char"]
        if t["marker_start"] is not None:
            assert t["marker_start"] <= t["marker_end"] <= t["start_char"]
        for m in re.finditer(r"[^\W_]+", text[lo:t["end_char"]]):
            pos = lo + m.start()
            assert pos not in owner, "a word in two turns"
            owner[pos] = t["turn_id"]
    for m in re.finditer(r"[^\W_]+", text):
        assert m.start() in owner, f"word {m.group()!r} in no turn"
    by_turn = {t["turn_id"]: t for t in turns}
    sents = {s["sent_id"]: s for s in rows["sentences"]}
    for s in rows["sentences"]:
        t = by_turn[s["turn_id"]]
        assert t["start_char"] <= s["start_char"] < s["end_char"] <= t["end_char"]
        assert text[s["start_char"]:s["end_char"]] == s["text"]
    for name in ("entities", "topic_mentions"):
        for e in rows[name]:
            s = sents[e["sent_id"]]
            assert s["start_char"] <= e["start_char"] < e["end_char"] <= s["end_char"]
            assert text[e["start_char"]:e["end_char"]] == e["text"]
            assert s["turn_id"] == e["turn_id"]
    for t in turns:  # the sentences partition the turn's speech, stage notes alone included
        mine = [s for s in rows["sentences"] if s["turn_id"] == t["turn_id"]]
        assert sum(s["n_words"] for s in mine) == t["n_words"]
        assert t["n_sentences"] == sum(1 for s in mine if s["n_words"])
        spans = [(s["start_char"], s["end_char"]) for s in mine]
        for m in re.finditer(r"[^\W_]+", t["text"]):
            pos = t["start_char"] + m.start()
            inside = sum(a <= pos < b for a, b in spans)
            if not any(a <= pos < b for a, b in repeated):
                assert inside == 1, "a word in no sentence or in two"
    doc = rows["documents"][0]
    assert doc["n_turns"] == len(turns)
    assert doc["n_sentences"] == sum(1 for s in rows["sentences"] if s["n_words"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_invariants_on_transcript_like_text(nlp, text):
    check_invariants(text, *_rows(nlp, text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noisy)
def test_invariants_on_any_text(nlp, text):
    check_invariants(text, *_rows(nlp, text))
