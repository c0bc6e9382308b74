"""`notelint check --watch`: check, then check again each time something in the vault changes.

A run is still `cli._run`; this module adds the loop around it. Vault-wide rules (links,
duplicate names, unused images) depend on every note, so the whole vault root of each PATH
is watched, not only the PATHs. What notelint writes itself (its cache, temporary files, the
`--output` report) and what editors and Obsidian write beside the notes are ignored, or each
run would start the next one. A run that fails (a config being edited) is reported and the
watch goes on; Ctrl-C ends it with exit 0, whatever the last run found. The CLI hands in its
one-shot run (`cli._run`): this module never imports `cli`, which imports it.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from notelint.config import shown
from notelint.vault import CACHE_DIR, SKIP_DIRS
from notelint.writer import TMP_SUFFIX

EXIT_CLEAN, EXIT_ERROR = 0, 2
DEBOUNCE_MS = 150  # quiet time that ends a batch of changes (watchfiles' default, 1600, feels slow)
STEP_MS = 50
TICK_MS = 1000  # with nothing changing, how often the loop checks that the roots still exist
CLEAR = "\x1b[2J\x1b[H"  # clear the screen, cursor to the top left
SHOWN_NAMES = 3  # changed files named on the "changed" line
# folders the vault scan never enters (vault.SKIP_DIRS) hold nothing a run reads, except
# `.obsidian/`, whose settings (link format, attachment folder) it does read
IGNORED_DIRS = (SKIP_DIRS - {".obsidian"}) | {CACHE_DIR, ".git"}
# editor swap, backup and lock files (vim, emacs), vim's write test `4913`, notelint's temporary files
IGNORED_NAMES = ("*.sw[a-p]", "*.swx", "*~", ".#*", "#*#", "4913", f"*{TMP_SUFFIX}")
OBSIDIAN_STATE = "workspace*.json"  # `.obsidian/workspace.json`: open panes, rewritten as you click


def command(args, run: Callable) -> int:
    """`run(args)` once, then again after each batch of changes under the vault roots; 0 on Ctrl-C."""
    problem = _usage_problem(args)
    if problem:
        sys.stderr.write(f"notelint: error: {problem}\n")
        return EXIT_ERROR
    roots = watched_roots(args.paths)
    terminated: list[int] = []
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_IGN:
        signal.signal(signal.SIGTERM, _noting_sigterm(previous, terminated))
    try:
        return _loop(args, roots, run)
    except KeyboardInterrupt:
        if terminated:  # watchfiles turns any signal into KeyboardInterrupt: SIGTERM must still end it
            signal.signal(signal.SIGTERM, previous)
            _deliver(previous, signal.SIGTERM)
        return EXIT_CLEAN
    finally:
        signal.signal(signal.SIGTERM, previous)


def _usage_problem(args) -> str | None:
    """Why these arguments cannot be watched, or None."""
    combined = [flag for flag, on in (("--add-suppressions", args.add_suppressions), ("--diff", args.diff)) if on]
    if combined:
        return f"--watch cannot be combined with {' or '.join(combined)}"
    for raw in args.paths or ["."]:
        if not os.path.lexists(raw):
            return f"{raw}: no such file or folder"
    return None


def _noting_sigterm(previous, terminated: list[int]):
    """A SIGTERM handler that remembers it ran, then does what `previous` does."""
    def handler(signum, frame):
        terminated.append(signum)
        _deliver(previous, signum, frame)

    return handler


def _deliver(previous, signum: int, frame=None) -> None:
    """Act on a signal as the handler before ours would: call it (the CLI's raises), or die of it."""
    if callable(previous):
        previous(signum, frame)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def watched_roots(paths: list[str]) -> list[Path]:
    """The vault root of each PATH (default .), without duplicates or roots inside another."""
    from notelint.vault import find_root

    roots = sorted({find_root(Path(os.path.abspath(p))) for p in paths or ["."]})
    return [r for r in roots if not any(other in r.parents for other in roots)]


def _loop(args, roots: list[Path], run: Callable) -> int:
    """The first run, then one run per batch of changes; 2 when a root disappears."""
    import watchfiles

    _run(args, run)
    _status(args, roots)
    keep = make_filter(roots, args.output)
    batches = watchfiles.watch(*roots, watch_filter=keep, debounce=DEBOUNCE_MS, step=STEP_MS,
                               rust_timeout=TICK_MS, yield_on_timeout=True)
    for changes in batches:
        gone = [r for r in roots if not r.is_dir()]
        if gone:
            sys.stderr.write(f"notelint: error: {shown(gone[0])}: the watched folder is gone\n")
            return EXIT_ERROR
        if not changes:  # the tick of `yield_on_timeout`: nothing changed
            continue
        _clear_screen()
        if not args.quiet:
            sys.stderr.write(changed_line(sorted({path for _, path in changes})) + "\n")
        _run(args, run)
        _status(args, roots)
    return EXIT_ERROR  # the watcher stopped by itself: it lost its folders


def make_filter(roots: list[Path], output: str | None):
    """watchfiles' `watch_filter`: True for a change that should start a run."""
    out = _real(output) if output else None

    def keep(change, path: str) -> bool:
        if out is not None and _real(path) == out:
            return False
        return not ignored(_relative(path, roots))

    return keep


def ignored(rel: str) -> bool:
    """Whether a change to `rel` (vault-relative, `/`-separated) is one no run needs to see."""
    parts = rel.split("/")
    if any(part in IGNORED_DIRS for part in parts[:-1]) or parts[-1] in IGNORED_DIRS:
        return True
    name = parts[-1]
    if len(parts) >= 2 and parts[-2] == ".obsidian" and fnmatch.fnmatch(name, OBSIDIAN_STATE):
        return True
    return any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED_NAMES)


def _relative(path: str, roots: list[Path]) -> str:
    """`path` relative to the root holding it, with `/` separators."""
    for root in roots:
        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            return Path(rel).as_posix()
    return Path(path).as_posix()


def _real(path: str) -> str:
    """The real path of a file that may not exist yet (its folder resolved)."""
    absolute = os.path.abspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))


def _run(args, run: Callable) -> None:
    """One `notelint check`; a failing run prints one error line and the watch goes on."""
    from notelint.reporters import failure_line

    _forget()
    try:
        run(args)
    except BrokenPipeError:  # the reader of stdout is gone: nobody to show the next run to
        raise
    except Exception as exc:  # noqa: BLE001 - one line, and the watch goes on
        if os.environ.get("NOTELINT_DEBUG"):
            import traceback

            traceback.print_exc()
        sys.stderr.write(failure_line(exc))
    finally:
        sys.stdout.flush()  # a pipe (`| tee`) must get each run as it ends
        sys.stderr.flush()


def _forget() -> None:
    """Drop what a previous run memoised about the disk (git history, resolved folders)."""
    from notelint import checking, git_times

    git_times.commit_times.cache_clear()
    checking._real_folder.cache_clear()


def _status(args, roots: list[Path]) -> None:
    """After a run: the time and what is watched, on stderr (not with -q)."""
    gc.collect()  # the run's vault index is garbage now: free it before waiting
    if args.quiet:
        return
    where = ", ".join(shown(r) for r in roots)
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] watching {where} for changes (Ctrl-C to stop)\n")
    sys.stderr.flush()


def changed_line(paths: list[str]) -> str:
    """`2 files changed: a.md, b.md`, naming at most a few."""
    from notelint.reporters import printable

    names = [printable(shown(Path(p))) for p in paths[:SHOWN_NAMES]]
    more = ", …" if len(paths) > SHOWN_NAMES else ""
    return f"{len(paths)} file{'s' if len(paths) != 1 else ''} changed: {', '.join(names)}{more}"


def _clear_screen() -> None:
    """On a terminal, clear it so only the coming run's result shows."""
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if tty:
        sys.stdout.write(CLEAR)
        sys.stdout.flush()
