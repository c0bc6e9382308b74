"""The `notelint` command: check, fix, rules, rule. Exit 0 clean, 1 findings, 2 errors."""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import os
import signal
import sys
import textwrap

from notelint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)  # keep the epilog's lines
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # one line and a hint at this (sub)command's help, exit 2 (never a traceback)
        sys.stderr.write(f"notelint: error: {message}\nRun `{self.prog} --help` for usage.\n")
        sys.exit(EXIT_ERROR)


_RARE_COLLECTIONS = (50_000, 20, 100)  # gc thresholds for a run (see main)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _wrapped(text: str) -> str:
    """A description as argparse would wrap it (the raw formatter keeps the epilogs' lines as written)."""
    return textwrap.fill(text, 79)


RULES_HELP = "comma-separated; names, codes, prefixes like NL4, or ALL"
CHECK_EXIT = """exit status:
  0  no findings
  1  findings (0 with --exit-zero)
  2  usage or configuration error (an unknown rule, option or key), or an internal error"""
FIX_EXIT = """exit status:
  0  nothing left to report; with --check, nothing would change
  1  findings left (0 with --exit-zero); with --check, something would change;
     with --diff, a diff was printed (else as without --diff)
  2  usage or configuration error, a note changed while fix ran, or an internal error"""


def build_parser() -> argparse.ArgumentParser:
    from notelint.formats import FORMATS

    parser = _Parser(prog="notelint", description="Lint and safely fix Obsidian and Dendron Markdown vaults.",
                     epilog="Run `notelint COMMAND --help` for a command's options and exit status.")
    parser.add_argument("--version", action="version", version=f"notelint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    common = _Parser(add_help=False)
    common.add_argument("paths", nargs="*", metavar="PATH", help="notes or folders (default: .)")
    common.add_argument("--format", choices=FORMATS,
                        default=os.environ.get("NOTELINT_OUTPUT_FORMAT") or "text",
                        help="output format (default: text, or $NOTELINT_OUTPUT_FORMAT)")
    common.add_argument("--select", type=_csv, metavar="RULES",
                        help=f"rules to run instead of the config's and the defaults ({RULES_HELP})")
    common.add_argument("--extend-select", type=_csv, metavar="RULES", help=f"rules to run in addition ({RULES_HELP})")
    common.add_argument("--ignore", type=_csv, metavar="RULES", help=f"rules not to run ({RULES_HELP})")
    common.add_argument("--exclude", type=_csv, default=[], metavar="GLOBS",
                        help="more vault-relative globs to skip (comma-separated fnmatch globs)")
    common.add_argument("--config", metavar="FILE", help="config file (default: found at the vault root)")
    common.add_argument("--no-cache", action="store_true", help="do not read or write .notelint_cache/")
    # unknown rules are always errors now (exit 2); the flag is still accepted so old scripts run
    common.add_argument("--strict-config", action="store_true", help=argparse.SUPPRESS)
    common.add_argument("--statistics", action="store_true", help="print counts per rule instead of findings")
    common.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    common.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    common.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    common.add_argument("--html-images", choices=("embed", "link"), default="embed",
                        help="--format html: embed thumbnails (default) or link the vault's images relatively")

    check = sub.add_parser("check", parents=[common], help="report findings; writes nothing but the cache",
                           description=_wrapped("Report every finding in the notes and images under PATH (default: .), "
                                                "checked with the whole vault they belong to as context. Writes "
                                                "nothing but the cache. --add-suppressions writes suppressions."),
                           epilog=CHECK_EXIT)
    check.add_argument("--add-suppressions", "--add-noqa", dest="add_suppressions", action="store_true",
                       help="baseline: add the narrowest suppression for every current finding (ruff's --add-noqa)")
    check.add_argument("--diff", action="store_true", help="with --add-suppressions: print the diff; write nothing")
    check.add_argument("--watch", action="store_true",
                       help="run, then run again on every change under the vault (Ctrl-C exits 0)")
    fix = sub.add_parser("fix", parents=[common], help="apply safe fixes in place, then report what is left",
                         description=_wrapped("Apply the safe fixes to the notes under PATH (default: .), byte by byte, "
                                     "then report the findings that are left. --diff and --check write nothing."),
                         epilog=FIX_EXIT)
    fix.add_argument("--diff", action="store_true", help="print the unified diff the fix would make; write nothing")
    fix.add_argument("--check", dest="dry_check", action="store_true",
                     help="write nothing; exit 1 if anything would change, else 0")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes marked unsafe")
    fix.add_argument("--show-fixes", action="store_true",
                     help="list the fixes made (or, with --diff/--check, that would be made) per file and rule")

    rules = sub.add_parser("rules", help="list every rule",
                           description=_wrapped("List every rule: code, name, fix (safe, unsafe or none), whether it is on "
                                       "by default, and what it checks."), epilog="exit status: 0")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")
    rule = sub.add_parser("rule", help="show one rule's documentation",
                          description=_wrapped("Print one rule's documentation: what it checks, why, a bad and a good "
                                      "example, and its options."),
                          epilog="exit status:\n  0  printed\n  2  no such rule")
    rule.add_argument("name", metavar="NAME-OR-CODE", help="a rule name (whitespace) or code (NL003)")
    tags = sub.add_parser("tags", help="list every tag with its count and spellings, most used first",
                          description=_wrapped("List every tag of the vault under PATH (default: .) with its count, the "
                                      "notes using it and every spelling, as tag-style would spell it."),
                          epilog="exit status:\n  0  listed\n  2  usage or configuration error")
    tags.add_argument("paths", nargs="*", metavar="PATH", help="notes or folders (default: .)")
    tags.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    tags.add_argument("--config", metavar="FILE", help="config file (default: found at the vault root)")
    imp = sub.add_parser("import", help="print (or merge) another tool's settings as notelint config",
                         description=_wrapped("Read the Obsidian Linter plugin's settings "
                                              "(.obsidian/plugins/obsidian-linter/data.json under VAULT) and print the "
                                              "notelint TOML doing the same: extend-select of the mapped rules, their "
                                              "options, exclude, and a comment for each enabled rule or option with no "
                                              "notelint equivalent. --write merges it into the vault's config file."),
                         epilog="exit status:\n  0  printed or written\n  2  the settings cannot be read or imported "
                                "(the message names the key); nothing is written")
    imp.add_argument("tool", choices=("obsidian-linter",), help="whose settings to import")
    imp.add_argument("vault", nargs="?", default=".", metavar="VAULT", help="the vault (default: .)")
    imp.add_argument("--write", action="store_true", help="merge into the vault's notelint config "
                     "(creating .notelint.toml); keys it already has are kept")
    imp.add_argument("--force", action="store_true", help="with --write, replace the values of keys the config already has")
    server = sub.add_parser("server", help="run the language server (LSP over stdio) for editors",
                            description=_wrapped("Speak the Language Server Protocol over stdin and stdout: diagnostics "
                                                 "for the open notes as you type, code actions (fix, fix all, disable "
                                                 "for this line) and formatting, for the vault holding the editor's "
                                                 "folder. Never writes a note. See the README, \"In the editor\"."),
                            epilog="exit status:\n  0  the editor asked it to exit\n  1  it exited without being asked")
    server.add_argument("--log-file", metavar="FILE", help="also append the server's log to FILE")
    parser.common = common  # `_env_format` reads the --format choices from it
    parser.commands = sub.choices  # each subcommand's parser, whose errors point at its own --help
    return parser


def _env_format(command: argparse.ArgumentParser, common: argparse.ArgumentParser, args) -> None:
    """`NOTELINT_OUTPUT_FORMAT` gives `--format` its default, which argparse never checks against
    the choices: an unknown value is a usage error (exit 2) as it is on the command line."""
    value = os.environ.get("NOTELINT_OUTPUT_FORMAT")
    if not value or args.command not in ("check", "fix") or args.format != value:
        return
    choices = common._option_string_actions["--format"].choices
    if value not in choices:
        hint = difflib.get_close_matches(value.lower(), choices, n=1, cutoff=0.6)
        command.error(f"NOTELINT_OUTPUT_FORMAT={value!r} is not an output format (choose from "
                     f"{', '.join(choices)})" + (f"; did you mean `{hint[0]}`?" if hint else ""))


class Terminated(BaseException):
    """SIGTERM, raised so that a write in progress removes its temporary file."""


def _on_sigterm(signum, frame):
    raise Terminated


def _safe_streams() -> None:
    """A file name that is not UTF-8 (kept by Python as lone surrogates) or a terminal that
    cannot show CJK must not crash the report or make JSON output invalid UTF-8: such
    characters are written as backslash escapes (`\\udce9`, which JSON readers decode)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):  # replaced by a test harness, or already closed
            pass


def run() -> None:
    """The `notelint` program (console script and `python -m notelint`). The run's objects die
    with the process, so none is scanned again on the way out: the collector's thresholds stay
    high to the end (`main` restores them as it found them, which here means still high) and
    everything alive is frozen before exit. A last full collection over a 10,000-note vault's
    index cost 0.2 s of a 1.1 s check of 5 notes."""
    gc.set_threshold(*_RARE_COLLECTIONS)
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    _safe_streams()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    command = parser.commands.get(args.command, parser)
    if extra:  # reported by the subcommand, so the hint names `notelint check --help`
        command.error(f"unrecognized arguments: {' '.join(extra)}")
    _env_format(command, parser.common, args)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    # A run builds hundreds of thousands of small objects that live to its end (the cache's JSON,
    # the vault index) and makes little cyclic garbage: the default collector thresholds rescan them
    # over and over (0.3 s of a 1.2 s check of 5 notes in a 10,000-note vault), so collect rarely.
    thresholds = gc.get_threshold()
    gc.set_threshold(*_RARE_COLLECTIONS)
    try:
        return _main(args)
    finally:
        gc.set_threshold(*thresholds)
        signal.signal(signal.SIGTERM, previous)


def _main(args) -> int:
    if args.command is None:
        build_parser().print_help()
        return EXIT_ERROR
    try:
        if args.command == "rules":
            return _rules(args)
        if args.command == "rule":
            return _rule(args)
        if args.command == "tags":
            return _tags(args)
        if args.command == "import":
            return _import(args)
        if args.command == "server":
            from notelint.lsp import server

            return server.run(log_file=args.log_file)
        if args.command == "check" and args.watch:
            from notelint import watch

            return watch.command(args, _run)
        return _run(args)
    except KeyboardInterrupt:
        sys.stderr.write("notelint: interrupted\n")
        return 130
    except Terminated:
        sys.stderr.write("notelint: terminated\n")
        sys.stderr.flush()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)  # die of the signal, as whoever sent it expects
        return 128 + signal.SIGTERM
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the user gets one line, never a traceback
        from notelint.config import ConfigError
        from notelint.engine import UsageError
        from notelint.reporters import failure_line

        if os.environ.get("NOTELINT_DEBUG") and not isinstance(exc, ConfigError | UsageError):
            raise
        sys.stderr.write(failure_line(exc))
        return EXIT_ERROR


def _rules(args) -> int:
    from notelint import docs, registry

    rules = registry.all_rules()
    if args.format == "json":
        json.dump([{"code": r.code, "name": r.name, "kind": r.category, "fix": r.fix, "default": r.default,
                    "severity": r.severity, "scope": r.scope, "summary": r.summary,
                    "obsidian_linter": [p.alias for p in r.plugin]} for r in rules], sys.stdout, indent=2)
        print()
    elif args.format == "markdown":
        print(docs.rules_table())
    else:
        width = max(len(r.name) for r in rules)
        print(f"{'code':<6} {'name':<{width}} {'kind':<6} {'fix':<6} {'default':<7} summary")
        for r in rules:
            print(f"{r.code:<6} {r.name:<{width}} {r.category:<6} {docs.fix_label(r):<6} {'on' if r.default else 'off':<7} {r.summary}")
    return EXIT_CLEAN


def _import(args) -> int:
    from pathlib import Path

    from notelint import config, config_write, plugin_import, writer
    from notelint.vault import find_root

    start = Path(args.vault)
    if not start.is_dir():
        sys.stderr.write(f"notelint: error: {args.vault}: not a folder\n")
        return EXIT_ERROR
    root = start if (start / plugin_import.SETTINGS).is_file() else find_root(start)
    try:
        settings = plugin_import.read_settings(root)
        tr = plugin_import.translate(settings)
    except plugin_import.ImportProblem as exc:
        sys.stderr.write(f"notelint: error: {exc}\n")
        return EXIT_ERROR
    if not args.write:
        sys.stdout.write(plugin_import.to_toml(tr, plugin_import.SETTINGS.as_posix()))
        return EXIT_CLEAN
    found = config.find_config_file(root)
    top: dict = {}
    if tr.select:
        top["extend-select"] = tr.select
    if tr.exclude:
        top["exclude"] = tr.exclude
    notes = ["Enabled in the Obsidian Linter, with no notelint equivalent (`notelint import obsidian-linter`):",
             *(f"  {n}" for n in tr.notes)] if tr.notes else []
    merged = config_write.merge_settings(root, found[0] if found else None, top, tr.options, args.force,
                                         plugin_import.toml_value, notes)
    if isinstance(merged, str):
        sys.stderr.write(f"notelint: error: {merged}\n")
        return EXIT_ERROR
    path, old, new, kept = merged
    try:
        config.load_file_text(path, new.decode("utf-8"))
    except config.ConfigError as exc:
        sys.stderr.write(f"notelint: error: the merged config would not load, nothing written: {exc}\n")
        return EXIT_ERROR
    if new != old:
        try:
            if old is None:
                writer.replace_file(path, new)
            else:
                writer.atomic_write(path, new, old)
        except (OSError, writer.WriteRefused) as exc:
            sys.stderr.write(f"notelint: error: {path}: {exc}\n")
            return EXIT_ERROR
    for k in kept:
        sys.stderr.write(f"notelint: kept `{k}` as {path.name} has it (--force replaces it)\n")
    for n in tr.notes:
        sys.stderr.write(f"notelint: not imported: {n}\n")
    sys.stderr.write(f"notelint: {'wrote' if new != old else 'nothing to change in'} {path}\n")
    return EXIT_CLEAN


def _rule(args) -> int:
    from notelint import docs, registry

    rule = registry.lookup(args.name)
    if rule is None:
        hint = registry.closest(args.name)
        sys.stderr.write(f"notelint: error: unknown rule `{args.name}`" + (f" (did you mean `{hint}`?)" if hint else "") + "\n")
        return EXIT_ERROR
    print(docs.rule_page(rule))
    return EXIT_CLEAN


def _tags(args) -> int:
    """`notelint tags`: every tag of the vault, spelled as tag-style would have it."""
    from pathlib import Path

    from notelint import engine
    from notelint import tags as tags_mod

    opts = engine.RunOptions(select=["tag-style"], config=Path(args.config) if args.config else None, no_cache=True)
    workspaces, warnings = engine.prepare(args.paths, opts)
    for w in warnings:
        sys.stderr.write(f"notelint: warning: {w}\n")
    rows = []
    for ws in workspaces:
        style = ws.rules[0].settings
        rows.extend(tags_mod.listing(ws, style["aliases"], style["convention"]))
    rows.sort(key=lambda r: (-r["count"], r["tag"].casefold(), r["tag"]))
    tags_mod.render_listing(rows, args.format, sys.stdout)
    return EXIT_CLEAN


def _run(args) -> int:
    from pathlib import Path

    from notelint import engine, reporters
    from notelint.source import encode
    from notelint.diffs import unified_diff
    from notelint.writer import WriteRefused, atomic_write
    from notelint import progress

    progress.configure(progress.wanted(args.format, args.quiet))
    opts = engine.RunOptions(
        select=args.select, ignore=args.ignore, extend_select=args.extend_select, exclude=args.exclude,
        config=Path(args.config) if args.config else None, strict_config=args.strict_config,
        unsafe_fixes=getattr(args, "unsafe_fixes", False), no_cache=args.no_cache,
        fixing=args.command == "fix",
    )
    workspaces, warnings = engine.prepare(args.paths, opts)
    for w in warnings:
        reporters.err(f"warning: {w}")
    if args.command == "check" and (args.add_suppressions or args.diff):
        from notelint import baseline

        return baseline.command(workspaces, args)
    fixing = args.command == "fix"
    diff_mode = fixing and args.diff
    dry = fixing and (args.diff or args.dry_check)
    errors = 0
    would_change = 0
    fixed_files = fixed_findings = 0
    diffs: list[str] = []
    fixes_made: dict[str, dict[str, int]] = {}  # display path -> rule code -> fixes (`--show-fixes`)
    items = []
    all_findings = []
    notes_checked = 0
    from notelint.imaging import facts  # an HTML report's previews come from the rules' one decode

    facts.want_previews((args.html_images if args.format == "html" and not args.statistics else ""))
    for ws in workspaces:
        if fixing:
            for rel in progress.track(ws.targets, len(ws.targets), "fixing"):
                note = ws.note(rel)
                outcome = engine.fix_note(note, ws.rules, ws.vault, opts.unsafe_fixes)
                if outcome.problem and note.readable and not note.frontmatter.error:
                    reporters.err(f"{reporters.display_path(ws.vault.root, rel)}: {outcome.problem}")
                if not outcome.changed(note):
                    continue
                would_change += 1
                shown = reporters.display_path(ws.vault.root, rel)
                fixes_made[shown] = outcome.by_rule
                if diff_mode:
                    diffs.append(unified_diff(note.text, outcome.text, reporters.printable(shown)))
                    continue
                if dry:
                    people = args.format in reporters.PEOPLE_FORMATS  # keep machine output parseable
                    print(f"Would fix {reporters.printable(shown)}", file=sys.stdout if people else sys.stderr)
                    continue
                data = encode(outcome.text, note.bom)
                try:
                    atomic_write(note.path, data, note.raw)
                except WriteRefused as exc:
                    reporters.err(f"{reporters.printable(shown)}: not written: {exc}")
                    errors += 1
                    del fixes_made[shown]
                    continue
                fixed_files += 1
                fixed_findings += outcome.applied
                new = note.derive(outcome.text)
                new.raw = data
                ws.replace_note(rel, new)
        findings = engine.check(ws)
        notes_checked += len(ws.targets)
        all_findings.extend(findings)
        for f in findings:
            items.append(reporters.Item(f, reporters.display_path(ws.vault.root, f.path),
                                        [reporters.display_path(ws.vault.root, r) for r in f.related], ws))
    summary = reporters.summary_line(all_findings, notes_checked)
    show_fixes = fixing and args.show_fixes
    if diff_mode:  # the diff is the output: empty when nothing would change (exit then as check)
        out = _output(args)
        out.write("".join(diffs))
        if show_fixes and diffs:
            _show_fixes(fixes_made, sys.stderr, dry=True)
        if out is not sys.stdout:
            _save_output(args.output, out.getvalue())
            if not args.quiet:
                reporters.err(f"wrote the diff to {args.output}")
        if not args.quiet:
            sys.stderr.write(f"{would_change} file{'s' if would_change != 1 else ''} would be changed by `notelint fix`"
                             + ("." if diffs else f"; {summary[0].lower()}{summary[1:]}") + "\n")
        if args.exit_zero:
            return EXIT_CLEAN
        return EXIT_FINDINGS if diffs or all_findings else EXIT_CLEAN
    out = _output(args)
    if fixing and not dry:
        summary = f"Fixed {_count(fixed_findings, 'finding')} in {_count(fixed_files, 'file')}. " + summary
    people = args.format in reporters.PEOPLE_FORMATS
    if show_fixes and not people:
        _show_fixes(fixes_made, sys.stderr, dry=dry)  # stdout holds the machine-readable report
    if args.statistics:
        reporters.statistics(all_findings, out, args.format)
        if show_fixes and people:
            _show_fixes(fixes_made, out, dry=dry)
    else:
        if args.format == "html":
            from notelint import html_report

            base = Path(os.path.abspath(args.output)).parent if args.output else Path.cwd()
            html_report.write(workspaces, [item[:3] for item in items], out, summary=summary,
                              images=args.html_images, base_dir=base)
        elif show_fixes and people:  # ruff's order: what is left, what was fixed, the summary
            reporters.render(items, args.format, out)
            _show_fixes(fixes_made, out, dry=dry)
            if not args.quiet:
                out.write(summary + "\n")
        else:
            reporters.render(items, args.format, out, summary=summary, quiet=args.quiet)
    if out is not sys.stdout:
        _save_output(args.output, out.getvalue())
        if not args.quiet:  # the report is in the file: say so, and how it went
            reporters.err(f"wrote the {args.format} report to {args.output}")
            sys.stderr.write(summary + "\n")
    if errors:
        return EXIT_ERROR
    if fixing and args.dry_check:  # for CI: did the notes need `notelint fix`? (spec: fix --check)
        return EXIT_FINDINGS if would_change and not args.exit_zero else EXIT_CLEAN
    if all_findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _show_fixes(fixes_made: dict[str, dict[str, int]], stream, *, dry: bool) -> None:
    from notelint.formats.text import show_fixes
    from notelint.reporters import use_color

    show_fixes(fixes_made, stream, dry=dry, color=use_color(stream))


def _output(args):
    """Where the report goes: stdout, or a buffer for the `--output` file, which is written whole
    and atomically at the end (an interrupted run leaves the previous report, not half of one).
    A folder that does not exist or cannot be written is a usage error before any work."""
    if not args.output:
        return sys.stdout
    import io

    from notelint.engine import UsageError

    folder = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise UsageError(f"--output {args.output}: cannot write: no writable folder {folder}")
    return io.StringIO()


def _save_output(path: str, text: str) -> None:
    from pathlib import Path

    from notelint.engine import UsageError
    from notelint.writer import replace_file

    try:
        replace_file(Path(path), text.encode("utf-8", "backslashreplace"))
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot write: {exc.strerror or exc}") from None
