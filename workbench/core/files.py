"""Writing the files a project produces (exports, dumps, the linked codebook) atomically, with one-line errors."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from workbench.errors import WorkbenchError

#: The folder inside a project where the terminal UI suggests writing exports.
EXPORTS_FOLDER = "exports"


class WriteError(WorkbenchError):
    """A file cannot be written: its folder is missing, it is a folder, the disk is full, permission is denied."""

    title = "File"

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ExistingFileError(WriteError):
    """The file is there already and the user did not say to replace it (`--force`; the terminal UI asks)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "already exists; not replaced")


def reason_of(exc: OSError) -> str:
    """What went wrong, as the operating system says it ("Permission denied"), without the errno and file name."""
    return exc.strerror or str(exc)


def os_error_line(exc: OSError) -> str:
    """An operating-system error as one line that names the file and the problem, as every WorkbenchError reads."""
    if exc.filename is None:
        return reason_of(exc)
    also = f" ({exc.filename2})" if exc.filename2 is not None else ""
    return f"{exc.filename}: {reason_of(exc)}{also}"


def _refusal(path: Path, what: str, *, replace: bool) -> WriteError | None:
    """Why `path` must not be written, or None: a link, a device, a folder, a missing folder, an existing file."""
    try:
        mode: int | None = os.lstat(path).st_mode
    except OSError:
        mode = None  # missing, or under a file ("notes.txt/out.csv"): the folder check below names the problem
    if mode is not None:
        if stat.S_ISLNK(mode):
            return WriteError(path, f"is a symbolic link; {what} is not written through it (give another name)")
        if stat.S_ISDIR(mode):
            return WriteError(path, f"is a folder; give a file name for {what}")
        if not stat.S_ISREG(mode):
            return WriteError(path, f"is not a regular file (a device, pipe or socket); {what} is not written to it")
        if not replace:
            return ExistingFileError(path)
    folder = path.parent
    if not folder.is_dir():
        return WriteError(path, f"folder {folder} does not exist" if not folder.exists() else f"{folder} is not a folder")
    return None


def check_target(path: Path, what: str, *, replace: bool = False) -> None:
    """Raise the WriteError that writing `path` would raise before any byte is written (see `write_atomically`)."""
    refusal = _refusal(path, what, replace=replace)
    if refusal is not None:
        raise refusal


def is_replaceable(path: Path) -> bool:
    """True when `path` is an existing regular file (not a link): writing there replaces it, so a front end asks first."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def write_atomically(path: Path, write: Callable[[Path], object], what: str, *, replace: bool = False) -> Path:
    """Let `write` fill a temporary file beside `path`, flush it to disk, then move it into place; return the path written.

    A failure (a full disk, a dead share) never leaves half a file: the old file (or none) stays until the new one
    is complete and on disk. An existing file is replaced only with `replace`; a symbolic link, a device or another
    file that is not a regular one is never written through. `what` names the content in errors ("the codebook").
    """
    check_target(path, what, replace=replace)
    folder = path.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise WriteError(path, f"cannot write {what} in {folder} ({reason_of(exc)})") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        _flush_to_disk(temp)
        # mkstemp makes the file private (0600); a written file should be as readable as any file the user saves.
        os.chmod(temp, os.lstat(path).st_mode & 0o777 if replace and is_replaceable(path) else 0o644)
        if replace:
            os.replace(temp, path)
        else:
            _link_new(temp, path)
        _flush_folder(folder)
    except OSError as exc:
        raise WriteError(path, f"cannot write {what} ({reason_of(exc)})") from None
    finally:
        temp.unlink(missing_ok=True)
    return path


def _flush_to_disk(path: Path) -> None:
    """fsync: a full disk or a failing share says so here, before the old file is replaced, not later."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _flush_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot fsync a folder, and the file is in place by now."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _link_new(temp: Path, path: Path) -> None:
    """Put `temp` at `path` only if nothing is there: a file another program made meanwhile is not replaced either."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise ExistingFileError(path) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        # A file system without hard links (FAT on a USB stick, some shares): check again and rename.
        if os.path.lexists(path):
            raise ExistingFileError(path) from None
        os.replace(temp, path)


def make_folder(folder: Path) -> Path:
    """Create `folder` if it is missing (only the last part: a typo higher up is an error, not a new tree)."""
    try:
        folder.mkdir(exist_ok=True)
    except FileNotFoundError:
        raise WriteError(folder, f"folder {folder.parent} does not exist") from None
    except FileExistsError:
        raise WriteError(folder, "is a file, not a folder") from None
    except OSError as exc:
        raise WriteError(folder, f"cannot create the folder ({reason_of(exc)})") from None
    return folder


def exports_folder(project_dir: Path) -> Path:
    """The project's `exports/` folder, created on first use: where an export goes unless the user says otherwise."""
    return make_folder(project_dir / EXPORTS_FOLDER)

