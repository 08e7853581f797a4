"""The Parquet contract on the bundled corpus, and Helsinki expectations end to end."""
import pyarrow.parquet as pq
import pytest

from pipeline.tables import SCHEMAS, TABLES

from conftest import ARTICLE, HELSINKI


def test_schemas_and_provenance(corpus_tables):
    out, _ = corpus_tables
    for t in TABLES:
        ds = pq.read_table(out / t)
        assert ds.schema.remove_metadata() == SCHEMAS[t], t
        meta = pq.read_schema(next((out / t).glob("*.parquet"))).metadata
        assert b"pipeline_version" in meta and b"config_hash" in meta
        assert any(k.startswith(b"model.") for k in meta)


def test_duckdb_reads_the_datasets(corpus_tables):
    duckdb = pytest.importorskip("duckdb")
    out, tables = corpus_tables
    n = duckdb.sql(f"select count(*) from read_parquet('{out}/turns/**/*.parquet')").fetchall()[0][0]
    assert n == len(tables["turns"])


def test_offsets_slice_the_input(corpus_tables):
    _, tb = corpus_tables
    texts = {"helsinki-2018-07-16-press-conference": HELSINKI.read_text(encoding="utf-8"),
             "helsinki-2018-07-16-news-article": ARTICLE.read_text(encoding="utf-8")}
    for name in ("turns", "sentences", "entities", "topic_mentions"):
        for r in tb[name].itertuples():
            assert texts[r.doc_id][r.start_char:r.end_char] == r.text, (name, r)


def test_every_word_in_exactly_one_turn(corpus_tables):
    import re
    _, tb = corpus_tables
    text = HELSINKI.read_text(encoding="utf-8")
    turns = tb["turns"][tb["turns"].doc_id == "helsinki-2018-07-16-press-conference"]
    owner = {}
    for r in turns.itertuples():
        lo = r.marker_start if r.marker_start == r.marker_start and r.marker_start is not None else r.start_char
        for m in re.finditer(r"\S+", text[int(lo):r.end_char]):
            pos = int(lo) + m.start()
            assert pos not in owner, f"word at {pos} in two turns"
            owner[pos] = r.turn_id
    for m in re.finditer(r"\S+", text):
        assert m.start() in owner, f"word {m.group()!r} at {m.start()} in no turn"


def test_sentences_inside_turns_and_mentions_inside_sentences(corpus_tables):
    _, tb = corpus_tables
    turns = tb["turns"].set_index(["doc_id", "turn_id"])
    sents = tb["sentences"].set_index(["doc_id", "sent_id"])
    for r in tb["sentences"].itertuples():
        t = turns.loc[(r.doc_id, r.turn_id)]
        assert t.start_char <= r.start_char < r.end_char <= t.end_char
    for name in ("entities", "topic_mentions"):
        for r in tb[name].itertuples():
            s = sents.loc[(r.doc_id, r.sent_id)]
            assert s.start_char <= r.start_char < r.end_char <= s.end_char
            assert s.turn_id == r.turn_id


def test_documents_table(corpus_tables):
    _, tb = corpus_tables
    d = tb["documents"].set_index("doc_id")
    assert set(d.status) == {"ok"}
    assert d.loc["helsinki-2018-07-16-news-article", "restore_mode"] == "keep"
    assert d.loc["helsinki-2018-07-16-press-conference", "restore_mode"] == "restore"
    assert (d.n_turns > 0).all() and (d.n_sentences > 0).all()


@pytest.mark.parametrize("text,turns", [
    ("TRUMP: We will see what happens. (Laughter.) But I can tell you that.\nQ: Will you?",
     [2, 1]),
    ("trump we will see what happens laughter but i can tell you that", [2])])
def test_a_stage_note_alone_is_a_sentence_without_speech(nlp, text, turns):
    """The gold, like the transcripts, makes `(Laughter.)` a sentence: its row is kept, with
    no speech words, and the counts of turns and documents leave it out."""
    from pipeline.tables import Source, doc_rows

    cols = doc_rows(nlp(text), Source("d", "d.txt"), "test").cols
    sents = [dict(zip(cols["sentences"], v)) for v in zip(*cols["sentences"].values())]
    assert [(s["text"].strip("().?").lower(), s["n_words"]) for s in sents] == [
        ("we will see what happens", 5), ("laughter", 0), ("but i can tell you that", 6),
        ("will you", 2)][:len(turns) + 2]
    assert "aughter" not in cols["turns"]["restored_text"][0]
    assert cols["turns"]["n_sentences"] == turns
    assert cols["documents"]["n_sentences"] == [sum(turns)]


def test_a_repeated_label_alone_is_no_sentence(nlp):
    from pipeline.tables import Source, doc_rows

    text = "PUTIN: We will see.\nPUTIN: And another thing. (Applause.)\nQ: Will you?"
    cols = doc_rows(nlp(text), Source("d", "d.txt"), "test").cols
    assert cols["sentences"]["text"] == ["We will see.", "And another thing.", "(Applause.)",
                                         "Will you?"]
    assert cols["sentences"]["n_words"] == [3, 3, 0, 2]
    assert cols["turns"]["annotations"][0] == ["repeated_label:PUTIN:", "applause:(Applause.)"]


@pytest.fixture(scope="module")
def helsinki_turns(corpus_tables):
    _, tb = corpus_tables
    t = tb["turns"]
    return t[t.doc_id == "helsinki-2018-07-16-press-conference"].sort_values("turn_id")


def test_helsinki_speakers(helsinki_turns):
    t = helsinki_turns
    assert t.iloc[0].speaker == "narrator" and t.iloc[0].role == "narrator"
    assert t.iloc[0].text.startswith("president donald trump met with russian president")
    first = t.iloc[1]
    assert first.speaker == "putin" and first.via_translator
    assert first.speaker_name == "Vladimir Putin"
    speakers = list(t.speaker)
    assert set(speakers) == {"narrator", "putin", "trump", "question", "staff"}
    # `that will go to my son barron we have no question in fact ph melania here you go`
    # is Trump's: names said in speech, not labels of one-turn speakers
    assert t[t.text.str.contains("go to my son barron")].speaker.tolist() == ["trump"]
    # consecutive paragraphs of one speaker are one turn
    assert all(a != b for a, b in zip(speakers, speakers[1:]))
    staff = t[t.speaker == "staff"]
    assert staff.off_mike.any()
    # `staff off mike trump it would have been out long ago`: Trump answers; `mike` of the
    # qualifier is no first name making `mike trump` a full name said
    assert t[t.text.str.contains("it would have been out long ago")].speaker.tolist() == [
        "trump"]
    # the footer is not Trump's
    assert t.iloc[-1].speaker == "narrator" and "editors time com" in t.iloc[-1].text
    journalist = t[t.speaker == "question"]
    assert (journalist.role == "journalist").all()
    # `let the president answer the second part of that question but as you know ...` is
    # Trump going on, not a reporter's turn (a long `question` turn that asks nothing)
    going_on = t[t.text.str.contains("second part of that question but as you know")]
    assert list(going_on.speaker) == ["trump"]


def test_helsinki_topics(corpus_tables, helsinki_turns):
    t = helsinki_turns
    topics = set(x for ts in t.topics for x in ts)
    assert {"syria", "inf_treaty", "crimea", "nord_stream_2"} <= topics
    # the Interfax question asks about Nord Stream 2
    interfax = t[t.text.str.contains("interfax")]
    assert len(interfax) and "nord_stream_2" in interfax.iloc[0].topics
    # INF in Putin's opening statement
    putin = t[t.speaker == "putin"]
    assert "inf_treaty" in putin.iloc[0].topics


def test_helsinki_topic_expectations(helsinki_turns):
    t = helsinki_turns.reset_index(drop=True)
    # Nord Stream 2: the Interfax question, then Trump's and Putin's answers
    k = t.index[t.text.str.contains("interfax")][0]
    assert [s for s in t.speaker[k:k + 3]] == ["question", "trump", "putin"]
    assert all("nord_stream_2" in ts for ts in t.topics[k:k + 3])
    # Crimea: the last question and Putin's answer
    crimea = [i for i, ts in enumerate(t.topics) if "crimea" in ts]
    assert crimea and t.speaker[crimea[0]] == "question"
    assert any(t.speaker[i] == "putin" for i in crimea)
    # no Crimea in the World Cup remarks
    for r in t[t.text.str.contains("world cup")].itertuples():
        assert "crimea" not in r.topics
    # Syria wherever it is discussed by name
    for r in t[t.text.str.contains(" syria ")].itertuples():
        assert "syria" in r.topics


def test_helsinki_journalists(corpus_tables):
    _, t = corpus_tables
    turns = t["turns"]
    named = turns[turns.journalist_name.notna()]
    assert set(zip(named.journalist_name, named.outlet)) >= {
        ("Alex Amashkov", "Interfax"), ("Jeff Mason", "Reuters"), ("Ilya Petrenko", "RT")}
    assert (named.role == "journalist").all()
