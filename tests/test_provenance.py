from corpus_app.provenance import normalise_for_matching, quote_digest, quote_is_in_article, quote_position_in_article

BODY = "First paragraph.\n\nHe said: “The talks   went well,”\nand left. ‘Quietly’ too."


def test_white_space_and_quote_marks_are_folded_for_matching():
    assert normalise_for_matching("  “A\n\n b”  ‘c’ ") == "\"A b\" 'c'"


def test_quote_found_despite_different_line_breaks_and_marks():
    assert quote_is_in_article('"The talks went well," and left.', BODY)
    assert quote_is_in_article("'Quietly' too.", BODY)


def test_position_is_the_offset_in_the_original_body():
    position = quote_position_in_article("The talks went well", BODY)
    assert BODY[position:].startswith("The talks   went well")


def test_position_of_text_after_collapsed_white_space_points_at_its_first_letter():
    position = quote_position_in_article("and left.", BODY)
    assert BODY[position:].startswith("and left.")


def test_words_must_match_exactly():
    assert not quote_is_in_article("The talks went badly", BODY)
    assert not quote_is_in_article("the talks went well", BODY)  # case matters: verbatim
    assert not quote_is_in_article("   ", BODY)


def test_digest_is_the_same_for_two_spellings_of_one_quote():
    assert quote_digest("“A  b”") == quote_digest('"A\nb"')
    assert quote_digest("A b") != quote_digest("A c")
