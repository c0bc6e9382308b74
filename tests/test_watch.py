"""`notelint check --watch`: runs again on each change, ignores its own writes, survives a broken
config, exits 0 on Ctrl-C. The real CLI runs as a child process; its output is read by threads
into queues, and every wait has a timeout (the process is killed in a `finally`).

The child runs without PYTHONUNBUFFERED, as behind a pipe (`| tee`): each run's output must
arrive because watch.py flushes it, not because the test asked Python not to buffer."""

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from helpers import NOT_UNDER_MUTATION

pytestmark = pytest.mark.skipif(**NOT_UNDER_MUTATION)

STATUS = "for changes (Ctrl-C to stop)"  # the end of the line printed after each run
DEFECT = "# A\n\n![](missing.png)\n"  # dangling-image (NL401)
CLEAN = "# A\n\nfine\n"
STARTUP = 30.0  # seconds the first run may take on a loaded machine
FRESH = 2.0  # seconds from a write to the new output (the feature's promise)
QUIET = 1.5  # seconds with nothing changing during which no run may start
ARMED = 0.5  # after a run's status line, time for the watcher to be listening again


class Child:
    """A running `notelint check --watch` with what it wrote so far, read by two threads."""

    def __init__(self, proc):
        self.proc = proc
        self.out, self.err = "", ""
        self._queues = {"out": queue.Queue(), "err": queue.Queue()}
        self._threads = [threading.Thread(target=_pump, args=(stream, self._queues[name]), daemon=True)
                         for name, stream in (("out", proc.stdout), ("err", proc.stderr))]
        for thread in self._threads:
            thread.start()

    def _drain(self, timeout: float) -> None:
        """Take what the threads read; wait up to `timeout` for something when nothing is there."""
        got = False
        for name, q in self._queues.items():
            while True:
                try:
                    chunk = q.get_nowait()
                except queue.Empty:
                    break
                got = True
                setattr(self, name, getattr(self, name) + chunk)
        if not got and timeout > 0:
            time.sleep(min(timeout, 0.02))

    def wait_for(self, ready, timeout: float) -> bool:
        """Read until `ready(self)` holds (True) or `timeout` seconds pass (False)."""
        deadline = time.monotonic() + timeout
        while True:
            self._drain(0)
            if ready(self):
                return True
            if self.proc.poll() is not None:  # it exited: what it wrote is all there will be
                for thread in self._threads:
                    thread.join(timeout=2)
                self._drain(0)
                return ready(self)
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._drain(left)

    def runs(self) -> int:
        return self.err.count(STATUS)

    def wait_runs(self, n: int, timeout: float) -> bool:
        """Wait until `n` runs ended, then give the watcher time to listen again."""
        done = self.wait_for(lambda c: c.runs() >= n, timeout)
        time.sleep(ARMED)
        self._drain(0)
        return done


def _pump(stream, q) -> None:
    for line in iter(stream.readline, ""):
        q.put(line)


def _vault(tmp_path, files: dict[str, str]):
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    for name, text in files.items():
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_text(text, "utf-8")
    return vault


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NOTELINT_OUTPUT_FORMAT", "PYTHONUNBUFFERED")}
    return {**env, "NO_COLOR": "1"}


def _start(tmp_path, *args: str) -> Child:
    # a shell's background job (`pytest &`) ignores SIGINT, and so would the child: give it the default back
    proc = subprocess.Popen([sys.executable, "-m", "notelint", "check", "--watch", *args], cwd=tmp_path, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return Child(proc)


def _refused(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """A `--watch` run expected to stop at once (a watch that starts fails by the timeout)."""
    return subprocess.run([sys.executable, "-m", "notelint", "check", "--watch", *args], cwd=tmp_path, env=_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=20)


def _stop(child: Child) -> None:
    if child.proc.poll() is None:
        child.proc.kill()
    child.proc.wait(timeout=10)


def _documents(text: str) -> list:
    """The JSON documents written one after the other in `text`."""
    decoder, docs, at = json.JSONDecoder(), [], 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)
    return docs


def test_fixing_a_note_shows_the_new_result_within_two_seconds(tmp_path):
    vault = _vault(tmp_path, {"a.md": DEFECT})
    child = _start(tmp_path, "vault")
    try:
        assert child.wait_runs(1, STARTUP), child.err
        assert "vault/a.md:3:1: NL401 [dangling-image]" in child.out
        first = len(child.out)
        (vault / "a.md").write_text(CLEAN, "utf-8")
        written = time.monotonic()
        assert child.wait_for(lambda c: "All clear" in c.out[first:], FRESH), (child.out, child.err)
        assert time.monotonic() - written < FRESH
        assert "NL401" not in child.out[first:]
        assert "1 file changed: vault/a.md" in child.err
        (vault / "b.md").write_text(DEFECT, "utf-8")  # and a new defect is found in the next run
        second = len(child.out)
        assert child.wait_for(lambda c: "vault/b.md:3:1: NL401" in c.out[second:], FRESH), (child.out, child.err)
        assert child.proc.poll() is None
    finally:
        _stop(child)


def test_each_json_run_is_one_whole_document(tmp_path):
    vault = _vault(tmp_path, {"a.md": DEFECT})
    child = _start(tmp_path, "--format", "json", "vault")
    try:
        assert child.wait_runs(1, STARTUP), child.err
        assert [f["rule"] for f in _documents(child.out)[0]] == ["dangling-image"]
        (vault / "a.md").write_text(CLEAN, "utf-8")
        assert child.wait_for(lambda c: c.runs() >= 2, FRESH), child.err
        assert child.wait_for(lambda c: len(_documents(c.out)) == 2, FRESH), child.out
        assert _documents(child.out)[1] == []
        assert "\x1b" not in child.out  # a pipe is not a terminal: the screen is never cleared
    finally:
        _stop(child)


def test_ctrl_c_exits_0_without_a_traceback(tmp_path):
    _vault(tmp_path, {"a.md": DEFECT})  # the run found something (exit 1 alone): Ctrl-C still gives 0
    child = _start(tmp_path, "vault")
    try:
        assert child.wait_runs(1, STARTUP), child.err
        child.proc.send_signal(signal.SIGINT)
        assert child.proc.wait(timeout=5) == 0
        child.wait_for(lambda c: False, 0.2)
        assert "Traceback" not in child.err and "interrupted" not in child.err, child.err
    finally:
        _stop(child)


def test_sigterm_still_terminates(tmp_path):
    _vault(tmp_path, {"a.md": CLEAN})
    child = _start(tmp_path, "vault")
    try:
        assert child.wait_runs(1, STARTUP), child.err
        child.proc.send_signal(signal.SIGTERM)
        assert child.proc.wait(timeout=5) == -signal.SIGTERM
    finally:
        _stop(child)


def test_its_own_cache_writes_do_not_start_runs(tmp_path):
    vault = _vault(tmp_path, {"a.md": DEFECT})
    child = _start(tmp_path, "vault")
    try:
        assert child.wait_runs(1, STARTUP), child.err
        (vault / "a.md").write_text(CLEAN, "utf-8")  # the second run rewrites the cache while watched
        assert child.wait_runs(2, FRESH + ARMED), child.err
        assert (vault / ".notelint_cache").is_dir()
        assert not child.wait_for(lambda c: c.runs() > 2, QUIET), child.err
        assert child.err.count("changed:") == 1
    finally:
        _stop(child)


def test_editor_and_obsidian_files_do_not_start_runs(tmp_path):
    vault = _vault(tmp_path, {"a.md": CLEAN})
    report = tmp_path / "vault" / "report.txt"
    child = _start(tmp_path, "--output", str(report), "vault")
    try:
        assert child.wait_runs(1, STARTUP), child.err
        for name in (".obsidian/workspace.json", ".obsidian/workspace-mobile.json", ".a.md.swp", "a.md~",
                     ".#a.md", "4913", ".a.md.1234abcd.notelint-tmp", ".git/index", "report.txt"):
            (vault / name).parent.mkdir(parents=True, exist_ok=True)
            (vault / name).write_text("x", "utf-8")
        assert not child.wait_for(lambda c: c.runs() > 1, QUIET), child.err
        (vault / ".obsidian" / "app.json").write_text("{}", "utf-8")  # Obsidian's settings do count
        assert child.wait_for(lambda c: c.runs() == 2, FRESH), child.err
        assert "1 file changed: vault/.obsidian/app.json" in child.err
    finally:
        _stop(child)


def test_a_broken_config_is_reported_and_the_watch_goes_on(tmp_path):
    vault = _vault(tmp_path, {"a.md": DEFECT})
    child = _start(tmp_path, "vault")
    try:
        assert child.wait_runs(1, STARTUP), child.err
        (vault / ".notelint.toml").write_text("select = 5\n", "utf-8")
        assert child.wait_for(lambda c: "notelint: error: vault/.notelint.toml:1: `select`" in c.err, FRESH), child.err
        assert child.wait_runs(2, FRESH), child.err
        assert child.proc.poll() is None
        (vault / ".notelint.toml").write_text("select = [\n", "utf-8")  # not even TOML
        assert child.wait_for(lambda c: "not valid TOML" in c.err, FRESH), child.err
        assert child.wait_runs(3, FRESH), child.err
        seen = len(child.out)
        (vault / ".notelint.toml").write_text('select = ["dangling-image"]\n', "utf-8")
        assert child.wait_for(lambda c: "vault/a.md:3:1: NL401" in c.out[seen:], FRESH), (child.out, child.err)
        assert child.proc.poll() is None and "Traceback" not in child.err
    finally:
        _stop(child)


def test_a_vanished_vault_ends_the_watch_with_2(tmp_path):
    vault = _vault(tmp_path, {"a.md": CLEAN})
    child = _start(tmp_path, "vault")
    try:
        assert child.wait_runs(1, STARTUP), child.err
        shutil.rmtree(vault)
        assert child.proc.wait(timeout=5) == 2
        child.wait_for(lambda c: "the watched folder is gone" in c.err, 1)
        assert "notelint: error: vault: the watched folder is gone" in child.err
    finally:
        _stop(child)


@pytest.mark.parametrize("flags", [["--diff"], ["--add-suppressions"], ["--add-suppressions", "--diff"]])
def test_watch_with_a_writing_mode_is_a_usage_error(tmp_path, flags):
    _vault(tmp_path, {"a.md": DEFECT})
    result = _refused(tmp_path, *flags, "vault")
    assert result.returncode == 2
    assert result.stderr.startswith("notelint: error: --watch cannot be combined with --"), result.stderr
    assert result.stdout == "" and not (tmp_path / "vault" / ".notelint_cache").exists()


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = _refused(tmp_path, "no-such-vault")
    assert result.returncode == 2
    assert result.stderr == "notelint: error: no-such-vault: no such file or folder\n"


def test_on_a_terminal_each_rerun_clears_the_screen_first(tmp_path):
    pty = pytest.importorskip("pty")
    import select

    vault = _vault(tmp_path, {"a.md": DEFECT})
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "notelint", "check", "--watch", "vault"], cwd=tmp_path, env=_env(),
                            stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.close(follower)
    screen = b""

    def read_until(text: bytes, timeout: float) -> bool:
        nonlocal screen
        deadline = time.monotonic() + timeout
        while text not in screen and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.05)[0]:
                screen += os.read(leader, 65536)
        return text in screen

    try:
        assert read_until(b"Found 1 finding", STARTUP), screen
        time.sleep(ARMED)
        (vault / "a.md").write_text(CLEAN, "utf-8")
        assert read_until(b"All clear", FRESH), screen
        first, second = screen.split(b"\x1b[2J\x1b[H")  # cleared once: before the second run, not the first
        assert b"NL401" in first and b"All clear" in second and b"NL401" not in second
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        proc.stderr.close()
        os.close(leader)
