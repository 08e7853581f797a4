from spacy.tokens import DocBin

from conftest import HELSINKI


def test_docbin_roundtrip_keeps_custom_annotations(nlp, helsinki_doc):
    db = DocBin(store_user_data=True)
    db.add(helsinki_doc)
    data = db.to_bytes()
    doc = list(DocBin().from_bytes(data).get_docs(nlp.vocab))[0]
    assert doc.text == HELSINKI.read_text(encoding="utf-8")
    for group in ("turns", "speaker_labels", "annotations", "topics"):
        a, b = helsinki_doc.spans[group], doc.spans[group]
        assert [(s.start, s.end, s.label_) for s in a] == [(s.start, s.end, s.label_) for s in b]
    assert [s._.turn for s in doc.spans["turns"]] == [s._.turn for s in helsinki_doc.spans["turns"]]
    assert [m._.topic_method for m in doc.spans["topics"]] == \
        [m._.topic_method for m in helsinki_doc.spans["topics"]]
    assert [(e.start, e.end, e.label_, e.kb_id_) for e in doc.ents] == \
        [(e.start, e.end, e.label_, e.kb_id_) for e in helsinki_doc.ents]
    assert [t.is_sent_start for t in doc] == [t.is_sent_start for t in helsinki_doc]
    assert [t._.restored for t in doc] == [t._.restored for t in helsinki_doc]
    assert doc._.restore_mode == "restore"
