"""Turn segmentation on hand-built Docs: label probabilities are set by hand."""
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.tokenizer import is_word
from pipeline.turns import TurnSegmenter


@pytest.fixture(scope="module")
def seg(blank):
    return TurnSegmenter(blank, speakers_path="configs/speakers.yaml")


def _doc(blank, text, labels=(), weak=(), ends=(), sure_ends=(), cased=()):
    """labels: word indices with a confident label start; weak: low-confidence ones;
    ends: word indices after which a sentence ends; sure_ends: word indices after which
    the restorer is sure of a sentence end (``sent_end`` 0.99; 0 elsewhere); cased: word
    indices the restorer capitalises."""
    doc = blank(text)
    doc._.restore_mode = "restore"
    words = [t for t in doc if is_word(t)]
    for k, t in enumerate(words):
        t._.label_start = 0.9 if k in labels else 0.45 if k in weak else 0.01
        t.is_sent_start = k == 0 or (k - 1) in ends or (k - 1) in sure_ends
        if k in sure_ends:
            t._.sent_end = 0.99
        if k in cased:
            t._.restored = t.text.title()
    return doc


def _punctuated(blank, text):
    """A Doc of punctuated ``text`` that the restorer kept as written (one sentence start)."""
    doc = blank(text)
    doc._.restore_mode = "keep"
    for t in doc:
        t.is_sent_start = t.i == 0
    return doc


def _turns(doc):
    return [(s._.turn["speaker"], doc[s.start:s._.turn["speech_start"]].text,
             doc[s._.turn["speech_start"]:s.end].text) for s in doc.spans["turns"]]


def _speakers(seg, blank, text, labels):
    """The speaker of each turn ``seg`` finds in ``text`` with sure labels at ``labels``."""
    return [t[0] for t in _turns(seg(_doc(blank, text, labels=labels)))]


def _segmenter_without(tmp_path, blank, key):
    """A segmenter whose speakers.yaml is the shipped one with the list ``key`` emptied."""
    yaml = Path("configs/speakers.yaml").read_text(encoding="utf-8")
    start = yaml.index(f"{key}:")
    book = tmp_path / "speakers.yaml"
    book.write_text(f"{yaml[:start]}{key}: []\n{yaml[yaml.index(']', start) + 1:]}",
                    encoding="utf-8")
    return TurnSegmenter(blank, speakers_path=str(book))


def _speakers_on_and_off(tmp_path, blank, seg, key, text, sure):
    """The speakers ``seg`` finds in ``text`` with sure labels at ``sure``, and those a
    segmenter finds whose speakers.yaml list ``key`` is empty (:func:`_segmenter_without`)."""
    off = _segmenter_without(tmp_path, blank, key)
    return (_speakers_of(seg(_doc(blank, text, labels=sure))),
            _speakers_of(off(_doc(blank, text, labels=sure))))


def _speakers_of(doc):
    """The speaker of each turn of a segmented ``doc``."""
    return [t[0] for t in _turns(doc)]


def _tiles(doc):
    covered = []
    for s in doc.spans["turns"]:
        covered.extend(range(s.start, s.end))
    words = [t.i for t in doc if is_word(t)]
    assert sorted(covered) == sorted(set(covered)), "turns overlap"
    assert set(words) <= set(covered), "a word belongs to no turn"


def test_narrator_qualifiers_and_roles(blank, seg):
    text = ("read a transcript below putin through translator thank you trump thank you "
            "very much question off mike mister president")
    doc = seg(_doc(blank, text, labels={4, 9, 14}))
    assert _turns(doc) == [
        ("narrator", "", "read a transcript below"),
        ("putin", "putin through translator", "thank you"),
        ("trump", "trump", "thank you very much"),
        ("question", "question off mike", "mister president"),
    ]
    info = [s._.turn for s in doc.spans["turns"]]
    assert [i["role"] for i in info] == ["narrator", "official", "official", "journalist"]
    assert info[1]["via_translator"] and not info[1]["off_mike"]
    assert info[3]["off_mike"] and not info[3]["via_translator"]
    assert info[1]["name"] == "Vladimir Putin"
    _tiles(doc)


def test_a_name_once_before_a_qualifier_labels_its_later_qualified_turns(blank, seg):
    # a joint press conference (White House, President Duda of Poland): `duda through
    # translator` opens the transcript where the label head gives Duda a fair chance, and
    # later it scores 0.00 there and sure on `translator`: the name labels those turns too,
    # and a qualifier's words start no label
    text = ("duda through translator we welcome you harris thank you president duda "
            "question my question is for both duda through translator ladies and "
            "gentlemen harris yes")
    ws = text.split()
    later = ws.index("ladies") - 3
    labels = {ws.index("harris"), ws.index("question"), later + 2, len(ws) - 2}
    doc = seg(_doc(blank, text, labels=labels, weak={0}))
    assert [t[:2] for t in _turns(doc)] == [
        ("duda", "duda through translator"), ("harris", "harris"), ("question", "question"),
        ("duda", "duda through translator"), ("harris", "harris")]
    info = [s._.turn for s in doc.spans["turns"]]
    assert info[3]["via_translator"]


def test_a_retranslated_guest_is_a_label_however_low_the_label_head(tmp_path, blank, seg):
    # kremlin.ru: `President of Turkey Recep Tayyip Erdogan (retranslated): Thank you`,
    # in the seed's form `... erdogan retranslated thank you`, where the label head gives
    # the name 0.000 (the source leaves most such lines inside the host's turn, so the
    # network learnt them as speech); a name that labels a turn is a label before the
    # qualifier, via a translator, and `question retranslated` is a reporter's label
    text = ("putin we are glad to welcome you president of turkey recep tayyip erdogan "
            "retranslated thank you mr president question retranslated my question is for "
            "both putin as for syria erdogan we agree")
    ws = text.split()
    sure = {0, ws.index("syria") - 3, len(ws) - 3}
    doc = seg(_doc(blank, text, labels=sure))
    assert [t[:2] for t in _turns(doc)] == [
        ("putin", "putin"), ("erdogan", "erdogan retranslated"),
        ("question", "question retranslated"), ("putin", "putin"), ("erdogan", "erdogan")]
    assert [s._.turn["via_translator"] for s in doc.spans["turns"]] == [
        False, True, True, False, False]
    yaml = Path("configs/speakers.yaml").read_text(encoding="utf-8")
    book = tmp_path / "speakers.yaml"
    book.write_text("".join(line for line in yaml.splitlines(keepends=True)
                            if "translated" not in line.split("#")[0]), encoding="utf-8")
    without = TurnSegmenter(blank, speakers_path=str(book))
    assert _speakers_of(without(_doc(blank, text, labels=sure))) == [
        "putin", "erdogan"]


def test_a_guests_title_and_full_name_before_a_qualifier_are_the_label(blank, seg):
    # kremlin.ru: `Thank you for your attention. President of Turkey Recep Tayyip Erdogan
    # (retranslated): My dear friend`, inside the host's turn; the label head scores none of
    # it. The words the restorer capitalises back to a sentence end or a greeting are the
    # label, the guest's too when they speak nowhere else (`welcome sigmar gabriel`), the
    # longest such run where the restorer half ends a sentence inside it (`syria`)
    text = ("putin thank you for your attention president of turkey recep tayyip erdogan "
            "retranslated my dear friend putin welcome sigmar gabriel retranslated thank you "
            "we talked with the president of korea yoon suk yeol retranslated it was good "
            "putin thank you all once again president of syria bashar al assad re translated "
            "i thank you")
    ws = text.split()
    cased = {i for i, w in enumerate(ws) if w in {
        "president", "turkey", "recep", "tayyip", "erdogan", "sigmar", "gabriel", "korea",
        "yoon", "suk", "yeol", "syria", "bashar", "al", "assad"}}
    putins = [i for i, w in enumerate(ws) if w == "putin"]
    doc = _doc(blank, text, labels=set(putins), sure_ends={ws.index("attention")}, cased=cased)
    for w, p_end in (("again", 0.13), ("syria", 0.14)):
        doc[ws.index(w)]._.sent_end = p_end
    doc = seg(doc)
    assert [t[:2] for t in _turns(doc)] == [
        ("putin", "putin"),
        ("erdogan", "president of turkey recep tayyip erdogan retranslated"),
        ("putin", "putin"), ("gabriel", "sigmar gabriel retranslated"), ("putin", "putin"),
        ("assad", "president of syria bashar al assad re translated")]
    assert [s._.turn["via_translator"] for s in doc.spans["turns"]] == [
        False, True, False, True, False, True]
    # a word of speech (`with`) before the capitals: no label, however the words are cased
    assert _turns(doc)[3][2].endswith("we talked with the president of korea yoon suk yeol "
                                      "retranslated it was good")


def test_a_guest_named_in_full_who_stands_alone_between_sentence_ends_is_a_label(blank, seg):
    # kremlin.ru: `let s hear about these plans kozak we have decided`: a name the document
    # writes after a title (or a listed first name) elsewhere, where the restorer ends a
    # sentence before and after it, is the guest who now speaks, however unsure the label
    # head (0.03 there); not without the sentence end after it, nor with
    # standalone_name_boundary 0, nor before `and`, after a function word or a title
    # (`headed by special attorney mueller he can use`, Helsinki), or where the document
    # never names it in full
    text = ("putin i turn to deputy prime minister kozak who has the plans let us hear about "
            "these plans kozak we have decided what will happen to the arenas putin thank you")

    def speakers(text, after=True, segmenter=seg):
        """Speakers with sure labels at the two `putin`, the restorer sure of a sentence end
        before the last `kozak` (and after it, with ``after``) and capitalising the words
        before the first `kozak` that are no function words."""
        ws = text.split()
        k = len(ws) - 1 - ws[::-1].index("kozak")
        first = ws.index("kozak")
        cased = {i for i in range(first - 1, first + 1) if ws[i] in ("kozak", "dmitry")}
        ends = {k - 1, k} if after else {k - 1}
        doc = segmenter(_doc(blank, text, labels={0, len(ws) - 3}, sure_ends=ends,
                             cased=cased))
        return _turns(doc)

    turns = speakers(text)
    assert [t[0] for t in turns] == ["putin", "kozak", "putin"]
    assert turns[1][2] == "we have decided what will happen to the arenas"
    assert [t[0] for t in speakers(text, after=False)] == ["putin"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        standalone_name_boundary=0)
    assert [t[0] for t in speakers(text, segmenter=off)] == ["putin"]
    for other in (text.replace("kozak we have", "kozak and we have"),
                  text.replace("these plans kozak", "the plans of kozak"),
                  text.replace("these plans kozak", "special attorney kozak"),
                  text.replace("minister kozak who", "minister who")):
        assert [t[0] for t in speakers(other)] == ["putin"], other
    # named after a listed first name the restorer capitalises (`dmitry kozak`)
    named = text.replace("minister kozak", "minister dmitry kozak")
    first = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                          first_names_path="configs/first_names.json")
    assert [t[0] for t in speakers(named, segmenter=first)] == ["putin", "kozak", "putin"]


def test_a_guest_welcomed_before_a_qualifier_is_the_label_however_cased(blank, seg):
    # `welcome steinmeier retranslated thank you very much mr president`: the word between a
    # greeting and a qualifier is the guest's label, though the restorer writes it in lower
    # case and the label head scores it 0.011; not a function word (`welcome you through
    # translator`, where nobody is named)
    text = ("putin we are working together welcome steinmeier retranslated thank you very "
            "much mr president putin i welcome you through translator as you know")
    ws = text.split()
    doc = seg(_doc(blank, text, labels={0, ws.index("putin", 1)}))
    assert [t[:2] for t in _turns(doc)] == [
        ("putin", "putin"), ("steinmeier", "steinmeier retranslated"), ("putin", "putin")]
    assert _turns(doc)[2][2].endswith("i welcome you through translator as you know")


def test_a_guests_title_takes_the_longer_name_the_document_labels(blank, seg):
    # the converter keys `Bashar al-Assad` as `al assad`: where the document labels that name,
    # the guest's label before `re translated` takes it, not the last word alone
    text = ("putin we agree al assad yes we agree putin thank you for your attention "
            "president of syria bashar al assad re translated i thank you")
    ws = text.split()
    at = ws.index("attention")
    doc = _doc(blank, text, labels={0, 3, ws.index("putin", 1)},
               sure_ends={2, ws.index("agree", 4), at},
               cased={3, 4} | set(range(at + 1, at + 7)))
    doc[4]._.label_inside = 0.9
    assert [t[:2] for t in _turns(seg(doc))] == [
        ("putin", "putin"), ("al assad", "al assad"), ("putin", "putin"),
        ("al assad", "president of syria bashar al assad re translated")]


def test_a_guests_title_holds_no_label_name_nor_personal_title(blank, seg):
    # `distinguished guests the prime minister of japan biden president kishida through
    # translator`: a run of capitals that meets a name labelling the document's turns
    # (`biden`) is no guest's title; nor does one run past `mr` (`over to you mr prime
    # minister`: a vocative, the speaker's who hands over); the label is the name the label
    # head finds
    text = ("biden thank you moderator distinguished guests the prime minister of japan biden "
            "president kishida through translator thank you biden we agree and now over to you "
            "mr prime minister kishida through translator thank you joe")
    ws = text.split()
    japan, mr = ws.index("japan"), ws.index("mr")
    cased = {japan - 2, japan - 1, japan, japan + 1, japan + 2, japan + 3, mr, mr + 1, mr + 2,
             mr + 3}
    doc = _doc(blank, text, labels={0, japan + 1, ws.index("biden", japan + 2)},
               sure_ends={japan}, cased=cased)
    doc[japan + 3]._.label_start = doc[mr + 3]._.label_start = 0.5
    assert [t[:2] for t in _turns(seg(doc))] == [
        ("biden", "biden"), ("kishida", "kishida through translator"), ("biden", "biden"),
        ("kishida", "kishida through translator")]


def test_a_qualifier_that_is_also_a_stage_note_vouches_for_known_names_only(blank, seg):
    # `trudeau speaks french as interpreted`: `as interpreted` is a qualifier after a label
    # and a stage note inside speech, so a new word before it is no label where the label
    # head barely allows one, while such a word before `through translator` is; a name
    # that labels a turn of the document is a label before either
    text = ("trudeau bonjour speaks french as interpreted we should all work together yoon "
            "through translator thank you trudeau as interpreted merci")
    ws = text.split()
    doc = _doc(blank, text, labels={0})
    words = [t for t in doc if is_word(t)]
    for w in ("french", "yoon"):
        words[ws.index(w)]._.label_start = 0.05
    assert [t[:2] for t in _turns(seg(doc))] == [
        ("trudeau", "trudeau"), ("yoon", "yoon through translator"),
        ("trudeau", "trudeau as interpreted")]


def test_a_generic_label_that_ends_a_noun_phrase_is_speech(tmp_path, blank):
    # `it s an intriguing question but`, `a very serious question mr president`: `question`
    # after an indefinite article and adjectives or adverbs (the last an adjective that is
    # no noun) ends a noun phrase, however sure the label head; not after a noun (`in the
    # back question thank you`) or a stage note (`a little worried inaudible question`); no
    # list, no rule
    f = tmp_path / "modifiers.json"
    f.write_text('{"adjectives": ["intriguing", "serious", "worried", "inaudible"], '
                 '"adverbs": ["very", "little"]}', encoding="utf-8")
    text = ("psaki well it s an intriguing question but i think so this is a very serious "
            "question mr president psaki yes in the back question thank you psaki i was a "
            "little worried inaudible question i wanted to ask")
    ws = text.split()
    sure = {0} | {k for k, w in enumerate(ws) if w in ("question", "psaki")}
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", modifiers_path=str(f))
    assert _speakers_of(seg(_doc(blank, text, labels=sure))) == [
        "psaki", "question", "psaki", "question"]
    plain = TurnSegmenter(blank, speakers_path="configs/speakers.yaml")
    assert _speakers_of(plain(_doc(blank, text, labels=sure))) == [
        "psaki", "question", "question", "psaki", "question", "psaki", "question"]
    seg.to_disk(tmp_path / "saved")
    f.write_text('["intriguing"]', encoding="utf-8")
    again = TurnSegmenter(blank, speakers_path="configs/speakers.yaml").from_disk(
        tmp_path / "saved")  # the saved list travels with the pipeline
    assert _speakers_of(again(_doc(blank, text, labels=sure))) == [
        "psaki", "question", "psaki", "question"]
    with pytest.raises(PipelineError, match="T109"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", modifiers_path=str(f))


def test_a_generic_label_after_a_determiner_and_a_listed_adjective_is_speech(tmp_path, blank,
                                                                             seg):
    # `i m answering that specific question which is`, `the toughest question sir`, `your
    # last question mr president`: a determiner of noun_phrase_determiners and an adjective of
    # noun_phrase_adjectives before `question` end a noun phrase, however sure the label head,
    # without the WordNet lists; an adjective not listed (`that s right question`, `one way or
    # the other question`) leaves the label; an empty list turns the rule off
    text = ("psaki i m answering that specific question which is psaki you gave me the "
            "toughest question sir psaki that s right question is it true psaki yes one way "
            "or the other question okay psaki your last question mr president psaki no")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("question", "psaki")}
    on, off = _speakers_on_and_off(tmp_path, blank, seg, "noun_phrase_adjectives", text, sure)
    assert on == ["psaki", "question", "psaki", "question", "psaki"]
    assert off == ["psaki", "question"] * 5 + ["psaki"]



def test_a_question_announced_as_brief_or_interesting_is_speech(blank, seg):
    # kremlin.ru's journalists announce their questions (`another interesting question how in
    # your opinion`, `another short question as you are aware`, `here is my brief question i
    # will just add`): `interesting`, `brief` and `short` are listed adjectives, so a
    # determiner before them opens a noun phrase that `question` ends
    text = ("putin please question another interesting question how will brexit affect us "
            "putin it will not question and another short question as you are aware "
            "putin yes question here is my brief question one of the first requests putin no")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("question", "putin")}
    assert _speakers_of(seg(_doc(blank, text, labels=sure))) == ["putin", "question"] * 3 + [
        "putin"]

def test_a_generic_label_after_a_possessive_is_speech(tmp_path, blank, seg):
    # `following up on peter s question does`: `s` after a name is a possessive, so the
    # `question` after it is speech however sure the label head; after a word of
    # not_possessive (`it s`) `s` is `is` and the label stays; an empty list: off
    text = ("psaki go ahead question following up on peter s question does the president "
            "agree psaki he does i think that s right it s question are you sure psaki yes")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("question", "psaki")}
    on, off = _speakers_on_and_off(tmp_path, blank, seg, "not_possessive", text, sure)
    assert on == ["psaki", "question", "psaki", "question", "psaki"]
    assert off == ["psaki", "question", "question", "psaki", "question", "psaki"]


def test_a_name_said_twice_in_a_row_labels_at_its_last_repeat(blank, seg):
    # `i ll turn it over to stephen miller miller thank you`: the first `miller` ends the
    # speech before, whether the label head starts a label at both or one label spans both;
    # a chant (`trump trump trump trump well`) is the crowd's, the last repeat the label
    text = ("leavitt first up i ll turn it over to stephen miller miller thank you it s great "
            "question thanks karine audience trump trump trump trump well we won")
    ws = text.split()
    chant = range(ws.index("audience"), ws.index("well"))
    expected = [("leavitt", "leavitt", "first up i ll turn it over to stephen miller"),
                ("miller", "miller", "thank you it s great"),
                ("question", "question", "thanks karine"),
                ("audience", "audience", "trump trump trump"), ("trump", "trump", "well we won")]
    assert _turns(seg(_doc(blank, text, labels={0, 10, 11, ws.index("question"), *chant}))) \
        == expected
    doc = _doc(blank, text, labels={0, 10, ws.index("question"), *chant})
    [t for t in doc if is_word(t)][11]._.label_inside = 0.9  # one label: `miller miller`
    assert _turns(seg(doc)) == expected


def test_a_role_of_the_speaker_book_completes_a_label_the_head_cut_short(blank, seg):
    # background calls: the label head starts `senior administration official` and stops
    # inside it; the speaker book's role completes the label, so the turn is the role's
    # (which no share of uses can drop) and its speech starts after `official`
    text = ("moderator our first speaker senior administration official thank you everyone "
            "question hi thanks for doing this senior administration official sure")
    ws = text.split()
    sure = {0, ws.index("senior"), ws.index("question"), len(ws) - 4}
    doc = _doc(blank, text, labels=sure)
    words = [t for t in doc if is_word(t)]
    words[ws.index("senior") + 1]._.label_inside = 0.9  # the head's label: `senior administration`
    assert [t[:2] for t in _turns(seg(doc))] == [
        ("moderator", "moderator"),
        ("senior administration official", "senior administration official"),
        ("question", "question"),
        ("senior administration official", "senior administration official")]


def test_name_inside_speech_is_not_a_label(blank, seg):
    # "trump" after "president" has a low label probability and is not a turn
    text = "trump we met president trump said so question thank you trump"
    doc = seg(_doc(blank, text, labels={0, 7}, weak=set()))
    assert [t[0] for t in _turns(doc)] == ["trump", "question"]
    assert "president trump said so" in _turns(doc)[0][2]


def test_document_lexicon_accepts_weak_repeats(blank, seg):
    # "holt" is confidently a label once; its second occurrence at a weak score joins
    text = "holt good evening biden thank you holt next question"
    doc = seg(_doc(blank, text, labels={0, 3}, weak={6}))
    assert [t[0] for t in _turns(doc)] == ["holt", "biden", "holt"]


def test_repeated_labels_merge(blank, seg):
    text = "putin first part putin second part trump yes"
    doc = seg(_doc(blank, text, labels={0, 3, 6}))
    turns = _turns(doc)
    assert [t[0] for t in turns] == ["putin", "trump"]
    assert turns[0][2] == "first part putin second part"
    assert [n.label_ for n in doc.spans["annotations"]] == ["repeated_label"]
    _tiles(doc)


def test_labels_of_a_role_for_many_people_do_not_merge(blank, seg):
    # `question ... question`: two reporters, two turns (merge_repeats: false in
    # speakers.yaml); with merge_repeats off, a person's repeated label opens a turn too
    text = "question is it true question what about china putin yes putin and more"
    labels = {0, 4, 8, 10}
    turns = _turns(seg(_doc(blank, text, labels=labels)))
    assert [t[0] for t in turns] == ["question", "question", "putin"]
    assert turns[1][2] == "what about china"
    assert not seg.merges_repeats("question") and seg.merges_repeats("putin")
    each = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", merge_repeats=False)
    doc = each(_doc(blank, text, labels=labels))
    assert [t[0] for t in _turns(doc)] == ["question", "question", "putin", "putin"]
    assert not [n for n in doc.spans["annotations"] if n.label_ == "repeated_label"]
    _tiles(doc)


def test_label_without_speech_joins_next(blank, seg):
    text = "putin anymore again staff off mike trump it would have been out"
    doc = seg(_doc(blank, text, labels={0, 3, 6}))
    turns = _turns(doc)
    assert [t[0] for t in turns] == ["putin", "trump"]
    assert turns[1][1] == "staff off mike trump"
    _tiles(doc)


def test_footer_is_narrator(blank, seg):
    text = "trump thank you very much everybody update this post has been updated contact us"
    doc = seg(_doc(blank, text, labels={0}, ends={5}))
    turns = _turns(doc)
    assert [t[0] for t in turns] == ["trump", "narrator"]
    assert turns[1][2].startswith("update this post")


def test_stage_notes_are_annotations(blank, seg):
    text = "putin we mentioned crushing ph terrorists laughter and inaudible vital"
    doc = seg(_doc(blank, text, labels={0}))
    notes = [(n.label_, n.text) for n in doc.spans["annotations"]]
    assert notes == [("ph", "ph"), ("laughter", "laughter"), ("inaudible", "inaudible")]


def test_a_stage_note_is_never_a_label(blank, seg):
    # a speech read to applause: the note opens many paragraphs and the label head may
    # score it high, but it is an annotation inside the speaker's turn, not a speaker
    text = ("trump thank you applause we are back applause and today rates fell "
            "applause laughter and applause thank you all")
    doc = seg(_doc(blank, text, labels={0, 3, 7, 12, 13}, sure_ends={2, 6, 11}))
    assert [(s, m) for s, m, _ in _turns(doc)] == [("trump", "trump")]
    notes = [n.label_ for n in doc.spans["annotations"]]
    assert notes == ["applause", "applause", "applause", "laughter", "applause"]
    _tiles(doc)


def test_a_label_after_crosstalk(blank, seg):
    # a debate: the restorer sees no sentence end after `crosstalk`, but the note ends the
    # interruption and `clinton` (a label of this document) takes the floor again
    text = "clinton well let me finish trump crosstalk clinton i have a feeling"
    doc = seg(_doc(blank, text, labels={0, 5}))
    assert [(s, m) for s, m, _ in _turns(doc)] == [
        ("clinton", "clinton"), ("trump", "trump"), ("clinton", "clinton")]
    assert [n.label_ for n in doc.spans["annotations"]] == ["crosstalk"]
    plain = TurnSegmenter(blank, speakers_path="configs/speakers.yaml")
    plain.book.boundary_notes = set()
    assert [s for s, _, _ in _turns(plain(_doc(blank, text, labels={0, 5})))] == [
        "clinton", "trump"]
    _tiles(doc)


def test_a_vocative_before_a_label_of_the_document(blank, seg):
    # `thank you lesley stahl let s start`: the label head starts a label at the first name,
    # but `stahl` opens more turns of this document, so the label is `stahl` and `lesley`
    # ends the turn before
    text = "stahl mr president hello trump thank you lesley stahl let s start trump fine stahl good"
    doc = seg(_doc(blank, text, labels={0, 4, 7, 12, 14}))
    assert _turns(doc) == [
        ("stahl", "stahl", "mr president hello"), ("trump", "trump", "thank you lesley"),
        ("stahl", "stahl", "let s start"), ("trump", "trump", "fine"), ("stahl", "stahl", "good")]
    _tiles(doc)


def test_the_roster_alone_makes_no_label(blank, seg):
    # `putin` is in the roster but labels no turn of this document: after a sentence end and
    # at a fair label score it is still a name in the speech of others
    text = "biden we spoke i think putin probably is involved question thank you"
    doc = seg(_doc(blank, text, labels={0, 9}, weak={5}, sure_ends={4}))
    assert [t[0] for t in _turns(doc)] == ["biden", "question"]
    # the same name, once it labels a turn of the document, is accepted again at that score
    text = "putin hello biden we spoke i think putin probably is involved"
    doc = seg(_doc(blank, text, labels={0, 2}, weak={7}, sure_ends={6}))
    assert [t[0] for t in _turns(doc)] == ["putin", "biden", "putin"]


def test_no_labels_is_one_narrator_turn(blank, seg):
    doc = seg(_doc(blank, "just a paragraph of text with no speakers"))
    assert [t[0] for t in _turns(doc)] == ["narrator"]
    _tiles(doc)


def test_all_labels(blank, seg):
    doc = seg(_doc(blank, "trump putin", labels={0, 1}))
    _tiles(doc)


def test_punctuated_transcript(blank, seg):
    text = ("The following is a transcript.\nPRESIDENT PUTIN: (As interpreted.) Good afternoon.\n"
            "Q: Thank you. (Laughter.)\nTHE PRESIDENT: Thanks.\n")
    doc = seg(_punctuated(blank, text))
    turns = _turns(doc)
    assert [t[0] for t in turns] == ["narrator", "putin", "question", "president"]
    assert doc.spans["turns"][1]._.turn["via_translator"]
    assert turns[2][2] == "Thank you. (Laughter.)"
    assert [n.label_ for n in doc.spans["annotations"]] == ["laughter"]


def test_punctuated_retranslated_labels_are_via_a_translator(blank, seg):
    # kremlin.ru as published: `(retranslated)` between a guest's or reporter's label and
    # its colon
    text = ("Vladimir Putin: Welcome to Moscow.\nRecep Tayyip Erdogan (retranslated): Thank "
            "you.\nQuestion (retranslated): For both.\nVladimir Putin: Thank you.\n"
            "Patrick Pouyanne (retranslated from Russian): Mr President.\n")
    doc = seg(_punctuated(blank, text))
    assert [(s._.turn["speaker"], s._.turn["via_translator"]) for s in doc.spans["turns"]] == [
        ("putin", False), ("erdogan", True), ("question", True), ("putin", False),
        ("pouyanne", True)]
    # a qualifier is named once, though `retranslated from russian` matches three entries
    assert [label.quals for label in seg._labels_punctuated(doc)][-1] == ("via_translator",)


def test_qualifier_marks_a_label(blank, seg):
    # "staff" is never confidently a label, but "staff off mike" is
    text = "putin from the stockholm court staff off mike goes to jeff mason from reuters"
    doc = _doc(blank, text, labels={0})
    for t in doc:
        if t.text == "staff":
            t._.label_start = 0.05
    doc = seg(doc)
    turns = _turns(doc)
    assert [t[0] for t in turns] == ["putin", "staff"]
    assert doc.spans["turns"][1]._.turn["off_mike"]
    assert doc.spans["turns"][1]._.turn["role"] == "staff"


def test_weak_label_after_no_is_speech(blank, seg):
    # "we have no question": 0.6 is not enough after "no"; a confident label still is one
    text = "trump we have no question in fact thank you question mister president"
    doc = _doc(blank, text, labels={0, 9})
    for t in doc:
        if t.i == [w.i for w in doc if is_word(w)][4]:
            t._.label_start = 0.6
    doc = seg(doc)
    assert [x[0] for x in _turns(doc)] == ["trump", "question"]
    doc = seg(_doc(blank, "trump we said no question thank you", labels={0, 4}))
    assert [x[0] for x in _turns(doc)] == ["trump", "question"]


def test_journalist_names_and_outlets(blank, seg):
    text = ("staff the first question goes to jeff mason from reuters question thank you "
            "mister president putin through translator yes question good evening my name is "
            "ilya petrenko laughter rt tv channel what about trade trump it goes to show that "
            "question my name is larisa what do you think")
    ws = text.split()
    labels = {0, ws.index("question", 5), ws.index("putin"), ws.index("question", 16),
              ws.index("trump"), ws.index("question", 40)}
    doc = seg(_doc(blank, text, labels=labels))
    info = [s._.turn for s in doc.spans["turns"]]
    got = [(i["speaker"], i["journalist_name"], i["outlet"]) for i in info]
    assert got == [
        ("staff", None, None),
        ("question", "Jeff Mason", "Reuters"),  # handed the floor by the turn before
        ("putin", None, None),
        ("question", "Ilya Petrenko", "RT"),  # introduces themself; the stage note is skipped
        ("trump", None, None),
        ("question", "Larisa", None),  # "goes to show" hands the floor to nobody
    ]


def test_a_sure_label_head_overrides_context_but_not_titles(blank, seg):
    # the word before ("the") vetoes a weak label but not a sure one; a title always does
    text = "question from the psaki we will see question for president putin thank you"
    ws = text.split()
    doc = seg(_doc(blank, text, labels={0, ws.index("psaki"), 7, ws.index("putin")}))
    assert [x[:2] for x in _turns(doc)] == [("question", "question"), ("psaki", "psaki"),
                                           ("question", "question")]
    assert "putin thank you" in _turns(doc)[-1][2]


def test_a_name_after_a_plural_abbreviated_title_is_speech(tmp_path, blank, seg):
    # `i ll turn to drs walensky fauci and murthy`: `drs` (and `messrs`) are titles of
    # speakers.yaml, so a sure label head right after one is speech; without them in the
    # list the name opens a turn there
    text = ("zients in a moment i ll turn to drs walensky fauci and murthy i ll start by "
            "discussing the progress we re making on testing and vaccination across the "
            "country this week and then we will hear the data walensky thank you jeff")
    ws = text.split()
    sure = {0, ws.index("walensky"), len(ws) - 4}
    turns = _turns(seg(_doc(blank, text, labels=sure)))
    assert [t[0] for t in turns] == ["zients", "walensky"]
    assert turns[0][2].endswith("we will hear the data")
    yaml = Path("configs/speakers.yaml").read_text(encoding="utf-8")
    book = tmp_path / "speakers.yaml"
    book.write_text(yaml.replace(' "drs",', ""), encoding="utf-8")
    off = _turns(TurnSegmenter(blank, speakers_path=str(book))(_doc(blank, text, labels=sure)))
    assert off[0][2] == "in a moment i ll turn to drs"


def test_a_title_and_a_first_name_keep_a_sure_label_in_speech(blank, seg):
    # a debate moderator addresses the candidates: `mayor` is a title, and so is `governor`
    # followed by a first name the restorer capitalises (`Teresa`); the name after them is
    # speech, however sure the label head is
    text = ("moderator tonight we have governor teresa alvarado with us alvarado thank you "
            "moderator health care mayor alvarado this one is for you alvarado first")
    ws = text.split()
    labels = {k for k, w in enumerate(ws) if w in ("moderator", "alvarado")}
    ends = {ws.index("us"), ws.index("you"), len(ws) - 3}
    doc = seg(_doc(blank, text, labels=labels, sure_ends=ends, cased={ws.index("teresa")}))
    assert _turns(doc) == [
        ("moderator", "moderator", "tonight we have governor teresa alvarado with us"),
        ("alvarado", "alvarado", "thank you"),
        ("moderator", "moderator", "health care mayor alvarado this one is for you"),
        ("alvarado", "alvarado", "first")]
    # a word the restorer does not capitalise is no first name: the label stands (and the
    # label after it continues its turn), unless the second label answers close by
    # (spoken_to_max_labels: the one called on speaks from there)
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", spoken_to_max_labels=0)
    doc = off(_doc(blank, text, labels=labels, sure_ends=ends))
    assert _turns(doc)[:2] == [("moderator", "moderator", "tonight we have governor teresa"),
                               ("alvarado", "alvarado", "with us alvarado thank you")]
    doc = seg(_doc(blank, text, labels=labels, sure_ends=ends))
    assert _turns(doc)[:2] == [
        ("moderator", "moderator", "tonight we have governor teresa alvarado with us"),
        ("alvarado", "alvarado", "thank you")]


def test_next_question_is_the_moderators(blank, seg):
    # the label head is sure of `question` and the restorer ends a sentence after `next`, but
    # a generic label after `next` is speech (57 of 58 `next question` of the train gold)
    text = "moderator next question yes right here audience hello governor"
    ws = text.split()
    doc = seg(_doc(blank, text, labels={0, 2, ws.index("audience")},
                   sure_ends={1, ws.index("here")}))
    assert [x[0] for x in _turns(doc)] == ["moderator", "audience"]
    assert _turns(doc)[0][2] == "next question yes right here"


def test_a_name_after_a_titled_name_may_be_a_label(blank, seg):
    # `... the meeting with president putin. trump: i know`: a name of the speaker book
    # between the title and the label is no first name
    text = "question what about the meeting with president putin trump i know question thanks"
    ws = text.split()
    doc = seg(_doc(blank, text, labels={0, ws.index("trump"), len(ws) - 2},
                   sure_ends={ws.index("putin")}, cased={ws.index("putin"), ws.index("trump")}))
    assert [x[0] for x in _turns(doc)] == ["question", "trump", "question"]


def test_a_title_that_ends_a_sentence_does_not_veto(blank, seg):
    # `... we will continue, Mr President. PUTIN: What issues ...`: the restorer ends a
    # sentence after the title, so the sure label after it is one
    text = "shuvalov we will continue mr president putin what issues do you see"
    ws = text.split()
    labels = {0, ws.index("putin")}
    doc = seg(_doc(blank, text, labels=labels, sure_ends={ws.index("president")}))
    assert [x[:2] for x in _turns(doc)] == [("shuvalov", "shuvalov"), ("putin", "putin")]
    # without the sentence end the title keeps the name in speech
    doc = seg(_doc(blank, text, labels=labels))
    assert [x[:2] for x in _turns(doc)] == [("shuvalov", "shuvalov")]


def test_a_determiner_vetoes_a_weak_generic_label(blank, seg):
    # `supply chains without any question are critical`: a known label word after a
    # determiner needs a sure label head, even where the restorer ends a sentence before it
    text = "question thank you harris supply chains without any question are critical"
    doc = seg(_doc(blank, text, labels={0, 3}, weak={8}, sure_ends={7}))
    assert [x[0] for x in _turns(doc)] == ["question", "harris"]
    doc = seg(_doc(blank, text.replace("any", "it"), labels={0, 3}, weak={8}, sure_ends={7}))
    assert [x[0] for x in _turns(doc)] == ["question", "harris", "question"]


def test_a_name_with_other_turns_overrides_a_rare_next_word(tmp_path, blank):
    # `borissov jean claude juncker headed`: `jean` hardly ever opens a turn, but a name that
    # labels two other turns of the document is a label at a fair label-head score; a role
    # word is not (`they would question officials`), nor a name used as a label only once
    rare = tmp_path / "non_openers.json"
    rare.write_text('["jean", "officials"]', encoding="utf-8")
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", non_openers_path=str(rare))
    text = ("putin welcome borissov thank you putin please borissov thank you putin fine "
            "borissov jean claude said so question why putin they would question officials")
    ws = text.split()
    labels = {0, 2, 5, 7, 10, ws.index("question"), ws.index("why") + 1}
    weak = {12, len(ws) - 2}
    turns = _turns(seg(_doc(blank, text, labels=labels, weak=weak)))
    assert [t[0] for t in turns] == ["putin", "borissov", "putin", "borissov", "putin",
                                     "borissov", "question", "putin"]
    assert turns[-1][2] == "they would question officials"
    once = _turns(seg(_doc(blank, text, labels=labels - {7}, weak=weak | {7})))
    assert once[4] == ("putin", "putin", "fine borissov jean claude said so")
    _tiles(seg(_doc(blank, text, labels=labels, weak=weak)))


def test_intro_naming_a_principal_stays_narration(blank):
    # a word that never opens a turn ("publicly") vetoes the first label however sure the
    # head is; after a first label, a sure head wins over it
    text = ("last week putin publicly denied it read the transcript below trump thank you "
            "putin publicly we said so")
    ws = text.split()
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        non_openers_path="models/restorer/non_openers.json")
    doc = seg(_doc(blank, text, labels={ws.index("putin"), ws.index("trump"), 13}))
    turns = _turns(doc)
    assert [t[0] for t in turns] == ["narrator", "trump", "putin"]
    assert turns[0][2].startswith("last week putin publicly denied")
    assert turns[2][2] == "publicly we said so"
    _tiles(doc)


def _with_word_list(tmp_path, blank, knob: str, words: str):
    """A segmenter without word lists, and one with ``words`` (a JSON list) as ``knob``."""
    f = tmp_path / f"{knob}.json"
    f.write_text(words, encoding="utf-8")
    return (TurnSegmenter(blank, speakers_path="configs/speakers.yaml"),
            TurnSegmenter(blank, speakers_path="configs/speakers.yaml", **{knob: str(f)}))


def test_a_one_off_label_that_is_a_common_word_is_speech(tmp_path, blank):
    # `he said half jokingly we ...`: the label head fires on a rare word after a sentence
    # end; a word the training text writes in lower case is no speaker when it labels only
    # once, while a role of the speaker book (`question`) and a repeated label still count
    plain, checked = _with_word_list(tmp_path, blank, "common_words_path",
                                     '["jokingly", "question", "geology"]')
    text = ("putin thank you he said half jokingly we will see question what about geology "
            "geology is a science putin yes geology indeed geology next")
    ws = text.split()
    sure = {0, ws.index("jokingly"), ws.index("question"), 14, 18, 22}  # 14, 22: "geology"
    assert "jokingly" in [t[0] for t in _turns(plain(_doc(blank, text, labels=sure)))]
    turns = _turns(checked(_doc(blank, text, labels=sure)))
    assert [t[0] for t in turns] == ["putin", "question", "geology", "putin", "geology"]
    assert turns[2][2] == "is a science"
    assert turns[0][2] == "thank you he said half jokingly we will see"
    _tiles(checked(_doc(blank, text, labels=sure)))
    checked.to_disk(tmp_path / "saved")
    assert (tmp_path / "saved" / "common_words.json").exists()


def test_a_label_that_is_a_lone_first_name_is_someone_addressed(tmp_path, blank):
    # `question thanks ian can you clarify`: the label head fires on a first name after a
    # greeting; transcripts label speakers by surname or role, so it is speech, unless the
    # name labels a turn with a qualifier (`lula through translator`) or is a role
    plain, checked = _with_word_list(tmp_path, blank, "first_names_path",
                                     '["ian", "lula", "question"]')
    text = ("sams good morning question thanks ian can you clarify the timing sams sure ian "
            "lula through translator thank you question and lula what comes next lula yes")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("sams", "ian", "lula", "question")}
    assert "ian" in [t[0] for t in _turns(plain(_doc(blank, text, labels=sure)))]
    doc = checked(_doc(blank, text, labels=sure))
    assert [t[0] for t in _turns(doc)] == ["sams", "question", "sams", "lula", "question",
                                           "lula"]
    assert _turns(doc)[1][2] == "thanks ian can you clarify the timing"
    assert _turns(doc)[2][2] == "sure ian"
    _tiles(doc)
    checked.to_disk(tmp_path / "saved")
    assert (tmp_path / "saved" / "first_names.json").exists()


def test_the_first_name_of_a_speaker_is_no_label_of_its_own(blank, seg):
    # White House, 2025: `q karoline leavitt good point`, `one for karoline leavitt sure`:
    # a word the restorer capitalises right before two labels of another name is that
    # speaker's first name, so a label of it is a vocative (`hassett well thank you karoline
    # thank you stephen`), however sure the label head; not with first_name_labels 0, nor
    # for a word before one such label only
    text = ("leavitt go ahead question one for karoline leavitt sure question thanks karoline "
            "leavitt yes hassett well thank you karoline thank you stephen the economy is "
            "strong question and growth hassett it grows question thank you karoline i have "
            "one leavitt go")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("leavitt", "question", "hassett", "karoline")
            and ws[k + 1] != "leavitt"}
    cased = {k for k, w in enumerate(ws) if w in ("karoline", "stephen")}
    doc = seg(_doc(blank, text, labels=sure, cased=cased))
    assert _speakers_of(doc) == ["leavitt", "question", "leavitt", "question", "leavitt",
                                 "hassett", "question", "hassett", "question", "leavitt"]
    assert _turns(doc)[5][2] == "well thank you karoline thank you stephen the economy is strong"
    _tiles(doc)
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", first_name_labels=0)
    assert _speakers_of(off(_doc(blank, text, labels=sure, cased=cased))).count("karoline") == 2
    with pytest.raises(PipelineError, match="T113.*first_name_labels"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", first_name_labels=-1)
    once = set(cased) - {ws.index("karoline")}
    assert _speakers_of(seg(_doc(blank, text, labels=sure, cased=once))).count("karoline") == 2


def test_a_name_reporters_thank_before_asking_is_no_label(blank, seg):
    # a department's briefing: `question thanks dan i want to start`, `question thank you dan
    # on the west bank`: the spokesperson's first name (a surname too, so no first_names.json
    # entry), thanked by each reporter, is no speaker however sure the label head, nor is
    # its one other label (`you say that every week dan what are the consequences`); not
    # with thanked_name_labels 0, nor after one such turn only
    text = ("holloway go ahead matt question thanks dan i want to start with sudan holloway "
            "we are hopeful question thank you dan on the west bank holloway we are concerned "
            "question you say that every week dan what are the consequences holloway visas")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("holloway", "question", "dan")}
    doc = seg(_doc(blank, text, labels=sure))
    assert _speakers_of(doc) == ["holloway", "question", "holloway", "question", "holloway",
                                 "question", "holloway"]
    assert _turns(doc)[1][2] == "thanks dan i want to start with sudan"
    _tiles(doc)
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", thanked_name_labels=0)
    assert _speakers_of(off(_doc(blank, text, labels=sure))).count("dan") == 3
    with pytest.raises(PipelineError, match="T113.*thanked_name_labels"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", thanked_name_labels=-1)
    once = sure - {ws.index("dan")}
    assert _speakers_of(seg(_doc(blank, text, labels=once))).count("dan") == 2
    # a speaker who answers after thanks and labels two other turns stays (`question thank
    # you novak well`)
    other = ("novak good afternoon question thank you novak well we shall see question thanks "
             "novak yes indeed question and gas novak it grows")
    ws = other.split()
    sure = {k for k, w in enumerate(ws) if w in ("novak", "question")}
    assert _speakers_of(seg(_doc(blank, other, labels=sure))) == ["novak", "question"] * 3 + [
        "novak"]


def test_a_name_before_a_verb_no_turn_opens_with_is_its_subject(blank, seg):
    # `putin wants to make a deal`, `nowak knows better than anybody`: no turn of ../shared's
    # gold opens with a verb of lexical_verbs, so a name before one is speech, even a speaker
    # of the document (`nowak through translator` elsewhere), but not a label with its own
    # qualifier, nor a generic label (an interrupted reporter goes on)
    text = ("nowak through translator welcome mercer thank you we talked about ukraine nowak "
            "knows better than anybody putin wants to make a deal question wants to know more "
            "nowak through translator wants to see peace")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("nowak", "mercer", "putin", "question")}
    turns = _turns(seg(_doc(blank, text, labels=sure)))
    assert [t[0] for t in turns] == ["nowak", "mercer", "question", "nowak"]
    assert turns[1][2] == ("thank you we talked about ukraine nowak knows better than anybody "
                           "putin wants to make a deal")
    assert turns[2][2] == "wants to know more"
    assert turns[3][2] == "wants to see peace"


def test_a_name_its_own_turn_speaks_to_or_of_is_someone_called_on(blank, seg):
    # a president calling on people in the room (`kowalczyk where are you stand up kowalczyk
    # ran that line`, `ferrante thank you ferrante you have a beautiful family`): a name that
    # its own turn says again right before `you` or a verb is spoken to or of, however sure
    # the label head; not a name said after a first name (`i am darya knorre from`), nor a
    # name that labels more than spoken_to_max_labels turns, nor with the rule off
    text = ("trump thank you very much kowalczyk where are you stand up kowalczyk ran that "
            "line for years ferrante thank you ferrante you have a beautiful family question "
            "mr president how many plants trump many more knorre good afternoon i am darya "
            "knorre from moscow question and gas trump it grows")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("trump", "question", "ferrante")
            or (w in ("kowalczyk", "knorre") and ws[k - 1] not in ("up", "darya"))}
    cased = {ws.index("darya")}
    turns = _turns(seg(_doc(blank, text, labels=sure, cased=cased)))
    assert [t[0] for t in turns] == ["trump", "question", "trump", "knorre", "question",
                                     "trump"]
    assert turns[0][2].startswith("thank you very much kowalczyk where are you")
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", spoken_to_max_labels=0)
    assert {"kowalczyk", "ferrante"} <= set(_speakers_of(off(_doc(blank, text, labels=sure,
                                                                  cased=cased))))
    with pytest.raises(PipelineError, match="T113.*spoken_to_words"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", spoken_to_words=-1)
    # a speaker of nine turns (more than spoken_to_max_labels) who says `ferrante you` keeps
    # the labels; one of four turns after another speaker's opening does not
    many = "trump hello " + " ".join(["ferrante well ferrante you have it question why"] * 9)
    ws = many.split()
    sure = {k for k, w in enumerate(ws) if w in ("trump", "ferrante", "question")
            and ws[k - 1] != "well"}
    assert _speakers_of(seg(_doc(blank, many, labels=sure))) == ["trump"] + [
        "ferrante", "question"] * 9
    four = " ".join(ws[:2 + 8 * 4])
    assert _speakers_of(seg(_doc(blank, four, labels={k for k in sure if k < 2 + 8 * 4}))) == [
        "trump", "question", "question", "question", "question"]
    ws = ws[2:]
    sure = {k - 2 for k in sure if k >= 2}
    # two turns: its labels go, but not that of a name the transcript opens with
    two = "trump hello " + " ".join(ws[:16])
    assert _speakers_of(seg(_doc(blank, two, labels={0} | {k + 2 for k in sure}))) == [
        "trump", "question", "question"]
    assert _speakers_of(seg(_doc(blank, " ".join(ws[:16]), labels=sure))) == [
        "ferrante", "question", "ferrante", "question"]


def test_a_name_its_own_turn_says_as_an_object_is_someone_called_on(tmp_path, blank, seg):
    # `lindgren i have to tell you nine thousand jobs that s a lot even for lindgren so`: the
    # name said again in its own turn right after a word whose object it is (speakers.yaml
    # spoken_of_before) is someone the speaker hails; an empty list turns that cue off
    text = ("trump thank you all lindgren i have to tell you nine thousand jobs that s a lot "
            "even for lindgren so we ll take questions question mr president how soon trump "
            "very soon")
    ws = text.split()
    sure = {0, ws.index("lindgren"), ws.index("question"), len(ws) - 3}
    on, off = _speakers_on_and_off(tmp_path, blank, seg, "spoken_of_before", text, sure)
    assert on == ["trump", "question", "trump"]
    assert off == ["trump", "lindgren", "question", "trump"]


def test_a_name_called_on_before_its_own_label_opens_no_turn(blank, seg):
    # `lindqvist is a tough negotiator please lindqvist thank you mr president`: of two labels
    # of one name in a row, the first said right before a word that speaks of its bearer is
    # the speaker before calling on them; the turn starts at the second; not for a name of
    # more than spoken_to_max_labels turns (`putin you have chosen a pleasant place`)
    text = ("trump we have a great one here lindqvist is a tough negotiator please lindqvist "
            "thank you mr president farm income is up trump great job")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("trump", "lindqvist")}
    turns = _turns(seg(_doc(blank, text, labels=sure)))
    assert [t[0] for t in turns] == ["trump", "lindqvist", "trump"]
    assert turns[1][2] == "thank you mr president farm income is up"
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", spoken_to_max_labels=0)
    assert _turns(off(_doc(blank, text, labels=sure)))[1][2].startswith("is a tough")
    often = text + " lindqvist well trump yes" * 8  # nine turns
    ws = often.split()
    sure = {k for k, w in enumerate(ws) if w in ("trump", "lindqvist")}
    assert _turns(seg(_doc(blank, often, labels=sure)))[1][2].startswith("is a tough")
    # `okonkwo tell them about the wait times okonkwo thank you sir`: the second label answers
    # within called_on_words words; not further away
    told = "trump great job okonkwo tell them about the wait times okonkwo thank you sir it is down"
    ws = told.split()
    sure = {k for k, w in enumerate(ws) if w in ("trump", "okonkwo")}
    assert _turns(seg(_doc(blank, told, labels=sure)))[1][2] == "thank you sir it is down"
    far = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", called_on_words=5)
    assert _turns(far(_doc(blank, told, labels=sure)))[1][2].startswith("tell them")
    with pytest.raises(PipelineError, match="T113.*called_on_words"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", called_on_words=-1)


def test_a_name_in_the_middle_of_a_sentence_is_no_label(tmp_path, blank):
    # `putin is getting exactly the opposite`, `biden did nothing with it`: a name followed by
    # its verb and a word that opens no subject of a question is speech about the person,
    # however sure the label head; `putin is it working well` asks, and a generic label goes
    # on an interrupted question (`question has been asked`)
    plain, checked = _with_word_list(tmp_path, blank, "common_words_path", '["banking"]')
    text = ("putin good afternoon colleagues novak yes putin is banking on gas prices putin is "
            "it working well novak yes it is putin will be there novak well putin did nothing "
            "wrong putin so be it question has been asked novak thank you")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w in ("putin", "novak", "question")}
    turns = _turns(checked(_doc(blank, text, labels=sure)))
    assert [t[0] for t in turns] == ["putin", "novak", "putin", "novak", "putin", "question",
                                     "novak"]
    assert turns[1][2] == "yes putin is banking on gas prices"
    assert turns[2][2] == "is it working well"
    assert turns[3][2] == "yes it is putin will be there novak well putin did nothing wrong"
    assert turns[5][2] == "has been asked"
    _tiles(checked(_doc(blank, text, labels=sure)))
    # `banking` counts where the word list has it or the restorer writes it in lower case,
    # not where it capitalises it (`is beijing ready`); without subject_verbs, no check
    assert _turns(plain(_doc(blank, text, labels=sure)))[2][2] == "is it working well"
    upper = {ws.index("banking")}
    assert (_turns(plain(_doc(blank, text, labels=sure, cased=upper)))[2][2]
            == "is banking on gas prices putin is it working well")
    assert (_turns(checked(_doc(blank, text, labels=sure, cased=upper)))[2][2]
            == "is it working well")
    book = tmp_path / "speakers.yaml"
    book.write_text(Path("configs/speakers.yaml").read_text(encoding="utf-8").replace(
        "subject_verbs: [is, was, has, does, did, will, would]", "subject_verbs: []"),
        encoding="utf-8")
    off = TurnSegmenter(blank, speakers_path=str(book))
    assert _speakers_of(off(_doc(blank, text, labels=sure))) == [
        "putin", "novak", "putin", "novak", "putin", "novak", "putin", "question", "novak"]
    # a clitic after a name goes on the sentence (`putin s war`), a generic label's too
    clitic = "putin good afternoon novak yes putin s war is long question s answer putin thanks"
    ws = clitic.split()
    sure = {k for k, w in enumerate(ws) if w in ("putin", "novak", "question")}
    turns = _turns(checked(_doc(blank, clitic, labels=sure)))
    assert [t[0] for t in turns] == ["putin", "novak", "putin"]
    assert turns[1][2] == "yes putin s war is long question s answer"
    # a name after a word whose object it is (`let putin prevail`), a generic label after
    # `following` (`the following question`)
    binding = ("putin good afternoon novak we cannot let putin prevail i have the following "
               "question on gas putin thanks")
    ws = binding.split()
    sure = {k for k, w in enumerate(ws) if w in ("putin", "novak", "question")}
    turns = _turns(checked(_doc(blank, binding, labels=sure)))
    assert [t[0] for t in turns] == ["putin", "novak", "putin"]
    assert turns[1][2] == "we cannot let putin prevail i have the following question on gas"
    # so is a name right after a verb that takes a person as its object (`i told putin that if
    # he invaded`): no turn of the train and tune gold opens after `told`, `thanked` or `warned`
    told = ("biden good afternoon question what about nato biden before the war i told putin "
            "that if he invaded nato would grow question thanks biden sure")
    ws = told.split()
    sure = {k for k, w in enumerate(ws) if w in ("putin", "biden", "question")}
    assert [t[0] for t in _turns(checked(_doc(blank, told, labels=sure)))] == [
        "biden", "question", "biden", "question", "biden"]
    # and a word after a prefix that the seed's form splits off (`anti semitism`, `non
    # russia`): no turn of the train and tune gold opens after `anti` or `non`
    prefixed = ("putin good afternoon novak there was a great deal of anti semitism there "
                "putin thanks")
    ws = prefixed.split()
    sure = {k for k, w in enumerate(ws) if w in ("putin", "novak", "semitism")}
    assert [t[0] for t in _turns(checked(_doc(blank, prefixed, labels=sure)))] == [
        "putin", "novak", "putin"]


def test_a_label_that_is_a_lone_title_is_someone_addressed(blank, seg):
    # `question thanks senator one question on the bill`: no transcript labels a speaker by a
    # title alone (none of the 17,279 gold turns of ../shared), so a sure label head on one
    # is a person addressed; a surname after the title is a label as before
    text = "psaki go ahead question thanks senator one question on the bill psaki sure"
    ws = text.split()
    sure = {0, ws.index("question"), ws.index("senator"), len(ws) - 2}
    doc = seg(_doc(blank, text, labels=sure))
    assert [t[0] for t in _turns(doc)] == ["psaki", "question", "psaki"]
    assert _turns(doc)[1][2] == "thanks senator one question on the bill"


def test_a_name_before_an_address_at_a_sentence_end_is_a_label(blank, seg):
    # kremlin.ru: `... reduced fares dvorkovich mr president colleagues the entire`: a weak
    # label head on a name where a sentence ends before it and an address of the room or the
    # host follows it is who speaks, capitalised by the restorer or not; not without the
    # sentence end, not with address_label_floor 0, not after a title (`minister dvorkovich
    # mr president`)
    text = ("putin let us hear about the roads dvorkovich mr president colleagues the roads "
            "are ready putin good")
    ws = text.split()
    k = ws.index("dvorkovich")
    labels, weak, cased, ends = {0, len(ws) - 2}, {k}, {k}, {k - 1}
    turns = _turns(seg(_doc(blank, text, labels=labels, weak=weak, sure_ends=ends, cased=cased)))
    assert [t[0] for t in turns] == ["putin", "dvorkovich", "putin"]
    assert turns[1][2] == "mr president colleagues the roads are ready"
    uncased = _turns(seg(_doc(blank, text, labels=labels, weak=weak, sure_ends=ends)))
    assert [t[0] for t in uncased] == ["putin", "dvorkovich", "putin"]
    assert [t[0] for t in _turns(seg(_doc(blank, text, labels=labels, weak=weak,
                                          cased=cased)))] == ["putin"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", address_label_floor=0)
    assert [t[0] for t in _turns(off(_doc(blank, text, labels=labels, weak=weak, sure_ends=ends,
                                          cased=cased)))] == ["putin"]
    titled = text.replace("roads dvorkovich", "roads minister dvorkovich").split()
    k = titled.index("dvorkovich")
    doc = _doc(blank, " ".join(titled), labels={0, len(titled) - 2}, weak={k},
               sure_ends={k - 1}, cased={k})
    assert [t[0] for t in _turns(seg(doc))] == ["putin"]


def test_a_principal_the_document_titles_who_opens_a_turn_is_a_label(blank, seg):
    # whitehouse.gov: `the floor is yours sir ruto thank you mr president`: a name the
    # document writes after a title, capitalised there (`president ruto`), where a sentence
    # ends before it and an opening follows it is who speaks, however unsure the label head
    # (0.01 here); after a reporter's question too; not where the restorer does not
    # capitalise it after the title, nor without the sentence end, nor after a first name,
    # nor with titled_opening_boundary 0
    text = ("biden we welcome president ruto here today the floor is yours ruto thank you mr "
            "president it is good to be here question is kenya ready ruto thank you very "
            "much we are ready biden thank you")
    ws = text.split()
    titled, k, answer = ws.index("ruto"), ws.index("ruto", 6), ws.index("ruto", 20)
    labels = {0, ws.index("question"), len(ws) - 3}
    ends, cased = {k - 1, answer - 1}, {titled}
    assert _speakers_of(seg(_doc(blank, text, labels=labels, sure_ends=ends, cased=cased))) == [
        "biden", "ruto", "question", "ruto", "biden"]
    assert _speakers_of(seg(_doc(blank, text, labels=labels, sure_ends=ends))) == [
        "biden", "question", "biden"]
    assert _speakers_of(seg(_doc(blank, text, labels=labels, cased=cased))) == [
        "biden", "question", "biden"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", titled_opening_boundary=0)
    assert _speakers_of(off(_doc(blank, text, labels=labels, sure_ends=ends, cased=cased))) == [
        "biden", "question", "biden"]
    # a word capitalised after a sentence end after the title is no titled name (`mr
    # president. let everyone be happy`)
    assert _speakers_of(seg(_doc(blank, text, labels=labels, sure_ends=ends | {titled - 1},
                                 cased=cased))) == ["biden", "question", "biden"]
    # after a listed first name, even past a sure sentence end (`yours john. ruto thank
    # you`), the name is a full name said; a segmenter without the list takes the label
    named = " ".join(text.replace("yours ruto", "yours john ruto").split())
    nws = named.split()
    labels = {0, nws.index("question"), len(nws) - 3}
    ends = {nws.index("john"), nws.index("ruto", 20) - 1}

    def speakers(first_names_path):
        segmenter = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                                  first_names_path=first_names_path)
        return _speakers_of(segmenter(_doc(blank, named, labels=labels, sure_ends=ends,
                                           cased=cased)))

    assert speakers("configs/first_names.json") == ["biden", "question", "ruto", "biden"]
    assert speakers("") == ["biden", "ruto", "question", "ruto", "biden"]


def test_a_name_before_an_address_in_a_self_introduction_is_no_label(blank, seg):
    # kremlin.ru: `kharina good afternoon i am yekaterina kharina telemix tv channel ussuriysk
    # mr president`: the town of a journalist who has just introduced themself is no label;
    # the same words without the introduction (no capitalised first name) are one
    text = ("putin go ahead please kharina good afternoon i am yekaterina kharina telemix "
            "ussuriysk mr president my question putin yes")
    ws = text.split()
    k = ws.index("ussuriysk")
    labels, weak, ends = {0, ws.index("kharina"), len(ws) - 2}, {k}, {k - 1}
    intro = {ws.index("yekaterina")}
    assert _speakers_of(seg(_doc(blank, text, labels=labels, weak=weak, sure_ends=ends,
                                 cased=intro))) == ["putin", "kharina", "putin"]
    assert _speakers_of(seg(_doc(blank, text, labels=labels, weak=weak, sure_ends=ends))) == [
        "putin", "kharina", "ussuriysk", "putin"]


def test_a_doubled_name_is_the_label_of_who_was_given_the_floor(tmp_path, blank):
    # `the floor to mikhail mishustin mishustin mr president`: a weak label head on a name
    # that repeats the word before it opens a turn; a doubled word of speech does not,
    # whether the training text writes it in lower case (`very very`) or the head ignores it
    words = tmp_path / "common.json"
    words.write_text('["very"]', encoding="utf-8")
    text = ("putin i give the floor to mikhail mishustin mishustin mr president thank you "
            "putin good very very good russia russia")
    ws = text.split()
    labels = {0, ws.index("good") - 1}
    weak = {8, ws.index("very") + 1}
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        common_words_path=str(words))
    turns = _turns(seg(_doc(blank, text, labels=labels, weak=weak)))
    assert turns == [("putin", "putin", "i give the floor to mikhail mishustin"),
                     ("mishustin", "mishustin", "mr president thank you"),
                     ("putin", "putin", "good very very good russia russia")]
    # nor does a word that opens speech (speech_openers: `they said whoa whoa no i mean`),
    # which the training text may never write mid-sentence
    said = f"{text} they said whoa whoa no i mean"
    at = len(said.split()) - 4  # the second `whoa`
    turns = _turns(seg(_doc(blank, said, labels=labels, weak=weak | {at})))
    assert [t[0] for t in turns] == ["putin", "mishustin", "putin"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        common_words_path=str(words), doubled_name_floor=1.0)
    assert [t[0] for t in _turns(off(_doc(blank, text, labels=labels, weak=weak)))] == ["putin"]


def test_a_doubled_name_after_a_title_is_a_label_at_any_score(tmp_path, blank):
    # `madam kamala harris harris thank you`, `over to dr fauci fauci`: a name said twice
    # right after a title, or a title and a first name, opens the named person's turn even
    # where the label head gives it nothing; a doubled title (`mr president president putin`)
    # or a doubled word after a title and a word of speech (`the president s build build`)
    # does not
    words = tmp_path / "common.json"
    words.write_text('["s"]', encoding="utf-8")
    text = ("duda welcome madam kamala harris harris thank you president duda over to dr "
            "fauci fauci yeah thank you mr president president putin said the president s "
            "build build back better")
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        common_words_path=str(words))
    assert _turns(seg(_doc(blank, text, labels={0}))) == [
        ("duda", "duda", "welcome madam kamala harris"),
        ("harris", "harris", "thank you president duda over to dr fauci"),
        ("fauci", "fauci", "yeah thank you mr president president putin said the president s "
                           "build build back better")]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        common_words_path=str(words), titled_doubled_floor=1.01)
    assert _speakers_of(off(_doc(blank, text, labels={0}))) == ["duda"]
    with pytest.raises(PipelineError, match="T113"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", titled_doubled_floor=1.5)


def test_a_question_turn_too_long_for_a_reporter_is_the_turn_before(blank):
    # `as my professor said one question laughs at any rate ...`: a sure `question` label
    # whose turn would run past max_question_words is the answer going on; a short question,
    # a question through a translator and a named speaker's long turn stay turns
    speech = " ".join(["we", "keep", "working", "on", "it"] * 62)  # 310 words
    text = (f"putin welcome question why so putin fine one question at any rate {speech} "
            f"question through translator {speech} trump {speech} question and then")
    ws = text.split()
    labels = {0, 2, 5, 8, ws.index("through") - 1, ws.index("trump"), len(ws) - 3}
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", max_question_words=300,
                        unasked_question_words=0)
    turns = _turns(seg(_doc(blank, text, labels=labels)))
    assert [t[0] for t in turns] == ["putin", "question", "putin", "question", "trump",
                                     "question"]
    assert turns[2][2].startswith("fine one question at any rate we keep")
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", max_question_words=0,
                        unasked_question_words=0)
    assert [t[0] for t in _turns(off(_doc(blank, text, labels=labels)))] == [
        "putin", "question", "putin", "question", "question", "trump", "question"]


def test_a_long_question_turn_that_asks_nothing_is_the_turn_before(blank):
    # `let the president answer that question but as you know ...`: a sure `question` label
    # opening a long turn in which the restorer puts no question mark is the answer going
    # on; a long question that asks something and a short one that does not stay turns
    speech = " ".join(["we", "keep", "working", "on", "it"] * 20)  # 100 words
    text = (f"trump welcome question why so trump answer that question {speech} "
            f"question and what about {speech} trump fine question right then trump no")

    def run(seg, text, second_question):
        """Turns of ``text``: label heads on the trumps and questions, `?` after `about`."""
        ws = text.split()
        labels = {0, 2, 5, second_question, ws.index("and") - 1, len(ws) - 7, len(ws) - 5,
                  len(ws) - 2}
        doc = _doc(blank, text, labels=labels)
        words = [t for t in doc if is_word(t)]
        words[ws.index("about")]._.punct_after = "?"
        return [t[0] for t in _turns(seg(doc))]

    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", unasked_question_words=80)
    assert run(seg, text, 8) == ["trump", "question", "trump", "question", "trump", "question",
                                 "trump"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", unasked_question_words=0,
                        unanswered_question_words=0)
    assert run(off, text, 8) == ["trump", "question", "trump", "question", "question", "trump",
                                 "question", "trump"]
    # a reporter who greets the principal or introduces themself asks, `?` or not
    greeted = text.replace("that question", "question good afternoon mr president")
    assert run(seg, greeted, 7) == ["trump", "question", "trump", "question", "question",
                                    "trump", "question", "trump"]
    # and so does one who announces a question (speakers.yaml `question_openings`)
    announced = text.replace("that question", "question my question is this")
    assert run(seg, announced, 7) == ["trump", "question", "trump", "question", "question",
                                      "trump", "question", "trump"]


def test_a_sure_long_question_that_asks_nothing_stays_a_turn(blank):
    # `why don t you begin question all right thank you very much ...`: a `question` label
    # the label head is sure of (sure_question_label) keeps its long turn without a question
    # mark; 1.01 drops it, and a turn past max_question_words is dropped however sure
    speech = " ".join(["we", "keep", "working", "on", "it"] * 20)  # 100 words

    def run(n_speech, sure=0.99, **knobs):
        text = (f"trump welcome question why so trump begin question all right "
                f"{' '.join([speech] * n_speech)} trump fine")
        ws = text.split()
        doc = _doc(blank, text, labels={0, 2, 5, 7, len(ws) - 2})
        [t for t in doc if is_word(t)][7]._.label_start = sure
        seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", **knobs)
        return _speakers_of(seg(doc))

    assert run(2) == ["trump", "question", "trump", "question", "trump"]
    # 0.966 (`psaki sure question so my colleagues had some reporting`) is sure; 0.95, the
    # most the false ones of train-a and train-b scored, is not
    assert run(2, sure=0.966) == ["trump", "question", "trump", "question", "trump"]
    assert run(2, sure=0.95) == ["trump", "question", "trump"]
    assert run(2, sure_question_label=1.01) == ["trump", "question", "trump"]
    assert run(1, sure_question_label=1.01) == ["trump", "question", "trump", "question", "trump"]
    assert run(4) == ["trump", "question", "trump"]
    with pytest.raises(PipelineError, match="T113"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", sure_question_label=0)


def test_a_question_turn_that_no_answer_follows_is_the_turn_before(blank):
    # `it s an intriguing question but i think ... question thanks`: a `question` label
    # whose turn runs past unanswered_question_words without a question mark and is followed
    # by another reporter's label would get no answer: it is the answer going on. A shorter
    # one, or one followed by the principal, stays a turn
    def turns(n_words, after, **knobs):
        speech = " ".join(["we", "keep", "working", "on", "it"] * (n_words // 5))
        text = f"trump welcome question why so trump an intriguing question {speech} {after}"
        ws = text.split()
        labels = {0, 2, 5, 8, len(ws) - 3}
        seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", **knobs)
        return [t[0] for t in _turns(seg(_doc(blank, text, labels=labels)))]

    assert turns(80, "question thanks trump") == ["trump", "question", "trump", "question"]
    assert turns(80, "question thanks trump", unanswered_question_words=0) == [
        "trump", "question", "trump", "question", "question"]
    assert turns(60, "question thanks trump") == ["trump", "question", "trump", "question",
                                                  "question"]
    assert turns(80, "trump thanks all") == ["trump", "question", "trump", "question", "trump"]


def test_a_name_that_labels_few_of_its_uses_is_spoken_of(blank):
    # `putin wants to divide us and putin failed i hope putin heard that ...`: a sure label
    # head on a name that the document mostly speaks of (1 label in 4 uses) is no label; with
    # a qualifier it is one, and min_label_share 0 keeps it
    text = ("biden putin wants to divide us and putin failed i hope putin heard that he would "
            "pay for it putin knows question what next biden we will see")
    ws = text.split()
    hoped = ws.index("heard") - 1
    labels = {0, hoped, ws.index("question"), len(ws) - 4}
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml")
    assert _speakers(seg, blank, text, labels) == ["biden", "question", "biden"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", min_label_share=0)
    assert _speakers(off, blank, text, labels) == ["biden", "putin", "question", "biden"]
    said = text.replace("hope putin heard", "hope putin through translator heard").split()
    labels = {0, hoped, said.index("question"), len(said) - 4}
    assert _speakers(seg, blank, " ".join(said), labels) == ["biden", "putin", "question", "biden"]
    # a name with a qualifier at one label is a speaker at all of them (Helsinki: `putin
    # through translator ...`, then `putin mr president trump yes please`), however often
    # the others name him
    text = ("trump putin wants peace putin said so i told putin that we talk putin through "
            "translator we do trump putin knows it putin mr president trump yes please")
    ws = text.split()
    mr = ws.index("mr") - 1
    labels = {0, ws.index("through") - 1, ws.index("knows") - 2, mr, mr + 3}
    assert _speakers(seg, blank, text, labels) == ["trump", "putin", "trump", "putin", "trump"]
    # one label in three uses is a name spoken of too (0.3 keeps it), unless it labels the
    # text's first word: the transcript opens with that speaker's turn, however often the
    # others name the guest afterwards
    text = ("biden we welcome kerry today question what now kerry i thank you question and "
            "kerry said so biden yes")
    ws = text.split()
    labels = {0, ws.index("question"), ws.index("now") + 1, ws.index("and") - 1, len(ws) - 2}
    assert _speakers(seg, blank, text, labels) == ["biden", "question", "question", "biden"]
    loose = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", min_label_share=0.3)
    assert _speakers(loose, blank, text, labels) == [
        "biden", "question", "kerry", "question", "biden"]
    opens = "kerry we are glad biden thank you kerry question what kerry said biden yes"
    ws = opens.split()
    labels = {0, ws.index("biden"), ws.index("question"), len(ws) - 2}
    assert _speakers(seg, blank, opens, labels) == ["kerry", "biden", "question", "biden"]
    # the narrator's intro names everyone: its uses do not count (a short excerpt of
    # Helsinki: `trump said however ... trump and putin summarized`, then one `trump` turn)
    text = ("trump met putin trump said however that trump and putin spoke putin we met "
            "trump thank you putin")
    ws = text.split()
    labels = {ws.index("we") - 1, ws.index("thank") - 1}
    assert _speakers(seg, blank, text, labels) == ["narrator", "putin", "trump"]


def test_a_full_name_after_a_title_is_no_use_against_a_label(blank, seg):
    # kremlin.ru: `putin president xi jinping president khaltmaagiin battulga ... thank you
    # battulga thank you very much president putin ... president khaltmaagiin battulga i am
    # glad`: one label in three uses would be a name spoken of (min_label_share), but a use
    # after a title and a first name the restorer capitalises is a mention no rule takes as
    # a label, as a use right after a title is, so it does not count
    text = ("putin president xi jinping president khaltmaagiin battulga we agreed thank you "
            "battulga thank you very much president putin i met president khaltmaagiin "
            "battulga today")
    ws = text.split()
    labels = {0, ws.index("agreed") + 3}
    firsts = {k for k, w in enumerate(ws) if w == "khaltmaagiin"}
    cased = _turns(seg(_doc(blank, text, labels=labels, cased=firsts)))
    assert [t[0] for t in cased] == ["putin", "battulga"]
    assert cased[1][2].startswith("thank you very much president putin")
    assert [t[0] for t in _turns(seg(_doc(blank, text, labels=labels)))] == ["putin"]
    # unless a label of the name follows that first name as well: `president islam karimov`
    # and `we honour islam karimov who built it` are one full name, said three times
    text = ("mirziyoyev we mourn our president islam karimov we met president islam karimov "
            "thank you putin we honour islam karimov who built it mirziyoyev thank you")
    ws = text.split()
    labels = {0, ws.index("putin"), ws.index("who") - 1, len(ws) - 3}
    firsts = {k for k, w in enumerate(ws) if w == "islam"}
    assert [t[0] for t in _turns(seg(_doc(blank, text, labels=labels, cased=firsts)))] == [
        "mirziyoyev", "putin", "mirziyoyev"]


def test_a_turn_that_introduces_its_speaker_keeps_a_rare_label(blank, seg):
    # kremlin.ru: `... on for two hours now kolesnikov good afternoon andrei kolesnikov
    # kommersant newspaper`: one label among five uses of the name would be a name spoken of
    # (min_label_share), but the turn introduces its speaker (the name right after a first
    # name the restorer capitalises), so it stays a turn. Not without the capitalised first
    # name, nor with self_intro_words 0
    text = ("putin we read kolesnikov and kolesnikov wrote that kolesnikov knows it "
            "kolesnikov good afternoon andrei kolesnikov kommersant what next putin we will see")
    ws = text.split()
    turn = ws.index("good") - 1
    labels = {0, turn, len(ws) - 4}
    andrei = ws.index("andrei")

    def speakers(seg, cased):
        return [t[0] for t in _turns(seg(_doc(blank, text, labels=labels, cased=cased)))]

    assert speakers(seg, {andrei}) == ["putin", "kolesnikov", "putin"]
    assert speakers(seg, ()) == ["putin"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", self_intro_words=0)
    assert speakers(off, {andrei}) == ["putin"]
    # a title is no first name: `mr kolesnikov` in the turn introduces nobody
    titled = text.replace("andrei kolesnikov", "mr kolesnikov").split()
    doc = _doc(blank, " ".join(titled), labels=labels, cased={titled.index("mr")})
    assert [t[0] for t in _turns(seg(doc))] == ["putin"]


def test_a_name_its_own_turn_addresses_is_no_label(blank, seg):
    # kremlin.ru: `... addressing pavel kolobkov mr kolobkov yesterday we discussed`: a sure
    # label head on a name that its own turn then titles (`mr`) or thanks is someone
    # addressed; their real turn follows. Not past self_address_words, not with the knob at
    # 0, not for a name whose turn introduces its speaker
    text = ("putin let us hear the minister addressing pavel kolobkov mr kolobkov we "
            "discussed the games kolobkov mr president the games are ready")
    ws = text.split()
    first, real = ws.index("kolobkov"), len(ws) - 7
    labels = {0, first, real}
    assert _turns(seg(_doc(blank, text, labels=labels))) == [
        ("putin", "putin", " ".join(ws[1:real])),
        ("kolobkov", "kolobkov", " ".join(ws[real + 1:]))]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", self_address_words=0,
                        spoken_to_max_labels=0)
    assert [t[1:] for t in _turns(off(_doc(blank, text, labels=labels)))][1] == (
        "kolobkov", " ".join(ws[first + 1:]))
    thanked = text.replace("mr kolobkov", "thank you kolobkov")
    opening = _turns(seg(_doc(blank, thanked, labels={0, first, real + 1})))[0]
    assert opening[0] == "putin" and "kolobkov thank you kolobkov we discussed" in opening[2]
    near = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", self_address_words=1,
                         spoken_to_max_labels=0)
    assert _turns(near(_doc(blank, text, labels=labels)))[1][2].startswith("mr kolobkov")
    # the text's first label stays: a transcript opens with its first speaker
    opening = "kolobkov we will see what mr kolobkov said"
    assert [t[0] for t in _turns(seg(_doc(blank, opening, labels={0})))] == ["kolobkov"]
    # a speaker who introduces themself may title their own name too
    intro = "putin go ahead kolobkov good afternoon pavel kolobkov i am dr kolobkov the games"
    ws = intro.split()
    doc = _doc(blank, intro, labels={0, 3}, cased={ws.index("pavel")})
    assert [t[0] for t in _turns(seg(doc))] == ["putin", "kolobkov"]


def test_a_full_name_the_turn_after_it_thanks_is_speech(blank, seg):
    # `the vice president of the united states kamala harris thank you so much kamala`: the
    # label head starts a turn at `harris`, but that turn would thank the first name said
    # right before it, with no sentence end between the two: someone thanked by full name,
    # not a speaker. Where the restorer ends a sentence after the first name (`thank you
    # kamala. harris: thank you kamala`), or writes it in lower case, the label stays
    text = ("zelenskyy we are grateful to the vice president of the united states kamala "
            "harris thank you so much kamala it is an honor harris thank you mr president")
    ws = text.split()
    first, later = ws.index("harris"), len(ws) - 5
    sure = {0, first, later}
    kamala = ws.index("kamala")
    turns = _turns(seg(_doc(blank, text, labels=sure, cased={kamala})))
    assert [(t[0], t[2]) for t in turns] == [
        ("zelenskyy", " ".join(ws[1:later])), ("harris", "thank you mr president")]
    for kept in (_doc(blank, text, labels=sure, cased={kamala}, sure_ends={kamala}),
                 _doc(blank, text, labels=sure)):  # the turns of one speaker merge
        assert [(t[0], t[2]) for t in _turns(seg(kept))] == [
            ("zelenskyy", " ".join(ws[1:first])), ("harris", " ".join(ws[first + 1:]))]


def test_a_speaker_who_introduces_themself_is_labelled_however_weak_the_head(tmp_path, blank,
                                                                             seg):
    # kremlin.ru news conferences: `akinshina lilia akinshina from tv centre mr president`:
    # the label head gives akinshina 0.19, but the turn repeats the word after a first name
    # the restorer capitalises; so does `my name is`. Not without the capitalised first
    # name, not below self_intro_floor, not after a title. (The chair's `you have the floor`
    # before it in the transcript is a handoff, which alone makes the label.)
    def speakers(text, cased_word, weak_word, **knobs):
        ws = text.split()
        seg_ = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", **knobs) \
            if knobs else seg
        cased = {ws.index(cased_word)} if cased_word else set()
        doc = _doc(blank, text, labels={0}, weak={ws.index(weak_word)}, cased=cased)
        return [t[0] for t in _turns(seg_(doc))]

    text = "putin the lady over there akinshina lilia akinshina from tv centre mr president"
    assert speakers(text, "lilia", "akinshina") == ["putin", "akinshina"]
    assert speakers(text, None, "akinshina") == ["putin"]
    assert speakers(text, "lilia", "akinshina", self_intro_floor=1.01) == ["putin"]
    named = "putin go ahead please sakharchuk my name is vladislav sakharchuk i am a doctor"
    assert speakers(named, "vladislav", "sakharchuk") == ["putin", "sakharchuk"]
    # a first name seldom opens a turn (non_openers), but it opens a self-introduction
    # (`boitsov sergei boitsov director of the institute`)
    openers = tmp_path / "non_openers.json"
    openers.write_text('["sergei"]', encoding="utf-8")
    first = "putin we will work on it boitsov sergei boitsov director of the institute"
    assert speakers(first, "sergei", "boitsov",
                    non_openers_path=str(openers)) == ["putin", "boitsov"]
    titled = "putin the lady over there akinshina mr akinshina from tv centre"
    assert speakers(titled, "mr", "akinshina") == ["putin"]


def test_a_name_written_after_a_determiner_is_a_thing(blank, seg):
    # `the city bidding to host world expo you probably know`: a sure label head on a word
    # that the document also writes after a determiner (`the expo`) labels no turn; one
    # that labels three turns (a speaker named often), a qualifier or thing_max_labels 0
    # keeps it
    text = ("putin the city will host world expo you know we took part in the expo question "
            "so putin yes")
    ws = text.split()
    labels = {0, ws.index("expo"), ws.index("question"), len(ws) - 2}
    assert _speakers(seg, blank, text, labels) == ["putin", "question", "putin"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", thing_max_labels=0)
    assert _speakers(off, blank, text, labels) == ["putin", "expo", "question", "putin"]
    said = text.replace("world expo you", "world expo through translator you").split()
    labels = {0, said.index("expo"), said.index("question"), len(said) - 2}
    assert _speakers(seg, blank, " ".join(said), labels) == ["putin", "expo", "question", "putin"]
    # the document's own speakers are named after a determiner too (`the kudrin report`)
    # when they label more turns
    text = ("putin hello kudrin thanks the kudrin report putin fine kudrin yes putin and "
            "kudrin so putin ok")
    ws = text.split()
    labels = {i for i, w in enumerate(ws) if w in ("putin", "kudrin") and ws[i - 1] != "the"}
    assert _speakers(seg, blank, text, labels) == [
        "putin", "kudrin", "putin", "kudrin", "putin", "kudrin", "putin"]


def test_a_name_of_one_label_before_a_conjunction_is_speech(tmp_path, blank, seg):
    # `ukraine and israel are intertwined putin and hamas may be different threats`: a sure
    # label head on a name that labels no other turn, right before a word of speakers.yaml
    # `conjunctions`, is speech; a name that labels other turns may open with `and`, as may
    # a role; an empty list keeps the label
    text = ("kirby the wars in ukraine and israel are intertwined putin and hamas may be "
            "different threats question and the ceasefire kirby and we hope so")
    ws = text.split()
    sure = {0, ws.index("putin"), ws.index("question"), len(ws) - 5}
    on, off = _speakers_on_and_off(tmp_path, blank, seg, "conjunctions", text, sure)
    assert on == ["kirby", "question", "kirby"]
    assert off == ["kirby", "putin", "question", "kirby"]
    turns = _turns(seg(_doc(blank, text, labels=sure)))
    assert turns[0][2].endswith("intertwined putin and hamas may be different threats")
    assert turns[1][2] == "and the ceasefire" and turns[2][2] == "and we hope so"


def test_a_title_vetoes_no_role_and_no_speaker_after_a_vocative(blank, seg):
    # a title comes before a name: `that s why i became president question he s on your team`
    # is a reporter's turn; after a vocative (`thank you mr president`) a name that labels
    # other turns of the document is the next speaker. The restorer ends no sentence there.
    text = "trump that s why i became president question he s on your team trump no"
    ws = text.split()
    doc = seg(_doc(blank, text, labels={0, ws.index("question"), len(ws) - 2}))
    assert [x[0] for x in _turns(doc)] == ["trump", "question", "trump"]
    text = ("trump welcome question thank you mr president trump thank you question hi "
            "trump yes")
    ws = text.split()
    labels = {0, 2, ws.index("president") + 1, ws.index("hi") - 1, len(ws) - 2}
    assert [x[0] for x in _turns(seg(_doc(blank, text, labels=labels)))] == [
        "trump", "question", "trump", "question", "trump"]
    # a name that labels no other turn stays speech after the vocative
    text = "trump welcome question thank you mr president biden thank you"
    ws = text.split()
    doc = seg(_doc(blank, text, labels={0, 2, ws.index("biden")}))
    assert [x[0] for x in _turns(doc)] == ["trump", "question"]


def test_a_one_off_name_in_a_role_labelled_briefing_is_speech(blank, seg):
    # a briefing that labels its reporters `question`: a name that labels one turn only is
    # someone addressed (`bobby good luck`), unless it doubles the name that gave the floor
    # (`over to dr lee lee`); where reporters are labelled by name, a one-off label stays
    text = ("psaki good morning question what about the bill psaki well bobby good luck with "
            "it question and the vote psaki we will see question thanks psaki sure over to dr "
            "lee lee thank you")
    ws = text.split()
    labels = {k for k, w in enumerate(ws) if w in ("psaki", "question", "bobby")} | {len(ws) - 3}
    speakers = [t[0] for t in _turns(seg(_doc(blank, text, labels=labels)))]
    assert speakers == ["psaki", "question", "psaki", "question", "psaki", "question", "psaki",
                        "lee"]
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", role_labelled_share=0)
    assert [t[0] for t in _turns(off(_doc(blank, text, labels=labels)))] == [
        "psaki", "question", "psaki", "bobby", "question", "psaki", "question", "psaki", "lee"]
    named = text.replace("question", "smith")
    assert [t[0] for t in _turns(seg(_doc(blank, named, labels=labels)))] == [
        "psaki", "smith", "psaki", "bobby", "smith", "psaki", "smith", "psaki", "lee"]
    # a person the document titles is present: `thanks to chairman durbin ... durbin for
    # several years i served`, where the restorer capitalises the name after the title
    titled = text.replace("bobby good luck with it", "thanks to senator bobby here bobby i "
                                                      "served for years")
    ws = titled.split()
    labels = {k for k, w in enumerate(ws) if w in ("psaki", "question")} | {
        ws.index("bobby", ws.index("bobby") + 1), len(ws) - 3}
    cased = {ws.index("bobby")}
    assert "bobby" in _speakers_of(seg(_doc(blank, titled, labels=labels, cased=cased)))
    assert "bobby" not in _speakers_of(seg(_doc(blank, titled, labels=labels)))
    # not where the label's own word is the one after the title (`does he stand with mayor
    # bowser does he stand`, the restorer ending a sentence after `mayor`)
    mayor = text.replace("bobby good luck with it", "does he stand with mayor bobby does he")
    ws = mayor.split()
    labels = {k for k, w in enumerate(ws) if w in ("psaki", "question", "bobby")} | {
        len(ws) - 3}
    k = ws.index("bobby")
    assert "bobby" not in _speakers_of(seg(_doc(blank, mayor, labels=labels, cased={k},
                                                 sure_ends={k - 1})))
    # the text's first word opens the transcript: its speaker, however few their turns
    opener = "yang hi everyone " + text
    ws = opener.split()
    labels = {k for k, w in enumerate(ws) if w in ("yang", "psaki", "question", "bobby")} | {
        len(ws) - 3}
    assert [t[0] for t in _turns(seg(_doc(blank, opener, labels=labels)))][:3] == [
        "yang", "psaki", "question"]


def test_a_one_off_name_between_two_labels_of_one_speaker_is_a_label(blank, seg):
    # turns alternate: in a transcript that labels its reporters `question`, a one-off name
    # the label head is sure of (answered_label_floor, 0.97) between two labels of the
    # principal is the one who spoke in between (`putin is that true perezhogina no they don t
    # putin`), not a name said in speech; between labels of two speakers it stays speech
    # (`psaki well bobby good luck question`, the test above)
    text = ("putin good afternoon question what about the bill putin we will see question "
            "and the vote putin is that true i think they do perezhogina no they don t putin "
            "every group has one question thanks putin sure")

    def speakers(segmenter, text, sure=0.995):
        ws = text.split()
        doc = _doc(blank, text, labels={k for k, w in enumerate(ws)
                                        if w in ("putin", "question", "perezhogina")})
        doc[ws.index("perezhogina")]._.label_start = sure
        return _speakers_of(segmenter(doc))

    assert speakers(seg, text) == ["putin", "question", "putin", "question", "putin",
                                   "perezhogina", "putin", "question", "putin"]
    # not where the label head is less sure (`there will be future pandemics we have` between
    # two labels of the president: 0.93), nor with the floor at 1.01
    assert "perezhogina" not in speakers(seg, text, sure=0.93)
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml", answered_label_floor=1.01)
    assert "perezhogina" not in speakers(off, text)
    with pytest.raises(PipelineError, match="T113.*answered_label_floor"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", answered_label_floor=2)
    # not between two generic labels: `question` after `question` is another reporter
    generic = text.replace("i think they do perezhogina", "question i think they do "
                                                         "perezhogina").replace(
        "don t putin every", "don t question putin every")
    assert "perezhogina" not in speakers(seg, generic)


def test_a_label_the_head_runs_past_a_known_name_is_that_name(blank, seg):
    # the label-inside head may go on into the speech (`psaki sure well i don t`: 0.54 at
    # `sure`); a one-off name that extends a name labelling other turns is that name, and
    # the rest speech, rather than a name said in speech that the role filter drops
    text = ("psaki good morning question what about the bill psaki we will see question and "
            "the unions psaki sure well i don t have any comment question thanks psaki sure")
    ws = text.split()
    doc = _doc(blank, text, labels={k for k, w in enumerate(ws) if w in ("psaki", "question")})
    third = [k for k, w in enumerate(ws) if w == "psaki"][2]
    doc[third + 1]._.label_inside = 0.54
    turns = _turns(seg(doc))
    assert [t[0] for t in turns] == ["psaki", "question", "psaki", "question", "psaki",
                                     "question", "psaki"]
    assert turns[4][1:] == ("psaki", "sure well i don t have any comment")


def test_a_one_off_name_whose_turn_introduces_its_speaker_is_a_label(blank):
    # in a transcript that labels its speakers `remark` and `question`, a worker's one label
    # is no name said in speech where the turn goes on to introduce them after a listed
    # first name (`my name is alexander yermilov`); without the introduction, or after a word
    # that is no first name (`yang thanks so much`), the name is someone thanked
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        first_names_path="configs/first_names.json")
    text = ("putin good afternoon colleagues remark thank you putin we will see remark thank "
            "you yermilov hello mr president my name is alexander yermilov i work at the "
            "plant question what about wages putin they will rise question and prices putin "
            "we will see")
    ws = text.split()
    labels = {k for k, w in enumerate(ws) if w in ("putin", "remark", "question")} | {
        ws.index("yermilov")}
    cased = {ws.index("alexander")}
    doc = seg(_doc(blank, text, labels=labels, cased=cased, sure_ends={k - 1 for k in labels}))
    assert [t[0] for t in _turns(doc)] == ["putin", "remark", "putin", "remark", "yermilov",
                                           "question", "putin", "question", "putin"]
    plain = text.replace("my name is alexander yermilov", "my name is not important")
    ws = plain.split()
    labels = {k for k, w in enumerate(ws) if w in ("putin", "remark", "question", "yermilov")}
    doc = seg(_doc(blank, plain, labels=labels, sure_ends={k - 1 for k in labels}))
    assert "yermilov" not in _speakers_of(doc)
    unlisted = text.replace("alexander yermilov", "zorbo yermilov")
    ws = unlisted.split()
    labels = {k for k, w in enumerate(ws) if w in ("putin", "remark", "question")} | {
        ws.index("yermilov")}
    doc = seg(_doc(blank, unlisted, labels=labels, cased={ws.index("zorbo")},
                   sure_ends={k - 1 for k in labels}))
    assert "yermilov" not in _speakers_of(doc)


def test_labels_written_as_full_names_start_at_the_first_name(blank):
    # an interview whose labels are full names: the label head is unsure of them (0.45 at
    # the surname, 0.01 at the first name), but the pair opens a sentence at every use
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        first_names_path="configs/first_names.json")
    text = ("vladimir putin good afternoon ivan petrov thank you for the interview what about "
            "the border vladimir putin it is calm now ivan petrov and the economy vladimir "
            "putin it grows ivan petrov thank you vladimir putin thank you")
    ws = text.split()
    weak = {k for k, w in enumerate(ws) if w in ("putin", "petrov")}
    ends = {k - 2 for k in weak if k > 1}
    turns = _turns(seg(_doc(blank, text, weak=weak, sure_ends=ends)))
    pair = [("putin", "vladimir putin"), ("petrov", "ivan petrov")]
    assert [t[:2] for t in turns] == pair * 3 + pair[:1]
    # where the label head is sure at the first name too, its label there (`vladimir`, a lone
    # first name that the rules drop as someone addressed) gives way to the full name's
    turns = _turns(seg(_doc(blank, text, labels={k - 1 for k in weak}, weak=weak,
                            sure_ends=ends)))
    assert [t[:2] for t in turns] == pair * 3 + pair[:1]
    # not at fewer places than full_name_labels, nor where a generic label follows the pair
    # (a reporter called on: `ivan petrov tass question`)
    off = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        first_names_path="configs/first_names.json", full_name_labels=5)
    assert "petrov" not in _speakers_of(off(_doc(blank, text, weak=weak, sure_ends=ends)))
    called = text.replace("ivan petrov", "ivan petrov tass question")
    ws = called.split()
    weak = {k for k, w in enumerate(ws) if w in ("putin", "petrov")}
    ends = {k - 2 for k in weak if k > 1}
    assert "petrov" not in _speakers_of(seg(_doc(blank, called, weak=weak, sure_ends=ends)))


def _with_tail(blank, text, inside):
    """A doc whose labels are `psaki`, `question` and each `sherwood`, with sure sentence
    ends before them and label-inside probability ``inside`` on the words in it."""
    ws = text.split()
    labels = {k for k, w in enumerate(ws) if w in ("psaki", "question", "sherwood")}
    doc = _doc(blank, text, labels=labels, sure_ends={k - 1 for k in labels if k})
    words = [t for t in doc if is_word(t)]
    for k, p in inside.items():
        words[k]._.label_inside = p
    return doc


def test_a_word_after_every_label_of_a_name_joins_the_name(blank, seg):
    # the label head stopped at `sherwood` each time: `randall` follows every `sherwood`
    # label, nothing else, and the label-inside head gives it a fair chance once
    text = ("psaki liz the floor is yours sherwood randall thanks very much jen question what "
            "about texas sherwood randall so we are aware question and the grid sherwood "
            "randall that is not feasible")
    ws = text.split()
    tails = [k for k, w in enumerate(ws) if w == "randall"]
    doc = seg(_with_tail(blank, text, {tails[1]: 0.2}))
    assert [x[0] for x in _turns(doc)] == ["psaki", "sherwood randall", "question",
                                           "sherwood randall", "question", "sherwood randall"]
    assert _turns(doc)[1][2] == "thanks very much jen"
    # no fair chance anywhere: the name stays as the label head cut it
    doc = seg(_with_tail(blank, text, {tails[1]: 0.05}))
    assert [x[0] for x in _turns(doc)][1::2] == ["sherwood"] * 3
    # the word is also said without the name: it is no part of it
    said = text + " we thank randall"
    doc = seg(_with_tail(blank, said, {tails[1]: 0.2}))
    assert [x[0] for x in _turns(doc)][1::2] == ["sherwood"] * 3
    # a stage note after every label is no part of the name
    noted = text.replace("randall", "laughter")
    doc = seg(_with_tail(blank, noted, {tails[1]: 0.2}))
    assert [x[0] for x in _turns(doc)][1::2] == ["sherwood"] * 3


def test_a_word_after_every_label_of_a_name_must_follow_all_of_them(blank, seg):
    # `bitarov thank you` twice, `bitarov yes` once: speech, even with some inside probability
    text = "putin please bitarov thank you putin good bitarov thank you putin so bitarov yes indeed"
    ws = text.split()
    labels = {k for k, w in enumerate(ws) if w in ("putin", "bitarov")}
    doc = _doc(blank, text, labels=labels, sure_ends={k - 1 for k in labels if k})
    words = [t for t in doc if is_word(t)]
    for k, w in enumerate(ws):
        if w == "thank":
            words[k]._.label_inside = 0.3
    doc = seg(doc)
    assert [x[0] for x in _turns(doc)] == ["putin", "bitarov"] * 3


def test_a_name_welcomed_or_thanked_who_addresses_someone_is_a_label(blank, seg):
    """`welcome kerry mr president`: the one welcomed speaks (speakers.yaml `greetings`, a
    vocative within `greeting_window` words). Not a word the restorer writes in lower case or
    the label head gives less than ``greeted_label_floor`` (`thank you so much mr
    president`), nor in a reporter's turn, who thanks the host who gave the floor (`question
    thank you symone madam vice president`)."""
    text = ("putin we are glad to see you welcome kerry mr president thank you for inviting me "
            "putin let us begin")
    assert _speakers(seg, blank, text, {0, 16}) == ["putin"]  # `kerry` not capitalised
    low = seg(_doc(blank, text, labels={0, 16}, cased={8}))  # the label head's 0.01: too low
    assert [t[0] for t in _turns(low)] == ["putin"]
    doc = seg(_doc(blank, text, labels={0, 16}, weak={8}, cased={8}))
    assert _turns(doc) == [("putin", "putin", "we are glad to see you welcome"),
                           ("kerry", "kerry", "mr president thank you for inviting me"),
                           ("putin", "putin", "let us begin")]
    thanks = "putin we are glad to see you thank you so much mr president putin let us begin"
    assert [t[0] for t in _turns(seg(_doc(blank, thanks, labels={0, 13}, cased={9})))] == [
        "putin"]  # `So` after a sentence end: the label head gives it no chance
    host = ("harris good morning question thank you symone madam vice president what about "
            "trade harris we will see")
    doc = seg(_doc(blank, host, labels={0, 3, 13}, weak={6}, cased={6}))
    assert [t[0] for t in _turns(doc)] == ["harris", "question", "harris"]
    with pytest.raises(PipelineError, match="T113"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", greeted_label_floor=-0.1)


def test_a_name_right_after_a_handoff_is_a_label(tmp_path, blank, seg):
    """A one-word name right after a handoff (speakers.yaml `handoffs`: `afroz please shah
    very good evening`) is the label of who now speaks, where the label head gives it
    ``handoff_label_floor`` at least, however often the others name them (`min_label_share`);
    not a lone first name (`howard please david lutnick`), nor with no handoffs or a floor of
    0."""
    text = ("putin good afternoon colleagues afroz please shah very good evening to you putin "
            "thank you mr mironov please mironov our party agrees putin thank you shah and "
            "shah s team")
    ws = text.split()
    sure = {k for k, w in enumerate(ws) if w == "putin"}
    weak = {ws.index("shah"), ws.index("mironov") + 2}
    doc = seg(_doc(blank, text, labels=sure, weak=weak))
    assert _turns(doc) == [
        ("putin", "putin", "good afternoon colleagues afroz please"),
        ("shah", "shah", "very good evening to you"),
        ("putin", "putin", "thank you mr mironov please"),
        ("mironov", "mironov", "our party agrees"),
        ("putin", "putin", "thank you shah and shah s team"),
    ]
    _, named = _with_word_list(tmp_path, blank, "first_names_path", '["david"]')
    lone = "putin thank you howard please david lutnick is here putin yes"
    assert _speakers_of(named(_doc(blank, lone, labels={0, 9}, weak={5}))) == ["putin"]
    assert _speakers_of(seg(_doc(blank, lone, labels={0, 9}, weak={5}))) == [
        "putin", "david", "putin"]
    book = tmp_path / "speakers.yaml"
    book.write_text(Path("configs/speakers.yaml").read_text(encoding="utf-8")
                    + "\nhandoffs: []\n", encoding="utf-8")
    for off in (TurnSegmenter(blank, speakers_path=str(book)),
                TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                              handoff_label_floor=0.0)):
        assert _speakers_of(off(_doc(blank, text, labels=sure, weak=weak))) == ["putin"]
    with pytest.raises(PipelineError, match="T113.*handoff_label_floor"):
        TurnSegmenter(blank, speakers_path="configs/speakers.yaml", handoff_label_floor=1.0)


def test_any_label_right_after_a_handoff_is_a_speaker_however_often_named(tmp_path, blank,
                                                                          seg):
    # `so liz the floor is yours sherwood thanks very much jen`: the chair gives the floor, so
    # a label the rules took right after a handoff of speakers.yaml stays though the others
    # name its speaker in three more uses (min_label_share); with no handoffs it goes
    text = ("psaki we have liz sherwood with us today sherwood led the effort and sherwood "
            "knows it well so liz the floor is yours sherwood thanks very much jen question "
            "what next psaki we will see")
    ws = text.split()
    sure = {0, ws.index("yours") + 1, ws.index("question"), len(ws) - 4}
    on, off = _speakers_on_and_off(tmp_path, blank, seg, "handoffs", text, sure)
    assert on == ["psaki", "sherwood", "question", "psaki"]
    assert off == ["psaki", "question", "psaki"]


def test_the_first_word_before_an_opening_is_the_first_speaker(tmp_path, blank, seg):
    """A transcript opens with its first speaker: the text's first word is a label where an
    opening (speakers.yaml `openings`: `hi everyone`), a vocative or a title follows it,
    however low the label head (`abe president putin`, `yang hi everyone`). Not a narrator's
    intro (`president donald trump met`), a word that opens speech (`yes mr president`), a
    common word or a lone first name; nor a later chunk's first word."""
    text = "abe president putin i would like to welcome you putin mr prime minister thank you"
    assert _speakers(seg, blank, text, {9}) == ["abe", "putin"]
    assert _speakers(seg, blank, "yang hi everyone thank you for joining us sams hey guys",
                     {8}) == ["yang", "sams"]
    _, named = _with_word_list(tmp_path, blank, "first_names_path", '["ian"]')
    for opening in ("president donald trump met russian president putin today",
                    "yes mr president we are working on it", "good afternoon everyone",
                    "ian thank you for joining us", "abe and putin met in moscow"):
        doc = named(_doc(blank, opening + " putin thank you", labels={len(opening.split())}))
        assert [t[0] for t in _turns(doc)] == ["narrator", "putin"], opening
    later = _doc(blank, text, labels={9})
    later.user_data["transcript_chunk"] = (1, 2)  # the second chunk of a long input
    assert "abe" not in [t[0] for t in _turns(seg(later))]
    book = tmp_path / "speakers.yaml"
    book.write_text(Path("configs/speakers.yaml").read_text(encoding="utf-8")
                    + "\nopenings: []\n", encoding="utf-8")
    off = TurnSegmenter(blank, speakers_path=str(book))
    assert _speakers(off, blank, text, {9}) == ["narrator", "putin"]


def test_yes_and_no_in_the_speaker_book_are_words(tmp_path, blank):
    """YAML 1.1 reads `yes`, `no`, `on` and `off` as booleans; the speaker book's word
    lists keep them as words, so `we have no question` needs no quotes around `no`."""
    def book(words: str) -> TurnSegmenter:
        f = tmp_path / "speakers.yaml"
        f.write_text(Path("configs/speakers.yaml").read_text(encoding="utf-8")
                     + f"\nnot_before_weak_label: [{words}]\n", encoding="utf-8")
        return TurnSegmenter(blank, speakers_path=str(f))

    assert {"no", "on", "yes", "off"} <= book("no, on, yes, off").book.not_before_weak_label
    text = "trump we have no question about it"
    for words, speakers in (("no", ["trump"]), ("", ["trump", "question"])):
        doc = book(words)(_doc(blank, text, labels={0}, weak={4}))
        assert [t[0] for t in _turns(doc)] == speakers, words
    f = tmp_path / "speakers.yaml"
    f.write_text("titles: president\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="T114.*speakers.yaml.*`titles` must be a list"):
        TurnSegmenter(blank, speakers_path=str(f))


def test_a_name_after_a_first_name_is_a_full_name_said_unless_greeting_follows(tmp_path, blank):
    # `our adviser jake sullivan will take questions`: a name that labels other turns, at a
    # weak label head right after a first name, is a full name said in speech; given the
    # floor by full name, a speaker greets or thanks first (`over to jake sullivan thanks`)
    plain, checked = _with_word_list(tmp_path, blank, "first_names_path", '["jake"]')
    text = ("psaki good afternoon our adviser jake sullivan will take questions later over to "
            "jake sullivan thanks jen good afternoon question one question sullivan sure")
    ws = text.split()
    jakes = {k for k, w in enumerate(ws) if w == "jake"}
    sure = {0, ws.index("question"), len(ws) - 2}
    weak = {k + 1 for k in jakes}
    given = max(weak)
    doc = _doc(blank, text, labels=sure, weak=weak, cased=jakes)
    assert _turns(plain(doc))[1][2].startswith("will take questions")
    turns = _turns(checked(_doc(blank, text, labels=sure, weak=weak, cased=jakes)))
    assert [t[0] for t in turns] == ["psaki", "sullivan", "question", "sullivan"]
    assert turns[0][2] == " ".join(ws[1:given])
    assert turns[1][2] == "thanks jen good afternoon"
    # a sure label head keeps the label; so does a first name the restorer leaves in lower
    # case (no name: `over to you sullivan`)
    sure_too = _turns(checked(_doc(blank, text, labels=sure | weak, cased=jakes)))
    assert sure_too[1][2].startswith("will take questions")
    uncased = _turns(checked(_doc(blank, text, labels=sure, weak=weak)))
    assert uncased[1][2].startswith("will take questions")


def test_the_end_of_a_qualifier_is_no_first_name(blank):
    # Helsinki: `staff off mike trump it would have been out long ago`: `mike` is a listed
    # first name (configs/first_names.json), but here it ends the qualifier `off mike`, so
    # `mike trump` is no full name said in speech and Trump's label stays; `thanks mike trump
    # said` is one
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml",
                        first_names_path="configs/first_names.json")
    text = ("trump we will see question and the fbi staff off mike trump it would have been "
            "out long ago question thanks mike trump said it")
    ws = text.split()
    k = ws.index("trump", 1)
    doc = seg(_doc(blank, text, labels={0, ws.index("question"), ws.index("staff"),
                                        ws.index("question", k)},
                   weak={k, ws.index("trump", k + 1)}, cased={k - 1, ws.index("mike", k)},
                   sure_ends={k - 1, ws.index("fbi"), ws.index("see"), ws.index("ago")}))
    assert [t[0] for t in _turns(doc)] == ["trump", "question", "trump", "question"]
    assert _turns(doc)[2][2].startswith("it would have been out long ago")
