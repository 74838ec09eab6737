"""Writing a user's file so a failure never leaves it half-written.

A report written with ``-o`` over last week's good one, a chat transcript, a skill zip: each is written to a
temporary file beside the target and moved over it only once complete. A full disk, a killed process or a
size limit leaves the previous file as it was (and no temporary file behind). The target is replaced, not
written through: a symlink at the target is replaced by the file, never followed to wherever it points.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` all at once: the old content stays until the new is whole.

    A new file gets the usual permissions (0666 less the umask); a replaced one keeps its own.

    Raises:
        OSError: The directory is not writable, the disk is full, ``path`` is a directory, ...; ``path`` is
            then unchanged.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        old = path.lstat()
    except FileNotFoundError:
        old = None
    if old is not None and stat.S_ISDIR(old.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if old is not None and not stat.S_ISREG(old.st_mode) and not stat.S_ISLNK(old.st_mode):
        # /dev/null, a FIFO, a terminal: there is nothing to keep, and replacing a device node would be wrong
        with path.open("wb") as handle:
            handle.write(payload)
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(old.st_mode) if old is not None and stat.S_ISREG(old.st_mode) else _default_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
