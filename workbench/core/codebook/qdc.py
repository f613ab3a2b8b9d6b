"""REFI-QDA Codebook 1.0 (.qdc) exchange with ATLAS.ti, MAXQDA, NVivo and QualCoder.

What goes where
---------------
``<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="workbench">`` holds ``<Codes>``, one ``<Code>`` per code nested as
in the tree and in codebook order, then ``<Sets>``, one ``<Set>`` per dimension.

* ``guid``: the code's own guid when it has one, else ``uuid5(GUID_NAMESPACE, "code:" + id)`` in uppercase, so the same
  codebook always exports the same guids and a renamed code keeps its guid. Import keeps the guid the file carries, so
  from then on it is the code's identity (even if the code's id changes later).
* ``name`` and ``color`` are the attributes of the same name; ``isCodable`` is always ``true`` (our dimensions and themes
  are codable too).
* ``<Description>``: the standard has no fields for include/exclude criteria, examples, keywords, our dimension or our
  id, so they follow the description as its last paragraph, after a blank line, one ``Key: value`` line each::

      <the description, any text>

      Include: <include criteria>
      Exclude: <exclude criteria>
      Example: <first example>
      Example: <second example>
      Keywords: a, b, c
      Dimension: <dimension>
      Id: <code id>

  Lines of empty fields are left out, but ``Id:`` is always written, so the last paragraph of what we export is always
  this block and the description before it comes back exactly, whatever it holds. A value's own line breaks continue
  on lines indented by two spaces. Keywords that cannot be joined with ", " (empty, or holding a comma, a line break or
  surrounding spaces) are written as one ``Keyword: x`` line each instead.
* Import reads the block back when a Description's last paragraph (or its whole text) consists of such lines only;
  otherwise the whole text is the description. A code's id is its ``Id:`` line when that is a valid, not yet used code
  id, else a slug of its name ("Één ding" → "een-ding", at most 48 characters) made unique with "-2", "-3"... Positions
  are renumbered 0, 1, 2... among siblings. A Code without a guid gets none (export derives one); colours ``#abc`` are
  widened to ``#aabbcc`` and other colours the store cannot hold are dropped.
* ``<Sets>``: for tools without a code tree (ATLAS.ti shows them as code groups): one Set per dimension root (the
  code ``Codebook.dimension_of`` takes the dimension from: the nearest code with an explicit dimension, else the tree's
  root), named after that code and listing every code below it that shares its dimension as
  ``<MemberCode guid=".."/>`` (Codebook.xsd's attribute; the project format's ``targetGUID`` is not used here). Import
  ignores Sets: the tree and the Dimension lines carry the same information.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree  # type: ignore[import-untyped]

from workbench.core.codebook.tree import CODE_ID, COLOR, Codebook
from workbench.core.model import Code
from workbench.errors import CodebookError

if TYPE_CHECKING:
    from lxml.etree import _Element  # type: ignore[import-untyped]

NAMESPACE = "urn:QDA-XML:codebook:1.0"
#: Fixed namespace of the guids derived from code ids; changing it would change every exported guid.
GUID_NAMESPACE = uuid.UUID("6f0b6b0e-3c1d-5b7a-9a51-8f4e2c7d1a90")
#: Codebook.xsd's GUIDType, plain or in braces, either case (use with fullmatch).
GUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|\{[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}")
SHORT_COLOR = re.compile(r"#[0-9a-fA-F]{3}")
#: Slugs of long names (whole sentences) are cut at a word boundary near this length.
MAX_SLUG_CHARS = 48

_NS = f"{{{NAMESPACE}}}"
_KEY_LINE = re.compile(r"^(Include|Exclude|Example|Keywords|Keyword|Dimension|Id):(?: |$)(.*)$", re.DOTALL)
_CONTINUATION = "  "
#: Letters NFKD does not take apart into an ASCII letter and accents.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})


def code_guid(code: Code) -> str:
    """The guid a code is exported with: its own, or one derived from its id that never changes."""
    return code.guid or str(uuid.uuid5(GUID_NAMESPACE, f"code:{code.id}")).upper()


def codebook_to_qdc(book: Codebook, *, origin: str = "workbench") -> bytes:
    """The codebook as a REFI-QDA Codebook 1.0 document (UTF-8 XML), codes nested and in codebook order."""
    if not book.codes:
        raise CodebookError("the codebook has no codes to export")
    root = etree.Element(f"{_NS}CodeBook", nsmap={None: NAMESPACE})
    _set(root, "origin", origin, "the origin")
    codes_element = etree.SubElement(root, f"{_NS}Codes")
    elements: dict[str | None, _Element] = {None: codes_element}
    owners: dict[str, str] = {}
    for _depth, code in book.walk():
        guid = code_guid(code)
        if not GUID.fullmatch(guid):
            raise CodebookError(f"code {code.id!r}: guid {guid!r} is not a GUID")
        canonical = _canonical_guid(guid)
        if canonical in owners:
            raise CodebookError(f"codes {owners[canonical]!r} and {code.id!r} have the same guid {guid}")
        owners[canonical] = code.id
        element = etree.SubElement(elements[code.parent_id], f"{_NS}Code")
        _set(element, "guid", guid, f"code {code.id!r}: the guid")
        _set(element, "name", code.name, f"code {code.id!r}: the name")
        element.set("isCodable", "true")
        if code.color:
            _set(element, "color", code.color, f"code {code.id!r}: the colour")
        description = etree.SubElement(element, f"{_NS}Description")
        try:
            description.text = describe(code)
        except ValueError:
            raise CodebookError(f"code {code.id!r}: the description or criteria hold characters XML cannot carry") from None
        elements[code.id] = element
    missing = [code for code in book.codes if code.id not in elements]
    if missing:
        raise CodebookError(f"code {missing[0].id!r}: parent {missing[0].parent_id!r} is not in the codebook")
    _write_sets(root, book)
    etree.indent(root, space="  ")
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def qdc_to_codes(data: bytes, source: str) -> list[Code]:
    """Codes from a REFI-QDA codebook, parents before children; any problem raises a one-line CodebookError."""
    root = _parse(data, source)
    codes_element = root.find(f"{_NS}Codes")
    if codes_element is None:
        raise CodebookError(f"{source}: no codes (expected a Codes element under CodeBook)")
    entries = list(_read_entries(codes_element, source))
    if not entries:
        raise CodebookError(f"{source}: no codes (the Codes element is empty)")
    ids = _assign_ids(entries)
    return [
        Code(
            id=ids[index], name=entry.name, parent_id=None if entry.parent is None else ids[entry.parent],
            description=entry.fields.description, dimension=entry.fields.dimension, color=entry.color,
            position=entry.position, include=entry.fields.include, exclude=entry.fields.exclude,
            examples=tuple(entry.fields.examples), keywords=tuple(entry.fields.keywords), guid=entry.guid,
        )
        for index, entry in enumerate(entries)
    ]


def slug(name: str) -> str:
    """A code id from a name: lowercase ASCII letters, digits and '-', accents folded ("één" → "een"), or "code"."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    if len(text) > MAX_SLUG_CHARS:
        cut = text.rfind("-", 0, MAX_SLUG_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_SLUG_CHARS].strip("-")
    return text or "code"


def describe(code: Code) -> str:
    """The Description text of a code: its description, then the block of the other fields (see the module docstring)."""
    lines = [f"Include: {_indent(code.include)}"] if code.include else []
    if code.exclude:
        lines.append(f"Exclude: {_indent(code.exclude)}")
    lines.extend(f"Example: {_indent(example)}" for example in code.examples)
    if code.keywords and all(k and k == k.strip() and "," not in k and "\n" not in k for k in code.keywords):
        lines.append(f"Keywords: {', '.join(code.keywords)}")
    else:
        lines.extend(f"Keyword: {_indent(keyword)}" for keyword in code.keywords)
    if code.dimension is not None:
        lines.append(f"Dimension: {_indent(code.dimension)}")
    lines.append(f"Id: {_indent(code.id)}")
    block = "\n".join(lines)
    return f"{code.description}\n\n{block}" if code.description else block


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


def parse_description(text: str) -> DescriptionFields:
    """Split a Description into our fields; text without a trailing block is all description."""
    head, separator, tail = text.rpartition("\n\n")
    if separator:
        fields = _parse_block(tail)
        if fields is not None:
            fields.description = head
            return fields
    fields = _parse_block(text)
    return fields if fields is not None else DescriptionFields(description=text)


def _indent(value: str) -> str:
    return value.replace("\n", "\n" + _CONTINUATION)


def _parse_block(text: str) -> DescriptionFields | None:
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
    return fields


def _set(element: _Element, attribute: str, value: str, what: str) -> None:
    try:
        element.set(attribute, value)
    except ValueError:
        raise CodebookError(f"{what} holds characters XML cannot carry: {value!r}") from None


def _canonical_guid(guid: str) -> str:
    return guid.strip("{}").lower()


def _write_sets(root: _Element, book: Codebook) -> None:
    members: dict[str, list[Code]] = {}
    for _depth, code in book.walk():
        owner = _dimension_root(book, code)
        if owner.id != code.id:
            members.setdefault(owner.id, []).append(code)
    if not members:
        return
    sets_element = etree.SubElement(root, f"{_NS}Sets")
    for owner_id, codes in members.items():
        set_element = etree.SubElement(sets_element, f"{_NS}Set")
        set_element.set("guid", str(uuid.uuid5(GUID_NAMESPACE, f"set:{owner_id}")).upper())
        _set(set_element, "name", book.by_id[owner_id].name, f"code {owner_id!r}: the name")
        for code in codes:
            etree.SubElement(set_element, f"{_NS}MemberCode").set("guid", code_guid(code))


def _dimension_root(book: Codebook, code: Code) -> Code:
    """The code that gives `code` its dimension (as `Codebook.dimension_of` finds it): nearest explicit one, else the root."""
    chain = [code, *reversed(book.ancestors(code.id))]
    return next((node for node in chain if node.dimension), chain[-1])


def _parse(data: bytes, source: str) -> _Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root: _Element = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        problem = re.sub(r", line \d+, column \d+$", "", " ".join(str(exc.msg).split()))
        raise CodebookError(f"{source}: line {exc.lineno}: not valid XML ({problem})") from None
    tag = etree.QName(root)
    if tag.localname != "CodeBook" or tag.namespace != NAMESPACE:
        found = f"{tag.localname} in namespace {tag.namespace!r}" if tag.namespace else f"{tag.localname} without a namespace"
        raise CodebookError(f"{source}: not a REFI-QDA codebook (root element is {found}, expected CodeBook in {NAMESPACE!r})")
    return root


@dataclass(frozen=True)
class _Entry:
    """One Code element as read, before ids are given out."""

    name: str
    guid: str | None
    color: str | None
    parent: int | None
    position: int
    fields: DescriptionFields


def _read_entries(codes_element: _Element, source: str) -> Iterator[_Entry]:
    """Code elements depth-first, parents before children, with their parent's index (iterative: no recursion limit)."""
    guids: dict[str, str] = {}
    index = 0
    stack: list[tuple[_Element, int | None, str | None, int]] = [
        (element, None, None, position) for position, element in reversed(list(_child_codes(codes_element)))
    ]
    while stack:
        element, parent, parent_name, position = stack.pop()
        line = element.sourceline
        name = element.get("name")
        if name is None or not name.strip():
            under = f"under {parent_name!r}" if parent_name is not None else "at the top"
            raise CodebookError(f"{source}: line {line}: a Code without a name ({under})")
        guid = element.get("guid")
        if guid is not None:
            guid = guid.strip()
            if not GUID.fullmatch(guid):
                raise CodebookError(f"{source}: line {line}: code {name!r}: guid {guid!r} is not a GUID")
            canonical = _canonical_guid(guid)
            if canonical in guids:
                raise CodebookError(f"{source}: line {line}: duplicate guid {guid} (codes {guids[canonical]!r} and {name!r})")
            guids[canonical] = name
        description = element.find(f"{_NS}Description")
        text = "".join(description.itertext()) if description is not None else ""
        yield _Entry(name=name, guid=guid, color=_color(element.get("color")), parent=parent, position=position,
                     fields=parse_description(text))
        stack.extend((child, index, name, pos) for pos, child in reversed(list(_child_codes(element))))
        index += 1


def _child_codes(element: _Element) -> Iterator[tuple[int, _Element]]:
    return enumerate(element.iterchildren(f"{_NS}Code"))


def _color(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if COLOR.fullmatch(value):
        return value
    if SHORT_COLOR.fullmatch(value):
        return "#" + "".join(digit * 2 for digit in value[1:])
    return None


def _assign_ids(entries: Sequence[_Entry]) -> list[str]:
    """Round-tripped ids first (the first code claiming one keeps it), then unique slugs for the rest."""
    taken: set[str] = set()
    claimed: dict[int, str] = {}
    for index, entry in enumerate(entries):
        wanted = entry.fields.id
        if wanted is not None and CODE_ID.fullmatch(wanted) and wanted not in taken:
            taken.add(wanted)
            claimed[index] = wanted
    ids: list[str] = []
    for index, entry in enumerate(entries):
        if index in claimed:
            ids.append(claimed[index])
            continue
        base = slug(entry.name)
        candidate, counter = base, 1
        while candidate in taken:
            counter += 1
            candidate = f"{base}-{counter}"
        taken.add(candidate)
        ids.append(candidate)
    return ids
