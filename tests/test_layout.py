"""Layout stages on small hand-made pages: debris, paragraphs, notes, tidy."""
from pathlib import Path

import pytest

from cleanup import profile as profiles
from cleanup.pipeline import clean

from .contract import assert_layout_contract
from .ocrlike import page_lines, paged_book

SEEDS = Path(__file__).parent.parent / "seeds"
LAYOUT = ["unicode", "line-ends", "debris", "paragraphs", "notes", "tidy"]


def cleaned(text: str) -> str:
    """The layout stages' output, held to the layout contract on every call."""
    prof = profiles.load()
    prof["pipeline"]["stages"] = LAYOUT
    out = clean(text, prof).text
    assert_layout_contract(out)
    return out


def rules(text: str) -> list[str]:
    prof = profiles.load()
    prof["pipeline"]["stages"] = LAYOUT
    return [e.rule for e in clean(text, prof).edits]


def test_lines_of_a_paragraph_are_joined_and_paragraphs_separated():
    page = ("In speech and behaviour Lenin had not changed. At \n"
            "times the debates were very lively, even passionate.\n"
            "\n"
            "Lenin heard out and answered everyone with a patience \n"
            "that won him the hearts of all.\n")
    assert cleaned(page) == (
        "In speech and behaviour Lenin had not changed. At times the debates were very lively, even passionate.\n"
        "\n"
        "Lenin heard out and answered everyone with a patience that won him the hearts of all.\n")


def test_page_break_inside_a_word_is_joined():
    page = ("the bigwigs of the Second International harnessed \n"
            "themselves; you will still be fighting in the Com\n"
            "\n"
            "munist International and the front ranks of the war.\n")
    out = cleaned(page)
    assert "the Communist International" in out
    assert out.count("\n\n") == 0


def test_unhyphenated_line_break_inside_a_word_is_joined_but_two_words_stay_two():
    page = ("tirelessly against opportunism in the Second Interna\n"
            "tional and wielded the full force of your great mind as its \n"
            "presiding senior member in opposition to the enemy.\n")
    out = cleaned(page)
    assert "Second International and" in out and "as its presiding" in out


def test_hyphenated_compound_at_a_line_end_keeps_its_hyphen():
    page = ("He’s Lenin. Note his cranium: how stubborn, strong- \n"
            "willed it is. His whole characterization of the charac-\n"
            "terization was plain to the Social- \n"
            "Democrats of all the countries of the world then.\n")
    out = cleaned(page)
    assert "strong-willed" in out
    assert "characterization was" in out
    assert "Social-Democrats" in out


def test_heading_and_date_lines_are_their_own_paragraphs():
    page = ("FOREWORD\n\nby Nadezhda Konstantinovna Krupskaya\n\n"
            "It is important, essential for us to know what she said \n"
            "and what she had to say about him in those years.\n\n"
            "August 10, 1933\n MY RECOLLECTIONS OF LENIN\n\n"
            "In these dismal hours of sorrow, when each one of us \n"
            "is stricken with deepest grief and sorrow for him.\n")
    paras = cleaned(page).rstrip("\n").split("\n\n")
    assert paras[0] == "FOREWORD"
    assert paras[1] == "by Nadezhda Konstantinovna Krupskaya"
    assert paras[3] == "August 10, 1933"
    assert paras[4] == "MY RECOLLECTIONS OF LENIN"


def test_letter_spaced_heading_is_closed_up():
    assert cleaned(" P R E F A C E  \n\nto the Russian edition of 1955\n").startswith("PREFACE\n\nto the Russian")


def test_signature_mark_is_removed_and_the_page_rejoined():
    page = ("“as the job of swallowing down this compromise is still\n\n"
            "3—398 33\n\n\n\n"
            "ahead of me, but I’ll manage without getting any comfort.”\n")
    out = cleaned(page)
    assert "3—398" not in out
    assert "is still ahead of me" in out
    assert "signature-mark" in rules(page)


def test_page_numbers_and_running_heads_are_removed():
    body = "the words of the page run on here to the measure of the \n" * 20  # a page
    page = ""
    for n in (11, 12, 13):
        page += f"MY RECOLLECTIONS OF LENIN\n\n{body}continued on the next page without a break and\n\n{n}\n\n"
    out = cleaned(page)
    assert "RECOLLECTIONS" not in out
    assert not any(ch.isdigit() for ch in out)


def test_stray_marks_opening_a_line_are_removed():
    page = ("and bumptious swagger, between love for them expressed in \n"
            "a hunt for popularity reflecting mere vanity.\n"
            "?■ I consider it my duty to make public every scrap of in\n"
            "formation contained in my treasure store of the personal \n"
            "recollections of our unforgettable leader and our friend.\n"
            "She closed with the following words:\n"
            "/ “I open the Reichstag in discharge of my duty as its \n"
            "presiding senior member and hope that despite my pres\n"
            "ent infirmity I shall yet open it again.”\n")
    out = cleaned(page)
    assert "?■" not in out and "/ “" not in out
    assert "every scrap of information" in out
    assert "\n\nI consider" in out and "\n\n“I open" in out


def test_footnote_splitting_a_paragraph_moves_after_it_and_the_paragraph_rejoins():
    page = ("He developed in broad outline his views on the tactics \n"
            "he expounded in his lucid speech at the Congress* and \n"
            "stressed them still more during the polemics at the com\n"
            "\n"
            "♦See V. I. Lenin, Works, Vol. 32, pp. 444-453.—Ed.\n"
            "mittee conferences of that summer and the following year.\n"
            "\n"
            "The first tidal wave of the world revolution has receded \n"
            "and the second has not yet risen at all, Lenin said.\n")
    paras = cleaned(page).rstrip("\n").split("\n\n")
    assert len(paras) == 3
    assert "at the Congress[*] and stressed" in paras[0]
    assert "the committee conferences" in paras[0]
    assert paras[1] == "[*] See V. I. Lenin, Works, Vol. 32, pp. 444-453.—Ed."
    assert paras[2].startswith("The first tidal wave")


def test_note_numbers_in_sequence_become_references_and_others_stay():
    page = ("at Leghorn1 and to the tactics of the Party, and the other \n"
            "criticism by Reuter.2 Of course the women.5 question and then \n"
            "the last of them all came from Levi3 in the end of it all.\n")
    out = cleaned(page)
    assert "Leghorn[1]" in out and "Reuter.[2]" in out and "Levi[3]" in out
    assert "women.5" in out


def test_born_digital_seed_keeps_every_word_and_all_40_paragraphs():
    src = (SEEDS / "lenin-testament-quotes.txt").read_text(encoding="utf-8")
    out = cleaned(src)
    assert out.split() == src.split()
    assert len([p for p in out.split("\n\n") if p.strip()]) == 40


def test_output_follows_the_layout_contract():
    src = (SEEDS / "zetkin-my-recollections-of-lenin.txt").read_text(encoding="utf-8")
    out = cleaned(src)
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert "\n\n\n" not in out
    assert not any(line != line.rstrip() for line in out.split("\n"))
    assert not any(line.startswith(" ") for line in out.split("\n"))


@pytest.mark.parametrize("text", ["", "\n", "   \n\n  ", "one line", "Hello\n\n\n\nworld"])
def test_degenerate_pages_do_not_fail(text):
    out = cleaned(text)
    assert out.split() == text.split()


def test_a_printed_line_end_hyphen_usually_only_breaks_a_word():
    page = ("The magistrates de-\nserve the thanks of the town for the in-\n"
            "crease of one hundred in the num-\nber of the police on the foot-\ning of last year.\n")
    out = cleaned(page)
    assert "deserve" in out and "increase" in out and "number" in out and "footing" in out


def test_a_printer_who_hyphenates_leaves_plain_line_ends_as_spaces():
    lines = ["the trade of the colony was carried on by a world", "wide known firm of merchants and ship-",
             "pers who had been in busi-", "ness for many years before the war and in-", "tended to stay."]
    out = cleaned("\n".join(lines) + "\n")
    assert "world wide known" in out and "shippers" in out and "business" in out


# --- page furniture read across pages (issue 12.1, issue 15.1) ------------------

def test_running_heads_with_page_numbers_are_removed_in_any_form():
    forms = {
        "alternating verso/recto": lambda p: f"{p} THE DUCHESS OF TRAJETTO." if p % 2 == 0 else f"REST AND PEACE. {p}",
        "letter-spaced": lambda p: f"A G R A N D F A T H E R . {p}" if p % 2 else f"{p} L E T T E R S OF",
        "OCR variants": lambda p: f"{p} The Duche{'fs' if p % 3 else 'ss'} of Trajetto.",
    }
    for name, head in forms.items():
        out = cleaned(paged_book(head))
        assert not any(ch.isdigit() for ch in out), (name, out[:300])
        assert "TRAJETTO" not in out.upper() and "PEACE" not in out and "A G R" not in out, name
        assert out.count("\n\n") == 0, name  # every page break fell mid-sentence


def test_heads_whose_words_change_every_page_are_known_by_their_page_sequence():
    titles = ["MADAME BELLOC.", "FROM OVER THE SEA.", "LEAVING OLD ENGLAND.", "HOME AGAIN.",
              "A LETTER TO FRIENDS.", "THE KANSAS BILL.", "EUROPE A WITNESS.", "STOKE PARK."]
    out = cleaned(paged_book(lambda p: f"{titles[p % 8]} {p}" if p % 2 else f"{p} {titles[p % 8]}"))
    assert not any(t.rstrip(".") in out for t in titles) and not any(ch.isdigit() for ch in out)


def test_a_lone_page_number_must_fit_the_page_sequence():
    out = cleaned(paged_book(lambda p: str(p)))
    assert not any(ch.isdigit() for ch in out)
    single = "The meeting was held in the spring of that year\n\n17\n\nand the delegates came from every town.\n"
    doc_rules = rules(single)
    assert "page-number-unconfirmed" in doc_rules and "page-number" not in doc_rules
    assert "17" in cleaned(single)  # unconfirmed: proposed for review, not applied


def test_a_citation_page_number_after_p_stays_text():
    page = paged_book(lambda p: f"THE HISTORY OF THE PARTY. {p}" if p % 2 else f"{p} THE HISTORY OF THE PARTY.")
    pages = page.split("\n\n")
    pages[3] = pages[3] + "\nas his memoirs record, Staples Press, 1952, p.\n108"
    out = cleaned("\n\n".join(pages))
    assert "1952, p. 108" in out


def test_a_printers_sheet_numbers_at_page_feet_are_removed():
    def foot(p):
        return {44: "3", 52: "4", 53: "4*"}.get(p)
    page = paged_book(lambda p: f"{p} THE HISTORY OF THE PARTY." if p % 2 == 0 else f"THE HISTORY OF THE PARTY. {p}",
                 first=40, pages=16)
    pages = page.rstrip("\n").split("\n\n")
    pages = [pg + (f"\n{foot(40 + k)}" if foot(40 + k) else "") for k, pg in enumerate(pages)]
    out = cleaned("\n\n".join(pages) + "\n")
    assert not any(ch.isdigit() for ch in out) and "*" not in out


def test_a_notes_section_numbered_like_pages_is_kept():
    notes = ("\n\n".join(f"{n} The Spartacans—members of the league formed in the war, under the lead of many. p. {n * 7}"
                         for n in range(1, 9)))
    out = cleaned(notes + "\n")
    assert all(f"{n} The Spartacans" in out for n in range(1, 9))


def test_letter_spaced_heading_words_are_read_back():
    out = cleaned("the end of that letter.\n\nL ETT E R V III.\n\nM A N N E R S.\n\nIf it be true, as has been said.\n")
    assert "LETTER VIII." in out and "MANNERS." in out


def test_a_capitals_heading_in_two_lines_is_one_paragraph():
    out = cleaned("CULTIVATION OF THE HEART, AND THE\nMORAL HABITS.\n\nIt is true, the root of all morality is religion.\n")
    assert out.startswith("CULTIVATION OF THE HEART, AND THE MORAL HABITS.\n\n")


def test_html_entities_of_an_ocr_export_are_unescaped():
    assert cleaned("&quot; I am seated in a room at M. Belloc s.&quot; &amp; so on.\n") == (
        '" I am seated in a room at M. Belloc\'s." & so on.\n')  # (the lost apostrophe back too)


@pytest.mark.parametrize("mark", ["¬", "\u00ad", "="])
def test_line_end_hyphen_marks_join_the_word(mark):
    assert "preparations were" in cleaned(f"The prepara{mark}\ntions were made at once and all went well.\n")


def test_hyphen_marks_inside_a_merged_line_join_the_word():
    assert cleaned("The prepara¬ tions were made.\n") == "The preparations were made.\n"


def test_google_style_paragraph_ends_where_the_next_word_would_have_fitted():
    # no blank lines but between pages, no indents: a sentence-ending line with room
    # left for the next line's first word ends its paragraph; a full one does not
    body = page_lines(3, 6)
    page = "\n".join(body + ["the valley slept before the water turned.",
                             "Then the wind fell and the farmers counted their cattle",
                             "on the higher ground before the morning came grey.",
                             "Nobody in the valley slept before the water turned and",
                             "the wind fell so that the farmers drove their cattle on."])
    out = cleaned(page + "\n")
    assert "water turned.\n\nThen the wind" in out
    assert "came grey. Nobody" in out


def test_a_scan_that_spaces_opening_quotes_has_them_closed_up():
    paras = ['" I am seated in a snug little room.', '" Madame Belloc was the translator.', 'She said so.',
             '" Nine o clock in the evening found us there.']
    out = cleaned("\n\n".join(paras) + "\n")
    assert '"I am' in out and '"Madame' in out and '"Nine' in out
    # once is no habit: the print may space it
    assert cleaned('" Nature," in commenting upon it.\n') == '" Nature," in commenting upon it.\n'


def test_a_footnote_at_a_page_foot_runs_on_over_its_lines_and_follows_its_paragraph():
    page = ("the snare of which I have spoken. You cannot\n* Life of Goldsmith, prefixed to his Miscellaneous\n"
            "Works.\n\nanswer for yourselves in this matter, any more than the man who is.\n")
    assert cleaned(page) == ("the snare of which I have spoken. You cannot answer for yourselves in this matter, "
                             "any more than the man who is.\n\n[*] Life of Goldsmith, prefixed to his Miscellaneous Works.\n")


def test_a_marked_short_note_at_a_block_foot_is_a_footnote_but_a_cut_sentence_is_not():
    note = "them, insinuated themselves into the minds of the\n\n† Tommaso Costa.\n\n\nhapless exiles, who were scattered.\n"
    assert cleaned(note).endswith("[*] Tommaso Costa.\n")
    speck = "given her by the Central Committee.\n* Clara Zetkin was elected to the Reichstag and as she\n\nhappened to be.\n"
    assert "Committee. Clara Zetkin" in cleaned(speck) and "[*]" not in cleaned(speck)


def test_a_plates_caption_inside_a_sentence_is_removed_and_a_quoted_line_of_text_kept():
    page = ("Dee ain' gwine be married tell de next fall, 'count o' Miss Charlotte bein' so young ; but she jes\n\n"
            "\" Marse George lead her out on de porch\"\n\n\n"
            "good as b'longst to we all now.\n")
    assert "Marse George lead" not in cleaned(page) and "she jes good as" in cleaned(page)
    speech = "He rose and said:\n\n\"We shall fight on the beaches.\"\n\nand sat down again.\n"
    assert "We shall fight" in cleaned(speech)


def test_a_letters_closing_and_signature_are_one_paragraph():
    page = (" the good of man ! Yours in all sympathy, \n \n H. B. STOWE. \n \n"
            " During the agitation she wrote. \n\nand so I end. \nYours for the cause, H. B. STOWE. \n\nAfter that.\n")
    assert cleaned(page) == ("the good of man !\n\nYours in all sympathy, H. B. STOWE.\n\nDuring the agitation she wrote. "
                             "and so I end.\n\nYours for the cause, H. B. STOWE.\n\nAfter that.\n")


def test_roman_page_numbers_of_front_matter_fit_their_sequence():
    romans = {11: "xi", 12: "xii", 13: "xiii", 14: "xiv", 15: "xv", 16: "xvi"}
    out = cleaned(paged_book(lambda p: romans[p], first=11, pages=6))
    assert not any(r in out.split() for r in romans.values())
    assert "XII" in cleaned("the end of the chapter.\n\nXII\n\nThe next chapter opens.\n")


def test_a_name_broken_at_a_line_end_hyphen_is_printed_whole():
    # both halves are words, but a capitalised one mid-sentence with a lower-case one
    # no one prints after it is a name (`Maryborough`), not a compound
    text = "The train left for Mary-\nborough at noon, and the mail with it.\n"
    assert "for Maryborough at noon" in cleaned(text)
    # a compound of two words that general English prints together keeps its hyphen
    assert "twenty-four" in cleaned("He counted them, and there were twenty-\nfour in all.\n")


def test_a_possessive_whose_apostrophe_the_scan_lost_gets_it_back():
    out = cleaned("By that lady s desire, and at M. Belloc s, we met the duke s men.\n")
    assert "lady's desire" in out and "Belloc's," in out and "duke's men" in out
    # after a common word the lone `s` is a fragment, not a possessive; a book set in
    # curly quotes gets a curly apostrophe
    assert "of s." in cleaned("The end of s. and the rest.\n")
    assert "lady’s" in cleaned("She said ‘yes’ to the lady’s maid and the lady s friend.\n")


def test_the_layout_stages_know_the_user_dictionaries_words(tmp_path):
    # one lexicon for every stage: a word of the user's joins at a line end as the word
    # stage would read it, though its halves are words (`stone`/`bridge`)
    (tmp_path / "places.txt").write_text("Stonebridge\n", encoding="utf-8")
    prof = profiles.load()
    prof["words"]["user_dictionaries"] = [str(tmp_path)]
    page = "They rode out to the stone-\nbridge at dawn, and to the stone\nbridge again at dusk.\n"
    out = clean(page, prof).text
    assert "the stonebridge at dawn" in out and "the stonebridge again" in out
    assert "stone-bridge at dawn" in cleaned(page)  # (without it: two words, a compound)


def test_a_contraction_whose_apostrophe_the_scan_lost_gets_it_back():
    out = cleaned("Was n t it nice? It does n t matter; at nine o clock I m sure he can t go.\n")
    assert "Wasn't it" in out and "doesn't matter" in out and "o'clock" in out and "I'm sure" in out
    assert "can't go" in out
    # not a word cut in two (`re quest`), nor the `i m` of a misread `p.m.`
    assert "you re quest" in cleaned("He granted what you re quest, and came.\n")
    assert "2 i m." in cleaned("The boat sailed at 2 i m. that day.\n")


def test_a_lone_letter_that_is_no_word_between_blank_lines_is_a_speck():
    page = ("This is not the last thing that is\n\no\n\nexpected or intended by them, and the rest\n\n"
            "a\n\nfollows here as it was printed.\n")
    out = cleaned(page)
    assert "that is expected" in out and " o " not in out and "iso" not in out


def test_a_scan_that_spaces_quotes_inside_their_pairs_has_them_closed_up():
    page = ('He said, " Yes, I will, " and went. She said " No " and left.\n\n'
            'Then " a tile in time saves nine, " said he, " if I were to go. "\n\n'
            '" Why ?" she asked. " Because. "\n')
    out = cleaned(page)
    assert '"Yes, I will," and' in out and 'said "No" and' in out and '"a tile in time saves nine," said he, "if I' in out
    # one spaced pair is the print's own: left as it is
    assert 'said " No " and' in cleaned('She said " No " and left. He said "Yes" and went.\n')
