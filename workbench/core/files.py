"""Writing the files a project produces (exports, dumps, the linked codebook) atomically, with one-line errors."""

from __future__ import annotations

import os
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


def reason_of(exc: OSError) -> str:
    """What went wrong, as the operating system says it ("Permission denied"), without the errno and file name."""
    return exc.strerror or str(exc)


def os_error_line(exc: OSError) -> str:
    """An operating-system error as one line that names the file and the problem, as every WorkbenchError reads."""
    if exc.filename is None:
        return reason_of(exc)
    also = f" ({exc.filename2})" if exc.filename2 is not None else ""
    return f"{exc.filename}: {reason_of(exc)}{also}"


def write_atomically(path: Path, write: Callable[[Path], object], what: str) -> Path:
    """Let `write` fill a temporary file beside `path`, then move it into place; return the path written.

    A failure never leaves half a file: the old file (or none) stays until the new one is complete. `what` names
    the content in errors ("the codebook"). A symbolic link is written through, so it stays a link.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    if not folder.is_dir():
        reason = f"folder {folder} does not exist" if not folder.exists() else f"{folder} is not a folder"
        raise WriteError(path, reason)
    if target.is_dir():
        raise WriteError(path, f"is a folder; give a file name for {what}")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise WriteError(path, f"cannot write {what} in {folder} ({reason_of(exc)})") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        # mkstemp makes the file private (0600); a written file should be as readable as any file the user saves.
        os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temp, target)
    except OSError as exc:
        raise WriteError(path, f"cannot write {what} ({reason_of(exc)})") from None
    finally:
        temp.unlink(missing_ok=True)
    return path


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

