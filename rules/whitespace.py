"""whitespace: trailing whitespace, runs of blank lines, missing final newline."""

from notelint.finding import Edit
from notelint.options import Option
from notelint.plugin_rule import PluginRule
from notelint.rule import Rule

BREAK_SPACES = {False: 0, True: 2}  # the plugin's "Two Space Linebreak" as `br-spaces`


class Whitespace(Rule):
    name = "whitespace"
    code = "NL003"
    summary = "Trailing whitespace (a two-space hard break is kept), runs of blank lines, missing final newline"
    rationale = (
        "Invisible whitespace makes noisy diffs and merge conflicts in a synced or versioned vault. "
        "Two trailing spaces are a Markdown hard line break and are kept; tabs and other runs are not. "
        "Code blocks, HTML blocks and frontmatter are never touched: there whitespace is content."
    )
    bad = "Three spaces end this line   \n\n\n\nThree blank lines above, and no newline at the end"
    good = "No space ends this line\n\nOne blank line above, and a newline at the end\n"
    fix = "safe"
    options = (
        Option("max-blank-lines", int, 1, "Most consecutive blank lines allowed (at least 1: a blank line ends a paragraph, list or HTML block; none are allowed at the end of the file).", minimum=1),
        Option("br-spaces", int, 2, "Trailing spaces that make a hard line break and are allowed (0 allows none).", minimum=0),
        Option("strict", bool, False, "Allow `br-spaces` trailing spaces only where they make a break: before another line of the same paragraph."),
        Option("final-newline", bool, True, "Require the file to end with exactly one line break (no blank lines after it)."),
        Option("trailing-spaces", bool, True, "Report trailing whitespace (the Obsidian Linter's `trailing-spaces`)."),
        Option("blank-lines", bool, True, "Report runs of more than `max-blank-lines` blank lines (the Obsidian Linter's "
               "`consecutive-blank-lines`)."),
    )
    # The plugin splits this rule in three; each part follows its plugin rule's switch on import.
    plugin = (
        PluginRule("trailing-spaces", options={"twp-space-line-break": "br-spaces", "two-space-line-break": "br-spaces"},
                   values={"twp-space-line-break": BREAK_SPACES, "two-space-line-break": BREAK_SPACES},
                   sets={"trailing-spaces": True, "br-spaces": 0}, unsets={"trailing-spaces": False}),
        PluginRule("consecutive-blank-lines", sets={"blank-lines": True, "max-blank-lines": 1}, unsets={"blank-lines": False}),
        PluginRule("line-break-at-document-end", sets={"final-newline": True}, unsets={"final-newline": False}),
    )
    markdownlint = "MD009, MD012, MD047"

    def check(self, note):
        text = note.text
        if not text:
            return
        lines = note.lines
        count = len(lines)
        if text.endswith(("\n", "\r")):
            count -= 1  # the empty "line" after the final line break is not a line
        first = lines.index_of(note.body_start) if note.frontmatter.present else 0
        if lines.starts[first] < note.body_start:
            first += 1  # the closing fence is the last line, with no line break: no body at all
        if note.frontmatter.present and note.frontmatter.error and note.frontmatter.block_end >= len(text):
            return  # an unclosed frontmatter: where the body starts is unknown
        verbatim = note.markdown.verbatim_lines()
        br = self.settings["br-spaces"]
        strict = self.settings["strict"]
        max_blank = self.settings["max-blank-lines"]
        trailing = self.settings["trailing-spaces"]
        interior = self.settings["blank-lines"]
        at_end = interior or self.settings["final-newline"]

        def blank(i: int) -> bool:
            return i < count and not lines.line(i).strip(" \t") and i not in verbatim

        runs = []  # (first, stop, at_eof) of each run of blank lines
        run_start = None
        for i in range(first, count + 1):
            if i < count and blank(i):
                if run_start is None:
                    run_start = i
            elif run_start is not None:
                runs.append((run_start, i, i == count))
                run_start = None
        removed: set[int] = set()  # blank lines a run's fix deletes: not reported twice
        for run_first, stop, at_eof in runs:
            if not (at_end if at_eof else interior):
                continue
            allowed = 0 if at_eof else max_blank
            if stop - run_first > allowed:
                removed.update(range(run_first + allowed, stop))
                yield self._blank_run(note, run_first, stop, at_eof, max_blank)
        # a heading's last line cannot end in a hard break (earlier lines of a setext heading can)
        headings = {lines.index_of(h.text_end) for h in note.markdown.headings}
        for i in range(first, count if trailing else 0):
            if i in verbatim or i in removed:
                continue
            content = lines.line(i)
            stripped = content.rstrip(" \t")
            trail = len(content) - len(stripped)
            if not trail:
                continue
            end = lines.ends[i]
            start = end - trail
            tail = content[len(stripped):]
            continues = i + 1 < count and not blank(i + 1) and (i + 1) not in verbatim and i not in headings
            if stripped and br and tail == " " * br and (continues or (not strict and i not in headings)):
                continue  # a hard line break
            if stripped and br and set(tail) == {" "} and len(tail) > br and continues:
                # more spaces than a hard break needs, before a continuation line: keep the break
                yield self.finding(note, start, end, f"{trail} trailing spaces: a hard line break needs {br}; trim to {br}",
                                   [Edit(start + br, end, "")])
                continue
            what = "whitespace-only line" if not stripped else f"trailing whitespace ({_describe(tail)})"
            if not stripped and text[start - 1 : start] == "\r" and text[end : end + 1] == "\n":
                # emptying it would fuse the lone CR before and the LF after into one CRLF break,
                # deleting the line and joining the paragraphs around it: report, do not fix
                yield self.finding(note, start, end, f"{what} between a CR and an LF line ending; remove it by hand")
                continue
            yield self.finding(note, start, end, f"{what}; remove it", [Edit(start, end, "")])
        if self.settings["final-newline"] and not text.endswith(("\n", "\r")) and not blank(count - 1):
            # (a last line of only whitespace is already reported as a blank line at the end)
            yield self.finding(note, len(text), None, "no line break at the end of the file; add one",
                               [Edit(len(text), len(text), note.newline)])

    def _blank_run(self, note, first: int, stop: int, at_eof: bool, max_blank: int):
        """Lines first..stop-1 are blank, more than allowed: one finding deleting the excess."""
        lines = note.lines
        allowed = 0 if at_eof else max_blank
        n = stop - first
        excess_first = first + allowed
        start = lines.starts[excess_first]
        if at_eof:
            # keep the line break that ends the last content line; drop everything after it
            start = lines.ends[excess_first - 1] if excess_first > 0 else 0
            start = start + len(_break_at(note.text, start)) if excess_first > 0 else 0
            end = len(note.text)
            message = f"{n} blank line{'s' if n > 1 else ''} at the end of the file; remove {'them' if n > 1 else 'it'}"
        else:
            end = lines.starts[stop]
            message = f"{n} consecutive blank lines (at most {max_blank} allowed); remove {n - allowed}"
        return self.finding(note, lines.starts[excess_first], None, message, [Edit(start, end, "")])


def _break_at(text: str, pos: int) -> str:
    if text.startswith("\r\n", pos):
        return "\r\n"
    if pos < len(text) and text[pos] in "\r\n":
        return text[pos]
    return ""


def _describe(tail: str) -> str:
    tabs = tail.count("\t")
    spaces = len(tail) - tabs
    parts = []
    if spaces:
        parts.append(f"{spaces} space{'s' if spaces > 1 else ''}")
    if tabs:
        parts.append(f"{tabs} tab{'s' if tabs > 1 else ''}")
    return " and ".join(parts)
