"""frontmatter-timestamps: created/updated values that tools will misread."""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo

import yaml

from notelint import dates, yaml_edit
from notelint.config import ConfigError
from notelint.finding import Edit, Fix
from notelint.options import Option
from notelint.rule import Rule

FORMAT_HELP = {
    "date": "`YYYY-MM-DD` (Obsidian's Date)",
    "datetime": "`YYYY-MM-DDTHH:MM:SS` (Obsidian's Date & time)",
    "any": "`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (Obsidian's Date or Date & time)",
}


class FrontmatterTimestamps(Rule):
    name = "frontmatter-timestamps"
    code = "NL101"
    summary = "created/updated missing, unparseable, in the wrong unit or format, in the future, or updated before created"
    rationale = (
        "Timestamps are what sync tools, templates and hand edits break most often. Dendron stores "
        "`created` and `updated` as integer Unix epoch milliseconds; a value in seconds (`1701259204`) "
        "is read as a day in January 1970, a quoted or ISO value is not read at all. Obsidian reads a "
        "property as a Date only as `YYYY-MM-DD` and as a Date & time only as `YYYY-MM-DDTHH:MM:SS`; "
        "anything else (obsidian-linter's default `Wednesday, November 29th 2023, 12:00:04 pm`, "
        "`2023/11/29`) is plain text that cannot be sorted or queried as a date. Each message says what "
        "was read and what it means. `fix` changes only what is unambiguous (seconds to milliseconds, "
        "an ISO date to epoch milliseconds in Dendron, a recognised format to the configured one), "
        "splicing only the value's characters; it never invents a missing value unless `fill-missing` "
        "names where to take it from, never fixes `updated` before `created` (which one is wrong is a "
        "guess; an `updated` up to `order-tolerance-ms` earlier is not reported, as Dendron writes one "
        "a millisecond early itself), and never bumps `updated` just because it ran."
    )
    bad = "---\nid: omjodjubwiwpch2g5i4o0wo\ncreated: 1701259204\nupdated: '2023-11-30'\n---\n"
    good = "---\nid: omjodjubwiwpch2g5i4o0wo\ncreated: 1701259204000\nupdated: 1701302400000\n---\n"
    example_files = {"dendron.yml": "version: 5\n"}
    fix = "safe"
    options = (
        Option("created-keys", list, ["created"], "Keys holding the creation time; the first one present is used (Obsidian users also write `date`, `date created`)."),
        Option("updated-keys", list, ["updated"], "Keys holding the last update time; the first one present is used (e.g. `modified`, `date modified`)."),
        Option("format", ("any", "date", "datetime"), "any", "Obsidian vaults: the expected value format, `date` (`YYYY-MM-DD`), `datetime` (`YYYY-MM-DDTHH:MM:SS`) or `any` of the two. Dendron always uses epoch milliseconds."),
        Option("missing", ("flavor", "report", "ignore"), "flavor", "Report a missing or empty value: `flavor` reports it in Dendron vaults only (Dendron requires both keys; in Obsidian require them with frontmatter-fields if you want them)."),
        Option("fill-missing", ("none", "git", "mtime"), "none", "Let `fix` fill a value reported missing or empty (see `missing`) from `git` (first and last commit of the file, `git log --follow`; asked only by `fix`) or the file's `mtime` (for both keys). Filling is a guess, so it is off by default."),
        Option("timezone", str, "UTC", "Time zone for values written without one: ISO dates converted to epoch milliseconds, and epoch values or filled values written as Obsidian dates (an IANA name such as `Europe/Berlin`, or `local`)."),
        Option("order-tolerance-ms", int, 1000, "How much earlier than `created` an `updated` value may be, in "
               "milliseconds, before it is reported: Dendron itself writes `updated` a millisecond before `created` "
               "when it creates a note (`updated: 1645111451740`, `created: 1645111451741`). 0 reports any such "
               "order.", minimum=0),
        Option("bump-updated", bool, False, "When `fix` changed a note's body, set its `updated` value to the current time (never when only the frontmatter changed, never in `check`)."),
    )

    def __init__(self, settings=None, flavor="obsidian"):
        super().__init__(settings, flavor)
        self.zone = _zone(self.settings["timezone"])

    # ------------------------------------------------------------------ checking
    def check(self, note):
        fm = note.frontmatter
        if fm.error:
            return
        values = {}
        for role in ("created", "updated"):
            keys = self.settings[f"{role}-keys"]
            present = [k for k in keys if fm.key_node(k) is not None]
            if not present:
                if self.reports_missing:
                    yield self._missing(note, role, keys[0])
                continue
            for i, key in enumerate(present):
                ms, finding = self._check_value(note, role, key)
                if finding is not None:
                    yield finding
                if i == 0:
                    values[role] = (key, ms)
        created, updated = values.get("created"), values.get("updated")
        # Dendron's `DNodeUtils.create` (common-all/src/dnode.ts) fills `updated: Time.now().toMillis()`
        # and then `created: Time.now().toMillis()`: the clock may tick between the two, so a note Dendron
        # just created can have `updated` a millisecond before `created`. Not worth a finding.
        tolerance = self.settings["order-tolerance-ms"]
        if (created and updated and created[1] is not None and updated[1] is not None
                and updated[1] < created[1] - tolerance):
            node = fm.key_node(updated[0])[1]
            start, end = yaml_edit.value_span(note, node)
            yield self.finding(
                note, start, end,
                f"{_key(updated[0])} {_raw(node)}{self._show(updated[1])} is before {_key(created[0])} "
                f"{_raw(fm.key_node(created[0])[1])}{self._show(created[1])}; no automatic fix: "
                "which of the two is wrong is a guess, correct it by hand",
            )
        bump = self._bump(note, values.get("updated"))
        if bump is not None:
            yield bump

    @property
    def cacheable(self) -> bool | None:
        """With `fill-missing = "mtime"` a finding depends on the file's mtime, not only its bytes."""
        return False if self.settings["fill-missing"] == "mtime" else None

    # "More than a day in the future" reads the clock: a note with a finding of this rule is
    # checked afresh on every run (see `Rule.clock_dependent`); every other check is time-free,
    # and a value that is not in the future today will not be tomorrow.
    clock_dependent = True

    @property
    def reports_missing(self) -> bool:
        """Whether a missing value is reported (frontmatter-fields leaves these keys to this rule then)."""
        policy = self.settings["missing"]
        return policy == "report" or (policy == "flavor" and self.flavor == "dendron")

    def reported_missing(self, note) -> set[str]:
        """Keys this rule reports as missing in the note (frontmatter-fields leaves them to it)."""
        fm = note.frontmatter
        if not self.reports_missing or fm.error:
            return set()
        out = set()
        for role in ("created", "updated"):
            keys = self.settings[f"{role}-keys"]
            if all(fm.key_node(k) is None for k in keys):
                out.add(keys[0])
        return out

    def _show(self, ms: int) -> str:
        """An epoch value as a readable time, for messages (Obsidian values are readable already)."""
        return f" ({dates.iso_utc(ms)})" if self.flavor == "dendron" else ""

    def _check_value(self, note, role, key):
        """(value in epoch ms or None, finding or None) for one present key."""
        node = note.frontmatter.key_node(key)[1]
        start, end = yaml_edit.value_span(note, node)
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            noun = "time" if self.flavor == "dendron" else "date"
            return None, self.finding(note, start, end, f"{_key(key)} is {kind}, not a {noun}; write {self._expected()}")
        if node.tag.endswith(":null"):
            if not self.reports_missing:
                return None, None
            return None, self._empty(note, role, key, node)
        if self.flavor == "dendron":
            return self._dendron(note, key, node, start, end)
        return self._obsidian(note, key, node, start, end)

    def _expected(self) -> str:
        if self.flavor == "dendron":
            return "integer epoch milliseconds such as 1701259204127"
        return FORMAT_HELP[self.settings["format"]]

    # ------------------------------------------------------------------ Dendron
    def _dendron(self, note, key, node, start, end):
        raw = node.value
        tag = node.tag.rsplit(":", 1)[-1]
        # a quoted scalar is a string unless explicitly tagged (`!!int "1701259204127"`): then it is a
        # number to every YAML reader, Dendron's included
        if tag == "int":
            value = note.frontmatter.data.get(key)
            if not isinstance(value, int) or isinstance(value, bool):
                return None, None
            return self._dendron_int(note, key, raw, value, start, end, "")
        if tag == "float":
            return self._dendron_float(note, key, raw, start, end)
        if tag in ("str", "timestamp"):
            text = raw.strip()
            if text.isascii() and text.isdigit():  # `'²'` and `'١٢'` are digits to Python, not numbers to Dendron (JS)
                return self._dendron_int(note, key, raw, int(text), start, end,
                                         f"{_key(key)} {_raw(node)} is a string, not an integer")
            reading = dates.read(text)
            if reading is None and tag == "timestamp":
                moment = note.frontmatter.data.get(key)
                if isinstance(moment, datetime):
                    reading = dates.Reading("other", moment, True, "a YAML timestamp")
            if reading is not None and reading.moment is not None:
                ms = dates.to_ms(reading.moment, self.zone)
                what = {"date": "an ISO date", "datetime": "an ISO date and time"}.get(reading.kind, reading.described or "a date")
                zone_note = "" if reading.moment.tzinfo is not None else f" (read in {self.settings['timezone']})"
                message = (f"{_key(key)} {_raw(node)} is {what}, but Dendron stores integer epoch milliseconds: "
                           f"{dates.iso_utc(ms)}{zone_note} is {ms}; write {ms}")
                if not dates.plausible_ms(ms):
                    return ms, self.finding(note, start, end, message.rsplit(";", 1)[0] + f"; {self._range_problem(ms)}")
                return ms, self.finding(note, start, end, message, [Edit(start, end, str(ms))])
            if reading is not None and reading.kind in ("impossible", "ambiguous"):
                what = "is not a real date" if reading.kind == "impossible" else "is ambiguous"
                return None, self.finding(note, start, end, f"{_key(key)} {_raw(node)} {what} ({reading.problem}); "
                                          "write integer epoch milliseconds such as 1701259204127")
            return None, self.finding(note, start, end, f"{_key(key)} {_raw(node)} cannot be read as a time; Dendron expects "
                                      "integer epoch milliseconds such as 1701259204127")
        return None, self.finding(note, start, end, f"{_key(key)} {_raw(node)} is not a time ({tag}); Dendron expects "
                                  "integer epoch milliseconds such as 1701259204127")

    def _dendron_int(self, note, key, raw, value, start, end, prefix):
        """An integer value, written bare (`prefix` empty) or quoted (`prefix` says so)."""
        if dates.plausible_ms(value):
            if prefix:
                return value, self.finding(note, start, end, f"{prefix}: Dendron reads only a bare integer; write {value}",
                                           [Edit(start, end, str(value))])
            return value, None
        guess = dates.guess_unit(value)
        lead = f"{prefix}, and" if prefix else f"{_key(key)} {raw}"
        if guess is None:
            return None, self.finding(note, start, end, f"{lead} {self._range_problem(value)}")
        message = (f"{lead} looks like {guess.unit}: as milliseconds it is {dates.iso_day(value)}; "
                   f"as {guess.unit} it is {dates.iso_utc(guess.ms)}")
        if guess.exact:
            return guess.ms, self.finding(note, start, end, message + f"; write {guess.ms}", [Edit(start, end, str(guess.ms))])
        return guess.ms, self.finding(note, start, end, message + f"; write {guess.ms} by hand (no automatic fix: "
                                      "it drops the digits below a millisecond)")

    def _range_problem(self, ms: int) -> str:
        if ms > dates.now_ms() + dates.DAY_MS:
            return f"is {dates.iso_utc(ms)} as milliseconds, more than a day in the future; correct it by hand"
        return f"is {dates.iso_utc(ms)} as milliseconds, before 1990, so not a time a note was written; correct it by hand"

    def _dendron_float(self, note, key, raw, start, end):
        from decimal import Decimal, InvalidOperation  # exact digits of `1701259204.127`; rare, so imported here

        try:
            number = Decimal(raw.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            as_ms, as_seconds = number, number * 1000
            for value, unit in ((as_ms, "milliseconds"), (as_seconds, "seconds")):
                if value == value.to_integral_value() and dates.plausible_ms(int(value)):
                    ms = int(value)
                    return ms, self.finding(note, start, end, f"{_key(key)} {raw} is a decimal number of {unit} "
                                            f"({dates.iso_utc(ms)}), but Dendron stores integer epoch milliseconds; "
                                            f"write {ms}", [Edit(start, end, str(ms))])
        return None, self.finding(note, start, end, f"{_key(key)} {raw} is not an integer; Dendron expects integer epoch "
                                  "milliseconds such as 1701259204127")

    # ------------------------------------------------------------------ Obsidian
    def _obsidian(self, note, key, node, start, end):
        raw = node.value.strip()
        fmt = self.settings["format"]
        tag = node.tag.rsplit(":", 1)[-1]
        if tag not in ("str", "timestamp", "int"):
            return None, self.finding(note, start, end, f"{_key(key)} {_raw(node)} is not a date ({tag}); write {FORMAT_HELP[fmt]}")
        reading = dates.read(raw)
        if reading is None:
            return None, self.finding(note, start, end, f"{_key(key)} {_raw(node)} cannot be read as a date; write {FORMAT_HELP[fmt]}")
        if reading.kind in ("impossible", "ambiguous"):
            what = "is not a real date" if reading.kind == "impossible" else "is ambiguous"
            return None, self.finding(note, start, end, f"{_key(key)} {_raw(node)} {what} ({reading.problem}); write {FORMAT_HELP[fmt]}")
        if reading.kind == "epoch":
            return self._obsidian_epoch(note, key, node, int(raw), start, end)
        moment = reading.moment
        ms = dates.to_ms(moment, self.zone)
        if ms > dates.now_ms() + dates.DAY_MS:
            return ms, self.finding(note, start, end, f"{_key(key)} {_raw(node)} is more than a day in the future; "
                                    "a template placeholder or a wrong clock? Correct it by hand")
        if reading.kind in ("date", "datetime"):
            if fmt != "any" and reading.kind != fmt:
                if fmt == "date":
                    why = f"is a Date & time, but this vault's format is {FORMAT_HELP['date']}; no automatic fix: it would drop the time"
                else:
                    why = f"is a Date, but this vault's format is {FORMAT_HELP['datetime']}; no automatic fix: the time of day is unknown"
                return ms, self.finding(note, start, end, f"{_key(key)} {_raw(node)} {why}")
            return ms, None
        target = self._target(reading.has_time)
        message = f"{_key(key)} {_raw(node)} is {reading.described}"
        if target is None:
            return ms, self.finding(note, start, end, message + f"; write {FORMAT_HELP[fmt]} (no automatic fix: "
                                    + ("it would drop the time)" if reading.has_time else "the time of day is unknown)"))
        new = dates.format_datetime(moment) if target == "datetime" else dates.format_date(moment)
        return ms, self.finding(note, start, end, message + f"; write {new}",
                                [yaml_edit.replace_value(note, node, new, keep_quotes=True)])

    def _target(self, has_time: bool) -> str | None:
        """The format a recognised value is rewritten to, or None when that would lose or invent a time."""
        fmt = self.settings["format"]
        if has_time:
            return "datetime" if fmt in ("any", "datetime") else None
        return "date" if fmt in ("any", "date") else None

    def _obsidian_epoch(self, note, key, node, value, start, end):
        ms, unit = (value, "milliseconds") if dates.plausible_ms(value) else (None, "")
        if ms is None:
            guess = dates.guess_unit(value)
            if guess is None or not guess.exact:
                return None, self.finding(note, start, end, f"{_key(key)} {_raw(node)} is a number, not a date; write {FORMAT_HELP[self.settings['format']]}")
            ms, unit = guess.ms, guess.unit
        moment = dates.from_ms(ms, self.zone)
        message = (f"{_key(key)} {_raw(node)} is a Unix time in {unit} ({dates.iso_utc(ms)}), which Obsidian shows as a "
                   "number, not a date")
        target = self._target(True)
        if target is None:
            return ms, self.finding(note, start, end, message + f"; write {FORMAT_HELP['date']} (no automatic fix: it would drop the time)")
        new = dates.format_datetime(moment)
        if not ms % 1000:
            return ms, self.finding(note, start, end, message + f"; write {new} ({self.settings['timezone']})",
                                    [Edit(start, end, new)])
        # Date & time has whole seconds: the rewrite changes the owner's value, so it is no safe fix
        finding = self.finding(note, start, end, message + f"; write {new} ({self.settings['timezone']}) "
                               f"(Date & time has whole seconds: the {ms % 1000} ms would be dropped, so only "
                               "`fix --unsafe-fixes` writes it)", [Edit(start, end, new)])
        finding.fix = Fix(finding.fix.edits, safe=False)
        return ms, finding

    # ------------------------------------------------------------------ missing values
    def _missing(self, note, role, key):
        start, end = (0, 3) if note.frontmatter.present else (0, None)
        where = "Dendron requires it as integer epoch milliseconds" if self.flavor == "dendron" else f"expected as {self._expected()}"
        message = f"`{key}` is missing: {where}"
        value, why = self._fill(note, role)
        if value is None:
            return self.finding(note, start, end, message + why)
        edit = yaml_edit.insert_key(note, key, value)
        if edit is None:
            return self.finding(note, start, end, message + "; add it by hand")
        return self.finding(note, start, end, message + f"; `fix` adds {value} ({why})", [edit])

    def _empty(self, note, role, key, node):
        start, end = yaml_edit.key_span(note, key)
        message = f"{_key(key)} is empty: " + ("Dendron requires integer epoch milliseconds" if self.flavor == "dendron"
                                         else f"write {self._expected()}")
        value, why = self._fill(note, role)
        if value is None:
            return self.finding(note, start, end, message + why)
        return self.finding(note, start, end, message + f"; `fix` writes {value} ({why})",
                            [yaml_edit.replace_value(note, node, value)])

    def _fill(self, note, role) -> tuple[str | None, str]:
        """(value source to write, why) for a missing value, or (None, advice)."""
        source = self.settings["fill-missing"]
        if source == "none":
            return None, "; fill it by hand, or set `fill-missing` to \"git\" or \"mtime\" to let `fix` fill it"
        if source == "git":
            if not self.fixing:
                return None, "; `notelint fix` fills it from the file's git history (fill-missing = \"git\")"
            from notelint import git_times

            times = git_times.commit_times(note.path.resolve())
            if isinstance(times, str):
                return None, f"; cannot fill it from git: {times}; fill it by hand"
            seconds = times[0] if role == "created" else times[1]
            why = f"the file's {'first' if role == 'created' else 'last'} commit"
        else:
            try:
                seconds = int(os.stat(note.path).st_mtime)
            except OSError as exc:
                return None, f"; cannot read the file's mtime ({exc.strerror or exc}); fill it by hand"
            why = "the file's modification time"
        return self._format_ms(seconds * 1000), why

    def _format_ms(self, ms: int) -> str:
        if self.flavor == "dendron":
            return str(ms)
        moment = dates.from_ms(ms, self.zone)
        return dates.format_date(moment) if self.settings["format"] == "date" else dates.format_datetime(moment)

    # ------------------------------------------------------------------ bump-updated
    def _bump(self, note, updated):
        """While fixing: set `updated` to now when this fix run changed the note's body."""
        if not (self.settings["bump-updated"] and self.fixing and note.origin is not None and updated):
            return None
        from notelint.note import Note

        before = Note.from_text(note.origin, note.rel, note.flavor)
        if before.frontmatter.error or before.text[before.body_start:] == note.text[note.body_start:]:
            return None
        key = updated[0]
        node = yaml_edit.scalar_node(note, key)
        old = yaml_edit.scalar_node(before, key)
        if node is None or old is None or node.value != old.value or updated[1] is None:
            return None  # already bumped in this run, or not a value to replace
        now = dates.now_ms()
        if self.flavor == "dendron":
            new = str(now)
        else:
            moment = dates.from_ms(now, self.zone)
            reading = dates.read(node.value)
            new = dates.format_datetime(moment) if reading is not None and reading.has_time else dates.format_date(moment)
        start, end = yaml_edit.value_span(note, node)
        return self.finding(note, start, end, f"the note's body was changed by `fix`: {key} set to now ({new}) (bump-updated)",
                            [yaml_edit.replace_value(note, node, new, keep_quotes=self.flavor != "dendron")])


def _raw(node) -> str:
    """A value as written, for messages (quotes kept when it was quoted; backticks around
    a value with spaces)."""
    if not isinstance(node, yaml.ScalarNode):
        return "?"
    text = f"{node.style}{node.value}{node.style}" if node.style in ("'", '"') else node.value
    return f"`{text}`" if " " in text else text


def _key(key: str) -> str:
    """A key for messages: backticks around one with spaces (`date created`)."""
    return f"`{key}`" if " " in key else key


def _zone(name: str) -> tzinfo:
    if name.upper() == "UTC":
        return UTC
    if name == "local":
        return datetime.now().astimezone().tzinfo
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - ZoneInfoNotFoundError, ValueError on odd names
        raise ConfigError(f"`rules.frontmatter-timestamps.timezone`: unknown time zone {name!r} "
                          "(use an IANA name such as \"Europe/Berlin\", \"UTC\" or \"local\")") from None
