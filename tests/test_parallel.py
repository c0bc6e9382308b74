"""Per-note work over processes gives exactly what one process gives, in the same order."""

import json
from pathlib import Path

import pytest

from helpers import NOT_UNDER_MUTATION, run_cli

from notelint import engine, parallel


def vault(root: Path, n: int = 40) -> Path:
    """A Dendron vault whose notes have findings of several rules at several lines."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "dendron.yml").write_text("version: 5\n", "utf-8")
    for i in range(n):
        body = [f"---\nid: n{i}\ntitle: Note {i}\ndesc: ''\ncreated: 1701259204127\nupdated: 1701259204127\n---\n",
                f"# Note {i}\n\n"]
        if i % 3 == 0:
            body.append("trailing \t\n\n\n\n")
        if i % 4 == 0:
            body.append("![missing](assets/nothing.png) #tag\n")
        if i % 5 == 0:
            body.append("[[no.such.note]] 图 10\n")
        body.append("end")  # no final newline
        (root / f"notes.n{i:03}.md").write_text("".join(body), "utf-8")
    (root / "notes.broken.md").write_text("---\na: [\n---\ntext  \n", "utf-8")
    (root / "notes.latin1.md").write_bytes("caf\xe9\n".encode("latin-1"))
    return root


def test_many_processes_print_what_one_process_prints(tmp_path):
    root = vault(tmp_path / "v")
    serial = run_cli("check", "--no-cache", "--format", "json", ".", cwd=root, env={"NOTELINT_JOBS": "1"})
    forked = run_cli("check", "--no-cache", "--format", "json", ".", cwd=root,
                     env={"NOTELINT_JOBS": "2", "NOTELINT_PARALLEL_MIN": "1"})
    assert serial.returncode == forked.returncode == 1
    assert forked.stderr == serial.stderr
    assert forked.stdout == serial.stdout
    findings = json.loads(forked.stdout)
    assert {f["rule"] for f in findings} >= {"whitespace", "frontmatter-syntax", "unreadable-note"}
    # and the cache a parallel run wrote serves the next run the same findings
    run_cli("check", ".", cwd=root, env={"NOTELINT_JOBS": "2", "NOTELINT_PARALLEL_MIN": "1"})
    warm = run_cli("check", "--format", "json", ".", cwd=root, env={"NOTELINT_JOBS": "1"})
    assert warm.stdout == serial.stdout


# rules that read nothing but the note: the ones that run in workers
PER_NOTE = ["whitespace", "frontmatter-syntax", "unreadable-note", "invalid-suppression"]


def _workspace(root: Path, no_cache: bool = True) -> engine.Workspace:
    workspaces, _ = engine.prepare([str(root)], engine.RunOptions(no_cache=no_cache, select=PER_NOTE))
    return workspaces[0]


def test_check_notes_in_workers_equals_in_process(tmp_path, monkeypatch):
    root = vault(tmp_path / "v", 70)
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    serial = engine.check(_workspace(root))
    monkeypatch.setenv("NOTELINT_JOBS", "2")
    monkeypatch.setenv("NOTELINT_PARALLEL_MIN", "1")
    calls = []
    real = parallel.pool_map
    monkeypatch.setattr(parallel, "pool_map", lambda *a: calls.append(len(a[1])) or real(*a))
    forked = engine.check(_workspace(root))
    assert calls, "the pool was not used"
    assert forked == serial


def _headings(note):  # a module-level extractor: it can run in a worker
    return [h.text for h in note.markdown.headings] if note.readable else None


def _recomputed(note):
    return ["recomputed"]


def test_note_facts_in_workers_equal_in_process_and_come_from_the_cache(tmp_path, monkeypatch):
    root = vault(tmp_path / "v", 30)
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    serial = _workspace(root).note_facts("headings", _headings)
    assert serial["notes.n007.md"] == ["Note 7"] and serial["notes.latin1.md"] is None
    monkeypatch.setenv("NOTELINT_JOBS", "2")
    monkeypatch.setenv("NOTELINT_PARALLEL_MIN", "1")
    ws = _workspace(root, no_cache=False)
    assert ws.note_facts("headings", _headings) == serial
    ws.cache.save()
    # all from the cache, though the notes were written too recently for their stat signatures to
    # vouch for them: workers read them and find the bytes the cache holds facts for (no parse)
    ws = _workspace(root, no_cache=False)
    assert ws.note_facts("headings", _recomputed) == serial
    ws = _workspace(root, no_cache=False)  # and in this process (a lambda cannot go to a worker)
    assert ws.note_facts("headings", lambda note: ["recomputed"]) == serial
    (root / "notes.n007.md").write_text("# Renamed\n", "utf-8")
    ws = _workspace(root, no_cache=False)
    facts = ws.note_facts("headings", _headings)
    assert facts["notes.n007.md"] == ["Renamed"] and facts["notes.n008.md"] == ["Note 8"]


def _size(path):
    return Path(path).stat().st_size


def test_asset_facts_over_processes(tmp_path, monkeypatch):
    root = vault(tmp_path / "v", 1)
    for i in range(20):
        (root / f"img{i:02}.png").write_bytes(b"x" * i)
    monkeypatch.setenv("NOTELINT_JOBS", "2")
    monkeypatch.setenv("NOTELINT_PARALLEL_MIN", "1")
    ws = _workspace(root, no_cache=False)
    assert ws.asset_facts("size", _size) == {f"img{i:02}.png": i for i in range(20)}
    assert ws.asset_facts("size", lambda p: -1) == {f"img{i:02}.png": i for i in range(20)}  # cached


def test_small_inputs_stay_in_one_process(tmp_path, monkeypatch):
    root = vault(tmp_path / "v", 5)
    monkeypatch.setenv("NOTELINT_JOBS", "2")
    monkeypatch.delenv("NOTELINT_PARALLEL_MIN", raising=False)
    monkeypatch.setattr(parallel, "pool_map", lambda *a: (_ for _ in ()).throw(AssertionError("forked")))
    assert engine.check(_workspace(root))


def test_a_pool_that_cannot_start_falls_back_to_one_process(tmp_path, monkeypatch):
    root = vault(tmp_path / "v", 12)
    monkeypatch.setenv("NOTELINT_JOBS", "1")
    serial = engine.check(_workspace(root))
    monkeypatch.setenv("NOTELINT_JOBS", "2")
    monkeypatch.setenv("NOTELINT_PARALLEL_MIN", "1")
    import concurrent.futures

    def broken(*args, **kwargs):
        raise OSError("no semaphores here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", broken)
    assert engine.check(_workspace(root)) == serial


def _children(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return {int(c) for c in fh.read().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][:1] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(**NOT_UNDER_MUTATION)
def test_sigterm_during_parallel_work_leaves_no_worker_behind(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    import pytest

    if not os.path.exists("/proc/self/task"):
        pytest.skip("needs /proc to see the workers")
    root = vault(tmp_path / "v", 600)
    env = {**os.environ, "NOTELINT_JOBS": "2", "NOTELINT_PARALLEL_MIN": "1", "NO_COLOR": "1"}
    log = open(tmp_path / "stderr.txt", "w")  # a file, not a pipe a leftover worker would hold open
    proc = subprocess.Popen([sys.executable, "-m", "notelint", "check", "--no-cache", "."], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=log)
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while not workers and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.02)
    if not workers:
        proc.kill()
        pytest.skip("the run ended before its workers could be seen")
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    log.close()
    assert proc.returncode == -signal.SIGTERM, (tmp_path / "stderr.txt").read_text()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them running if the test fails
        os.kill(w, signal.SIGKILL)
    assert left == [], "workers outlived the run"
