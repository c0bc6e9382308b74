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
