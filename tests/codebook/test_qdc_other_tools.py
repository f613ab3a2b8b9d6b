"""Codebooks written by ATLAS.ti, MAXQDA, NVivo and Taguette: read in every namespace, kept verbatim, written back valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from tests.conftest import run_cli
from tests.refi_schemas import codebook_schema, schema_errors
from tests.shared_files import external
from workbench.core.codebook import Codebook, codebook
from workbench.core.codebook.qdc import NAMESPACES, codebook_to_qdc, read_qdc
from workbench.core.codebook.sets import code_sets
from workbench.core.model import Code, CodeSet
from workbench.core.store import Store
from workbench.errors import CodebookError

SHARED_CODEBOOKS = [
    "codebooks/derived_atlasti_ns04_closed.qdc",
    "codebooks/derived_maxqda24_paper_themes.qdc",
    "codebooks/derived_nvivo12_oltas.qdc",
    "codebooks/requal_atlasti_win23.qdc",
    "codebooks/uto_tag_taguette.qdc",
]


def _codes_as_written(data: bytes) -> list[tuple[str, str, str, str | None, str]]:
    """(guid, name, isCodable, Description text or None, parent guid) of every Code, in document order."""
    root = etree.fromstring(data)
    rows = []
    for element in root.iter("{*}Code"):
        parent = element.getparent()
        description = element.find("{*}Description")
        text = "".join(description.itertext()) if description is not None else None
        rows.append((element.get("guid").upper(), element.get("name"), element.get("isCodable"), text or None,
                     parent.get("guid", "").upper() if etree.QName(parent).localname == "Code" else ""))
    return rows


def _sets_as_written(data: bytes) -> list[tuple[str, str, str | None, list[str]]]:
    root = etree.fromstring(data)
    return [(s.get("guid"), s.get("name"), s.findtext("{*}Description"), [m.get("guid") for m in s.iter("{*}MemberCode")])
            for s in root.iter("{*}Set")]


@pytest.mark.parametrize("relative", SHARED_CODEBOOKS)
def test_a_codebook_from_another_tool_comes_back_verbatim_and_valid(relative: str) -> None:
    path = external(relative)
    data = path.read_bytes()
    read = read_qdc(data, path.name)
    assert len(read.codes) == len(_codes_as_written(data)) > 0
    again = codebook_to_qdc(Codebook(read.codes), read.sets)
    assert _codes_as_written(again) == _codes_as_written(data), "names, guids, isCodable, nesting and descriptions verbatim"
    assert _sets_as_written(again) == _sets_as_written(data), "sets kept, none invented"
    assert schema_errors(codebook_schema(), again) == []


def test_the_atlas_ti_codebook_in_the_pre_release_namespace_reads_like_the_standard_one() -> None:
    path = external("codebooks/derived_atlasti_ns04_closed.qdc")
    data = path.read_bytes()
    assert b'xmlns="urn:QDA-XML:codebook:0:4"' in data
    read = read_qdc(data, path.name)
    assert [(c.name, c.parent_id, c.color, c.description) for c in read.codes] == [
        ("code1", None, "#46AA00", "popisek - nebo přesněji Comment - kódu 1"),
        ("code2", None, "#FF7800", "popisek kódu 2"),
        ("code3", None, "#006EFF", "popisek kódu 3"),
        ("subcode 3.1", "code3", None, ""),
        ("subcode 2.1", None, None, "chtěl jsem vytvořit subkód code2, ale nějak mi to nešlo, nabízelo mi to jen merge nebo link"),
    ]
    assert read.origin == "ATLAS.ti Win 23.4.0"


def test_a_truncated_atlas_ti_export_is_refused_in_one_line() -> None:
    path = external("codebooks/requal_atlasti_truncated_ns04.qdc")
    with pytest.raises(CodebookError) as caught:
        read_qdc(path.read_bytes(), str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: line 18: not valid XML (")
    assert "\n" not in message


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_namespace_seen_in_the_wild_is_read(namespace: str) -> None:
    data = (f'<CodeBook xmlns="{namespace}"><Codes><Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="A" isCodable="false">'
            f'<Description>Tekst</Description><Code guid="0A1B2C3D-0000-4000-8000-000000000002" name="B" isCodable="true"/></Code>'
            '</Codes><Sets><Set guid="0A1B2C3D-0000-4000-8000-0000000000FF" name="S">'
            '<MemberCode guid="0A1B2C3D-0000-4000-8000-000000000002" targetGUID="0A1B2C3D-0000-4000-8000-000000000002"/>'
            "</Set></Sets></CodeBook>").encode()
    read = read_qdc(data, "x.qdc")
    assert [(c.id, c.parent_id, c.codable, c.description) for c in read.codes] == [("a", None, False, "Tekst"), ("b", "a", True, "")]
    assert read.sets == (CodeSet(guid="0A1B2C3D-0000-4000-8000-0000000000FF", name="S", code_ids=("b",)),)
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in codebook_to_qdc(Codebook(read.codes), read.sets), "written in the standard's"


def test_the_repaired_schema_still_refuses_a_codebook_the_standard_does_not_allow() -> None:
    good = codebook_to_qdc(Codebook((Code(id="a", name="A"),)))
    assert schema_errors(codebook_schema(), good) == []
    assert schema_errors(codebook_schema(), good.replace(b' isCodable="true"', b"")) != []
    assert schema_errors(codebook_schema(), good.replace(b"<Codes>", b"<Sets/><Codes>")) != []


def test_our_own_codebook_with_criteria_and_sets_is_valid(hvh: Store) -> None:
    book = codebook(hvh)
    sets = (CodeSet(guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0", name="Groep", description="Uitleg", code_ids=(book.codes[0].id,)),)
    assert schema_errors(codebook_schema(), codebook_to_qdc(book, sets)) == []


def test_researcher_brings_an_atlas_ti_codebook_with_a_code_group_and_a_closed_code_and_gets_both_back(tmp_path: Path) -> None:
    source = tmp_path / "atlas.qdc"
    source.write_text("""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="ATLAS.ti Win 23.4.0">
  <Codes>
    <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Thema's" color="#46AA00" isCodable="false">
      <Description>Alleen om te groeperen.

Include: niet voor ons bedoeld</Description>
      <Code guid="B52FB733-B6AF-4B31-BB78-3E733135171A" name="Vertrouwen" isCodable="true"/>
    </Code>
  </Codes>
  <Sets>
    <Set name="code group 1" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0">
      <Description>kategorie 1</Description>
      <MemberCode guid="B52FB733-B6AF-4B31-BB78-3E733135171A" />
    </Set>
  </Sets>
</CodeBook>
""", encoding="utf-8")
    project = tmp_path / "proj"
    run_cli("new", project)
    run_cli("codebook", project, "sync", source, "--yes")
    with Store.open(project) as store:
        book = codebook(store)
        (group,) = code_sets(store)
        assert [(c.name, c.codable, c.description, c.include) for _, c in book.walk()] == [
            ("Thema's", False, "Alleen om te groeperen.", "niet voor ons bedoeld"),  # a last paragraph in our form is a field
            ("Vertrouwen", True, "", ""),
        ]
        assert (group.name, group.description, group.code_ids) == ("code group 1", "kategorie 1", (book.codes[1].id,))
    run_cli("codebook", project, "export", tmp_path / "back.qdc")
    back = (tmp_path / "back.qdc").read_bytes()
    assert _codes_as_written(back) == _codes_as_written(source.read_bytes())
    assert _sets_as_written(back) == _sets_as_written(source.read_bytes())
    assert schema_errors(codebook_schema(), back) == []
    # Syncing the same file again changes nothing; undoing the first sync takes the group away with the codes.
    assert run_cli("codebook", project, "sync", source, "--yes").stdout.decode().startswith("the project's codebook already matches")
    run_cli("undo", project)
    with Store.open(project) as store:
        assert codebook(store).codes == () and code_sets(store) == ()


def test_a_yaml_codebook_keeps_a_closed_code_and_leaves_the_sets_alone(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    run_cli("new", project)
    qdc = tmp_path / "groups.qdc"
    qdc.write_bytes(codebook_to_qdc(Codebook((Code(id="a", name="A", codable=False), Code(id="b", name="B", parent_id="a"))),
                                    (CodeSet(guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0", name="G", code_ids=("b",)),)))
    run_cli("codebook", project, "sync", qdc, "--yes")
    run_cli("codebook", project, "export", tmp_path / "book.yaml")
    assert "codable: false" in (tmp_path / "book.yaml").read_text(encoding="utf-8")
    assert run_cli("codebook", project, "sync", tmp_path / "book.yaml", "--yes").stdout.decode().startswith(
        "the project's codebook already matches")
    with Store.open(project) as store:
        assert [c.codable for c in codebook(store).codes] == [False, True]
        assert [s.name for s in code_sets(store)] == ["G"]

