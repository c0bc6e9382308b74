"""The small mistakes of issue "Tests that catch bugs", planted one at a time: `python tools/planted_mistakes.py`.

Each mistake is put into a throw-away worktree of HEAD, the tests written for it are run there
(the CLI's child processes import the planted copy too), and the line says whether they caught it
and with which test. Exit 1 if any slipped past. The tab-indent position bug itself (issue 20) cannot
come back in its old form: pyromark reports ranges in the source, with no container prefix
stripped, so it is planted as a tab no longer read as part of a line's container prefix.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

MAIN = Path(__file__).resolve().parents[1]
WT = Path(tempfile.mkdtemp(prefix="notelint-planted-")) / "tree"
PLANTS = [
 ("offset map bisect_right -> bisect_left (ByteMap; _ContentMap before pyromark)", "notelint/markdown.py", "k = bisect.bisect_right(self.bytes_at, b) - 1", "k = bisect.bisect_left(self.bytes_at, b) - 1", ["tests/test_nested_positions.py", "tests/test_positions.py"]),
 ("%% inside code opens a comment", "notelint/mdscan.py", "marks = [body_start + p for p in marks if not in_code(body_start + p)]", "marks = [body_start + p for p in marks]", ["tests/test_comments_in_code.py"]),
 (".obsidian/app.json dropped from the cache key", "notelint/cache.py", '        "app": vault.app,\n', "", ["tests/test_cache_key.py"]),
 ("time zone dropped from the cache key", "notelint/cache.py", '        "tz": _time_zone(),', "", ["tests/test_cache_key.py"]),
 ("inside-the-vault by string prefix (resolve)", "notelint/resolve.py", "return os.path.commonpath([real, real_root]) == real_root", "return real.startswith(real_root)", ["tests/test_containment.py"]),
 ("inside-the-vault by string prefix (checking)", "notelint/checking.py", "if os.path.commonpath([real, root]) != root:", "if not real.startswith(root):", ["tests/test_containment.py"]),
 ("guard on a fix that no longer parses deleted", "notelint/engine.py", "if current is not note and current.frontmatter.error and not note.frontmatter.error:", "if False:", ["tests/test_fix_guards.py"]),
 ("fix-pass bound 100 -> 4", "notelint/engine.py", "MAX_FIX_PASSES = 100", "MAX_FIX_PASSES = 4", ["tests/test_fix_guards.py"]),
 ("decimal epoch gets a digit-dropping fix", "rules/frontmatter_timestamps.py", "if value == value.to_integral_value() and dates.plausible_ms(int(value)):", "if dates.plausible_ms(int(value)):", ["tests/test_timestamp_values.py", "tests/test_frontmatter_timestamps.py"]),
 ("a tab in a line's container prefix not read as prefix", "notelint/mdscan.py", 'while i >= 0 and text[i] in " \\t>":', 'while i >= 0 and text[i] in " >":', ["tests/test_nested_positions.py"]),
 ("disable-next-line counted from the comment's start", "notelint/suppression.py", "target = note.position(comment.end)[0] + 1", "target = note.position(comment.start)[0] + 1", ["tests/test_suppression.py"]),
 ("range directive not applied on its own line", "notelint/suppression.py", "k = bisect.bisect_right(self._range_lines, line) - 1", "k = bisect.bisect_left(self._range_lines, line) - 1", ["tests/test_suppression.py"]),
]
def sh(*a, **k):
    return subprocess.run(a, capture_output=True, text=True, **k)


sh("git", "-C", str(MAIN), "worktree", "add", "--detach", str(WT), "HEAD")
(WT / "notelint" / "rules").symlink_to("../rules")  # as installed: the rules are notelint.rules
ENV = dict(os.environ, PYTHONPATH=str(WT))  # the CLI's child processes import the planted copy too
ok = True
for what, path, old, new, tests in PLANTS:
    f = WT / path; orig = f.read_text()
    if old is None:  # a whole file from before a fix
        f.write_text(sh("git", "-C", str(MAIN), "show", f"{new}:{path}").stdout)
    else:
        assert orig.count(old) == 1, (what, old)
        f.write_text(orig.replace(old, new))
    r = sh(sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", *tests, cwd=WT, env=ENV)
    f.write_text(orig)
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-200:]
    failed = [l for l in r.stdout.splitlines() if l.startswith("FAILED")]
    caught = r.returncode == 1
    ok &= caught
    print(f"{'CAUGHT' if caught else 'MISSED'}  {what}: {path}\n    by {failed[0].split(' - ')[0].removeprefix('FAILED ') if failed else '-'}  ({last})")
sh("git", "-C", str(MAIN), "worktree", "remove", "--force", str(WT))
sys.exit(0 if ok else 1)
