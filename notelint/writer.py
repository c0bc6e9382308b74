"""Writing a fixed note without ever leaving a partial file.

The new bytes go to a temporary file in the same folder, get the original's permissions,
are flushed to disk, and replace the original with `os.replace` (atomic on POSIX). The
write happens only if the file on disk is still exactly what was read; a symlinked note is
written through to its target so the link stays a link.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class WriteRefused(Exception):
    """The file was not written; the message says why (for a finding or an error line)."""


def atomic_write(path: Path, data: bytes, expected: bytes) -> None:
    target = Path(os.path.realpath(path))
    try:
        current = target.read_bytes()
    except OSError as exc:
        raise WriteRefused(f"cannot re-read the file before writing: {exc.strerror or exc}") from None
    if current != expected:
        raise WriteRefused("the file changed on disk while notelint was fixing it; left as it is")
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".notelint-tmp")
    except OSError as exc:
        raise WriteRefused(f"cannot write next to the file: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteRefused(f"cannot write the file: {exc.strerror or exc}") from None
        raise
