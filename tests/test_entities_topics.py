from spacy.tokens import Span

from pipeline.entities import KnowledgeBase
from pipeline.topics import TopicTagger


def test_canonical_ids():
    kb = KnowledgeBase.from_file("configs/knowledge.yaml")
    for alias in ("putin", "Vladimir Putin", "President Putin", "mr putin", "the president putin"):
        assert kb.canonical(alias) == "vladimir_putin", alias
    assert kb.canonical("Assad's") == "bashar_al_assad"
    assert kb.canonical("Nord Stream 2") == "nord_stream_2"
    assert kb.canonical("Some Unknown Person") == "some_unknown_person"


def test_rules_find_domain_terms_and_respect_model(nlp):
    doc = nlp("we discussed the nord stream 2 project and the inf treaty with mr mueller")
    ents = {(e.text, e.kb_id_) for e in doc.ents}
    assert any(kb == "nord_stream_2" and text.endswith("nord stream 2") for text, kb in ents)
    assert any(kb == "inf_treaty" for _, kb in ents)
    assert any(kb == "robert_mueller" for _, kb in ents)
    # non-overlapping, as spaCy requires
    spans = sorted((e.start, e.end) for e in doc.ents)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def _turn_doc(blank, text, turn_starts, speakers, roles):
    doc = blank(text)
    doc._.restore_mode = "restore"
    spans = []
    bounds = list(turn_starts) + [len(doc)]
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        s = Span(doc, a, b, label=speakers[k])
        s._.turn = {"speaker": speakers[k], "name": speakers[k], "role": roles[k],
                    "via_translator": False, "off_mike": False, "speech_start": a + 1}
        spans.append(s)
    doc.spans["turns"] = spans
    return doc


def test_topics_phrases_and_context(blank):
    tagger = TopicTagger(blank, taxonomy_path="configs/taxonomy.yaml")
    text = ("question what about nord stream 2 trump the pipeline is a problem "
            "putin we love the world cup")
    doc = _turn_doc(blank, text, [0, 6, 12], ["question", "trump", "putin"],
                    ["journalist", "official", "official"])
    doc = tagger(doc)
    got = {(m.label_, m.text, m._.topic_method) for m in doc.spans["topics"]}
    assert ("nord_stream_2", "nord stream 2", "phrase") in got
    assert any(t == "nord_stream_2" and "pipeline" in x and m == "context" for t, x, m in got)
    # nothing is carried into a turn with no cue
    assert not [m for m in doc.spans["topics"] if m.start >= 12 and m.label_ == "nord_stream_2"]


def test_taxonomy_is_user_extensible(blank, tmp_path):
    f = tmp_path / "tax.yaml"
    f.write_text("topics:\n  - id: football\n    label: Football\n    phrases: [world cup]\n")
    tagger = TopicTagger(blank, taxonomy_path=str(f))
    doc = _turn_doc(blank, "putin we love the world cup", [0], ["putin"], ["official"])
    assert [m.label_ for m in tagger(doc).spans["topics"]] == ["football"]
