from pipeline.tokenizer import is_word


def test_lossless_and_words(blank):
    text = "  it s 33 000\r\n\nU.S. officials (Laughter.)  ok"
    doc = blank(text)
    assert doc.text == text
    words = [t.text for t in doc if is_word(t)]
    assert words == ["it", "s", "33", "000", "U", "S", "officials", "Laughter", "ok"]


def test_seed_form_tokens_are_the_split_words(blank):
    text = "putin through translator thank you so much it s quite clear"
    doc = blank(text)
    assert [t.text for t in doc] == text.split()


def test_empty(blank):
    assert len(blank("")) == 0
