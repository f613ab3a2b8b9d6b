"""Zip containers (.docx, .odt, .xlsx, .ods, .qdpx) opened without trusting them: every size checked before a byte is unpacked.

A zip states each member's packed and unpacked size in its central directory, and Python's zipfile never unpacks
more than the stated size (a member that lies fails its CRC check). So checking the stated sizes, their total
and the compression ratio before any member is read bounds what parsing the container can cost.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from workbench.errors import ImportError_, WorkbenchError

#: More members than any office document has; a longer central directory is refused before zipfile walks it.
MAX_MEMBERS = 100_000
#: The central directory (one record per member) is read whole when the zip is opened: its size is checked first.
MAX_DIRECTORY_BYTES = 32 * 1024**2
#: Text packs well, but not a thousandfold: a member that claims to is a zip bomb.
MAX_RATIO = 1000
#: Ratios are only judged above this size: a small member cannot blow up memory whatever its ratio.
_RATIO_FROM_BYTES = 1024**2
#: One part of an office document unpacked (document.xml, styles.xml, a sheet); parsed XML takes several times this.
MAX_MEMBER_BYTES = 64 * 1024**2
#: All parts of one office document together, unpacked (python-docx loads every part, images included).
MAX_TOTAL_BYTES = 256 * 1024**2
#: What opening a damaged zip or reading a damaged member raises: a bad header or CRC, broken deflate data, an
#: unknown method or version ("zip file version 14.5"), encryption.
MEMBER_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError,
                 RuntimeError, struct.error)


def megabytes(size: int) -> str:
    """A size as people read it: "380 MB", or "812 bytes" when small."""
    return f"{size / 1024**2:.0f} MB" if size >= 1024**2 else f"{size} bytes"


def check_directory(path: Path, handle: BinaryIO, error: type[WorkbenchError] = ImportError_, *,
                    max_members: int = MAX_MEMBERS, what: str = "a document") -> None:
    """Refuse a zip whose central directory claims more members or bytes than the limits, before zipfile reads it.

    Reads only the end-of-central-directory record (and its ZIP64 form), the last bytes of the file.
    """
    try:
        handle.seek(0, 2)
        size = handle.tell()
        tail_start = max(0, size - (22 + 65535 + 20))
        handle.seek(tail_start)
        tail = handle.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) - end < 22:
            return  # not a zip: zipfile says so in its own words
        members, directory_bytes = struct.unpack("<HL", tail[end + 10:end + 16])
        locator = end - 20
        if (members == 0xFFFF or directory_bytes == 0xFFFFFFFF) and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
            (record_offset,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
            handle.seek(record_offset)
            record = handle.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                members, directory_bytes = struct.unpack("<QQ", record[32:48])
    except (OSError, ValueError, OverflowError) as exc:  # a seek past any sane offset is a damaged file, not a crash
        raise error(f"{path}: cannot read ({getattr(exc, 'strerror', None) or type(exc).__name__})") from None
    finally:
        handle.seek(0)
    if members > max_members:
        raise error(f"{path}: the archive holds more than {max_members} files; not {what} this workbench reads")
    if directory_bytes > MAX_DIRECTORY_BYTES:
        raise error(f"{path}: the archive's directory is {megabytes(directory_bytes)}, more than {what} needs; not read")


def check_member(path: Path, info: zipfile.ZipInfo, limit: int, error: type[WorkbenchError] = ImportError_) -> None:
    """Refuse one member that unpacks to more than `limit` or packs suspiciously tightly (a zip bomb)."""
    if info.file_size > limit:
        raise error(f"{path}: {info.filename} inside unpacks to {megabytes(info.file_size)}, more than the {megabytes(limit)} limit")
    if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise error(f"{path}: {info.filename} inside unpacks {info.file_size // max(info.compress_size, 1)} times larger than "
                    "it is packed (a zip bomb?); not read")


def open_checked_zip(path: Path, data: bytes, file_kind: str, *, member_limit: int = MAX_MEMBER_BYTES,
                     total_limit: int = MAX_TOTAL_BYTES, member_limits: Mapping[str, int] | None = None,
                     not_a_zip: str | None = None) -> zipfile.ZipFile:
    """An office file's zip container, opened only after every member's size, their total and each ratio pass the limits.

    `file_kind` (".docx") names the format in the one-line error for a file that is no zip. `member_limits` gives
    members under a folder ("xl/worksheets/") their own limit, for parts that are streamed rather than read whole;
    `not_a_zip` replaces the message for a file that is no zip at all.
    """
    buffer = io.BytesIO(data)
    check_directory(path, buffer)
    try:
        archive = zipfile.ZipFile(buffer)
    except MEMBER_ERRORS:
        raise ImportError_(f"{path}: {not_a_zip or f'not a readable {file_kind} file (not a zip archive)'}") from None
    try:
        total = 0
        for info in archive.infolist():
            limit = next((own for prefix, own in (member_limits or {}).items() if info.filename.startswith(prefix)), member_limit)
            check_member(path, info, limit)
            total += info.file_size
            if total > total_limit:
                raise ImportError_(f"{path}: the {file_kind} file unpacks to more than the {megabytes(total_limit)} limit")
    except BaseException:
        archive.close()
        raise
    return archive



def read_member(path: Path, archive: zipfile.ZipFile, name: str, file_kind: str) -> bytes | None:
    """A member's bytes (sizes already checked by `open_checked_zip`), None when it is absent, one line when it is damaged."""
    if name not in archive.NameToInfo:
        return None
    try:
        return archive.read(name)
    except MEMBER_ERRORS as exc:
        reason = " ".join(str(exc).split())[:100] or type(exc).__name__
        raise ImportError_(f"{path}: not a readable {file_kind} file (damaged zip archive: {reason})") from None
