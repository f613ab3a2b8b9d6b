"""REFI-QDA projects (.qdpx): a researcher brings a project from NVivo or QualCoder, and takes ours to them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from tests.conftest import run_cli, table_rows, zip_bytes
from tests.exchange.projects import project_contents
from tests.refi_schemas import project_schema, schema_errors
from tests.shared_files import external
from workbench.core.codings import add_coding, coded_segments
from workbench.core.memos import set_document_memo
from workbench.core.store import Store
from workbench.errors import AlreadyImportedError, ImportError_
from workbench.exchange import archive
from workbench.exchange.qdpx_export import export_project
from workbench.exchange.qdpx_import import import_project

NS = "{urn:QDA-XML:project:1.0}"
SHARED_QDPX = "projects/pyqdpx_oltas0517.qdpx"


def _fresh(tmp_path: Path, name: str, title: str = "Test project") -> Store:
    return Store.create(tmp_path / name, title)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


# ---------------------------------------------------------------- the shared NVivo project


def test_researcher_imports_an_nvivo_project_with_every_coding_on_the_same_text(tmp_path: Path) -> None:
    path = external(SHARED_QDPX)
    members = _members(path)
    root = etree.fromstring(members["project.qde"])
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{NS}Code")}
    expected = []
    for source in root.iter(f"{NS}TextSource"):
        raw = members["Sources/" + source.get("plainTextPath").removeprefix("internal://")].decode("utf-8").removeprefix("\ufeff")
        # NVivo counts UTF-16 code units of the text as stored (CR LF is two): cut the selection out that way.
        units = raw.encode("utf-16-le")
        for selection in source.iter(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            selected = units[2 * start:2 * end].decode("utf-16-le").replace("\r\n", "\n")
            for coding in selection.iter(f"{NS}Coding"):
                expected.append((source.get("name"), selected, codes[coding.find(f"{NS}CodeRef").get("targetGUID")],
                                 users[coding.get("creatingUser")]))
    assert len(expected) == 303

    with _fresh(tmp_path, "proj") as store:
        result = import_project(store, path, "onderzoeker")
        got = sorted((s.document, s.text, s.code_name, s.coding.coder) for s in coded_segments(store))
        assert (result.documents, result.codings, result.codes) == (2, 303, 152)
        assert got == sorted(expected), "every coding covers exactly the text it covers in NVivo, by the user who made it"
        contents = project_contents(store)
        assert contents["coders"] == ["Gergo", "floriansipos"]
        assert all("\r" not in text and not text.startswith("\ufeff") for _, _, text, _ in contents["documents"])


def test_the_shared_project_round_trips_through_our_export_unchanged(tmp_path: Path) -> None:
    path = external(SHARED_QDPX)
    with _fresh(tmp_path, "first", "Untitled") as first:
        import_project(first, path, "onderzoeker")
        export_project(first, tmp_path / "first.qdpx")
        before = project_contents(first)
    assert schema_errors(project_schema(), _members(tmp_path / "first.qdpx")["project.qde"]) == []
    with _fresh(tmp_path, "second", "Untitled") as second:
        import_project(second, tmp_path / "first.qdpx", "onderzoeker")
        assert project_contents(second) == before
        export_project(second, tmp_path / "second.qdpx")
    assert _members(tmp_path / "second.qdpx") == _members(tmp_path / "first.qdpx")


# ---------------------------------------------------------------- our own projects


def test_the_demo_exports_valid_and_comes_back_as_the_same_project(demo: Store, tmp_path: Path) -> None:
    segment = coded_segments(demo)[0]
    set_document_memo(demo, segment.document, "onderzoeker2", "Let op: twee alinea's.\n\nTweede alinea.")
    add_coding(demo, document=segment.document, start=segment.coding.start, end=segment.coding.end,
               code_id=segment.coding.code_id, coder="onderzoeker2", memo="Eens met 1 😀.")
    run_cli("export", demo.project_dir, "--out", tmp_path / "demo.qdpx")
    first = _members(tmp_path / "demo.qdpx")
    assert schema_errors(project_schema(), first["project.qde"]) == []
    before = project_contents(demo)
    assert before["memos"] and any(row[6] for row in before["codings"]) and before["case attributes"]

    project = tmp_path / "kopie"
    run_cli("new", project, "--name", demo.project().name)
    out = run_cli("import", project, tmp_path / "demo.qdpx").stdout.decode()
    assert out.startswith(f"imported {tmp_path / 'demo.qdpx'}: 5 documents, 29 new codes, ")
    with Store.open(project) as copy:
        assert project_contents(copy) == before
    run_cli("export", project, "--out", tmp_path / "again.qdpx")
    assert _members(tmp_path / "again.qdpx") == first


def test_the_huis_van_herstel_project_round_trips(hvh: Store, tmp_path: Path) -> None:
    export_project(hvh, tmp_path / "hvh.qdpx")
    assert schema_errors(project_schema(), _members(tmp_path / "hvh.qdpx")["project.qde"]) == []
    with _fresh(tmp_path, "copy", hvh.project().name) as copy:
        import_project(copy, tmp_path / "hvh.qdpx", "senior")
        assert project_contents(copy) == project_contents(hvh)
        export_project(copy, tmp_path / "again.qdpx")
    assert _members(tmp_path / "again.qdpx") == _members(tmp_path / "hvh.qdpx")


def test_importing_into_a_project_with_the_codebook_keeps_its_code_ids_and_undo_removes_everything(demo: Store, tmp_path: Path) -> None:
    export_project(demo, tmp_path / "demo.qdpx")
    with _fresh(tmp_path, "codes") as target:
        from workbench.core.codebook import add_codes, codebook

        add_codes(target, codebook(demo).codes, "senior", "the demo's codebook")
        empty = table_rows(target)
        result = import_project(target, tmp_path / "demo.qdpx", "senior")
        assert result.codes == 0, "every code is known by its guid"
        assert {s.coding.code_id for s in coded_segments(target)} <= {c.id for c in codebook(demo).codes}
        target.undo("senior")
        after = table_rows(target)
        assert {k: v for k, v in after.items() if k != "actions"} == {k: v for k, v in empty.items() if k != "actions"}


def test_the_same_project_twice_is_skipped(tmp_path: Path, demo: Store) -> None:
    export_project(demo, tmp_path / "demo.qdpx")
    project = tmp_path / "p"
    run_cli("new", project)
    run_cli("import", project, tmp_path / "demo.qdpx")
    again = run_cli("import", project, tmp_path / "demo.qdpx")
    assert again.returncode == 0
    assert again.stdout.decode().startswith(f"skipped {tmp_path / 'demo.qdpx'}: source ")


# ---------------------------------------------------------------- offsets: BOM, CR LF, emoji


def _project(sources: dict[str, tuple[bytes, list[tuple[int, int]]]], *, origin: str = "QualCoder 3.5", extra: str = "",
             code_ref: str = "0A1B2C3D-0000-4000-8000-000000000001") -> bytes:
    code = '<Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="Twee" isCodable="true"/>'
    xml = [f'<Project xmlns="urn:QDA-XML:project:1.0" name="P" origin="{origin}">',
           '<Users><User guid="0A1B2C3D-0000-4000-8000-0000000000AA" name="Ans"/></Users>',
           f"<CodeBook><Codes>{code}</Codes></CodeBook><Sources>"]
    members: dict[str, bytes] = {}
    for index, (name, (data, spans)) in enumerate(sources.items()):
        guid = f"0A1B2C3D-0000-4000-8000-0000000001{index:02X}"
        members[f"Sources/{guid}.txt"] = data
        xml.append(f'<TextSource guid="{guid}" name="{name}" plainTextPath="internal://{guid}.txt">')
        for number, (start, end) in enumerate(spans):
            xml.append(f'<PlainTextSelection guid="0A1B2C3D-0000-4000-8000-0000000002{index:01X}{number:01X}" startPosition="{start}" '
                       f'endPosition="{end}"><Coding guid="0A1B2C3D-0000-4000-8000-0000000003{index:01X}{number:01X}" '
                       'creatingUser="0A1B2C3D-0000-4000-8000-0000000000AA">' f'<CodeRef targetGUID="{code_ref}"/>'
                       "</Coding></PlainTextSelection>")
        xml.append("</TextSource>")
    xml.append(f"</Sources>{extra}</Project>")
    members["project.qde"] = "".join(xml).encode("utf-8")
    return zip_bytes(members)


TEXT = "Regel één\r\nDe tweede 😀 regel\r\nEn 😀 twee keer\r\n"


def _units(text: str, word: str, *, utf16: bool, crlf: bool = True) -> tuple[int, int]:
    """Where `word` is in `text` as a tool counts: UTF-16 units or code points, CR LF as two or as one."""
    counted = text if crlf else text.replace("\r\n", "\n")
    index = counted.rindex(word)
    if utf16:
        return len(counted[:index].encode("utf-16-le")) // 2, len(counted[:index + len(word)].encode("utf-16-le")) // 2
    return index, index + len(word)


@pytest.mark.parametrize(("utf16", "crlf"), [(False, True), (True, True), (False, False), (True, False)])
def test_selections_counted_any_way_land_on_the_same_words(tmp_path: Path, utf16: bool, crlf: bool) -> None:
    data = b"\xef\xbb\xbf" + TEXT.encode("utf-8")
    spans = [_units(TEXT, word, utf16=utf16, crlf=crlf) for word in ("tweede", "regel", "twee keer")]
    (tmp_path / "p.qdpx").write_bytes(_project({"Bron": (data, spans)}))
    with _fresh(tmp_path, "proj") as store:
        import_project(store, tmp_path / "p.qdpx", "senior")
        assert sorted(s.text for s in coded_segments(store)) == ["regel", "twee keer", "tweede"]
        (document,) = project_contents(store)["documents"]
        assert document[2] == TEXT.replace("\r\n", "\n")


# ---------------------------------------------------------------- refusals: one line, nothing changed


@pytest.mark.parametrize(("make", "message"), [
    (lambda: b"geen zip", "not a REFI-QDA project (a .qdpx is a zip archive, this file is not one)"),
    (lambda: zip_bytes({"readme.txt": b"x"}), "not a REFI-QDA project (no project.qde in the archive)"),
    (lambda: zip_bytes({"project.qde": b"<Project"}), "line 1: not valid XML ("),
    (lambda: zip_bytes({"project.qde": b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'}),
     "not a REFI-QDA project (the root element is not Project in 'urn:QDA-XML:project:1.0')"),
    (lambda: _project({"Bron": (b"kort", [(0, 99)])}), "source 'Bron': a selection at 0-99 lies outside its text (4 characters)"),
    (lambda: _project({"Bron": (b"kort", [(0, 2)])}), None),
    (lambda: zip_bytes({k: v for k, v in _members_of(_project({"Bron": (b"kort", [(0, 2)])})).items() if k.startswith("project")}),
     "the text of source 'Bron' is missing from the archive (Sources/0A1B2C3D-0000-4000-8000-000000000100.txt)"),
    (lambda: _project({"Bron": (b"\xff\xfek\x00", [])}), "source 'Bron': its plain text is not UTF-8 (byte 0)"),
    (lambda: _project({"Bron": (b"kort genoeg", [(0, 4)])}, code_ref="0A1B2C3D-0000-4000-8000-0000000000EE"),
     "source 'Bron': a coding refers to code 0a1b2c3d-0000-4000-8000-0000000000ee, which is not in the codebook"),
])
def test_a_broken_project_is_refused_in_one_line_and_changes_nothing(store: Store, tmp_path: Path, make, message: str | None) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "kapot.qdpx"
    path.write_bytes(make())
    before = table_rows(store)
    if message is None:
        import_project(store, path, "senior")  # the control: the same project, whole, imports
        return
    with pytest.raises(ImportError_) as caught:
        import_project(store, path, "senior")
    assert str(caught.value).startswith(f"{path}: {message}")
    assert "\n" not in str(caught.value)
    assert table_rows(store) == before


def _members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def test_a_zip_bomb_is_refused_before_it_is_unpacked(store: Store, tmp_path: Path) -> None:
    bomb = _members_of(_project({"Bron": (b"x", [])}))
    bomb["Sources/0A1B2C3D-0000-4000-8000-000000000100.txt"] = b"a" * (40 * 1024**2)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as packed:
        for name, data in bomb.items():
            packed.writestr(name, data)
    path = tmp_path / "bom.qdpx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 200 * 1024
    before = table_rows(store)
    with pytest.raises(ImportError_, match=r"times larger than it is packed \(a zip bomb\?\); not imported$"):
        import_project(store, path, "senior")
    assert table_rows(store) == before


def test_a_source_over_the_size_limit_is_refused(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_RATIO", 10**9)
    path = tmp_path / "groot.qdpx"
    path.write_bytes(_project({"Bron": (b"woord " * 1000, [(0, 5)])}))
    monkeypatch.setattr("workbench.exchange.qdpx_import.MAX_SOURCE_BYTES", 100)
    with pytest.raises(ImportError_, match=r"the text of source 'Bron' is 6000 bytes unpacked, more than the 100 bytes limit$"):
        import_project(store, path, "senior")


def test_a_source_already_in_the_project_refuses_the_whole_import(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "p.qdpx"
    path.write_bytes(_project({"Nieuw": (b"iets nieuws", [(0, 4)]), "interview_01": (b"andere tekst", [(0, 6)])}))
    before = table_rows(store)
    with pytest.raises(AlreadyImportedError, match=r"source 'interview_01' is already imported \(a document with this name"):
        import_project(store, path, "senior")
    assert table_rows(store) == before


def test_cli_reports_a_bad_project_in_one_line_and_exits_1(tmp_path: Path) -> None:
    project = tmp_path / "p"
    run_cli("new", project)
    (tmp_path / "x.qdpx").write_bytes(b"PK\x03\x04 afgebroken")
    result = run_cli("import", project, tmp_path / "x.qdpx", check=False)
    assert result.returncode == 1
    assert result.stderr.decode().count("\n") == 1 and "Traceback" not in result.stderr.decode()


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Veldwerk" origin="MAXQDA 24" creatingUserGUID="0A1B2C3D-0000-4000-8000-0000000000AA">
  <Users>
    <User guid="0A1B2C3D-0000-4000-8000-0000000000AA" name="Ans"/><User guid="0A1B2C3D-0000-4000-8000-0000000000BB" name="Bert"/>
  </Users>
  <CodeBook><Codes><Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="Rust" isCodable="true"/></Codes></CodeBook>
  <Variables>
    <Variable guid="0A1B2C3D-0000-4000-8000-000000000A01" name="Leeftijd" typeOfVariable="Integer"/>
    <Variable guid="0A1B2C3D-0000-4000-8000-000000000A02" name="Locatie" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="0A1B2C3D-0000-4000-8000-000000000C01" name="D01">
      <VariableValue><VariableRef targetGUID="0A1B2C3D-0000-4000-8000-000000000A01"/><IntegerValue>34</IntegerValue></VariableValue>
      <SourceRef targetGUID="0A1B2C3D-0000-4000-8000-000000000101"/>
    </Case>
  </Cases>
  <Sources>
    <PDFSource guid="0A1B2C3D-0000-4000-8000-000000000101" name="Verslag" path="internal://verslag.pdf">
      <Representation guid="0A1B2C3D-0000-4000-8000-000000000102" plainTextPath="internal://verslag.txt">
        <PlainTextSelection guid="0A1B2C3D-0000-4000-8000-000000000201" startPosition="4" endPosition="8"
                            creatingUser="0A1B2C3D-0000-4000-8000-0000000000BB">
          <Coding guid="0A1B2C3D-0000-4000-8000-000000000301" creationDateTime="2024-05-01T10:00:00Z">
            <CodeRef targetGUID="0A1B2C3D-0000-4000-8000-000000000001"/>
            <NoteRef targetGUID="0A1B2C3D-0000-4000-8000-000000000402"/>
          </Coding>
        </PlainTextSelection>
      </Representation>
      <NoteRef targetGUID="0A1B2C3D-0000-4000-8000-000000000401"/>
      <VariableValue><VariableRef targetGUID="0A1B2C3D-0000-4000-8000-000000000A02"/><TextValue>Zwolle</TextValue></VariableValue>
    </PDFSource>
    <PictureSource guid="0A1B2C3D-0000-4000-8000-000000000103" name="Foto" path="internal://foto.jpg"/>
  </Sources>
  <Notes>
    <Note guid="0A1B2C3D-0000-4000-8000-000000000401" creatingUser="0A1B2C3D-0000-4000-8000-0000000000BB"
          creationDateTime="2024-05-02T09:00:00Z"><PlainTextContent>Goed gesprek.</PlainTextContent></Note>
    <Note guid="0A1B2C3D-0000-4000-8000-000000000402"><PlainTextContent>Twijfel.</PlainTextContent></Note>
    <Note guid="0A1B2C3D-0000-4000-8000-000000000403"><PlainTextContent>Los memo.</PlainTextContent></Note>
  </Notes>
</Project>
"""


def test_a_maxqda_project_brings_its_pdf_text_case_variables_and_notes(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "veldwerk.qdpx"
    path.write_bytes(zip_bytes({"project.qde": FOREIGN.encode(), "Sources/verslag.txt": "Een rustig gesprek.".encode(),
                                "Sources/verslag.pdf": b"%PDF-1.4", "Sources/foto.jpg": b"\xff\xd8"}))
    result = import_project(store, path, "senior")
    assert result.left_out == ("1 picture source", "1 note not attached to a source or coding")
    assert result.summary(path).endswith("; left out 1 picture source, 1 note not attached to a source or coding")
    contents = project_contents(store)
    (segment,) = [s for s in coded_segments(store) if s.document == "Verslag"]
    assert (segment.text, segment.coding.coder, segment.coding.memo, segment.coding.created) == (
        "rust", "Bert", "Twijfel.", "2024-05-01T10:00:00Z")
    assert ("Verslag", "Bert", "Goed gesprek.") in contents["memos"]
    assert ("D01", "Leeftijd", "34") in contents["case attributes"]
    assert ("Verslag", "Locatie", "Zwolle") in contents["document attributes"]
    assert ("Verslag", "transcript", "Een rustig gesprek.", "D01") in contents["documents"]
    assert {"Ans", "Bert"} <= set(contents["coders"])


def test_an_archive_claiming_too_many_members_is_refused_before_its_directory_is_read(store: Store, tmp_path: Path,
                                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    path = tmp_path / "veel.qdpx"
    path.write_bytes(zip_bytes({f"Sources/{n}.txt": b"x" for n in range(4)} | {"project.qde": b"<Project/>"}))
    read: list[object] = []
    monkeypatch.setattr(zipfile, "ZipFile", lambda *args, **kwargs: read.append(args))
    with pytest.raises(ImportError_, match=r"veel.qdpx: the archive holds more than 3 files; not a project this workbench reads$"):
        import_project(store, path, "senior")
    assert read == [], "zipfile never opened it"


def test_a_bare_project_file_imports_its_inline_texts_and_names_what_only_an_archive_holds(store: Store, tmp_path: Path) -> None:
    inline = FOREIGN.replace('<Representation guid="0A1B2C3D-0000-4000-8000-000000000102" plainTextPath="internal://verslag.txt">',
                             '<Representation guid="0A1B2C3D-0000-4000-8000-000000000102">'
                             "<PlainTextContent>Een rustig gesprek.</PlainTextContent>")
    (tmp_path / "inline.qde").write_text(inline, encoding="utf-8")
    (tmp_path / "paths.qde").write_text(FOREIGN, encoding="utf-8")
    with pytest.raises(ImportError_, match=r"paths.qde: the text of source 'Verslag' is in a file \(Sources/verslag.txt\) that only a "
                                           r"\.qdpx archive holds; import the \.qdpx$"):
        import_project(store, tmp_path / "paths.qde", "senior")
    assert run_cli("import", store.project_dir, tmp_path / "inline.qde").stdout.decode().startswith(
        f"imported {tmp_path / 'inline.qde'}: 1 document, 1 new code, 1 coding by Bert, 1 case, 2 memos")
    assert [s.text for s in coded_segments(store) if s.document == "Verslag"] == ["rust"]
