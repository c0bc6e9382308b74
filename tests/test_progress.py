"""The progress bar: on stderr, only on a terminal, only once a run has lasted its delay,
never for machine formats, erased when a stage ends; a pass-through everywhere else."""

import io
import os
import pty
import shutil
import subprocess
import sys
import tempfile

import pytest

from helpers import FIXTURES

from notelint import progress


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture(autouse=True)
def _bar_off_afterwards():
    yield
    progress.configure(False)


def test_track_is_a_pass_through_when_off():
    stream = FakeTTY()
    progress.configure(False, stream=stream, delay=0)
    assert list(progress.track(iter(range(5)), 5, "parsing")) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_bar_is_drawn_then_erased_on_a_terminal():
    stream = FakeTTY()
    progress.configure(True, stream=stream, delay=0)
    assert list(progress.track(["a", "b", "c"], label="hashing")) == ["a", "b", "c"]
    out = stream.getvalue()
    assert out.startswith("\rhashing   [")
    assert " 3/3 " in out and "#" * 10 in out
    assert out.endswith("\r\033[K"), "the bar is erased when the stage ends"


def test_quick_runs_draw_nothing():
    stream = FakeTTY()
    progress.configure(True, stream=stream, delay=60)
    assert list(progress.track(range(100), label="parsing")) == list(range(100))
    assert stream.getvalue() == ""


def test_stage_without_an_iterable_and_an_unknown_total():
    stream = FakeTTY()
    progress.configure(True, stream=stream, delay=0)
    with progress.stage("hashing") as bar:
        bar.advance(7)
    out = stream.getvalue()
    assert out.startswith("\rhashing   7 ") and " [" not in out  # a count, no bar without a total
    assert out.endswith("\r\033[K")


def test_breaking_out_of_a_loop_still_erases_the_bar():
    stream = FakeTTY()
    progress.configure(True, stream=stream, delay=0)
    for item in progress.track(range(10), label="parsing"):
        if item == 3:
            break
    assert stream.getvalue().endswith("\r\033[K")


def test_wanted_only_for_people_formats_on_a_terminal(monkeypatch):
    tty, pipe = FakeTTY(), io.StringIO()
    assert progress.wanted("text", stream=tty) and progress.wanted("html", stream=tty)
    for fmt in ("json", "github", "sarif"):
        assert not progress.wanted(fmt, stream=tty)
    assert not progress.wanted("text", quiet=True, stream=tty)
    assert not progress.wanted("text", stream=pipe)
    monkeypatch.setenv("NOTELINT_PROGRESS", "0")
    progress.configure(True, stream=tty, delay=0)
    assert not progress.enabled()


# --------------------------------------------------------------------------- the real CLI


def _cli(args, cwd, tty: bool, delay: str | None = "0") -> tuple[int, str, str]:
    """Run notelint with stderr on a pseudo-terminal (or a pipe); (exit, stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTELINT_")}
    env["NO_COLOR"] = "1"
    if delay is not None:
        env["NOTELINT_PROGRESS_DELAY"] = delay
    with tempfile.TemporaryFile() as out:
        if not tty:
            proc = subprocess.run([sys.executable, "-m", "notelint", *args], cwd=cwd, env=env, stdout=out,
                                  stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)
            err = proc.stderr
            code = proc.returncode
        else:
            master, slave = pty.openpty()
            proc = subprocess.Popen([sys.executable, "-m", "notelint", *args], cwd=cwd, env=env, stdout=out,
                                    stderr=slave, stdin=subprocess.DEVNULL)
            os.close(slave)
            chunks = []
            while True:
                try:
                    data = os.read(master, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            os.close(master)
            code = proc.wait(timeout=120)
            err = b"".join(chunks)
        out.seek(0)
        return code, out.read().decode("utf-8"), err.decode("utf-8")


def test_fix_on_a_terminal_shows_the_bar_on_stderr_only(tmp_path):
    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "report-obsidian", work)
    code, out, err = _cli(["fix", "v"], tmp_path, tty=True)
    assert code == 1
    assert "fixing" in err and "[" in err and "3/3" in err
    assert err.endswith("\r\033[K"), repr(err[-40:])
    assert "\r" not in out and "\033" not in out and "fixing" not in out


def test_html_report_on_a_terminal_keeps_the_bar_out_of_the_report(tmp_path):
    code, out, err = _cli(["check", "--no-cache", "--format", "html", "report-obsidian"], FIXTURES, tty=True)
    assert code == 1
    assert "previews" in err or "tags" in err
    assert out.startswith("<!DOCTYPE html>") and "\r" not in out and "\033" not in out


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_machine_formats_never_show_a_bar_even_on_a_terminal(fmt, tmp_path):
    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "report-obsidian", work)
    code, out, err = _cli(["fix", "--format", fmt, "v"], tmp_path, tty=True)
    assert code == 1 and out
    assert err == ""


def test_without_a_terminal_nothing_is_drawn(tmp_path):
    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "report-obsidian", work)
    code, _out, err = _cli(["fix", "v"], tmp_path, tty=False)
    assert code == 1 and err == ""


def test_a_quick_run_on_a_terminal_shows_nothing(tmp_path):
    work = tmp_path / "v"
    shutil.copytree(FIXTURES / "report-obsidian", work)
    code, _out, err = _cli(["fix", "v"], tmp_path, tty=True, delay=None)  # the real one-second delay
    assert code == 1 and err == ""


def test_a_message_mid_stage_erases_the_bar_first(monkeypatch):
    from notelint import reporters

    stream = FakeTTY()
    monkeypatch.setattr(sys, "stderr", stream)
    progress.configure(True, stream=stream, delay=0)
    for item in progress.track(range(3), label="fixing"):
        if item == 1:
            reporters.err("x.md: not written")
    out = stream.getvalue()
    before, after = out.split("notelint: x.md: not written\n")
    assert before.endswith("\r\033[K"), "the bar was erased before the message"
    assert "fixing" in after and after.endswith("\r\033[K")
