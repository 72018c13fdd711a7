from itertools import pairwise

from qa.ingest.chunk import chunk_article, pack_sentences
from qa.text.sentences import split_sentences
from qa.types import Article


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Gen. Joseph Martin leads U.S. ground forces. Col. Dorrian spoke on Oct. 5 in Erbil."
    assert split_sentences(text) == [
        "Gen. Joseph Martin leads U.S. ground forces.",
        "Col. Dorrian spoke on Oct. 5 in Erbil.",
    ]


def test_a_paragraph_break_ends_a_sentence() -> None:
    assert split_sentences("Short link\n\nThe offensive began") == [
        "Short link",
        "The offensive began",
    ]


def test_chunks_hold_whole_sentences_with_one_sentence_overlap() -> None:
    sentences = [f"Sentence number {i} has exactly seven words." for i in range(10)]
    groups = pack_sentences(sentences, 30, 1)
    assert len(groups) > 2
    assert all(len(" ".join(g).split()) <= 30 for g in groups)
    for before, after in pairwise(groups):
        assert after[0] == before[-1]


def test_every_sentence_lands_in_a_chunk_in_order() -> None:
    body = " ".join(f"Fighters held district {i} for days." for i in range(30))
    chunks = chunk_article(Article("a.txt", "T", body), target_words=25)
    seen = list(dict.fromkeys(s for c in chunks for s in c.sentences))
    assert seen == split_sentences(body)


def test_a_long_sentence_is_not_repeated_as_overlap() -> None:
    long_sentence = " ".join(["word"] * 60) + "."
    groups = pack_sentences([long_sentence, "Short one.", "Another."], 40, 1)
    assert groups[0] == [long_sentence]
    assert long_sentence not in groups[1]


def test_chunk_ids_derive_from_content_and_source() -> None:
    article = Article("a.txt", "T", "One sentence here. Another sentence there.")
    assert [c.id for c in chunk_article(article)] == [c.id for c in chunk_article(article)]
    other = Article("b.txt", "T", article.body)
    assert chunk_article(article)[0].id != chunk_article(other)[0].id


def test_a_passage_splits_back_into_the_sentences_it_was_made_of() -> None:
    # A photo caption has no full stop: joined to the lead by a space, the two would be
    # read back as one sentence, and an answer would quote the caption with the lead.
    body = (
        "Smoke rises over a village east of the city (Photo: Reuters)\n\n"
        "Troops advanced two kilometres on Tuesday. Officials said the road was open."
    )
    [chunk] = chunk_article(Article("a.txt", "T", body))
    assert split_sentences(chunk.text) == list(chunk.sentences)
    assert chunk.sentences[0] == "Smoke rises over a village east of the city (Photo: Reuters)"
    plain = chunk_article(Article("b.txt", "T", "Troops advanced. Officials said so."))
    assert plain[0].text == "Troops advanced. Officials said so."  # ids of earlier stores kept
