"""Reading a .qdpx (a zip) without trusting it: sizes checked before anything is read, every read bounded."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import ImportError_
from workbench.importers.archive_limits import MAX_RATIO, check_directory

#: A .qdpx larger than this on disk is refused before it is opened.
MAX_ARCHIVE_BYTES = 2 * 1024**3
#: More members than any real project has; a longer central directory is refused before it is walked twice.
MAX_MEMBERS = 100_000
#: project.qde (texts may be inline) and one source's plain text, unpacked.
MAX_PROJECT_BYTES = 256 * 1024**2
MAX_SOURCE_BYTES = 50 * 1024**2
#: Everything read from one archive, unpacked.
MAX_TOTAL_BYTES = 1024**3


@dataclass
class Archive:
    """An open .qdpx: members are read by name, each within its limit, all together within MAX_TOTAL_BYTES."""

    path: Path
    zip: zipfile.ZipFile
    read_so_far: int = 0

    def names(self) -> set[str]:
        """Every member name in the archive."""
        return {info.filename for info in self.zip.infolist()}

    def read(self, name: str, limit: int, what: str) -> bytes:
        """One member's bytes; refused (one line) when missing, too large, packed suspiciously tightly or unreadable."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise ImportError_(f"{self.path}: {what} is missing from the archive ({name})") from None
        if info.file_size > limit:
            raise ImportError_(f"{self.path}: {what} is {_megabytes(info.file_size)} unpacked, more than the {_megabytes(limit)} limit")
        if info.compress_size and info.file_size > 1024**2 and info.file_size / info.compress_size > MAX_RATIO:
            raise ImportError_(f"{self.path}: {what} unpacks {info.file_size // info.compress_size} times larger than it is packed "
                               "(a zip bomb?); not imported")
        remaining = MAX_TOTAL_BYTES - self.read_so_far
        try:
            with self.zip.open(info) as member:
                # Read one byte past the limit: the sizes in the directory may lie, what is actually read cannot.
                data = member.read(min(limit, remaining) + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise ImportError_(f"{self.path}: {what} cannot be unpacked ({_one_line(exc)})") from None
        if len(data) > limit:
            raise ImportError_(f"{self.path}: {what} is larger unpacked than the {_megabytes(limit)} limit")
        if len(data) > remaining:
            raise ImportError_(f"{self.path}: the archive unpacks to more than the {_megabytes(MAX_TOTAL_BYTES)} limit")
        self.read_so_far += len(data)
        return data

    def close(self) -> None:
        """Close the zip file."""
        self.zip.close()


def open_archive(path: Path) -> Archive:
    """Open a .qdpx for reading after checking its size and its directory; any problem is one ImportError_ line."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportError_(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None
    if size > MAX_ARCHIVE_BYTES:
        raise ImportError_(f"{path}: file is {_megabytes(size)}, larger than the {_megabytes(MAX_ARCHIVE_BYTES)} limit for a project")
    _check_directory(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError):  # a damaged directory, as zipfile reports it
        raise ImportError_(f"{path}: not a REFI-QDA project (a .qdpx is a zip archive, this file is not one)") from None
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None
    if len(archive.infolist()) > MAX_MEMBERS:
        archive.close()
        raise ImportError_(f"{path}: the archive holds more than {MAX_MEMBERS} files; not a project this workbench reads")
    return Archive(path, archive)


def _check_directory(path: Path) -> None:
    """Refuse an archive whose central directory claims more members or bytes than the limits, before zipfile reads it."""
    try:
        with path.open("rb") as file:
            check_directory(path, file, max_members=MAX_MEMBERS, what="a project")
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:.0f} MB" if size >= 1024**2 else f"{size} bytes"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
