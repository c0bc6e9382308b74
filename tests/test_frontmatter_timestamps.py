"""frontmatter-timestamps: what each value is read as, what fix splices, and what it never does."""

import os
import shutil
import subprocess
import time

import pytest

from helpers import REPO, run_cli
from notelint import dates, edits, registry
from notelint.note import Note

RULE = registry.lookup("frontmatter-timestamps")
SAMPLE = REPO / "examples" / "sample-vault"


def findings(text, flavor="dendron", fixing=False, **settings):
    rule = RULE({k.replace("_", "-"): v for k, v in settings.items()}, flavor)
    rule.fixing = fixing
    return list(rule.check(Note.from_text(text, "note.md", flavor)))


def fixed(text, flavor="dendron", **settings):
    """The text after applying every fix once (what one fix pass does)."""
    fixes = [(f.code, f.fix) for f in findings(text, flavor, **settings) if f.fix]
    return edits.apply(text, edits.choose(fixes))


def dendron(created="1701259204127", updated="1701277053723"):
    return f"---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: T\ndesc: ''\nupdated: {updated}\ncreated: {created}\n---\n\nBody\n"


def test_the_sample_note_gives_no_finding_from_the_frontmatter_rules():
    result = run_cli("check", "--no-cache", "--select", "NL101,NL102,NL103", str(SAMPLE), cwd=REPO)
    assert result.returncode == 0, result.stdout
    assert "no findings" in result.stdout


def test_seconds_message_says_what_was_read_and_both_meanings():
    [f] = findings(dendron(created="1701259204"))
    assert f.message.startswith("created 1701259204 looks like seconds: as milliseconds it is 1970-01-20; "
                                "as seconds it is 2023-11-29T12:00:04Z")
    assert (f.line, f.column) == (6, 10)
    assert fixed(dendron(created="1701259204")) == dendron(created="1701259204000")


def test_valid_dendron_values_give_nothing():
    assert findings(dendron()) == []


def test_fix_splices_only_the_value_and_keeps_comments_and_quotes_elsewhere():
    text = "---\nid: omjodjubwiwpch2g5i4o0wo # the id\ntitle: \"Quoted: title\"\nupdated: 1701277053723\ncreated:   1701259204  # secs\n---\nBody\n"
    assert fixed(text) == text.replace("1701259204  #", "1701259204000  #")


def test_microseconds_are_fixed_only_when_no_digit_is_lost():
    exact = findings(dendron(created="1701259204127000"))
    lossy = findings(dendron(created="1701259204127001"))
    assert exact[0].fix is not None and "microseconds" in exact[0].message
    assert lossy[0].fix is None and "write 1701259204127 by hand" in lossy[0].message


def test_quoted_digits_and_iso_strings_become_bare_epoch_milliseconds():
    assert fixed(dendron(created="'1701259204127'")) == dendron()
    assert fixed(dendron(updated='"2023-11-29T17:37:33Z"')) == dendron(updated="1701279453000")
    assert fixed(dendron(created="2023-11-29")) == dendron(created="1701216000000")


def test_naive_iso_dates_are_read_in_the_configured_timezone():
    [f] = findings(dendron(created="2023-11-29T12:00:00"), timezone="Asia/Shanghai")
    assert "read in Asia/Shanghai" in f.message and "1701230400000" in f.message


def test_future_pre_1990_and_order_are_reported_without_a_fix():
    future = findings(dendron(updated=str(dates.now_ms() + 3 * dates.DAY_MS)))
    assert len(future) == 1 and "in the future" in future[0].message and future[0].fix is None
    old = findings(dendron(created="86400000"))
    assert "before 1990" in old[0].message and old[0].fix is None
    order = findings(dendron(created="1701277053723", updated="1701259204127"))
    assert len(order) == 1 and "is before created" in order[0].message and order[0].fix is None
    assert (order[0].line, order[0].column) == (5, 10)


def test_updated_a_moment_before_created_as_dendron_writes_it_is_tolerated():
    # Dendron's own note creation: updated 1 ms before created (issue 16, pattern 6)
    assert findings(dendron(created="1645111451741", updated="1645111451740")) == []
    assert findings(dendron(created="1645111452740", updated="1645111451740")) == []  # exactly the 1 s default
    [late] = findings(dendron(created="1645111452741", updated="1645111451740"))
    assert "is before created" in late.message
    assert len(findings(dendron(created="1645111451741", updated="1645111451740"), order_tolerance_ms=0)) == 1
    assert findings(dendron(created="1645111461740", updated="1645111451740"), order_tolerance_ms=10_000) == []


def test_a_value_a_day_ahead_is_not_yet_the_future():
    assert findings(dendron(updated=str(dates.now_ms() + 3_600_000))) == []


def test_not_a_time_values_are_reported_never_guessed():
    for value in ("yesterday", "true", "[1, 2]", "'2023-13-45'", ".inf"):
        found = findings(dendron(created=value))
        assert len(found) == 1 and found[0].fix is None, value


def test_impossible_unquoted_date_is_a_timestamp_finding_not_a_broken_frontmatter():
    note = Note.from_text(dendron(created="2023-13-45"), "n.md", "dendron")
    assert note.frontmatter.error is None
    [f] = findings(dendron(created="2023-13-45"))
    assert "not a real date (month must be in 1..12)" in f.message


def test_missing_is_reported_in_dendron_only_by_default():
    text = "---\nid: omjodjubwiwpch2g5i4o0wo\n---\n"
    assert sorted(f.message.split()[0] for f in findings(text)) == ["`created`", "`updated`"]
    assert findings(text, "obsidian") == []
    assert len(findings(text, "obsidian", missing="report")) == 2
    assert findings(text, missing="ignore") == []


def test_obsidian_formats():
    ok = "---\ncreated: 2023-11-29\nupdated: 2023-11-30T08:15:00\n---\n"
    assert findings(ok, "obsidian") == []
    wrong = findings(ok, "obsidian", format="date")
    assert len(wrong) == 1 and wrong[0].fix is None and "drop the time" in wrong[0].message
    wrong = findings(ok, "obsidian", format="datetime")
    assert len(wrong) == 1 and wrong[0].fix is None and "time of day is unknown" in wrong[0].message


def test_obsidian_fix_rewrites_recognised_formats_inside_the_quotes():
    text = "---\ncreated: '2023/11/29'\nupdated: \"Thursday, November 30th 2023, 8:15:00 am\"\n---\n"
    assert fixed(text, "obsidian") == "---\ncreated: '2023-11-29'\nupdated: \"2023-11-30T08:15:00\"\n---\n"


def test_obsidian_never_drops_a_time_to_match_the_format():
    text = "---\ncreated: 2023-11-29 18:30\n---\n"
    [f] = findings(text, "obsidian", format="date")
    assert f.fix is None
    assert fixed(text, "obsidian", format="datetime") == "---\ncreated: 2023-11-29T18:30:00\n---\n"


def test_obsidian_custom_keys_first_present_is_compared():
    text = "---\ndate created: 2023-11-30\nmodified: 2023-11-29\n---\n"
    [f] = findings(text, "obsidian", created_keys=["created", "date created"], updated_keys=["modified"])
    assert f.message == "modified 2023-11-29 is before `date created` 2023-11-30; no automatic fix: which of the two is wrong is a guess, correct it by hand"


def test_ambiguous_day_month_is_not_fixed():
    [f] = findings("---\ncreated: 05/06/2023\n---\n", "obsidian")
    assert "ambiguous" in f.message and f.fix is None


def test_unknown_timezone_is_a_config_error(tmp_path):
    (tmp_path / "dendron.yml").write_text("version: 5\n")
    (tmp_path / ".notelint.toml").write_text('[rules.frontmatter-timestamps]\ntimezone = "Mars/Olympus"\n')
    (tmp_path / "a.md").write_text(dendron())
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "Mars/Olympus" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- fill-missing and bump-updated (through the CLI)

def _vault(tmp_path, config, text):
    (tmp_path / "dendron.yml").write_text("version: 5\n")
    (tmp_path / ".notelint.toml").write_text('select = ["frontmatter-timestamps", "whitespace"]\n' + config)
    note = tmp_path / "a.md"
    note.write_bytes(text.encode())
    return note


MISSING = "---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: A\ndesc: ''\n---\n\nBody\n"


def test_fill_missing_mtime_writes_both_values(tmp_path):
    note = _vault(tmp_path, '[rules.frontmatter-timestamps]\nfill-missing = "mtime"\n', MISSING)
    os.utime(note, (1701259204, 1701259204))
    checked = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert "(fixable)" in checked.stdout
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert note.read_text() == MISSING.replace("desc: ''\n", "desc: ''\nupdated: 1701259204000\ncreated: 1701259204000\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_fill_missing_git_uses_first_and_last_commit_and_only_in_fix(tmp_path):
    note = _vault(tmp_path, '[rules.frontmatter-timestamps]\nfill-missing = "git"\n', MISSING)

    def git(*args, when=None):
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@t"}
        if when:
            env.update(GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "one", when=1701259204)
    with open(note, "a") as fh:
        fh.write("More\n")
    git("commit", "-q", "-am", "two", when=1701277053)
    checked = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert "`notelint fix` fills it from the file's git history" in checked.stdout
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    text = note.read_text()
    assert "updated: 1701277053000\ncreated: 1701259204000\n" in text


def test_fill_missing_git_outside_a_repository_says_so(tmp_path):
    _vault(tmp_path, '[rules.frontmatter-timestamps]\nfill-missing = "git"\n', MISSING)
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path, env=env)
    assert "cannot fill it from git" in result.stdout
    assert (tmp_path / "a.md").read_text() == MISSING


def test_bump_updated_only_when_fix_changed_the_body(tmp_path):
    body_fix = "---\nid: omjodjubwiwpch2g5i4o0wo\ntitle: A\ndesc: ''\nupdated: 1701277053723\ncreated: 1701259204127\n---\n\nBody   \n"
    note = _vault(tmp_path, "[rules.frontmatter-timestamps]\nbump-updated = true\n", body_fix)
    checked = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert "bump-updated" not in checked.stdout  # check never bumps
    before = dates.now_ms()
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    text = note.read_text()
    stamp = int(text.split("updated: ")[1].split("\n")[0])
    assert before <= stamp <= dates.now_ms()
    assert text.endswith("\nBody\n")
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert note.read_text() == text  # idempotent: the second run changes nothing


def test_bump_updated_ignores_frontmatter_only_fixes(tmp_path):
    text = dendron(created="1701259204")
    note = _vault(tmp_path, "[rules.frontmatter-timestamps]\nbump-updated = true\n", text)
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert note.read_text() == dendron(created="1701259204000")


def test_fix_never_bumps_updated_by_default(tmp_path):
    text = dendron().replace("Body\n", "Body   \n")
    note = _vault(tmp_path, "", text)
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert note.read_text() == dendron()


def test_timing_of_the_rule_on_the_sample_note():
    text = (SAMPLE / "daily.journal.2023.11.29.md").read_text("utf-8")
    rule = RULE({}, "dendron")
    start = time.perf_counter()
    for _ in range(200):
        list(rule.check(Note.from_text(text, "daily.journal.2023.11.29.md", "dendron")))
    per_note = (time.perf_counter() - start) / 200
    assert per_note < 0.01  # frontmatter only: the Markdown body is never parsed


def test_obsidian_fill_missing_writes_the_configured_format_when_missing_is_reported(tmp_path):
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".notelint.toml").write_text(
        'select = ["frontmatter-timestamps"]\n[rules.frontmatter-timestamps]\nmissing = "report"\n'
        'fill-missing = "mtime"\nformat = "date"\ntimezone = "Asia/Tokyo"\n')
    note = tmp_path / "a.md"
    note.write_text("---\ntags: [x]\n---\nBody\n")
    os.utime(note, (1701277053, 1701277053))  # 2023-11-29T16:57:33Z is already the 30th in Tokyo
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert note.read_text() == "---\ntags: [x]\nupdated: 2023-11-30\ncreated: 2023-11-30\n---\nBody\n"


def test_obsidian_bump_updated_keeps_the_value_kind_and_quotes(tmp_path):
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".notelint.toml").write_text(
        'select = ["frontmatter-timestamps", "whitespace"]\n[rules.frontmatter-timestamps]\nbump-updated = true\n')
    note = tmp_path / "a.md"
    note.write_text("---\ncreated: 2023-11-29\nupdated: '2023-11-29'\n---\nBody  \t\n")
    days = {time.strftime("%Y-%m-%d", time.gmtime())}
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    days.add(time.strftime("%Y-%m-%d", time.gmtime()))
    text = note.read_text()
    assert any(text == f"---\ncreated: 2023-11-29\nupdated: '{day}'\n---\nBody\n" for day in days), text


# ---------------------------------------------------------------- exact findings: message, span and fix bytes

def pinned(f):
    """A finding as the user sees it: (line, column, end line, end column), message, fix as (safe, edits)."""
    return ((f.line, f.column, f.end_line, f.end_column), f.message,
            None if f.fix is None else (f.fix.safe, [(e.start, e.end, e.replacement) for e in f.fix.edits]))


def created_finding(value, flavor="dendron", **settings):
    [f] = [f for f in findings(dendron(created=value), flavor, **settings) if f.line == 6]  # `created: ` is line 6
    return pinned(f)


DENDRON_ISO = "but Dendron stores integer epoch milliseconds"
EPOCH_ADVICE = "write integer epoch milliseconds such as 1701259204127"


@pytest.mark.parametrize("value, expected", [
    # a date and time PyYAML reads as a timestamp, which dates.read describes
    ("2023-11-29 12:00:00", ((6, 10, 6, 29), "created `2023-11-29 12:00:00` is a date and time separated by a space "
                             f"(Obsidian's Date & time needs a `T`), {DENDRON_ISO}: 2023-11-29T12:00:00Z (read in UTC) is "
                             "1701259200000; write 1701259200000", (True, [(82, 101, "1701259200000")]))),
    # YAML timestamps dates.read does not know (a lower-case `t`, a fraction after a space): read by PyYAML
    ("2001-12-14t21:59:43.10-05:00", ((6, 10, 6, 38), f"created 2001-12-14t21:59:43.10-05:00 is a YAML timestamp, {DENDRON_ISO}: "
                                      "2001-12-15T02:59:43.100Z is 1008385183100; write 1008385183100",
                                      (True, [(82, 110, "1008385183100")]))),
    ("2001-12-14 21:59:43.10", ((6, 10, 6, 32), f"created `2001-12-14 21:59:43.10` is a YAML timestamp, {DENDRON_ISO}: "
                                "2001-12-14T21:59:43.100Z (read in UTC) is 1008367183100; write 1008367183100",
                                (True, [(82, 104, "1008367183100")]))),
    # an ISO date outside the plausible range: the range problem replaces the advice, and nothing is fixed
    ("1980-01-01", ((6, 10, 6, 20), f"created 1980-01-01 is an ISO date, {DENDRON_ISO}: 1980-01-01T00:00:00Z (read in UTC) "
                    "is 315532800000; is 1980-01-01T00:00:00Z as milliseconds, before 1990, so not a time a note was "
                    "written; correct it by hand", None)),
    ("2999-01-01", ((6, 10, 6, 20), f"created 2999-01-01 is an ISO date, {DENDRON_ISO}: 2999-01-01T00:00:00Z (read in UTC) "
                    "is 32472144000000; is 2999-01-01T00:00:00Z as milliseconds, more than a day in the future; "
                    "correct it by hand", None)),
    ('"05/06/2023"', ((6, 10, 6, 22), 'created "05/06/2023" is ambiguous (day and month cannot be told apart in '
                      f"`05/06/2023`); {EPOCH_ADVICE}", None)),
    ('"2023-02-30"', ((6, 10, 6, 22), 'created "2023-02-30" is not a real date (day is out of range for month); '
                      f"{EPOCH_ADVICE}", None)),
    # YAML 1.1 floats may hold underscores
    ("1_701_259_204.5", ((6, 10, 6, 25), "created 1_701_259_204.5 is a decimal number of seconds (2023-11-29T12:00:04.500Z), "
                         f"{DENDRON_ISO}; write 1701259204500", (True, [(82, 97, "1701259204500")]))),
])
def test_dendron_date_like_values_are_pinned_message_span_and_fix(value, expected):
    assert created_finding(value) == expected


def test_dendron_values_that_are_not_scalars_say_list_or_mapping():
    text = "---\ncreated: {a: 1}\nupdated: [1]\n---\n"
    assert [pinned(f) for f in findings(text)] == [
        ((2, 10, 2, 16), f"created is a mapping, not a time; {EPOCH_ADVICE}", None),
        ((3, 10, 3, 13), f"updated is a list, not a time; {EPOCH_ADVICE}", None),
    ]
    assert [pinned(f)[1] for f in findings(text, "obsidian")] == [
        "created is a mapping, not a date; write `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (Obsidian's Date or Date & time)",
        "updated is a list, not a date; write `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (Obsidian's Date or Date & time)",
    ]


ANY = "`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (Obsidian's Date or Date & time)"
DATE = "`YYYY-MM-DD` (Obsidian's Date)"
DATETIME = "`YYYY-MM-DDTHH:MM:SS` (Obsidian's Date & time)"


def test_obsidian_format_mismatch_reports_only_the_value_of_the_other_kind():
    text = "---\ncreated: 2023-11-29\nupdated: 2023-11-30T08:15:00\n---\n"
    assert [pinned(f) for f in findings(text, "obsidian", format="date")] == [
        ((3, 10, 3, 29), f"updated 2023-11-30T08:15:00 is a Date & time, but this vault's format is {DATE}; "
                         "no automatic fix: it would drop the time", None)]
    assert [pinned(f) for f in findings(text, "obsidian", format="datetime")] == [
        ((2, 10, 2, 20), f"created 2023-11-29 is a Date, but this vault's format is {DATETIME}; "
                         "no automatic fix: the time of day is unknown", None)]


def test_obsidian_recognised_formats_are_rewritten_only_to_the_configured_kind():
    text = "---\ncreated: 2023/11/29\nupdated: 2023-11-29 18:30\n---\n"
    slash = "created 2023/11/29 is a date written with `/` (Obsidian's Date needs `YYYY-MM-DD`)"
    spaced = "updated `2023-11-29 18:30` is a date and time separated by a space (Obsidian's Date & time needs a `T`)"
    assert [pinned(f) for f in findings(text, "obsidian", format="datetime")] == [
        ((2, 10, 2, 20), f"{slash}; write {DATETIME} (no automatic fix: the time of day is unknown)", None),
        ((3, 10, 3, 26), f"{spaced}; write 2023-11-29T18:30:00", (True, [(33, 49, "2023-11-29T18:30:00")])),
    ]
    assert [pinned(f) for f in findings(text, "obsidian", format="date")] == [
        ((2, 10, 2, 20), f"{slash}; write 2023-11-29", (True, [(13, 23, "2023-11-29")])),
        ((3, 10, 3, 26), f"{spaced}; write {DATE} (no automatic fix: it would drop the time)", None),
    ]
    assert fixed(text, "obsidian", format="date") == "---\ncreated: 2023-11-29\nupdated: 2023-11-29 18:30\n---\n"


def test_obsidian_block_scalar_value_is_shown_without_its_indicator():
    [f] = findings("---\ncreated: |-\n  2023-11-29\n---\n", "obsidian", format="datetime")
    assert f.message == (f"created 2023-11-29 is a Date, but this vault's format is {DATETIME}; "
                         "no automatic fix: the time of day is unknown")


def test_obsidian_numbers_that_are_no_exact_time_are_not_dates():
    text = "---\ncreated: 1701259204127001\nupdated: 100000000\n---\n"
    assert [pinned(f) for f in findings(text, "obsidian")] == [
        ((2, 10, 2, 26), f"created 1701259204127001 is a number, not a date; write {ANY}", None),
        ((3, 10, 3, 19), f"updated 100000000 is a number, not a date; write {ANY}", None),
    ]
    assert [pinned(f)[1] for f in findings(text, "obsidian", format="datetime")] == [
        f"created 1701259204127001 is a number, not a date; write {DATETIME}",
        f"updated 100000000 is a number, not a date; write {DATETIME}",
    ]


def test_obsidian_epoch_values_are_not_fixed_when_the_format_is_date():
    text = "---\ncreated: 1701259204\nupdated: 1701259204000\n---\n"
    shown = "which Obsidian shows as a number, not a date"
    assert [pinned(f) for f in findings(text, "obsidian", format="date")] == [
        ((2, 10, 2, 20), f"created 1701259204 is a Unix time in seconds (2023-11-29T12:00:04Z), {shown}; write {DATE} "
                         "(no automatic fix: it would drop the time)", None),
        ((3, 10, 3, 23), f"updated 1701259204000 is a Unix time in milliseconds (2023-11-29T12:00:04Z), {shown}; "
                         f"write {DATE} (no automatic fix: it would drop the time)", None),
    ]


def test_obsidian_epoch_values_are_written_in_the_configured_timezone():
    [f] = findings("---\ncreated: 1701259204\n---\n", "obsidian", timezone="Asia/Tokyo")
    assert pinned(f) == ((2, 10, 2, 20), "created 1701259204 is a Unix time in seconds (2023-11-29T12:00:04Z), which "
                         "Obsidian shows as a number, not a date; write 2023-11-29T21:00:04 (Asia/Tokyo)",
                         (True, [(13, 23, "2023-11-29T21:00:04")]))


def test_obsidian_todays_date_is_not_in_the_future():
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert findings(f"---\ncreated: {today}\nupdated: {today}\n---\n", "obsidian") == []


def test_obsidian_a_value_exactly_a_day_ahead_is_not_the_future(monkeypatch):
    monkeypatch.setattr(dates, "now_ms", lambda: 1701277053000)  # 2023-11-29T16:57:33Z
    assert findings("---\ncreated: 2023-11-30T16:57:33\n---\n", "obsidian") == []
    [f] = findings("---\ncreated: 2023-11-30T16:57:34\n---\n", "obsidian")
    assert pinned(f) == ((2, 10, 2, 29), "created 2023-11-30T16:57:34 is more than a day in the future; a template "
                         "placeholder or a wrong clock? Correct it by hand", None)


# ---------------------------------------------------------------- the timezone setting

def test_timezone_utc_is_accepted_in_any_case():
    [f] = findings("---\ncreated: 1701259204\n---\n", "obsidian", timezone="utc")
    assert pinned(f)[1:] == ("created 1701259204 is a Unix time in seconds (2023-11-29T12:00:04Z), which Obsidian shows "
                             "as a number, not a date; write 2023-11-29T12:00:04 (utc)", (True, [(13, 23, "2023-11-29T12:00:04")]))


def test_timezone_local_is_the_machines_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        [f] = findings("---\ncreated: 1701259204\n---\n", "obsidian", timezone="local")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert pinned(f)[2] == (True, [(13, 23, "2023-11-29T21:00:04")])
    assert f.message.endswith("; write 2023-11-29T21:00:04 (local)")


def test_unknown_timezone_error_names_the_setting_and_the_accepted_names():
    from notelint.config import ConfigError

    with pytest.raises(ConfigError) as error:
        RULE({"timezone": "Mars/Olympus"}, "dendron")
    assert str(error.value) == ("`rules.frontmatter-timestamps.timezone`: unknown time zone 'Mars/Olympus' "
                                "(use an IANA name such as \"Europe/Berlin\", \"UTC\" or \"local\")")


# ---------------------------------------------------------------- missing and empty values, filled or not

def file_findings(tmp_path, text, flavor="dendron", fixing=False, path=None, **settings):
    """Findings on a note read from a file whose mtime is 2023-11-29T16:57:33Z."""
    note_path = tmp_path / "a.md"
    note_path.write_text(text)
    os.utime(note_path, (1701277053, 1701277053))
    note = Note.from_bytes(path or note_path, "a.md", text.encode(), flavor)
    rule = RULE({k.replace("_", "-"): v for k, v in settings.items()}, flavor)
    rule.fixing = fixing
    return [pinned(f) for f in rule.check(note)]


DENDRON_EMPTY = "---\nid: x\ncreated:\nupdated: 1701277053723\n---\n"
BY_HAND = 'fill it by hand, or set `fill-missing` to "git" or "mtime" to let `fix` fill it'


def test_dendron_empty_value_is_filled_from_mtime_as_epoch_milliseconds(tmp_path):
    assert file_findings(tmp_path, DENDRON_EMPTY, fill_missing="mtime") == [
        ((3, 1, 3, 8), "created is empty: Dendron requires integer epoch milliseconds; `fix` writes 1701277053000 "
                       "(the file's modification time)", (True, [(18, 18, " 1701277053000")]))]
    assert file_findings(tmp_path, DENDRON_EMPTY) == [
        ((3, 1, 3, 8), f"created is empty: Dendron requires integer epoch milliseconds; {BY_HAND}", None)]


def test_an_unreadable_mtime_is_said_with_the_reason_only(tmp_path):
    assert file_findings(tmp_path, DENDRON_EMPTY, fill_missing="mtime", path=tmp_path / "gone.md") == [
        ((3, 1, 3, 8), "created is empty: Dendron requires integer epoch milliseconds; cannot read the file's mtime "
                       "(No such file or directory); fill it by hand", None)]


def test_obsidian_empty_value_is_filled_in_the_configured_format_and_zone(tmp_path):
    text = "---\ncreated:\nupdated: 2023-11-29\n---\n"
    empty = f"created is empty: write {ANY}"
    assert file_findings(tmp_path, text, "obsidian", missing="report") == [((2, 1, 2, 8), f"{empty}; {BY_HAND}", None)]
    assert file_findings(tmp_path, text, "obsidian", missing="report", fill_missing="mtime", timezone="Asia/Tokyo") == [
        ((2, 1, 2, 8), f"{empty}; `fix` writes 2023-11-30T01:57:33 (the file's modification time)",
         (True, [(12, 12, " 2023-11-30T01:57:33")]))]
    assert file_findings(tmp_path, text, "obsidian", missing="report", fill_missing="mtime", format="date") == [
        ((2, 1, 2, 8), f"created is empty: write {DATE}; `fix` writes 2023-11-29 (the file's modification time)",
         (True, [(12, 12, " 2023-11-29")]))]


def test_obsidian_missing_value_says_the_expected_format(tmp_path):
    text = "---\nupdated: 2023-11-29\n---\n"
    missing = f"`created` is missing: expected as {ANY}"
    assert file_findings(tmp_path, text, "obsidian", missing="report") == [((1, 1, 1, 4), f"{missing}; {BY_HAND}", None)]
    assert file_findings(tmp_path, text, "obsidian", missing="report", fill_missing="mtime") == [
        ((1, 1, 1, 4), f"{missing}; `fix` adds 2023-11-29T16:57:33 (the file's modification time)",
         (True, [(24, 24, "created: 2023-11-29T16:57:33\n")]))]


def test_missing_value_in_flow_style_frontmatter_is_left_to_the_user(tmp_path):
    text = "---\n{id: x, updated: 1701277053723}\n---\n"
    assert file_findings(tmp_path, text, fill_missing="mtime") == [
        ((1, 1, 1, 4), "`created` is missing: Dendron requires it as integer epoch milliseconds; add it by hand", None)]


def test_git_fill_in_check_says_that_fix_would_fill_it(tmp_path):
    assert file_findings(tmp_path, "---\nid: x\nupdated: 1701277053723\n---\n", fill_missing="git") == [
        ((1, 1, 1, 4), "`created` is missing: Dendron requires it as integer epoch milliseconds; `notelint fix` fills "
                       "it from the file's git history (fill-missing = \"git\")", None)]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_fill_of_empty_values_takes_created_from_the_first_commit_and_updated_from_the_last(tmp_path):
    text = "---\nid: x\ncreated:\nupdated: ''\n---\n"
    note = tmp_path / "a.md"
    note.write_text(text)

    def git(*args, when=None):
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@t"}
        if when:
            env.update(GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "one", when=1701259204)
    note.write_text(text.replace("updated: ''", "updated:"))
    git("commit", "-q", "-am", "two", when=1701277053)
    rule = RULE({"fill-missing": "git"}, "dendron")
    rule.fixing = True
    found = [pinned(f) for f in rule.check(Note.from_bytes(note, "a.md", note.read_bytes(), "dendron"))]
    assert found == [
        ((3, 1, 3, 8), "created is empty: Dendron requires integer epoch milliseconds; `fix` writes 1701259204000 "
                       "(the file's first commit)", (True, [(18, 18, " 1701259204000")])),
        ((4, 1, 4, 8), "updated is empty: Dendron requires integer epoch milliseconds; `fix` writes 1701277053000 "
                       "(the file's last commit)", (True, [(27, 27, " 1701277053000")])),
    ]


def test_reported_missing_names_only_absent_keys_and_only_when_missing_values_are_reported():
    text = "---\nid: x\nupdated: 1701277053723\n---\n"
    assert RULE({}, "dendron").reported_missing(Note.from_text(text, "a.md", "dendron")) == {"created"}
    assert RULE({}, "obsidian").reported_missing(Note.from_text(text, "a.md", "obsidian")) == set()
    assert RULE({"missing": "report"}, "obsidian").reported_missing(Note.from_text(text, "a.md", "obsidian")) == {"created"}


# ---------------------------------------------------------------- bump-updated (one fix pass, the clock fixed)

NOW = 1701277053723  # 2023-11-29T16:57:33.723Z: 2023-11-30T01:57:33 in Tokyo


def bump_findings(monkeypatch, before, after, flavor="obsidian", **settings):
    """The bump-updated findings on `after`, a fix pass's text of the note read as `before`."""
    monkeypatch.setattr(dates, "now_ms", lambda: NOW)
    note = Note.from_text(before, "a.md", flavor).derive(after)
    rule = RULE({"bump-updated": True, **{k.replace("_", "-"): v for k, v in settings.items()}}, flavor)
    rule.fixing = True
    return [pinned(f) for f in rule.check(note) if "bump-updated" in f.message]


def test_bump_writes_now_in_the_configured_zone_keeping_a_date_and_time(monkeypatch):
    after = "---\ncreated: 2023-11-29\nupdated: 2023-11-29T08:00:00\n---\nBody\n"
    assert bump_findings(monkeypatch, after.replace("Body", "Body  "), after, timezone="Asia/Tokyo") == [
        ((3, 10, 3, 29), "the note's body was changed by `fix`: updated set to now (2023-11-30T01:57:33) (bump-updated)",
         (True, [(33, 52, "2023-11-30T01:57:33")]))]


def test_bump_keeps_a_date_a_date_and_its_quotes(monkeypatch):
    after = "---\ncreated: 2023-11-29\nupdated: '2023-11-29'\n---\nBody\n"
    assert bump_findings(monkeypatch, after.replace("Body", "Body  "), after, timezone="Asia/Tokyo") == [
        ((3, 10, 3, 22), "the note's body was changed by `fix`: updated set to now (2023-11-30) (bump-updated)",
         (True, [(34, 44, "2023-11-30")]))]


def test_dendron_bump_writes_a_bare_integer_over_a_quoted_value(monkeypatch):
    after = "---\nid: x\ncreated: 1701259204127\nupdated: '1701259204127'\n---\nBody\n"
    assert bump_findings(monkeypatch, after.replace("Body", "Body  "), after, "dendron") == [
        ((4, 10, 4, 25), "the note's body was changed by `fix`: updated set to now (1701277053723) (bump-updated)",
         (True, [(42, 57, "1701277053723")]))]


def test_bump_happens_once_a_run_and_not_on_a_value_the_fix_wrote(monkeypatch):
    after = "---\ncreated: 2023-11-29\nupdated: 2023-11-30\n---\nBody\n"
    bumped_already = after.replace("Body", "Body  ").replace("2023-11-30", "2023-11-29")
    assert bump_findings(monkeypatch, bumped_already, after) == []
    filled = after.replace("Body", "Body  ").replace("updated: 2023-11-30\n", "")
    assert bump_findings(monkeypatch, filled, after) == []
    assert len(bump_findings(monkeypatch, after.replace("Body", "Body  "), after)) == 1


def test_dendron_range_message_keeps_a_key_with_a_semicolon_whole():
    text = "---\nid: x\ncreated;ms: 1980-01-01\nupdated: 1701277053723\n---\n"
    assert [pinned(f) for f in findings(text, created_keys=["created;ms"])] == [
        ((3, 13, 3, 23), f"created;ms 1980-01-01 is an ISO date, {DENDRON_ISO}: 1980-01-01T00:00:00Z (read in UTC) is "
                         "315532800000; is 1980-01-01T00:00:00Z as milliseconds, before 1990, so not a time a note was "
                         "written; correct it by hand", None)]


def test_dendron_quoted_numbers_with_an_explicit_number_tag_are_numbers():
    # `!!int "…"` is an integer to every YAML reader, Dendron's js-yaml included: not "not a time (int)"
    assert findings(dendron(created='!!int "1701259204127"')) == []
    assert created_finding('!!int "1701259204"') == (
        (6, 10, 6, 28), "created 1701259204 looks like seconds: as milliseconds it is 1970-01-20; as seconds it is "
                        "2023-11-29T12:00:04Z; write 1701259204000", (True, [(82, 100, "1701259204000")]))
    assert created_finding('!!float "1701259204.5"') == (
        (6, 10, 6, 32), f"created 1701259204.5 is a decimal number of seconds (2023-11-29T12:00:04.500Z), {DENDRON_ISO}; "
                        "write 1701259204500", (True, [(82, 104, "1701259204500")]))


def test_a_block_scalar_value_is_replaced_without_the_line_break_that_ends_it():
    # the value's span used to run over its final line break, so the fix joined it to the next key
    # (and the engine refused the fix as unparseable)
    assert fixed("---\ncreated: |\n  1701259204127\nupdated: 1701259204127\n---\n") == (
        "---\ncreated: 1701259204127\nupdated: 1701259204127\n---\n")
    assert fixed("---\ncreated: >\n  1701259204\n\nupdated: 1701259204127\n---\n") == (
        "---\ncreated: 1701259204000\n\nupdated: 1701259204127\n---\n")
    text = "---\ncreated: |-\n  2023/11/29\nupdated: 2023-11-29\n---\n"
    [f] = findings(text, "obsidian")
    assert pinned(f) == ((2, 10, 3, 13), "created 2023/11/29 is a date written with `/` (Obsidian's Date needs "
                         "`YYYY-MM-DD`); write 2023-11-29", (True, [(13, 28, "2023-11-29")]))
    assert fixed(text, "obsidian") == "---\ncreated: 2023-11-29\nupdated: 2023-11-29\n---\n"
