"""Writing a fixed note without ever leaving a partial file.

The new bytes go to a temporary file in the same folder, get the original's permissions,
are flushed to disk, and replace the original with `os.replace` (atomic on POSIX). The
write happens only if the file on disk is still exactly what was read; a symlinked note is
written through to its target so the link stays a link. Owner and group are kept where the
system allows it (root fixing a user's vault must not hand the notes to root).
"""

from __future__ import annotations

import os
import stat
import secrets
from pathlib import Path


TMP_SUFFIX = ".notelint-tmp"


class WriteRefused(Exception):
    """The file was not written; the message says why (for a finding or an error line)."""


class _NoTemporaryFile(OSError):
    """The temporary file could not be made next to the target (a read-only folder): the
    target itself was never touched, and the message says where the problem is."""


def atomic_write(path: Path, data: bytes, expected: bytes) -> None:
    target = Path(os.path.realpath(path))
    try:
        current = target.read_bytes()
    except OSError as exc:
        raise WriteRefused(f"cannot re-read the file before writing: {exc.strerror or exc}") from None
    if current != expected:
        raise WriteRefused("the file changed on disk while notelint was fixing it; left as it is")
    try:
        st = target.stat()
    except OSError as exc:
        raise WriteRefused(f"cannot write next to the file: {exc.strerror or exc}") from None
    if not st.st_mode & stat.S_IWUSR:
        raise WriteRefused("the file is read-only; left as it is")
    try:
        _replace(target, data, st)
    except _NoTemporaryFile as exc:
        raise WriteRefused(f"cannot write next to the file: {exc.strerror or exc}") from None
    except OSError as exc:
        raise WriteRefused(f"cannot write the file: {exc.strerror or exc}") from None


def replace_file(path: Path, data: bytes, durable: bool = True) -> None:
    """Write a file notelint owns (its cache, a report) the same atomic way, with the mode a
    new file gets (umask); OSError when it cannot. `durable=False` skips the fsync: a cache
    lost in a power cut is only rebuilt."""
    _replace(Path(path), data, None, durable)


def _replace(target: Path, data: bytes, st: os.stat_result | None, durable: bool = True) -> None:
    """Temporary file next to `target`, flushed to disk, given `st`'s mode and owner, then
    `os.replace`d over it. Nothing is left behind, whatever interrupts it."""
    tmp: Path | None = None
    try:
        for _ in range(100):
            # The name is chosen before the file exists, so an interrupt arriving at any
            # moment (even inside the call that creates it) knows which file to remove.
            # At most 40 characters of the name (160 bytes): a note named with 250 bytes
            # would otherwise give a temporary name over the 255-byte limit of file systems.
            tmp = target.parent / f".{target.name[:40]}.{secrets.token_hex(4)}{TMP_SUFFIX}"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
                break
            except FileExistsError:
                tmp = None  # someone else's file: never touch it
            except OSError as exc:
                tmp = None
                raise _NoTemporaryFile(exc.errno, exc.strerror) from None
        else:
            raise FileExistsError(f"no free temporary file name next to {target.name}")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if st is not None:
            _copy_ownership(str(tmp), st)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            _remove(tmp)
        raise


def _remove(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _copy_ownership(tmp: str, st: os.stat_result) -> None:
    """Give the temporary file the original's mode, and its owner and group when allowed."""
    if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except PermissionError:
            try:  # not root: keeping the group is still possible when we belong to it
                os.chown(tmp, -1, st.st_gid)
            except PermissionError:
                pass
    os.chmod(tmp, stat.S_IMODE(st.st_mode))  # after chown, which may clear set-id bits


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask
