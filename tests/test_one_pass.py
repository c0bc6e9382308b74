"""One pass per note: each note's Markdown is parsed once per run, by whichever process checks
it, whatever the rules, the number of processes and the state of the cache; a warm run reads
none. From `NOTELINT_PARALLEL_MIN` notes on (300; 1 here), no parsed note is held, with
workers or in one process (100,000 of them took 3.7 GB): a note on which a rule with vault
context may report (`Rule.screen`) is read again, and its frontmatter parsed again, to be
checked with that context; those rules take its links and tags from the vault index, so its
Markdown is not parsed again. A note no such rule can report on is read once. (Below that, one
process keeps the notes it parsed and reads each once: `test_small_inputs_...` in test_parallel.)
Counted across processes: the counters append to a file, and forked workers inherit the
patched functions."""

import os
from collections import Counter
from pathlib import Path

import pytest

from notelint import cache as cache_mod
from notelint import checking, cli, markdown
from notelint import frontmatter as fm_mod
from notelint.example_files import png

NOTES = 12


def _vault(root: Path) -> Path:
    """A Dendron vault whose rules need vault context (links, ids, tags, images) and per-note ones."""
    root.mkdir(parents=True)
    (root / "dendron.yml").write_text("version: 5\n", "utf-8")
    (root / "assets").mkdir()
    for i in range(NOTES):
        (root / f"notes.n{i:02}.md").write_text(
            f"---\nid: n{i:02}\ntitle: Note {i}\ndesc: ''\ncreated: 1701259204127\nupdated: 1701259204127\n"
            f"tags: [Video]\n---\n\n# Note {i}\n\nSee [[notes.n{(i + 1) % NOTES:02}]] and [[no.such.note]] #video\n\n"
            f"![fig](assets/missing-{i}.png) trailing  \t\n"
            # a screenshot pasted twice: most notes use the copy, which duplicate-image relinks
            f"![shot](assets/{'copy' if i % 4 else 'shot'}.png)\n", "utf-8")
    # a note no rule with vault context can report on (unique id, no link, tag or image)
    (root / "notes.clean.md").write_text(
        "---\nid: clean\ntitle: Clean\ndesc: ''\ncreated: 1701259204127\nupdated: 1701259204127\n---\n\n"
        "# Clean\n\nNothing to link.\n", "utf-8")
    (root / "assets" / "shot.png").write_bytes(png(32, 32))
    (root / "assets" / "copy.png").write_bytes(png(32, 32))
    old = (root / "notes.n00.md").stat().st_mtime_ns - 10 * cache_mod.RACY_NS
    for path in root.iterdir():
        os.utime(path, ns=(old, old))  # old enough for stat signatures to vouch for the notes
    return root


@pytest.fixture
def counted(tmp_path, monkeypatch):
    """Count note reads, frontmatter parses and Markdown parses, per note, in every process."""
    log = tmp_path / "events.log"
    log.write_text("", "utf-8")

    def spy(kind, real, rel_of):
        def wrapper(*args, **kwargs):
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"{kind} {rel_of(*args)}\n")
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(checking, "load_note", spy("read", checking.load_note, lambda vault, rel: rel))
    # (the parsers see only text: a note's own text is named by the note's name, any other text
    # parsed, such as a fix's result that a rule checks, by `other`)
    monkeypatch.setattr(fm_mod, "parse", spy("frontmatter", fm_mod.parse, lambda text, *a: _name(text, tmp_path)))
    monkeypatch.setattr(markdown, "parse", spy("markdown", markdown.parse, lambda text, *a: _name(text, tmp_path)))
    # stat signatures must not look fresh (a note written within the last tick is read again)
    real_ns = cache_mod.time.time_ns
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: real_ns() + 10 * cache_mod.RACY_NS)

    def events() -> Counter:
        found = Counter(tuple(line.split(" ", 1)) for line in log.read_text("utf-8").splitlines())
        log.write_text("", "utf-8")
        return found

    return events


def _name(text: str, tmp_path: Path) -> str:
    line = next((ln for ln in text.splitlines() if ln.startswith("id: ")), "id: ?")
    path = tmp_path / "v" / f"notes.{line[4:]}.md"
    return path.stem if path.is_file() and path.read_text("utf-8") == text else "other"


def _check(root: Path, monkeypatch, jobs: int, *args: str) -> int:
    with monkeypatch.context() as m:
        m.chdir(root)
        m.setenv("NOTELINT_JOBS", str(jobs))
        m.setenv("NOTELINT_PARALLEL_MIN", "1")  # workers even for a dozen notes
        return cli.main(["check", "-q", *args])


def _per_note(events: Counter, kind: str) -> Counter:
    return Counter({rel: n for (k, rel), n in events.items() if k == kind and rel != "other"})


NAMES = {f"notes.n{i:02}" for i in range(NOTES)} | {"notes.clean"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_run_parses_each_note_once(tmp_path, monkeypatch, counted, jobs):
    root = _vault(tmp_path / "v")
    for args in (["--no-cache", "."], ["."]):  # without a cache, then with an empty one
        assert _check(root, monkeypatch, jobs, *args) == 1
        events = counted()
        assert _per_note(events, "markdown") == Counter(dict.fromkeys(NAMES, 1)), args
        # read again to be checked with vault context (each has a dangling link); duplicate-image's
        # relinks of n00, n04 and n08 read their facts, not the notes
        expected = Counter({n: 1 if n == "notes.clean" else 2 for n in NAMES})
        assert _per_note(events, "frontmatter") == expected, args
        assert _per_note(events, "read") == Counter({f"{n}.md": k for n, k in expected.items()}), args


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_warm_run_reads_no_note_and_a_changed_vault_reads_each_note_at_most_once(tmp_path, monkeypatch, counted, jobs):
    root = _vault(tmp_path / "v")
    assert _check(root, monkeypatch, jobs, ".") == 1
    counted()
    assert _check(root, monkeypatch, jobs, ".") == 1
    assert counted() == Counter()
    changed = root / "notes.n03.md"
    changed.write_text(changed.read_text("utf-8").replace("trailing  \t", "trailing"), "utf-8")
    assert _check(root, monkeypatch, jobs, ".") == 1
    # the rules with vault context judge every note asked for again (a link's target may be the
    # note that changed): each note's Markdown is parsed at most once, the changed one's exactly once
    events = counted()
    assert max(_per_note(events, "markdown").values()) == 1
    assert _per_note(events, "markdown")["notes.n03"] == 1
    # the pre-commit case: only the notes named are read (not even the notes that use a
    # duplicate image: its finding, and its relinks, are not reported for these files)
    assert _check(root, monkeypatch, jobs, "notes.n05.md", "notes.n06.md") == 1
    # (read again to be checked with vault context: dangling links)
    assert _per_note(counted(), "read") == Counter({"notes.n05.md": 2, "notes.n06.md": 2})
    assert _check(root, monkeypatch, jobs, "notes.n05.md", "notes.n06.md") == 1
    assert counted() == Counter()  # and again: nothing


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_pre_commit_run_parses_each_note_once(tmp_path, monkeypatch, counted, jobs):
    """Named files with an empty cache: the rules with vault context ask for several facts of
    every note, one kind at a time; each note is parsed once for all of them. (The main process
    reads each note for the vault's state and reads it again to parse it, or a worker does: the
    second read is of bytes the system holds in memory, the parse is the cost.)"""
    root = _vault(tmp_path / "v")
    assert _check(root, monkeypatch, jobs, "notes.n05.md", "notes.n06.md") == 1
    events = counted()
    assert _per_note(events, "markdown") == Counter(dict.fromkeys(NAMES, 1))
    reads = _per_note(events, "read")
    # the notes asked for: read, then checked with vault context; the others: read for the vault's
    # state (their digests), then by whoever computes their facts (a worker, or `parallel.notes_facts`)
    assert reads == Counter({f"{n}.md": 2 for n in NAMES}), reads
