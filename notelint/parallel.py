"""Per-note work over all cores: a pool of worker processes, and what the workers do.

Workers (one per usable core not kept busy by other programs) are forked once per batch
and get the rules once (the pool's initializer). They read the notes themselves, so only
file names go out and JSON-ready rows and facts come back (and, for `fix`, pickled notes);
`pool_map` returns results in input order, so the output does not depend on which worker
finished first. Rules that read nothing but the note run in workers as they are; rules with
vault context run in workers forked after they were prepared (`context_chunk`), on the notes
their `screen` picks. `incremental.py` decides what to send here.

`NOTELINT_JOBS=N` sets the processes (1: never fork); `NOTELINT_PARALLEL_MIN` overrides the
number of notes below which one process is used (see `MIN_NOTES`).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from notelint import checking, suppression
from notelint.cache import dump_finding, json_fact, note_digest

if TYPE_CHECKING:
    from notelint.note import Note
    from notelint.rule import Rule
    from notelint.vault import Vault

# Below this many notes to compute, one process: a forked pool starts in ~5 ms, but shipping
# results and the main process's share of the work eat the gain on small inputs. Measured on the
# 2-core machine (shared, load average ~6), checking 3 KB notes, one process vs two workers:
# 50 notes 0.23/0.26 s, 150 0.69/0.71 s, 300 1.11/0.96 s, 1000 3.05/3.43 s: on a saturated
# machine workers do not pay, which is why `jobs()` subtracts the load average.
MIN_NOTES = 300
MIN_ASSETS = 64  # image hashing costs milliseconds per file: worth a pool sooner than notes
CHUNK = 64  # notes per task: big enough to amortise the pipe, small enough to balance two cores


def jobs() -> int:
    """Processes to use: `NOTELINT_JOBS`, else the usable cores minus those other programs keep
    busy (like `make -l`: on a saturated machine more processes only add overhead; measured in
    benchmarks/README.md)."""
    env = os.environ.get("NOTELINT_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        cores = max(1, os.cpu_count() or 1)
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    return max(1, min(cores, int(cores - busy + 1)))


def threshold(default: int) -> int:
    env = os.environ.get("NOTELINT_PARALLEL_MIN", "")
    return int(env) if env.isdigit() else default


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# --------------------------------------------------------------------------- worker side

_worker: dict[str, Any] = {}


def init_worker(vault: Vault, rules: list[Rule]) -> None:
    # Ctrl-C and SIGTERM are the main process's business: it stops the pool and cleans up
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker["vault"] = vault
    _worker["rules"] = rules


def check_rows(note: Note, rules: list[Rule], vault: Vault) -> list[list]:
    """The rules' findings on the note, before suppressions (see `checking.note_findings`)."""
    return [dump_finding(f) for f in checking.note_findings(note, rules, vault)]


def check_chunk(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None, bool, list[list] | None, list | None]]:
    """Each note's rows and its suppression entries (read while the note is parsed anyway). Each
    item is (note, the digest the cache holds its findings for): a note read with those bytes is
    not parsed, and comes back with rows None (the cache's findings serve)."""
    vault, rules = _worker["vault"], _worker["rules"]
    out = []
    for rel, cached in items:
        note = checking.load_note(vault, rel)
        digest = note_digest(note)
        if cached is not None and digest == cached:
            out.append((rel, digest, bool(note.read_only), None, None))
            continue
        out.append((rel, digest, bool(note.read_only), check_rows(note, rules, vault), suppression.fact(note)))
    return out


def parse_chunk(task: tuple[dict[str, Callable[[Note], Any]], list[str], bool]) -> list[tuple]:
    """Check with the cacheable rules and parse the note once: (note, digest, read-only?, rows,
    {fact kind: value} of every kind in `kinds`, the pickled note or None).
    A `check` run takes the vault index facts the rules with vault context read (`Rule.index_facts`)
    and never holds the parsed notes: 100,000 of them took 3.7 GB. A `fix` run (`keep`) gets the
    note back pickled with its bytes, text, frontmatter and Markdown elements
    (`checking.parsed_state`): it rewrites notes in the main process, and unpickling a note's
    elements costs a twentieth of parsing them."""
    kinds, rels, keep = task
    return parse_notes(_worker["vault"], _worker["rules"], kinds, rels, keep)


def parse_notes(vault: Vault, rules: list[Rule], kinds: dict[str, Callable[[Note], Any]], rels: list[str],
                keep: bool) -> list[tuple]:
    """`parse_chunk`'s work, in whichever process calls it (one process for a large vault, too:
    each note is dropped once checked)."""
    out = []
    for rel in rels:
        note = checking.load_note(vault, rel)
        rows = check_rows(note, rules, vault) if rules else []
        facts = {kind: json_fact(extract(note), kind) for kind, extract in kinds.items()}
        blob = pickle.dumps(checking.parsed_state(note), protocol=pickle.HIGHEST_PROTOCOL) if keep else None
        out.append((rel, note_digest(note), bool(note.read_only), rows, facts, blob))
    return out


def facts_chunk(task: tuple[str, dict[str, Callable[[Note], Any]], list[tuple[str, str | None]], bool]) -> list[tuple]:
    """(note, digest, read-only?, computed?, {kind: fact}, the pickled note or None) for each
    (note, the digest the cache holds fact `kind` for): a note read with those bytes is not parsed
    (computed False: the cache's value serves). A note parsed for its fact comes back with every
    fact of `kinds` (the one asked for and the vault index's), so that the next fact asked of it
    is taken in the main process without reading or parsing the file again; pickled whole only
    when `keep` (a `fix` run, see `parse_chunk`)."""
    kind, kinds, items, keep = task
    return notes_facts(_worker["vault"], kind, kinds, items, keep)


def notes_facts(vault: Vault, kind: str, kinds: dict[str, Callable[[Note], Any]], items: list[tuple[str, str | None]],
                keep: bool) -> list[tuple]:
    """`facts_chunk`'s work, in whichever process calls it."""
    out = []
    for rel, cached in items:
        note = checking.load_note(vault, rel)
        digest = note_digest(note)
        if cached is not None and digest == cached:
            out.append((rel, digest, bool(note.read_only), False, None, None))
            continue
        facts = {k: json_fact(extract(note), k) for k, extract in kinds.items()}
        blob = pickle.dumps(checking.parsed_state(note), protocol=pickle.HIGHEST_PROTOCOL) if keep else None
        out.append((rel, digest, bool(note.read_only), True, facts, blob))
    return out


def context_chunk(rels: list[str]) -> list[tuple[str, list[list]]]:
    """The findings (rows, before suppressions) of the rules with vault context, prepared in the
    main process before the pool was forked, on notes read and parsed here."""
    vault, rules = _worker["vault"], _worker["rules"]
    return [(rel, check_rows(checking.load_note(vault, rel), rules, vault)) for rel in rels]


def asset_chunk(task: tuple[Callable[[str], Any], list[tuple[str, str]]]) -> list[Any]:
    extract, items = task
    return [extract(path) for _rel, path in items]


# --------------------------------------------------------------------------- pool


def pool_map(fn: Callable, tasks: list, vault: Vault, rules: list[Rule], fork_only: bool = False) -> list | None:
    """`fn` over `tasks` in worker processes, results in task order; None if no pool can run
    here (no fork, no semaphores, a task that cannot be pickled): the caller works serially.
    `fork_only`: the rules hold their vault context (prepared in this process), which forked
    workers share as it is; where processes are spawned instead, the caller works serially."""
    try:
        pickle.dumps(tasks[0])
    except Exception:  # noqa: BLE001 - e.g. a lambda extractor: compute in this process
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    # fork shares the loaded rules and the rules package however it was found (even from a
    # source checkout); elsewhere, spawn re-imports them
    ctx = multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else "spawn")
    if fork_only and ctx.get_start_method() != "fork":
        return None
    try:
        pool = ProcessPoolExecutor(max_workers=min(jobs(), len(tasks)), mp_context=ctx,
                                   initializer=init_worker, initargs=(vault, rules))
    except (OSError, ValueError, ImportError, NotImplementedError):
        # (multiprocessing's own NotImplementedError: no working semaphores, e.g. some
        # containers and Android) no pool here: the caller runs everything in this process
        return None
    try:
        results = list(pool.map(fn, tasks))
    except (BrokenProcessPool, OSError, pickle.PicklingError):
        _stop(pool)
        return None
    except BaseException:  # Ctrl-C, SIGTERM, a rule's bug: no worker may outlive the run
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _stop(pool) -> None:
    """Cancel what is queued and end the workers now: a worker blocked on the task queue would
    otherwise wait for ever once this process is gone (it holds the queue's write end itself)."""
    workers = list(getattr(pool, "_processes", {}).values())  # no public way before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        try:
            proc.terminate()
        except (OSError, AttributeError):
            pass
    for proc in workers:
        try:
            proc.join(timeout=2)
        except (OSError, AttributeError, AssertionError):
            pass
