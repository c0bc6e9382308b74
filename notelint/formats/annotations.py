"""CI annotations: GitHub Actions workflow commands and Azure Pipelines logging commands.

Both are one line per finding on stdout, which the runner turns into an annotation on the
file and line. Values are escaped the way each runner unescapes them, so a message or file
name holding `%`, a newline, `,`, `:`, `;` or `]` arrives whole and the line cannot end early:

- GitHub (`@actions/core` `command.ts`): data escapes `%` `\\r` `\\n` as `%25` `%0D` `%0A`;
  properties also `:` and `,` as `%3A` `%2C`.
- Azure (agent `CommandStringConvertor`, microsoft/azure-pipelines-agent): `%` becomes
  `%AZP25` (decoded by every agent since 2021), then properties escape `;` `\\r` `\\n` `]`
  as `%3B` `%0D` `%0A` `%5D`; the message needs only `%` and the line breaks escaped
  (`escapedata` in microsoft/azure-pipelines-task-lib `taskcommand.ts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from notelint.formats.item import Item


def github(items: Sequence[Item], stream) -> None:
    for item in items:
        f = item.finding
        level = "error" if f.severity == "error" else "warning"
        end = f",endLine={f.end_line},endColumn={f.end_column}" if f.end_line else ""
        msg = _gh_data(f"{f.code} [{f.rule}] {f.message}")
        stream.write(f"::{level} file={_gh_property(item.path)},line={f.line},col={f.column}{end},"
                     f"title={_gh_property(f.rule)}::{msg}\n")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def azure(items: Sequence[Item], stream) -> None:
    for item in items:
        f = item.finding
        level = "error" if f.severity == "error" else "warning"
        props = (f"type={level};sourcepath={_az_property(item.path)};linenumber={f.line};"
                 f"columnnumber={f.column};code={_az_property(f.code)};")
        stream.write(f"##vso[task.logissue {props}]{_az_data(f'[{f.rule}] {f.message}')}\n")


def _az_data(text: str) -> str:
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def _az_property(text: str) -> str:
    return _az_data(text).replace(";", "%3B").replace("]", "%5D")
