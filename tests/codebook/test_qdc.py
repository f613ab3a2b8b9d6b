"""REFI-QDA Codebook (.qdc) exchange: structure, exact round trips, stable guids, other tools' files, errors."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]

from workbench.core.codebook import Codebook, validate_code
from workbench.core.codebook.qdc import (
    NAMESPACE,
    code_guid,
    codebook_to_qdc,
    describe,
    guid_ids,
    parse_description,
    qdc_to_codes,
    read_qdc,
    slug,
)
from workbench.core.codebook.yaml_file import read_codebook_file
from workbench.core.model import Code, CodeSet
from workbench.errors import CodebookError
from workbench.locations import shipped_codebook

NS = f"{{{NAMESPACE}}}"
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
UPPER_GUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
OWN_GUID = "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"
HUIS_VAN_HERSTEL = shipped_codebook()


def sample_codebook() -> Codebook:
    """Three levels, Dutch names with diacritics, every field used somewhere, one code with its own guid."""
    return Codebook((
        Code(id="succesfactoren", name="Succesfactoren", dimension="succesfactoren", color="#2e7d32", position=0,
             description="Wat deelnemers helpt en wat goed gaat.", keywords=("succesfactor", "helpen", "fijn")),
        Code(id="sf-team", name="M.b.t. het team – coöperatie", parent_id="succesfactoren", position=0,
             description="Over het team.\n\nTwee alinea's, met een lege regel ertussen.",
             include="Uitspraken over collega's,\nook over de leiding.", exclude="Contact met deelnemers.",
             examples=("‘Het team is stabiel.’", "Eén vast aanspreekpunt."), keywords=("team", "collega")),
        Code(id="sf-team-stabiel", name="Stabiel team, één aanspreekpunt", parent_id="sf-team", position=0,
             guid=OWN_GUID, color="#1B5E20"),
        Code(id="sf-team-sfeer", name="Sfeer en vertrouwen ‘thuis’", parent_id="sf-team", position=1,
             keywords=("rust, ruimte", " vertrouwen", "")),
        Code(id="sf-werkwijze", name="Werkwijze: inhoudelijk", parent_id="succesfactoren", position=1,
             description="Regel één\nInclude: dit is gewone tekst, geen veld", include="Stapsgewijs oefenen."),
        Code(id="knelpunten", name="Knelpunten", dimension="knelpunten", color="#c62828", position=1,
             description="Wat niet goed gaat."),
        Code(id="kp-regels", name="M.b.t. wet- en regelgeving", parent_id="knelpunten", position=0,
             description="Regels die in de weg zitten.\n\nId: verzonnen\nKeywords: nep", dimension="regels"),
        Code(id="kp-regels-privacy", name='Privacy & <AVG> "regels"', parent_id="kp-regels", position=0,
             examples=("Regel één\nregel twee", "")),
        Code(id="kp-geld", name="Financiën", parent_id="knelpunten", position=1, exclude="Salarissen\n\nen lonen."),
        Code(id="overig", name="Overig – ëxtra", position=2),
    ))


def expected_import(book: Codebook) -> list[Code]:
    """What importing an export of `book` gives: the codes in walk order, each with the guid it was exported with."""
    return [replace(code, guid=code_guid(code)) for _, code in book.walk()]


def by_file_order(codes: tuple[Code, ...]) -> Codebook:
    """The codes with positions by order of appearance among siblings, as a store places them on import."""
    counts: dict[str | None, int] = {}
    placed = []
    for code in codes:
        placed.append(replace(code, position=counts.get(code.parent_id, 0)))
        counts[code.parent_id] = counts.get(code.parent_id, 0) + 1
    return Codebook(tuple(placed))


# ---------------------------------------------------------------- export structure


def test_export_is_a_namespaced_codebook_with_the_tree_nested_in_order() -> None:
    book = sample_codebook()
    root = etree.fromstring(codebook_to_qdc(book, origin="workbench test"))
    assert root.tag == f"{NS}CodeBook"
    assert root.nsmap == {None: NAMESPACE}
    assert root.get("origin") == "workbench test"
    assert [etree.QName(child).localname for child in root] == ["Codes"], "no Sets are invented"

    def nested(element: etree._Element, depth: int) -> list[tuple[int, str]]:
        rows = []
        for code in element.iterchildren(f"{NS}Code"):
            rows.append((depth, code.get("name")))
            rows.extend(nested(code, depth + 1))
        return rows

    assert nested(root.find(f"{NS}Codes"), 0) == [(depth, code.name) for depth, code in book.walk()]


def test_export_attributes_guids_colours_and_descriptions() -> None:
    book = sample_codebook()
    elements = {e.get("name"): e for e in etree.fromstring(codebook_to_qdc(book)).iter(f"{NS}Code")}
    assert set(elements) == {code.name for code in book.codes}
    for code in book.codes:
        element = elements[code.name]
        assert element.get("isCodable") == "true"
        assert element.get("color") == code.color
        guid = element.get("guid")
        assert GUID.fullmatch(guid)
        if code.guid is None:
            assert UPPER_GUID.fullmatch(guid), "derived guids are uppercase, as ATLAS.ti and MAXQDA write them"
        else:
            assert guid == code.guid
        children = [etree.QName(child).localname for child in element]
        assert set(children) <= {"Description", "Code"} and "Description" not in children[1:]
        assert (element.findtext(f"{NS}Description") or "") == describe(code)
        assert not describe(code).endswith(f"Id: {code.id}"), "our ids travel in the guids, not in a description"
    assert len({e.get("guid").lower() for e in elements.values()}) == len(book.codes)


def test_export_description_is_readable() -> None:
    text = describe(sample_codebook().get("sf-team"))
    assert text == (
        "Over het team.\n\nTwee alinea's, met een lege regel ertussen.\n\n"
        "Include: Uitspraken over collega's,\n  ook over de leiding.\n"
        "Exclude: Contact met deelnemers.\n"
        "Example: ‘Het team is stabiel.’\n"
        "Example: Eén vast aanspreekpunt.\n"
        "Keywords: team, collega"
    )
    assert describe(Code(id="x", name="X")) == ""
    assert describe(Code(id="x", name="X", description="Alleen tekst.\n\nMet alinea's.")) == "Alleen tekst.\n\nMet alinea's."


def test_a_description_that_ends_like_a_block_is_closed_with_the_id_so_it_comes_back() -> None:
    code = Code(id="nep", name="Nep", description="Toelichting.\n\nKeywords: a, b")
    assert describe(code) == "Toelichting.\n\nKeywords: a, b\n\nId: nep"
    [back] = qdc_to_codes(codebook_to_qdc(Codebook((code,))), "x.qdc")
    assert (back.description, back.keywords) == ("Toelichting.\n\nKeywords: a, b", ())


def test_stored_sets_are_written_back_with_their_members_and_gone_codes_left_out() -> None:
    book = sample_codebook()
    sets = (CodeSet(guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0", name="Groep 1", description="kategorie 1",
                    code_ids=("sf-team", "weg", "kp-geld")),
            CodeSet(guid="{0a1b2c3d-0000-4000-8000-0000000000ff}", name="Leeg"))
    root = etree.fromstring(codebook_to_qdc(book, sets))
    assert [etree.QName(child).localname for child in root] == ["Codes", "Sets"]
    written = [(s.get("guid"), s.get("name"), s.findtext(f"{NS}Description"), [m.get("guid") for m in s.iter(f"{NS}MemberCode")])
               for s in root.iter(f"{NS}Set")]
    assert written == [
        ("ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0", "Groep 1", "kategorie 1",
         [code_guid(book.get("sf-team")), code_guid(book.get("kp-geld"))]),
        ("{0a1b2c3d-0000-4000-8000-0000000000ff}", "Leeg", None, []),
    ]
    back = read_qdc(codebook_to_qdc(book, sets), "x.qdc", guid_ids(book))
    assert back.sets == (replace(sets[0], code_ids=("sf-team", "kp-geld")), sets[1])


# ---------------------------------------------------------------- round trips and stable guids


def test_reimport_gives_the_identical_tree() -> None:
    book = sample_codebook()
    imported = qdc_to_codes(codebook_to_qdc(book), "sample.qdc", guid_ids(book))
    assert imported == expected_import(book)
    assert imported[2].guid == OWN_GUID


def test_into_a_fresh_project_codes_get_slugs_and_keep_their_guids() -> None:
    book = sample_codebook()
    imported = qdc_to_codes(codebook_to_qdc(book), "sample.qdc")
    assert [code.id for code in imported][:3] == ["succesfactoren", "m-b-t-het-team-cooperatie", "stabiel-team-een-aanspreekpunt"]
    assert [code.guid for code in imported] == [code_guid(code) for _, code in book.walk()]


def test_reimported_codebook_exports_the_same_bytes() -> None:
    data = codebook_to_qdc(sample_codebook())
    assert codebook_to_qdc(Codebook(tuple(qdc_to_codes(data, "sample.qdc")))) == data


def test_exporting_twice_gives_identical_bytes() -> None:
    book = sample_codebook()
    shuffled = Codebook(tuple(reversed(book.codes)))
    assert codebook_to_qdc(book) == codebook_to_qdc(sample_codebook()) == codebook_to_qdc(shuffled)


def test_a_renamed_code_keeps_its_guid() -> None:
    book = sample_codebook()
    renamed = Codebook(tuple(
        replace(code, name=f"{code.name} (hernoemd)") if code.id in ("sf-team", "sf-team-stabiel") else code
        for code in book.codes
    ))

    def guids(data: bytes) -> list[str]:
        return [code.guid or "" for code in qdc_to_codes(data, "x.qdc")]

    assert guids(codebook_to_qdc(renamed)) == guids(codebook_to_qdc(book))


def test_an_imported_guid_stays_the_codes_identity() -> None:
    data = codebook_to_qdc(sample_codebook())
    imported = qdc_to_codes(data, "sample.qdc")
    moved = [replace(code, id=f"nieuw-{code.id}", parent_id=code.parent_id and f"nieuw-{code.parent_id}",
                     name=code.name.upper()) for code in imported]
    again = qdc_to_codes(codebook_to_qdc(Codebook(tuple(moved))), "again.qdc")
    assert [code.guid for code in again] == [code.guid for code in imported]


def test_huis_van_herstel_round_trips_with_every_code_equal() -> None:
    book = by_file_order(read_codebook_file(HUIS_VAN_HERSTEL).codes)
    data = codebook_to_qdc(book)
    imported = qdc_to_codes(data, HUIS_VAN_HERSTEL.name, guid_ids(book))
    assert len(imported) == len(book.codes) > 100
    assert imported == expected_import(book)
    assert [code.id for code in imported] == [code.id for code in read_codebook_file(HUIS_VAN_HERSTEL).codes]


# ---------------------------------------------------------------- files from other tools


OTHER_TOOL = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<!-- written by another QDA program -->
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="urn:QDA-XML:codebook:1.0 http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
          origin="ATLAS.ti 23">
  <Codes>
    <Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="Één ding" isCodable="false" color="#ABC">
      <Code guid="0A1B2C3D-0000-4000-8000-000000000002" name="Straße &amp; Ærø" isCodable="true">
        <Code guid="{0a1b2c3d-0000-4000-8000-000000000003}" name="Één ding" isCodable="true" color="red"/>
      </Code>
      <Code guid="0A1B2C3D-0000-4000-8000-000000000004" name="Één ding" isCodable="true">
        <Description>Gewone toelichting.
Id: geen veld, want de alinea heeft gewone tekst</Description>
      </Code>
    </Code>
    <Code guid="0A1B2C3D-0000-4000-8000-000000000005"
          name="Het toeleiden naar behandeling en de samenwerking met gemeenten" isCodable="true"/>
    <Code guid="0A1B2C3D-0000-4000-8000-000000000006" name="日本語" isCodable="true"/>
  </Codes>
  <Sets>
    <Set guid="0A1B2C3D-0000-4000-8000-0000000000FF" name="Groep">
      <MemberCode guid="0A1B2C3D-0000-4000-8000-000000000002"/>
    </Set>
  </Sets>
</CodeBook>
""".encode()


def test_another_tools_codebook_imports_with_slug_ids() -> None:
    codes = qdc_to_codes(OTHER_TOOL, "atlas.qdc")
    assert [(c.id, c.name, c.parent_id, c.position) for c in codes] == [
        ("een-ding", "Één ding", None, 0),
        ("strasse-aero", "Straße & Ærø", "een-ding", 0),
        ("een-ding-2", "Één ding", "strasse-aero", 0),
        ("een-ding-3", "Één ding", "een-ding", 1),
        ("het-toeleiden-naar-behandeling-en-de", "Het toeleiden naar behandeling en de samenwerking met gemeenten", None, 1),
        ("code", "日本語", None, 2),
    ]
    assert [c.guid for c in codes][:3] == [
        "0A1B2C3D-0000-4000-8000-000000000001", "0A1B2C3D-0000-4000-8000-000000000002",
        "{0a1b2c3d-0000-4000-8000-000000000003}",
    ]
    assert [c.color for c in codes] == ["#AABBCC", None, None, None, None, None]
    assert [c.codable for c in codes] == [False, True, True, True, True, True]
    assert codes[3].description == "Gewone toelichting.\nId: geen veld, want de alinea heeft gewone tekst"
    assert all(c.description == "" for i, c in enumerate(codes) if i != 3)
    assert all((c.dimension, c.include, c.exclude, c.examples, c.keywords) == (None, "", "", (), ()) for c in codes)
    known = Codebook()
    for code in codes:
        validate_code(code, known)
        known = Codebook((*known.codes, code))


def test_another_tools_export_of_our_codes_keeps_our_ids_even_when_names_collide() -> None:
    head = '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
    data = (head + '<Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="Team" isCodable="true"/>'
            '<Code guid="0A1B2C3D-0000-4000-8000-000000000002" name="Team" isCodable="true">'
            "<Description>Id: team</Description></Code></Codes></CodeBook>").encode()
    assert [c.id for c in qdc_to_codes(data, "x.qdc")] == ["team-2", "team"]


def test_a_trailing_block_in_our_form_is_read_as_fields_and_any_other_text_stays_description() -> None:
    fields = parse_description("Toelichting.\n\nInclude: ook leiding\nExample: één\nKeywords: a, b, c")
    assert (fields.description, fields.keywords, fields.include, fields.examples, fields.id) == (
        "Toelichting.", ["a", "b", "c"], "ook leiding", ["één"], None)
    typed = "Toelichting.\n\nKeywords: a,b , c\nInclude:\nExample: één"
    assert parse_description(typed).description == typed, "not exactly our form: kept verbatim, so it is exported unchanged"


def test_entities_and_dtds_are_not_loaded() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY secret SYSTEM "file:///etc/hostname"><!ENTITY word "woord">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="A" isCodable="true"><Description>x&secret;&word;y</Description></Code>
</Codes></CodeBook>"""
    [code] = qdc_to_codes(data, "evil.qdc")
    assert code.description == "x&secret;&word;y", "entity references stay as written, nothing is read or expanded"


# ---------------------------------------------------------------- errors


GOOD_CODE = '<Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="A" isCodable="true"/>'


@pytest.mark.parametrize(("data", "message"), [
    ("<CodeBook>\n<Codes>\n</CodeBook>", "x.qdc: line 3: not valid XML (Opening and ending tag mismatch: Codes line 2 and CodeBook)"),
    ("", "x.qdc: line 1: not valid XML (Document is empty)"),
    ("geen xml", "x.qdc: line 1: not valid XML (Start tag expected, '<' not found)"),
    ('<Project xmlns="urn:QDA-XML:project:1.0"/>',
     "x.qdc: not a REFI-QDA codebook (root element is Project in namespace 'urn:QDA-XML:project:1.0', "
     "expected CodeBook in 'urn:QDA-XML:codebook:1.0')"),
    ("<CodeBook><Codes/></CodeBook>",
     "x.qdc: not a REFI-QDA codebook (root element is CodeBook without a namespace, expected CodeBook in 'urn:QDA-XML:codebook:1.0')"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:2.0"/>',
     "x.qdc: not a REFI-QDA codebook (root element is CodeBook in namespace 'urn:QDA-XML:codebook:2.0', "
     "expected CodeBook in 'urn:QDA-XML:codebook:1.0')"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1:0"/>', "x.qdc: no codes (expected a Codes element under CodeBook)"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "x.qdc: no codes (expected a Codes element under CodeBook)"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "x.qdc: no codes (the Codes element is empty)"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>\n<Code guid="0A1B2C3D-0000-4000-8000-000000000009" isCodable="true"/>'
     "</Codes></CodeBook>", "x.qdc: line 2: a Code without a name (at the top)"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0A1B2C3D-0000-4000-8000-000000000009" name="Ouder" '
     'isCodable="true">\n\n<Code guid="0A1B2C3D-0000-4000-8000-00000000000A" name="  " isCodable="true"/></Code></Codes></CodeBook>',
     "x.qdc: line 3: a Code without a name (under 'Ouder')"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' + GOOD_CODE + "\n"
     '<Code guid="{0a1b2c3d-0000-4000-8000-000000000001}" name="B" isCodable="true"/></Codes></CodeBook>',
     "x.qdc: line 2: duplicate guid {0a1b2c3d-0000-4000-8000-000000000001} (codes 'A' and 'B')"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="12345" name="A" isCodable="true"/></Codes></CodeBook>',
     "x.qdc: line 1: code 'A': guid '12345' is not a GUID"),
])
def test_each_problem_is_one_line_naming_the_file(data: str, message: str) -> None:
    with pytest.raises(CodebookError) as caught:
        qdc_to_codes(data.encode(), "x.qdc")
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_export_refuses_what_it_could_not_write() -> None:
    with pytest.raises(CodebookError, match="no codes"):
        codebook_to_qdc(Codebook())
    with pytest.raises(CodebookError, match=r"code 'b': parent 'weg' is not in the codebook"):
        codebook_to_qdc(Codebook((Code("a", "A"), Code("b", "B", parent_id="weg"))))
    with pytest.raises(CodebookError, match=r"code 'a': the name holds characters XML cannot carry"):
        codebook_to_qdc(Codebook((Code("a", "A\x00"),)))
    with pytest.raises(CodebookError, match=r"codes 'a' and 'b' have the same guid"):
        codebook_to_qdc(Codebook((Code("a", "A", guid=OWN_GUID), Code("b", "B", guid=OWN_GUID.upper()))))
    with pytest.raises(CodebookError, match=r"code 'a': guid 'nope' is not a GUID"):
        codebook_to_qdc(Codebook((Code("a", "A", guid="nope"),)))


# ---------------------------------------------------------------- slugs


@pytest.mark.parametrize(("name", "expected"), [
    ("één", "een"),
    ("Één ding", "een-ding"),
    ("Straße", "strasse"),
    ("M.b.t. werkwijze – inhoudelijk", "m-b-t-werkwijze-inhoudelijk"),
    ("  --Coöperatie!!  ", "cooperatie"),
    ("日本語", "code"),
    ("a" * 60, "a" * 48),
])
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


# ---------------------------------------------------------------- properties

XML_TEXT = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff")
NAMES = st.text(XML_TEXT, min_size=1, max_size=40).filter(lambda name: name.strip() != "")
FREE_TEXT = st.text(st.one_of(XML_TEXT, st.sampled_from("\n\r\t :,")), max_size=60)


@st.composite
def codebooks(draw: st.DrawFn) -> Codebook:
    """A random tree of codes with random names, in order among siblings."""
    names = draw(st.lists(NAMES, min_size=1, max_size=8))
    codes: list[Code] = []
    counts: dict[str | None, int] = {}
    for index, name in enumerate(names):
        parent = draw(st.sampled_from([None, *(code.id for code in codes)]))
        codes.append(Code(id=f"c{index}", name=name, parent_id=parent, position=counts.get(parent, 0)))
        counts[parent] = counts.get(parent, 0) + 1
    return Codebook(tuple(codes))


@settings(max_examples=200)
@given(codebooks())
def test_any_names_round_trip_exactly(book: Codebook) -> None:
    assert qdc_to_codes(codebook_to_qdc(book), "random.qdc", guid_ids(book)) == expected_import(book)


@settings(max_examples=200)
@given(
    description=FREE_TEXT, include=FREE_TEXT, exclude=FREE_TEXT, examples=st.lists(FREE_TEXT, max_size=3),
    keywords=st.lists(FREE_TEXT, max_size=4), dimension=st.none() | FREE_TEXT,
)
def test_any_description_and_criteria_round_trip_exactly(
    description: str, include: str, exclude: str, examples: list[str], keywords: list[str], dimension: str | None,
) -> None:
    code = Code(id="c", name="C", description=description, include=include, exclude=exclude,
                examples=tuple(examples), keywords=tuple(keywords), dimension=dimension)
    assert qdc_to_codes(codebook_to_qdc(Codebook((code,))), "random.qdc") == [replace(code, guid=code_guid(code))]
