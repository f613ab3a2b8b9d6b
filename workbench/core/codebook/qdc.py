"""REFI-QDA codebooks (.qdc) exchanged with ATLAS.ti, MAXQDA, NVivo, QualCoder and Taguette.

What goes where
---------------
``<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="workbench">`` holds ``<Codes>``, one ``<Code>`` per code nested as
in the tree and in codebook order, then ``<Sets>`` when the project keeps any (see below).

* Reading takes ``CodeBook`` in every namespace seen in the wild: the standard's ``urn:QDA-XML:codebook:1.0``, the
  pre-release ``…:0:4`` (ATLAS.ti 23, MAXQDA 24), ``…:1:0`` (NVivo 12 for Mac) and a codebook cut out of a project
  (``urn:QDA-XML:project:1.0``). Writing always uses the standard's.
* ``guid``: the code's own guid when it has one, else ``uuid5(GUID_NAMESPACE, "code:" + id)`` in uppercase, so the same
  codebook always exports the same guids and a renamed code keeps its guid. Import keeps the guid the file carries, so
  from then on it is the code's identity. The guid is also how our ids come back: reading a file into a project
  (``known_guids``) gives a code whose guid (stored or derived) the project knows that code's id. Other codes get a
  slug of their name ("Één ding" → "een-ding", at most 48 characters) made unique with "-2", "-3"...
* ``name``, ``color`` and ``isCodable`` are the attributes of the same name (``isCodable="false"`` is kept on the code).
* ``<Description>``: the description exactly as it is. The standard has no fields for include/exclude criteria,
  examples, keywords or our dimension, so a code that has any gets them after its description as a last paragraph,
  after a blank line, one ``Key: value`` line each::

      <the description, any text>

      Include: <include criteria>
      Exclude: <exclude criteria>
      Example: <first example>
      Keywords: a, b, c
      Dimension: <dimension>

  A value's own line breaks continue on lines indented by two spaces; keywords that cannot be joined with ", " are
  written as one ``Keyword: x`` line each. Import reads a last paragraph (or a whole text) as fields only when it is
  exactly in this form, so any other description, from any tool, comes back byte for byte and is exported again
  unchanged. In the rare case that a description of ours ends in such a paragraph itself, an ``Id: <code id>`` line
  closes the block so the description is not misread (files of earlier versions have it on every code; it still
  gives the code its id).
* ``<Sets>``: code groups made in another tool (ATLAS.ti's code groups), read with their guid, name, description and
  member codes (``MemberCode guid``, or ``targetGUID`` as a project writes it) and written back as they were, members
  that no longer exist left out. The workbench never invents a set.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from lxml import etree  # type: ignore[import-untyped]

from workbench.core.codebook.tree import CODE_ID, COLOR, MAX_DEPTH, Codebook
from workbench.core.model import Code, CodeSet
from workbench.errors import CodebookError

if TYPE_CHECKING:
    from lxml.etree import _Element  # type: ignore[import-untyped]

NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
#: Where CodeBook is found in files from other tools (see the module docstring); the first is the standard's.
NAMESPACES = (NAMESPACE, "urn:QDA-XML:codebook:0:4", "urn:QDA-XML:codebook:1:0", PROJECT_NAMESPACE)
#: Fixed namespace of the guids derived from code ids; changing it would change every exported guid.
GUID_NAMESPACE = uuid.UUID("6f0b6b0e-3c1d-5b7a-9a51-8f4e2c7d1a90")
#: Codebook.xsd's GUIDType, plain or in braces, either case (use with fullmatch).
GUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|\{[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}")
SHORT_COLOR = re.compile(r"#[0-9a-fA-F]{3}")
#: Slugs of long names (whole sentences) are cut at a word boundary near this length.
MAX_SLUG_CHARS = 48

_KEY_LINE = re.compile(r"^(Include|Exclude|Example|Keywords|Keyword|Dimension|Id):(?: |$)(.*)$", re.DOTALL)
_CONTINUATION = "  "
#: Letters NFKD does not take apart into an ASCII letter and accents.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})


@dataclass(frozen=True)
class QdcCodebook:
    """What a .qdc holds: codes (parents before children), code sets and the tool that wrote it."""

    codes: tuple[Code, ...]
    sets: tuple[CodeSet, ...] = ()
    origin: str = ""


def code_guid(code: Code) -> str:
    """The guid a code is exported with: its own, or one derived from its id that never changes."""
    return code.guid or str(uuid.uuid5(GUID_NAMESPACE, f"code:{code.id}")).upper()


def canonical_guid(guid: str) -> str:
    """A guid without braces, in lowercase: how two spellings of one guid compare equal."""
    return guid.strip().strip("{}").lower()


def guid_ids(book: Codebook) -> dict[str, str]:
    """The project's code ids by canonical guid (stored or derived): how a file's codes find the codes they were."""
    return {canonical_guid(code_guid(code)): code.id for code in book.codes}


def codebook_to_qdc(book: Codebook, sets: Sequence[CodeSet] = (), *, origin: str = "workbench") -> bytes:
    """The codebook (and its sets) as a REFI-QDA Codebook 1.0 document (UTF-8 XML), codes nested and in codebook order."""
    if not book.codes:
        raise CodebookError("the codebook has no codes to export")
    root = etree.Element(f"{{{NAMESPACE}}}CodeBook", nsmap={None: NAMESPACE})
    set_attribute(root, "origin", origin, "the origin")
    write_codes(root, NAMESPACE, book)
    write_sets(root, NAMESPACE, book, sets, member_attribute="guid")
    etree.indent(root, space="  ")
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def write_codes(parent: _Element, namespace: str, book: Codebook) -> None:
    """Append ``<Codes>`` with every code nested in codebook order; refuse what the format cannot carry."""
    ns = f"{{{namespace}}}"
    codes_element = etree.SubElement(parent, f"{ns}Codes")
    elements: dict[str | None, _Element] = {None: codes_element}
    owners: dict[str, str] = {}
    for _depth, code in book.walk():
        guid = code_guid(code)
        if not GUID.fullmatch(guid):
            raise CodebookError(f"code {code.id!r}: guid {guid!r} is not a GUID")
        canonical = canonical_guid(guid)
        if canonical in owners:
            raise CodebookError(f"codes {owners[canonical]!r} and {code.id!r} have the same guid {guid}")
        owners[canonical] = code.id
        element = etree.SubElement(elements[code.parent_id], f"{ns}Code")
        set_attribute(element, "guid", guid, f"code {code.id!r}: the guid")
        set_attribute(element, "name", code.name, f"code {code.id!r}: the name")
        element.set("isCodable", "true" if code.codable else "false")
        if code.color:
            set_attribute(element, "color", code.color, f"code {code.id!r}: the colour")
        text = describe(code)
        if text:
            description = etree.SubElement(element, f"{ns}Description")
            try:
                description.text = text
            except ValueError:
                raise CodebookError(f"code {code.id!r}: the description or criteria hold characters XML cannot carry") from None
        elements[code.id] = element
    missing = [code for code in book.codes if code.id not in elements]
    if missing:
        raise CodebookError(f"code {missing[0].id!r}: parent {missing[0].parent_id!r} is not in the codebook")


def write_sets(parent: _Element, namespace: str, book: Codebook, sets: Sequence[CodeSet], *, member_attribute: str) -> None:
    """Append ``<Sets>`` with the stored code sets (none: nothing), members that are no longer codes left out."""
    if not sets:
        return
    ns = f"{{{namespace}}}"
    sets_element = etree.SubElement(parent, f"{ns}Sets")
    for code_set in sets:
        element = etree.SubElement(sets_element, f"{ns}Set")
        set_attribute(element, "guid", code_set.guid, f"code set {code_set.name!r}: the guid")
        set_attribute(element, "name", code_set.name, f"code set {code_set.name!r}: the name")
        if code_set.description:
            description = etree.SubElement(element, f"{ns}Description")
            try:
                description.text = code_set.description
            except ValueError:
                raise CodebookError(f"code set {code_set.name!r}: the description holds characters XML cannot carry") from None
        for code_id in code_set.code_ids:
            if code_id in book.by_id:
                etree.SubElement(element, f"{ns}MemberCode").set(member_attribute, code_guid(book.by_id[code_id]))


def read_qdc(data: bytes, source: str, known_guids: Mapping[str, str] | None = None) -> QdcCodebook:
    """Codes (parents before children) and sets of a REFI-QDA codebook; any problem raises a one-line CodebookError.

    `known_guids` (canonical guid → code id, see `guid_ids`) gives codes the project already has their ids back.
    """
    root = parse_xml(data, source, CodebookError)
    tag = etree.QName(root)
    if tag.localname != "CodeBook" or tag.namespace not in NAMESPACES:
        found = f"{tag.localname} in namespace {tag.namespace!r}" if tag.namespace else f"{tag.localname} without a namespace"
        raise CodebookError(f"{source}: not a REFI-QDA codebook (root element is {found}, expected CodeBook in {NAMESPACE!r})")
    namespace = str(tag.namespace)
    codes_element = root.find(f"{{{namespace}}}Codes")
    if codes_element is None:
        raise CodebookError(f"{source}: no codes (expected a Codes element under CodeBook)")
    codes = read_codes(codes_element, namespace, source, known_guids)
    if not codes:
        raise CodebookError(f"{source}: no codes (the Codes element is empty)")
    sets = read_sets(root.find(f"{{{namespace}}}Sets"), namespace, codes, source)
    return QdcCodebook(codes=tuple(codes), sets=sets, origin=root.get("origin") or "")


def qdc_to_codes(data: bytes, source: str, known_guids: Mapping[str, str] | None = None) -> list[Code]:
    """The codes of a REFI-QDA codebook, parents before children (see `read_qdc`)."""
    return list(read_qdc(data, source, known_guids).codes)


def read_codes(codes_element: _Element, namespace: str, source: str, known_guids: Mapping[str, str] | None = None) -> list[Code]:
    """The Code elements under a ``<Codes>`` as codes, parents before children, with ids given out (see the docstring)."""
    entries = list(_read_entries(codes_element, f"{{{namespace}}}", source))
    ids = _assign_ids(entries, known_guids or {})
    return [
        Code(
            id=ids[index], name=entry.name, parent_id=None if entry.parent is None else ids[entry.parent],
            description=entry.fields.description, dimension=entry.fields.dimension, color=entry.color,
            position=entry.position, include=entry.fields.include, exclude=entry.fields.exclude,
            examples=tuple(entry.fields.examples), keywords=tuple(entry.fields.keywords), guid=entry.guid,
            codable=entry.codable,
        )
        for index, entry in enumerate(entries)
    ]


def read_sets(sets_element: _Element | None, namespace: str, codes: Sequence[Code], source: str) -> tuple[CodeSet, ...]:
    """The code sets under a ``<Sets>`` with their members as code ids; members that are no codes of the file are left out."""
    if sets_element is None:
        return ()
    ns = f"{{{namespace}}}"
    by_guid = {canonical_guid(code.guid): code.id for code in codes if code.guid}
    sets: list[CodeSet] = []
    seen: set[str] = set()
    for element in sets_element.iterchildren(f"{ns}Set"):
        guid = (element.get("guid") or "").strip()
        name = element.get("name") or ""
        if not GUID.fullmatch(guid):
            raise CodebookError(f"{source}: line {element.sourceline}: set {name!r}: guid {guid!r} is not a GUID")
        if canonical_guid(guid) in seen:
            raise CodebookError(f"{source}: line {element.sourceline}: duplicate set guid {guid}")
        seen.add(canonical_guid(guid))
        description = element.find(f"{ns}Description")
        members: list[str] = []
        for member in element.iterchildren(f"{ns}MemberCode"):
            target = member.get("guid") or member.get("targetGUID") or ""
            code_id = by_guid.get(canonical_guid(target))
            if code_id is not None and code_id not in members:
                members.append(code_id)
        sets.append(CodeSet(guid=guid, name=name, description=_text_of(description), code_ids=tuple(members)))
    return tuple(sets)


def parse_xml(data: bytes, source: str, error: type[Exception]) -> _Element:
    """Parse untrusted XML: no entities, DTDs or network, bounded depth; a syntax error is one line naming the file."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root: _Element = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        problem = re.sub(r", line \d+, column \d+$", "", " ".join(str(exc.msg).split()))
        raise error(f"{source}: line {exc.lineno}: not valid XML ({problem})") from None
    return root


def set_attribute(element: _Element, attribute: str, value: str, what: str) -> None:
    """Set an XML attribute, or a CodebookError when the value holds characters XML cannot carry."""
    try:
        element.set(attribute, value)
    except ValueError:
        raise CodebookError(f"{what} holds characters XML cannot carry: {value!r}") from None


def slug(name: str) -> str:
    """A code id from a name: lowercase ASCII letters, digits and '-', accents folded ("één" → "een"), or "code"."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    if len(text) > MAX_SLUG_CHARS:
        cut = text.rfind("-", 0, MAX_SLUG_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_SLUG_CHARS].strip("-")
    return text or "code"


@dataclass
class DescriptionFields:
    """What a Description carries, split into our fields."""

    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    dimension: str | None = None
    id: str | None = None


def describe(code: Code) -> str:
    """The Description text of a code: its description, then the block of the other fields (see the module docstring)."""
    fields = DescriptionFields(description=code.description, include=code.include, exclude=code.exclude,
                               examples=list(code.examples), keywords=list(code.keywords), dimension=code.dimension)
    text = _join(code.description, _block(fields))
    if parse_description(text) != fields:
        # The description itself ends in what reads as a block: the Id line closes ours, so it is not misread.
        text = _join(code.description, _block(replace(fields, id=code.id)))
    return text


def parse_description(text: str) -> DescriptionFields:
    """Split a Description into our fields; text without a trailing block exactly in our form is all description."""
    head, separator, tail = text.rpartition("\n\n")
    if separator:
        fields = _parse_block(tail)
        if fields is not None:
            fields.description = head
            return fields
    fields = _parse_block(text)
    return fields if fields is not None else DescriptionFields(description=text)


def _join(description: str, block: str) -> str:
    if not block:
        return description
    return f"{description}\n\n{block}" if description else block


def _block(fields: DescriptionFields) -> str:
    lines = [f"Include: {_indent(fields.include)}"] if fields.include else []
    if fields.exclude:
        lines.append(f"Exclude: {_indent(fields.exclude)}")
    lines.extend(f"Example: {_indent(example)}" for example in fields.examples)
    if fields.keywords and all(k and k == k.strip() and "," not in k and "\n" not in k for k in fields.keywords):
        lines.append(f"Keywords: {', '.join(fields.keywords)}")
    else:
        lines.extend(f"Keyword: {_indent(keyword)}" for keyword in fields.keywords)
    if fields.dimension is not None:
        lines.append(f"Dimension: {_indent(fields.dimension)}")
    if fields.id is not None:
        lines.append(f"Id: {_indent(fields.id)}")
    return "\n".join(lines)


def _indent(value: str) -> str:
    return value.replace("\n", "\n" + _CONTINUATION)


def _parse_block(text: str) -> DescriptionFields | None:
    """The fields of a block, or None unless the text is a block exactly as `_block` writes it."""
    pairs: list[list[str]] = []
    for line in text.split("\n"):
        if pairs and line.startswith(_CONTINUATION):
            pairs[-1][1] += "\n" + line[len(_CONTINUATION):]
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            return None
        pairs.append([match.group(1), match.group(2)])
    fields = DescriptionFields()
    for key, value in pairs:
        if key == "Include":
            fields.include = value
        elif key == "Exclude":
            fields.exclude = value
        elif key == "Example":
            fields.examples.append(value)
        elif key == "Keywords":
            fields.keywords.extend(k.strip() for k in value.split(",") if k.strip())
        elif key == "Keyword":
            fields.keywords.append(value)
        elif key == "Dimension":
            fields.dimension = value
        else:
            fields.id = value
    # Only our own form counts: anything else typed in another tool stays the description, byte for byte.
    return fields if pairs and _block(fields) == text else None


def _text_of(element: _Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


@dataclass(frozen=True)
class _Entry:
    """One Code element as read, before ids are given out."""

    name: str
    guid: str | None
    color: str | None
    codable: bool
    parent: int | None
    position: int
    fields: DescriptionFields


def _read_entries(codes_element: _Element, ns: str, source: str) -> Iterator[_Entry]:
    """Code elements depth-first, parents before children, with their parent's index (iterative: no recursion limit)."""
    guids: dict[str, str] = {}
    index = 0
    stack: list[tuple[_Element, int | None, str | None, int, int]] = [
        (element, None, None, position, 1) for position, element in reversed(list(_child_codes(codes_element, ns)))
    ]
    while stack:
        element, parent, parent_name, position, depth = stack.pop()
        line = element.sourceline
        if depth > MAX_DEPTH:
            raise CodebookError(f"{source}: line {line}: a code under {parent_name!r} sits {depth} levels deep; "
                                f"codes nest at most {MAX_DEPTH} levels")
        name = element.get("name")
        if name is None or not name.strip():
            under = f"under {parent_name!r}" if parent_name is not None else "at the top"
            raise CodebookError(f"{source}: line {line}: a Code without a name ({under})")
        guid = element.get("guid")
        if guid is not None:
            guid = guid.strip()
            if not GUID.fullmatch(guid):
                raise CodebookError(f"{source}: line {line}: code {name!r}: guid {guid!r} is not a GUID")
            canonical = canonical_guid(guid)
            if canonical in guids:
                raise CodebookError(f"{source}: line {line}: duplicate guid {guid} (codes {guids[canonical]!r} and {name!r})")
            guids[canonical] = name
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        yield _Entry(name=name, guid=guid, color=_color(element.get("color")), codable=codable, parent=parent, position=position,
                     fields=parse_description(_text_of(element.find(f"{ns}Description"))))
        stack.extend((child, index, name, pos, depth + 1) for pos, child in reversed(list(_child_codes(element, ns))))
        index += 1


def _child_codes(element: _Element, ns: str) -> Iterator[tuple[int, _Element]]:
    return enumerate(element.iterchildren(f"{ns}Code"))


def _color(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if COLOR.fullmatch(value):
        return value
    if SHORT_COLOR.fullmatch(value):
        return "#" + "".join(digit * 2 for digit in value[1:])
    return None


def _assign_ids(entries: Sequence[_Entry], known_guids: Mapping[str, str]) -> list[str]:
    """Ids the project knows by guid first, then ids of an Id line (files of earlier versions), then unique slugs."""
    taken: set[str] = set()
    # A new code's slug never takes the id of a project code the file does not have: it is added, not mistaken for it.
    project_ids = set(known_guids.values())
    claimed: dict[int, str] = {}
    for index, entry in enumerate(entries):
        known = known_guids.get(canonical_guid(entry.guid)) if entry.guid else None
        if known is not None and known not in taken:
            taken.add(known)
            claimed[index] = known
    for index, entry in enumerate(entries):
        wanted = entry.fields.id
        if index not in claimed and wanted is not None and CODE_ID.fullmatch(wanted) and wanted not in taken | project_ids:
            taken.add(wanted)
            claimed[index] = wanted
    ids: list[str] = []
    for index, entry in enumerate(entries):
        if index in claimed:
            ids.append(claimed[index])
            continue
        base = slug(entry.name)
        candidate, counter = base, 1
        while candidate in taken or candidate in project_ids:
            counter += 1
            candidate = f"{base}-{counter}"
        taken.add(candidate)
        ids.append(candidate)
    return ids
