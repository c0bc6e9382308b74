"""Writing fixed notes: `notelint.writer.atomic_write` directly, and the `fix` path through the CLI.

A write keeps the file's mode, refuses a file that changed on disk since it was read, writes
through a symlink to its target, leaves no temporary file behind, and turns every OS error into
one line of output (exit 2), never a traceback. Interrupting `fix` leaves each note either as
it was or fully fixed.
"""

import errno
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import NOT_UNDER_MUTATION, run_cli
from notelint import cli, engine
from notelint.writer import WriteRefused, atomic_write, replace_file

DIRTY = "# Note\n\ntext with a trailing tab\t\n\n\n\nlast line"
FIXED = "# Note\n\ntext with a trailing tab\n\nlast line\n"
TMP_SUFFIX = ".notelint-tmp"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def needs_non_root(test):
    """A test of file permissions, which root ignores: it skips as root, and `.ci/permission-tests`
    (marker `permissions`) runs it again as an unprivileged user when CI runs as root."""
    return pytest.mark.permissions(pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")(test))


def make_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def listing(folder: Path) -> set[str]:
    """Every entry under `folder`, hidden ones included (temporary files start with a dot),
    except the results cache, which any run may write (spec: "writes nothing except its cache")."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if ".notelint_cache" not in p.parts}


def temp_files(folder: Path) -> list[str]:
    return sorted(name for name in listing(folder) if name.endswith(TMP_SUFFIX))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# --------------------------------------------------------------------------- atomic_write itself


@pytest.mark.parametrize("perm", [0o640, 0o600, 0o755, 0o604])
def test_atomic_write_replaces_the_bytes_and_keeps_the_mode(tmp_path, perm):
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")
    path.chmod(perm)
    before = listing(tmp_path)
    atomic_write(path, b"new\n", b"old \n")
    assert path.read_bytes() == b"new\n"
    assert mode(path) == perm
    assert listing(tmp_path) == before, "a temporary file was left behind"


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "note.md"
    path.write_bytes(b"what another program saved\n")
    before = listing(tmp_path)
    with pytest.raises(WriteRefused, match="changed on disk"):
        atomic_write(path, b"the fixed text\n", b"what notelint read \n")
    assert path.read_bytes() == b"what another program saved\n"
    assert listing(tmp_path) == before


def test_atomic_write_refuses_a_file_deleted_since_it_was_read(tmp_path):
    path = tmp_path / "note.md"
    with pytest.raises(WriteRefused, match="cannot re-read"):
        atomic_write(path, b"fixed\n", b"read \n")
    assert listing(tmp_path) == set(), "the deleted note must not be recreated"


def test_atomic_write_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "target.md"
    target.write_bytes(b"text \n")
    target.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(Path("real") / "target.md")
    before = listing(tmp_path)
    atomic_write(link, b"text\n", b"text \n")
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "target.md")
    assert target.read_bytes() == b"text\n" and mode(target) == 0o640
    assert listing(tmp_path) == before, "a temporary file was left beside the link or the target"


@needs_non_root
def test_atomic_write_in_a_read_only_folder_is_refused_cleanly(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "note.md"
    path.write_bytes(b"text \n")
    folder.chmod(0o555)
    try:
        with pytest.raises(WriteRefused, match="cannot write next to the file: Permission denied"):
            atomic_write(path, b"text\n", b"text \n")
        assert path.read_bytes() == b"text \n"
        assert listing(folder) == {"note.md"}
    finally:
        folder.chmod(0o755)


# --------------------------------------------------------------------------- how the write is made


def record_fsyncs(monkeypatch, folder: Path, note: Path | None = None) -> list[dict]:
    """Every `os.fsync` of a file in `folder`, with what that file held and its mode at that
    moment (and the note's bytes then, when `note` is given)."""
    seen = []
    real_fsync = os.fsync

    def fsync(fd):
        info = os.fstat(fd)
        flushed = [p for p in folder.iterdir() if p.lstat().st_ino == info.st_ino]
        assert len(flushed) == 1, flushed
        seen.append({"bytes": flushed[0].read_bytes(), "mode": stat.S_IMODE(info.st_mode),
                     "note": note.read_bytes() if note is not None else None})
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return seen


def test_atomic_write_flushes_the_new_bytes_to_disk_before_replacing_the_note(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")
    fsyncs = record_fsyncs(monkeypatch, tmp_path, note=path)
    atomic_write(path, b"new\n", b"old \n")
    assert [(f["bytes"], f["note"]) for f in fsyncs] == [(b"new\n", b"old \n")]
    assert path.read_bytes() == b"new\n"


@pytest.mark.parametrize("perm", [0o644, 0o666])
def test_the_temporary_file_is_private_until_it_gets_the_notes_mode(tmp_path, monkeypatch, perm):
    """While the new text is being written, no other user can open the temporary file, whatever
    the umask or the note's own mode; the note's mode is given only once the bytes are complete."""
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")
    path.chmod(perm)
    fsyncs = record_fsyncs(monkeypatch, tmp_path)
    old_umask = os.umask(0)
    try:
        atomic_write(path, b"new\n", b"old \n")
    finally:
        os.umask(old_umask)
    assert [f["mode"] for f in fsyncs] == [0o600]
    assert mode(path) == perm


@pytest.mark.parametrize("durable, fsynced", [({}, 1), ({"durable": True}, 1), ({"durable": False}, 0)])
def test_replace_file_fsyncs_unless_told_the_file_need_not_be_durable(tmp_path, monkeypatch, durable, fsynced):
    path = tmp_path / "report.txt"
    fsyncs = record_fsyncs(monkeypatch, tmp_path)
    replace_file(path, b"report\n", **durable)
    assert path.read_bytes() == b"report\n"
    assert [f["bytes"] for f in fsyncs] == [b"report\n"] * fsynced
    assert listing(tmp_path) == {"report.txt"}


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)])
def test_replace_file_gives_the_mode_a_new_file_gets_under_the_umask(tmp_path, umask, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(b"old\n")
    path.chmod(0o600 if expected != 0o600 else 0o644)  # the old file's mode is not kept
    old_umask = os.umask(umask)
    try:
        replace_file(path, b"new\n")
        replace_file(tmp_path / "fresh.txt", b"fresh\n")
        assert os.umask(umask) == umask, "reading the umask changed it"
    finally:
        os.umask(old_umask)
    assert path.read_bytes() == b"new\n" and mode(path) == expected
    assert mode(tmp_path / "fresh.txt") == expected


@pytest.mark.parametrize("group_allowed", [True, False])
def test_atomic_write_as_a_user_who_cannot_keep_the_owner_still_keeps_the_group(tmp_path, monkeypatch, group_allowed):
    """As a non-root user fixing a note owned by someone else: giving the file away is refused
    (EPERM), so the group alone is kept, which a member of the group may do; when even that is
    refused the note is still written, with its mode."""
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")
    path.chmod(0o664)
    owner, group = path.stat().st_uid, path.stat().st_gid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)  # this process is another user
    calls = []
    real_chown = os.chown

    def chown(target, uid, gid):
        calls.append((target, uid, gid))
        if uid != -1 or not group_allowed:
            raise PermissionError(1, "Operation not permitted")
        real_chown(target, uid, gid)

    monkeypatch.setattr(os, "chown", chown)
    atomic_write(path, b"new\n", b"old \n")
    assert path.read_bytes() == b"new\n"
    assert mode(path) == 0o664 and path.stat().st_gid == group
    assert [(uid, gid) for _, uid, gid in calls] == [(owner, group), (-1, group)]
    temporary = {str(target) for target, _, _ in calls}
    assert len(temporary) == 1 and temporary.pop().endswith(TMP_SUFFIX), calls
    assert listing(tmp_path) == {"note.md"}


def test_atomic_write_that_cannot_replace_the_note_removes_its_temporary_file_and_says_why(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")

    def replace(src, dst):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(WriteRefused) as refused:
        atomic_write(path, b"new\n", b"old \n")
    assert str(refused.value) == "cannot write the file: Input/output error"
    assert path.read_bytes() == b"old \n"
    assert listing(tmp_path) == {"note.md"}, "the temporary file was left behind"


def test_atomic_write_interrupted_while_flushing_removes_its_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")

    def fsync(fd):
        assert temp_files(tmp_path) != []
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, b"new\n", b"old \n")
    assert path.read_bytes() == b"old \n"
    assert listing(tmp_path) == {"note.md"}, "the temporary file was left behind"


def deny_temporary_files(monkeypatch) -> None:
    """A folder where no file can be created (what a read-only folder does to a non-root user)."""
    real_open = os.open

    def open_(path, flags, *args, **kwargs):
        if str(path).endswith(TMP_SUFFIX):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)


def test_atomic_write_where_no_temporary_file_can_be_made_says_the_folder_is_the_problem(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")
    deny_temporary_files(monkeypatch)
    with pytest.raises(WriteRefused) as refused:
        atomic_write(path, b"new\n", b"old \n")
    assert str(refused.value) == "cannot write next to the file: Permission denied"
    assert path.read_bytes() == b"old \n"
    assert listing(tmp_path) == {"note.md"}


def test_replace_file_where_no_temporary_file_can_be_made_raises_the_os_error(tmp_path, monkeypatch):
    """Its callers show the error as it is (`baseline` prints `[Errno 13] Permission denied`)."""
    deny_temporary_files(monkeypatch)
    with pytest.raises(OSError) as raised:
        replace_file(tmp_path / "report.txt", b"report\n")
    assert (raised.value.errno, raised.value.strerror) == (errno.EACCES, "Permission denied")
    assert str(raised.value) == "[Errno 13] Permission denied"
    assert listing(tmp_path) == set()


def fixed_temporary_names(monkeypatch, *names: str) -> None:
    """`secrets.token_hex` gives `names` in turn (the last one forever after)."""
    queue = list(names)
    monkeypatch.setattr(secrets, "token_hex", lambda nbytes=None: queue.pop(0) if len(queue) > 1 else queue[0])


def test_atomic_write_never_touches_a_file_that_has_its_temporary_name(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")
    squatter = tmp_path / f".note.md.aaaaaaaa{TMP_SUFFIX}"
    squatter.write_bytes(b"another run's half-written note")
    fixed_temporary_names(monkeypatch, "aaaaaaaa", "bbbbbbbb")
    atomic_write(path, b"new\n", b"old \n")
    assert path.read_bytes() == b"new\n"
    assert squatter.read_bytes() == b"another run's half-written note"
    assert listing(tmp_path) == {"note.md", squatter.name}


def test_atomic_write_with_every_temporary_name_taken_is_refused_and_touches_nothing(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")
    squatter = tmp_path / f".note.md.aaaaaaaa{TMP_SUFFIX}"
    squatter.write_bytes(b"someone else's")
    fixed_temporary_names(monkeypatch, "aaaaaaaa")
    with pytest.raises(WriteRefused) as refused:
        atomic_write(path, b"new\n", b"old \n")
    assert str(refused.value) == "cannot write the file: no free temporary file name next to note.md"
    assert path.read_bytes() == b"old \n"
    assert squatter.read_bytes() == b"someone else's"
    assert listing(tmp_path) == {"note.md", squatter.name}


def test_atomic_write_of_a_note_with_a_255_byte_name_uses_a_short_hidden_temporary_name(tmp_path, monkeypatch):
    """The temporary file, seen by sync tools and `git status` while it exists, is the note's name
    cut to 40 characters, hidden, with 8 random hex digits: within the 255-byte limit of file
    systems even for the longest note name."""
    name = "\N{GRINNING FACE}" * 63 + ".md"
    assert len(name.encode("utf-8")) == 255
    path = tmp_path / name
    path.write_bytes(b"old \n")
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (replaced.append(Path(src).name), real_replace(src, dst))[1])
    atomic_write(path, b"new\n", b"old \n")
    assert path.read_bytes() == b"new\n"
    assert len(replaced) == 1
    assert re.fullmatch(re.escape("." + "\N{GRINNING FACE}" * 40 + ".") + "[0-9a-f]{8}" + re.escape(TMP_SUFFIX),
                        replaced[0]), replaced[0]
    assert len(replaced[0].encode("utf-8")) <= 255
    assert listing(tmp_path) == {name}


def test_atomic_write_on_a_platform_with_text_mode_files_opens_the_temporary_file_in_binary(tmp_path, monkeypatch):
    """On Windows a file opened without O_BINARY turns each `\\n` written into `\\r\\n`: the
    temporary file must be opened in binary mode so a fixed note keeps its line endings. Here
    (POSIX has no O_BINARY) the flag is simulated and the flags passed to `os.open` are checked."""
    fake_binary = 0x40000000
    monkeypatch.setattr(os, "O_BINARY", fake_binary, raising=False)
    flags_seen = []
    real_open = os.open

    def open_(target, flags, *args, **kwargs):
        if str(target).endswith(TMP_SUFFIX):
            flags_seen.append(flags)
            flags &= ~fake_binary
        return real_open(target, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    path = tmp_path / "note.md"
    path.write_bytes(b"old \r\n")
    atomic_write(path, b"new\r\n", b"old \r\n")
    assert path.read_bytes() == b"new\r\n"
    assert len(flags_seen) == 1 and flags_seen[0] & fake_binary, flags_seen


def test_atomic_write_refusal_messages_are_exact(tmp_path):
    missing = tmp_path / "gone.md"
    with pytest.raises(WriteRefused) as refused:
        atomic_write(missing, b"fixed\n", b"read \n")
    assert str(refused.value) == "cannot re-read the file before writing: No such file or directory"
    locked = tmp_path / "locked.md"
    locked.write_bytes(b"old")
    locked.chmod(0o444)
    with pytest.raises(WriteRefused) as refused:
        atomic_write(locked, b"new", b"old")
    assert str(refused.value) == "the file is read-only; left as it is"
    assert locked.read_bytes() == b"old"


def test_atomic_write_of_a_note_deleted_right_after_it_was_re_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_bytes(b"old \n")
    real_read_bytes = Path.read_bytes

    def read_then_someone_deletes(self):
        data = real_read_bytes(self)
        if self.name == "note.md":
            os.unlink(self)
        return data

    monkeypatch.setattr(Path, "read_bytes", read_then_someone_deletes)
    with pytest.raises(WriteRefused) as refused:
        atomic_write(path, b"new\n", b"old \n")
    assert str(refused.value) == "cannot write next to the file: No such file or directory"
    assert listing(tmp_path) == set(), "the deleted note must not be recreated"


# --------------------------------------------------------------------------- the fix path (CLI)


@pytest.mark.parametrize("perm", [0o640, 0o600])
def test_fix_keeps_the_file_mode(tmp_path, perm):
    vault = make_vault(tmp_path, {"note.md": DIRTY})
    (vault / "note.md").chmod(perm)
    before = listing(vault)
    result = run_cli("fix", ".", cwd=vault)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (vault / "note.md").read_text("utf-8") == FIXED
    assert mode(vault / "note.md") == perm
    assert listing(vault) == before


def test_fix_refuses_a_note_changed_on_disk_during_the_fix(tmp_path, monkeypatch, capsys):
    """Another program saves the note after notelint read it: the write is refused, the other
    program's text stays, one line says so, and `fix` exits 2 (an error, per the spec)."""
    vault = make_vault(tmp_path, {"note.md": DIRTY, "other.md": "fine  \t\n"})
    concurrent = "# Edited in Obsidian meanwhile   \n"
    real_fix_note = engine.fix_note

    def fix_note_while_someone_saves(note, *args, **kwargs):
        outcome = real_fix_note(note, *args, **kwargs)
        if note.rel == "note.md":
            note.path.write_text(concurrent, "utf-8")
        return outcome

    monkeypatch.setattr(engine, "fix_note", fix_note_while_someone_saves)
    monkeypatch.chdir(vault)
    monkeypatch.delenv("NOTELINT_OUTPUT_FORMAT", raising=False)
    before = listing(vault)
    status = cli.main(["fix", "."])
    out, err = capsys.readouterr()
    assert status == 2, out + err
    assert one_line_error(err) == ("notelint: note.md: not written: the file changed on disk while notelint was fixing it; "
                                   "left as it is")
    assert (vault / "note.md").read_text("utf-8") == concurrent
    assert (vault / "other.md").read_text("utf-8") == "fine\n", "the other note is still fixed"
    assert listing(vault) == before


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another user")
def test_fix_as_root_keeps_the_owner_and_group(tmp_path):
    vault = make_vault(tmp_path, {"note.md": DIRTY})
    note = vault / "note.md"
    note.chmod(0o640)
    os.chown(note, 65534, 65534)
    result = run_cli("fix", ".", cwd=vault)
    assert result.returncode == 0, result.stdout + result.stderr
    assert note.read_text("utf-8") == FIXED
    assert (note.stat().st_uid, note.stat().st_gid) == (65534, 65534)


def test_fix_through_a_symlinked_note_writes_the_target_and_keeps_the_link(tmp_path):
    vault = make_vault(tmp_path, {"notes/target.md": DIRTY})
    (vault / "link.md").symlink_to(Path("notes") / "target.md")
    before = listing(vault)
    result = run_cli("fix", "link.md", cwd=vault)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (vault / "link.md").is_symlink()
    assert os.readlink(vault / "link.md") == str(Path("notes") / "target.md")
    assert (vault / "notes" / "target.md").read_text("utf-8") == FIXED
    assert listing(vault) == before


def test_fix_never_writes_through_a_link_to_a_file_outside_the_vault(tmp_path):
    outside = tmp_path / "elsewhere" / "shared.md"
    outside.parent.mkdir()
    outside.write_text(DIRTY, "utf-8")
    vault = make_vault(tmp_path / "vault", {})
    (vault / "shared.md").symlink_to(outside)
    result = run_cli("fix", ".", cwd=vault)
    assert result.returncode == 1, result.stdout + result.stderr  # the findings are left
    assert one_line_error(result.stderr) == "notelint: shared.md: not fixed: it is a link to a file outside the vault"
    assert outside.read_text("utf-8") == DIRTY
    assert (vault / "shared.md").is_symlink()
    assert "(fixable)" not in result.stdout, "a note fix will not write must not claim fixable findings"
    assert temp_files(tmp_path) == []


@needs_non_root
def test_fix_in_a_read_only_folder_is_one_clear_error(tmp_path):
    vault = make_vault(tmp_path, {"locked/note.md": DIRTY, "open.md": "x \n"})
    locked = vault / "locked"
    locked.chmod(0o555)
    try:
        result = run_cli("fix", ".", cwd=vault)
        assert result.returncode == 2, result.stdout + result.stderr
        assert one_line_error(result.stderr) == ("notelint: locked/note.md: not written: cannot write next to the file: "
                                                 "Permission denied")
        assert (locked / "note.md").read_text("utf-8") == DIRTY
        assert (vault / "open.md").read_text("utf-8") == "x\n", "other notes are still fixed"
        assert "locked/note.md:" in result.stdout, "the unfixed findings are still reported"
        assert listing(locked) == {"note.md"}
    finally:
        locked.chmod(0o755)


def test_fix_leaves_a_read_only_file_alone(tmp_path):
    """A read-only note in a writable folder could be replaced (`os.replace` writes the folder),
    but read-only is the owner saying "do not change this": it is checked, never fixed."""
    vault = make_vault(tmp_path, {"note.md": DIRTY, "other.md": "x \n"})
    note = vault / "note.md"
    note.chmod(0o444)
    before = listing(vault)
    result = run_cli("fix", ".", cwd=vault)
    assert result.returncode == 1, result.stdout + result.stderr  # its findings are left
    assert one_line_error(result.stderr) == (
        "notelint: note.md: not fixed: the file is read-only (make it writable to let notelint fix it)")
    assert note.read_text("utf-8") == DIRTY
    assert mode(note) == 0o444
    assert "note.md:" in result.stdout and "(fixable)" not in result.stdout
    assert (vault / "other.md").read_text("utf-8") == "x\n", "other notes are still fixed"
    assert listing(vault) == before


def test_atomic_write_refuses_a_read_only_file(tmp_path):
    path = tmp_path / "note.md"
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(WriteRefused, match="read-only"):
        atomic_write(path, b"new", b"old")
    assert path.read_bytes() == b"old"
    assert listing(tmp_path) == {"note.md"}


# --------------------------------------------------------------------------- interruption


def dirty_note(i: int) -> str:
    lines = []
    for j in range(60):
        lines.append(f"Line {j} of note {i} with trailing whitespace \t")
        if j % 6 == 0:
            lines += ["", "  ", "", ""]
    return "\n".join(lines)


def wait_until(predicate, proc: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return predicate()
        time.sleep(0.002)
    return False


def start_fix(vault: Path, slow_fsync: float = 0.0) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "NOTELINT_OUTPUT_FORMAT"}
    env["NO_COLOR"] = "1"
    if slow_fsync:  # hold every write between creating its temporary file and replacing the note
        code = (f"import os, sys, time\nreal = os.fsync\nos.fsync = lambda fd: (time.sleep({slow_fsync}), real(fd))[1]\n"
                "from notelint.cli import main\nsys.exit(main(sys.argv[1:]))")
        args = [sys.executable, "-c", code, "fix", "."]
    else:
        args = [sys.executable, "-m", "notelint", "fix", "."]
    return subprocess.Popen(args, cwd=vault, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(**NOT_UNDER_MUTATION)
def test_sigterm_during_fix_leaves_every_note_original_or_fully_fixed(tmp_path):
    originals = {f"n{i:03d}.md": dirty_note(i).encode("utf-8") for i in range(300)}
    vault = make_vault(tmp_path / "vault", originals)
    reference = tmp_path / "reference"
    shutil.copytree(vault, reference)
    assert run_cli("fix", ".", cwd=reference).returncode == 0
    fixed = {name: (reference / name).read_bytes() for name in originals}
    assert all(fixed[n] != originals[n] for n in originals)
    before = listing(vault)

    proc = start_fix(vault)
    first = vault / "n000.md"  # notes are fixed in sorted order
    started = wait_until(lambda: first.read_bytes() != originals["n000.md"], proc)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert started, "fix never changed the first note"
    assert proc.returncode == -signal.SIGTERM, f"fix ended ({proc.returncode}) before it could be interrupted"

    now = {name: (vault / name).read_bytes() for name in originals}
    torn = [n for n in originals if now[n] not in (originals[n], fixed[n])]
    assert torn == [], f"notes neither original nor fully fixed: {torn[:5]}"
    done = sum(now[n] == fixed[n] for n in originals)
    assert 1 <= done < len(originals), f"{done} notes fixed: the run was not interrupted midway"
    assert listing(vault) == before, "a temporary file was left behind"


@pytest.mark.skipif(**NOT_UNDER_MUTATION)
def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path):
    vault = make_vault(tmp_path, {"a.md": DIRTY, "b.md": DIRTY})
    proc = start_fix(vault, slow_fsync=0.5)
    assert wait_until(lambda: temp_files(vault) != [], proc), "no write started"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGTERM, err  # it still dies of the signal, as the sender expects
    assert err == "notelint: terminated\n"
    assert (vault / "a.md").read_text("utf-8") == DIRTY, "the note being written was replaced"
    assert temp_files(vault) == []


@pytest.mark.skipif(**NOT_UNDER_MUTATION)
def test_sigint_while_writing_removes_the_temporary_file_and_exits_130(tmp_path):
    vault = make_vault(tmp_path, {"a.md": DIRTY, "b.md": DIRTY})
    before = listing(vault)
    proc = start_fix(vault, slow_fsync=0.5)
    assert wait_until(lambda: temp_files(vault) != [], proc), "no write started"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "notelint: interrupted\n"
    assert (vault / "a.md").read_text("utf-8") == DIRTY
    assert (vault / "b.md").read_text("utf-8") == DIRTY
    assert listing(vault) == before
