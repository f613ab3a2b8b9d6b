"""Reading a user's file without trusting it: regular files only, and never more bytes than a stated limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from workbench.errors import WorkbenchError


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size} bytes"


def check_regular_file(path: Path, error: type[WorkbenchError]) -> os.stat_result:
    """The file's status, or `error` when it is missing, a folder, or no regular file (a device, a pipe, a socket)."""
    try:
        status = path.stat()  # follows a symlink: what counts is what would be read
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(status.st_mode):
        raise error(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(status.st_mode):
        # /dev/zero or a named pipe reports size 0 and never ends: refused before it is opened.
        raise error(f"{path}: not a regular file (a device, pipe or socket); only files can be read")
    return status


def read_capped(path: Path, limit: int, error: type[WorkbenchError], what: str) -> bytes:
    """A regular file's bytes, refused with `error` when it holds more than `limit` bytes; `what` names it in the message.

    The limit applies to the bytes actually read, not to what `stat` says: a file that grows while it is read,
    or a file system that reports no size, cannot make the read unbounded.
    """
    size = check_regular_file(path, error).st_size
    if size > limit:
        raise error(f"{path}: file is {_megabytes(size)}, larger than the {_megabytes(limit)} limit for {what}")
    try:
        # O_NONBLOCK: should the path have been swapped for a pipe since the check, opening it does not hang.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise error(f"{path}: not a regular file (a device, pipe or socket); only files can be read")
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise error(f"{path}: file is larger than the {_megabytes(limit)} limit for {what}")
    return data
