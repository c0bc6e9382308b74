"""section-label: the labels of a vault's sections are written one way (bold, plain or as
headings, with one kind of colon)."""

from __future__ import annotations

from notelint.example_files import PAPER_NOTE, PAPER_TEMPLATE
from notelint.finding import Edit
from notelint.options import Option
from notelint.rule import Rule
from notelint.sections import Label, labels, normalize, schema_for, schemas_from

STYLE_NAMES = {"bold": "bold (`**…**`)", "underscore": "bold with underscores (`__…__`)", "plain": "plain",
               "heading": "a heading"}


class SectionLabel(Rule):
    name = "section-label"
    code = "NL302"
    summary = "A section label is written differently from the vault's form (e.g. not bold, other colon)"
    rationale = (
        "Labels that look alike make templated notes easy to scan and keep them matchable by scripts and "
        "queries. The labels checked are the sections (required and optional) of the required-sections "
        "schema that applies to the note, plus the `labels` option for every note; unknown words followed "
        "by a colon are never touched. `style` is the form labels take and `colon` the colon after them. "
        "The fix rewrites only the label's own characters and its colon (`- 贡献和创新点：` becomes "
        "`- **贡献和创新点**：`); a label written as a heading where the style is a label, or the "
        "reverse, is reported without a fix, since its content would have to move. With no schema and no "
        "`labels` configured the rule does nothing."
    )
    bad = "## Paper A\n- **研究背景**：…\n- 研究方法：…\n"
    good = "## Paper A\n- **研究背景**：…\n- **研究方法**：…\n"
    example_note = PAPER_NOTE
    example_files = PAPER_TEMPLATE
    fix = "safe"
    # findings depend on the note and the options of this rule and required-sections (`prepare`
    # reads only those): the cache keeps them, and workers check them
    cacheable = True
    reads_options_of = ("required-sections",)
    options = (
        Option("style", ("bold", "plain", "heading"), "bold",
               "How section labels are written: `bold` (`- **研究背景**：…`), `plain` (`- 研究背景：…`) or "
               "`heading` (`### 研究背景`, reported only: no fix)."),
        Option("colon", ("keep", "fullwidth", "ascii"), "keep",
               "The colon after a label: `keep` accepts `:` and `：`; `fullwidth` wants `：`; `ascii` wants `:` "
               "(followed by a space, which the fix adds)."),
        Option("labels", list, [],
               "Labels to check in every note (in list items and paragraphs; headings only count as sections "
               "where a schema says so), in addition to the sections of the required-sections schema that "
               "applies to the note (`[[rules.required-sections.schemas]]`)."),
    )

    def __init__(self, settings=None, flavor="obsidian"):
        super().__init__(settings, flavor)
        self.schemas = []

    def prepare(self, ws):
        """The known labels come from required-sections' schemas, configured for the vault."""
        self.schemas = schemas_from(self.options_of("required-sections", ws))
        return ()

    def check(self, note):
        extra = {normalize(label) for label in self.settings["labels"]}
        schema = schema_for(self.schemas, note.rel)
        sections = set(schema.known()) if schema is not None else set()
        if not extra and not sections:
            return
        for label in labels(note, note.body_start, len(note.text), (schema.level if schema else 0) + 1):
            # a heading is a section only where a schema says so: `## Summary` in any note is structure
            if label.key in sections or (label.key in extra and label.kind != "heading"):
                finding = self._check_label(note, label)
                if finding is not None:
                    yield finding

    def _check_label(self, note, label: Label):
        style = self.settings["style"]
        if style == "heading":
            if label.kind == "heading":
                return None
            return self.finding(note, label.start, label.end,
                                f"section label `{label.text}` is written as a {STYLE_NAMES[label.style]} label; "
                                f"this vault writes sections as headings: make it a heading (no automatic fix)")
        if label.kind == "heading":
            return self.finding(note, label.start, label.end,
                                f"section `{label.text}` is written as a heading; this vault writes sections as "
                                f"{style} labels (`{self._form(label.text, '：')}`): rewrite it (no automatic fix)")
        colon = {"keep": label.colon, "fullwidth": "：", "ascii": ":"}[self.settings["colon"]]
        end = label.end
        text = note.text
        if colon == "：" and label.colon == ":":
            while end < len(text) and text[end] in " \t":
                end += 1  # `: text` becomes `：text`
        elif colon == ":" and label.colon == "：" and end < len(text) and not text[end].isspace():
            colon += " "  # `：text` becomes `: text`
        wanted = self._form(text[label.text_start:label.text_end], colon)
        if text[label.start:end] == wanted:
            return None
        problems = []
        if label.style != style:
            problems.append(f"is {STYLE_NAMES[label.style]}, not {style}")
        if label.colon_inside:
            problems.append("has its colon inside the bold")
        if label.colon != colon.strip():
            problems.append(f"is followed by `{label.colon}`, not `{colon.strip()}`")
        if not problems:
            problems.append("is spaced differently")
        said = problems[0] if len(problems) == 1 else ", ".join(problems[:-1]) + ", and " + problems[-1]
        return self.finding(note, label.start, end,
                            f"section label `{label.text}` {said}; write it `{wanted.strip()}`",
                            [Edit(label.start, end, wanted)])

    def _form(self, words: str, colon: str) -> str:
        return f"**{words}**{colon}" if self.settings["style"] == "bold" else f"{words}{colon}"
