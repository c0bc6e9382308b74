"""`notelint import obsidian-linter`: the Obsidian Linter plugin's settings as notelint config.

The plugin keeps its settings in `.obsidian/plugins/obsidian-linter/data.json`:
`{"ruleConfigs": {"<alias>": {"enabled": true, "<config-key>": value, ...}}, "foldersToIgnore": [...],
"filesToIgnore": [...], "commonStyles": {...}, ...}`. Each notelint rule that does the work of a plugin
rule says so (`Rule.plugin`, `plugin_rule.PluginRule`), so the mapping is read from the rules and never
kept twice. What has no equivalent becomes a TOML comment with the reason; what cannot be read (not
JSON, an unknown alias, a value of the wrong type) is an error naming the key, and nothing is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notelint import registry

SETTINGS = Path(".obsidian") / "plugins" / "obsidian-linter" / "data.json"

PASTE = "acts on text pasted in the editor; a headless run has no paste"
# The plugin's rules (1.32.x, `src/rules/*.ts`) that no notelint rule does the work of, and why.
UNCOVERED: dict[str, str] = {
    "align-table-columns": "not covered yet",
    "auto-correct-common-misspellings": "not covered: it changes words (content), which notelint's fixes never do",
    "convert-spaces-to-tabs": "not covered yet",
    "heading-filename-sync": "not covered: it renames files or rewrites headings, which can break links",
    "insert-yaml-attributes": "not covered yet (frontmatter-fields adds the keys a note must have)",
    "move-inline-fields-to-yaml": "not covered yet",
    "proper-ellipsis": "not covered: it changes text (content)",
    "quote-style": "not covered: it changes quotation marks in text (content)",
    "remove-horizontal-rules-outside-yaml": "not covered yet",
    "remove-hyphenated-line-breaks": "not covered: it joins words (content)",
    "remove-space-around-characters": "not covered yet",
    "remove-space-before-or-after-characters": "not covered yet",
    "sentence-per-line": "not covered yet",
    "space-between-chinese-japanese-or-korean-and-english-or-numbers":
        "not covered: the plugin's version alters tags, wikilinks, image links and anchors (its #234, #1518, #302, #753)",
    "yaml-timestamp": "not covered as such: frontmatter-timestamps checks `created`/`updated` and bumps `updated` only "
                      "when the body changed; the plugin's rewrite of `date modified` on every lint is the churn notelint avoids",
    "blockquotify-on-paste": PASTE,
    "prevent-double-checklist-indicator-on-paste": PASTE,
    "prevent-double-list-item-indicator-on-paste": PASTE,
    "proper-ellipsis-on-paste": PASTE,
    "remove-hyphens-on-paste": PASTE,
    "remove-leading-or-trailing-whitespace-on-paste": PASTE,
    "remove-leftover-footnotes-from-quote-on-paste": PASTE,
    "remove-multiple-blank-lines-on-paste": PASTE,
}
# Older aliases of the same plugin rules, as earlier plugin versions stored them.
RENAMED = {
    "space-between-chinese-and-english-or-numbers": "space-between-chinese-japanese-or-korean-and-english-or-numbers",
    "remove-space-around-fullwidth-characters": "remove-space-around-characters",
}
GLOB_LITERAL = re.compile(r"(?:[A-Za-z0-9 _/\-]|\\[.\-/ _])*")


class ImportProblem(Exception):
    """The settings cannot be imported; the message names the key."""


@dataclass
class Translation:
    select: list[str] = field(default_factory=list)  # rule names for extend-select, by code
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule name -> option -> value
    exclude: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what has no equivalent, with why


def read_settings(vault: Path) -> dict:
    path = vault / SETTINGS
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblem(f"{path}: not found (is the Obsidian Linter plugin installed in this vault?)") from None
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportProblem(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ImportProblem(f"{path}: the settings must be a JSON object")
    return data


def plugin_map() -> dict[str, tuple[type, Any]]:
    """Plugin alias -> (the notelint rule class, its `PluginRule`)."""
    return {p.alias: (rule, p) for rule in registry.all_rules() for p in rule.plugin}


def translate(settings: dict) -> Translation:
    configs = settings.get("ruleConfigs", {})
    if not isinstance(configs, dict):
        raise ImportProblem("`ruleConfigs` must be an object of rule alias -> settings")
    common = settings.get("commonStyles", {})
    if not isinstance(common, dict):
        raise ImportProblem("`commonStyles` must be an object")
    mapping = plugin_map()
    out = Translation()
    enabled: dict[str, dict] = {}
    for alias, conf in configs.items():
        alias = RENAMED.get(alias, alias)
        if not isinstance(conf, dict):
            raise ImportProblem(f"`ruleConfigs.{alias}` must be an object")
        on = conf.get("enabled", False)
        if not isinstance(on, bool):
            raise ImportProblem(f"`ruleConfigs.{alias}.enabled` must be true or false, not {on!r}")
        if alias not in mapping and alias not in UNCOVERED:
            raise ImportProblem(f"`ruleConfigs.{alias}`: no Obsidian Linter rule has this alias")
        if not on:
            continue
        if alias in UNCOVERED:
            out.notes.append(f"{alias}: {UNCOVERED[alias]}")
        else:
            enabled[alias] = conf
    # a default-on rule doing plugin rules' work (whitespace) follows the plugin's switches even when
    # none of them is on: its parts the plugin does not run are switched off, so fix does what the plugin does
    rules = sorted({mapping[a][0] for a in enabled} | {r for r, _ in mapping.values() if r.default},
                   key=lambda r: r.code)
    for rule in rules:
        opts: dict[str, Any] = {}
        declared = {o.name: o for o in rule.options}
        for p in rule.plugin:
            if p.alias not in enabled:
                opts.update(p.unsets)
        for p in rule.plugin:
            if p.alias not in enabled:
                continue
            opts.update(p.sets)
            conf = enabled[p.alias]
            given = [(f"ruleConfigs.{p.alias}.{k}", k, v) for k, v in conf.items() if k != "enabled"]
            given += [(f"commonStyles.{k[len('commonStyles.'):]}", k, common[k[len("commonStyles."):]])
                      for k in p.options if k.startswith("commonStyles.") and k[len("commonStyles."):] in common]
            for where, key, value in given:
                if key in p.options:
                    name = p.options[key]
                    table = p.values.get(key, {})
                    try:
                        value = table.get(value, value) if table else value
                    except TypeError:  # an unhashable value (a list): no table maps it
                        pass
                    problem = declared[name].validate(value)
                    if problem:
                        raise ImportProblem(f"`{where}` {problem}")
                    opts[name] = value
                elif key in p.unmapped:
                    out.notes.append(f"{p.alias}: option `{key}` = {json.dumps(value, ensure_ascii=False)}: {p.unmapped[key]}")
                else:
                    out.notes.append(f"{p.alias}: option `{key}` = {json.dumps(value, ensure_ascii=False)}: no notelint equivalent")
        if any(p.alias in enabled for p in rule.plugin):
            out.select.append(rule.name)
        changed = {k: v for k, v in opts.items() if declared[k].default != v}
        if changed:
            out.options[rule.name] = changed
    out.exclude = _excludes(settings, out.notes)
    return out


def _excludes(settings: dict, notes: list[str]) -> list[str]:
    folders = settings.get("foldersToIgnore", [])
    files = settings.get("filesToIgnore", [])
    if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
        raise ImportProblem("`foldersToIgnore` must be a list of folder paths")
    if not isinstance(files, list):
        raise ImportProblem("`filesToIgnore` must be a list")
    out = [f"{f.strip('/')}/**" for f in folders if f.strip("/")]
    for i, entry in enumerate(files):
        if isinstance(entry, str):
            pattern, flags = entry, ""
        elif isinstance(entry, dict) and isinstance(entry.get("match"), str) and isinstance(entry.get("flags", ""), str):
            pattern, flags = entry["match"], entry.get("flags", "")
        else:
            raise ImportProblem(f"`filesToIgnore[{i}]` must be a regular expression or {{\"match\": ..., \"flags\": ...}}")
        if not pattern:
            continue
        converted = regex_as_exclude(pattern, flags)
        if converted is None:
            notes.append(f"filesToIgnore[{i}] `{pattern}`: a JavaScript regular expression Python cannot read; "
                         "write it as an `exclude` glob by hand")
        else:
            out.append(converted)
    return out


def regex_as_exclude(pattern: str, flags: str = "") -> str | None:
    """The `exclude` entry matching the paths the plugin's regex (tested against the vault path)
    matches: a glob where one says exactly the same, else `re:PATTERN`; None when Python cannot
    read the regex."""
    if set(flags) - set("gimsuy"):
        return None
    if "i" not in flags and "m" not in flags and "s" not in flags:
        body, start, end = pattern, False, False
        if body.startswith("^"):
            body, start = body[1:], True
        elif body.startswith(".*"):
            body, start = body[2:], False
        if body.endswith("$") and not body.endswith("\\$"):
            body, end = body[:-1], True
        elif body.endswith(".*") and not body.endswith("\\.*"):
            body, end = body[:-2], False
        if body and GLOB_LITERAL.fullmatch(body):
            literal = re.sub(r"\\(.)", r"\1", body)
            return ("" if start else "*") + literal + ("" if end else "*")
    inline = "".join(f for f in "ims" if f in flags)
    regex = (f"(?{inline})" if inline else "") + pattern
    try:
        re.compile(regex)
    except re.error:
        return None
    return "re:" + regex


def to_toml(tr: Translation, source: str) -> str:
    lines = [f"# From {source} by `notelint import obsidian-linter`."]
    if tr.notes:
        lines.append("# Enabled there, with no notelint equivalent:")
        lines += [f"#   {n}" for n in tr.notes]
    if tr.select:
        lines.append(f"extend-select = {toml_value(tr.select)}")
    if tr.exclude:
        lines.append(f"exclude = {toml_value(tr.exclude)}")
    for name, opts in tr.options.items():
        lines += ["", f"[rules.{name}]"]
        lines += [f"{key(k)} = {toml_value(v)}" for k, v in opts.items()]
    return "\n".join(lines) + "\n"


def key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")
