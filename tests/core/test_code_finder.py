"""Finding a code by typing: the ranking rules a coder relies on when the list reorders under each keystroke."""

from __future__ import annotations

from workbench.core.codebook import Codebook
from workbench.core.codebook.find import CodeFinder, CodeMatch
from workbench.core.model import Code

#: Knelpunten › M.b.t. team › …, with words placed so that each rule decides one pair.
BOOK = Codebook(
    (
        Code(id="knelpunten", name="Knelpunten", position=0),
        Code(id="knelpunten-roosters-team", name="Roosters en diensten", parent_id="knelpunten", position=0),
        Code(id="knelpunten-team", name="M.b.t. team", parent_id="knelpunten", position=1),
        Code(id="knelpunten-team-overleg", name="Weinig overleg", parent_id="knelpunten-team", position=0),
        Code(id="knelpunten-team-klein", name="Het team is klein", parent_id="knelpunten-team", position=1),
        Code(id="knelpunten-verloop", name="Verloop van personeel", parent_id="knelpunten", position=2),
        Code(id="knelpunten-verlof", name="Verlofaanvragen duren lang", parent_id="knelpunten", position=3),
        Code(id="knelpunten-hierarchie", name="Duidelijkheid over hiërarchie", parent_id="knelpunten", position=4),
        Code(id="succesfactoren", name="Succesfactoren", position=1, keywords=("vriendelijk",)),
        Code(id="succesfactoren-ondersteuning", name="Ondersteuning bij re-integratie", parent_id="succesfactoren", position=0),
        Code(id="succesfactoren-steunsysteem", name="Steunsysteem is belangrijk", parent_id="succesfactoren", position=1),
        Code(id="succesfactoren-vrijheden", name="Vrijheden en verlof", parent_id="succesfactoren", position=2),
    )
)


def _ids(matches: list[CodeMatch]) -> list[str]:
    return [match.code.id for match in matches]


def _walk_ids(book: Codebook) -> list[str]:
    return [code.id for _, code in book.walk()]


def test_an_empty_query_lists_every_code_in_codebook_order() -> None:
    finder = CodeFinder(BOOK)
    assert _ids(finder.search("")) == _walk_ids(BOOK)
    assert _ids(finder.search("  -- ")) == _walk_ids(BOOK)
    assert finder.count("") == len(BOOK.codes)


def test_a_word_in_the_name_beats_the_same_word_in_a_theme_which_beats_it_in_the_id() -> None:
    # "team": in the names of "M.b.t. team" and "Het team is klein", in the theme of "Weinig overleg",
    # in the id of "Roosters en diensten" only; the id code comes first in the codebook, yet last here.
    assert _ids(CodeFinder(BOOK).search("team")) == [
        "knelpunten-team", "knelpunten-team-klein", "knelpunten-team-overleg", "knelpunten-roosters-team",
    ]


def test_a_prefix_beats_a_word_that_contains_the_query_and_both_beat_a_typo() -> None:
    finder = CodeFinder(BOOK)
    assert _ids(finder.search("steun")) == ["succesfactoren-steunsysteem", "succesfactoren-ondersteuning"]
    # "Verloop" comes first in the codebook and is one letter off "verlof"; "Verlofaanvragen" starts with it.
    ranked = _ids(finder.search("verlof"))
    assert ranked.index("knelpunten-verlof") < ranked.index("knelpunten-verloop")


def test_a_typo_still_finds_the_code() -> None:
    finder = CodeFinder(BOOK)
    assert _ids(finder.search("vrijheiden"))[:1] == ["succesfactoren-vrijheden"]
    assert _ids(finder.search("vrijhei"))[:1] == ["succesfactoren-vrijheden"]  # half typed, half wrong
    assert _ids(finder.search("prsnl")) == ["knelpunten-verloop"]  # letters in order, as an abbreviation


def test_every_word_of_the_query_must_match_somewhere_in_the_code() -> None:
    finder = CodeFinder(BOOK)
    assert _ids(finder.search("team klein")) == ["knelpunten-team-klein"]
    assert _ids(finder.search("knelpunten klein")) == ["knelpunten-team-klein"]  # one word from the theme
    assert finder.search("team xyzzy") == []
    assert finder.count("team xyzzy") == 0


def test_case_and_accents_do_not_matter() -> None:
    finder = CodeFinder(BOOK)
    assert _ids(finder.search("HIERARCHIE")) == ["knelpunten-hierarchie"]
    assert _ids(finder.search("hiërarchie")) == ["knelpunten-hierarchie"]


def test_keywords_find_a_code_whose_name_does_not_say_it() -> None:
    assert _ids(CodeFinder(BOOK).search("vriend")) == ["succesfactoren"]


def test_excluded_codes_are_never_offered_and_not_counted() -> None:
    finder = CodeFinder(BOOK)
    below_team = ["knelpunten-team", "knelpunten-team-overleg", "knelpunten-team-klein"]
    assert _ids(finder.search("team", exclude=below_team)) == ["knelpunten-roosters-team"]
    assert finder.count("team", exclude=below_team) == 1
    assert _ids(finder.search("", exclude=below_team)) == [i for i in _walk_ids(BOOK) if i not in below_team]


def test_a_limit_cuts_the_list_but_count_tells_how_many_matched() -> None:
    finder = CodeFinder(BOOK)
    everything = finder.search("knelpunten")
    assert len(everything) > 3
    assert finder.search("knelpunten", limit=3) == everything[:3]
    assert finder.count("knelpunten") == len(everything)


def test_matches_say_where_the_words_are_in_the_name_and_in_the_themes() -> None:
    (match,) = CodeFinder(BOOK).search("klein team")
    name = match.code.name
    assert [name[start:end] for start, end in match.name_spans] == ["team", "klein"]
    assert match.themes == ("Knelpunten", "M.b.t. team")
    assert [[theme[s:e] for s, e in spans] for theme, spans in zip(match.themes, match.theme_spans, strict=True)] == [[], ["team"]]

    (prefix,) = CodeFinder(BOOK).search("steunsys")
    assert [prefix.code.name[s:e] for s, e in prefix.name_spans] == ["Steunsys"]
    (accented,) = CodeFinder(BOOK).search("hierarchie")
    assert [accented.code.name[s:e] for s, e in accented.name_spans] == ["hiërarchie"]


def test_a_fuzzy_look_alike_is_not_lit_up_when_the_word_itself_is_there() -> None:
    (match,) = CodeFinder(BOOK).search("vrijheden verlof")
    assert [match.code.name[s:e] for s, e in match.name_spans] == ["Vrijheden", "verlof"]
