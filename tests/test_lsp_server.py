"""`notelint server`, driven by a real LSP client over stdio (tests/lsp_client.py): diagnostics on
open and as the buffer changes, code actions whose edits remove their finding, formatting, the
vault model following the files on disk and the config, and bad input that must not stop it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from lsp_client import apply, edits_of, serve, utf16_column

from helpers import FIXTURES

pytestmark = pytest.mark.asyncio

NOTE = (
    "# Title\n"
    "\n"
    "测试 😀 ![](missing.png)\n"
    "\n"
    "Some text   \n"
    "- item #bad!tag\n"
    "- [[Nowhere]]\n"
)


def make_vault(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> Path:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    for rel, content in (files or {"a.md": NOTE}).items():
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return vault


def by_code(diagnostics: list[lsp.Diagnostic]) -> dict[str, lsp.Diagnostic]:
    return {d.code: d for d in diagnostics}


def span(d: lsp.Diagnostic) -> tuple[int, int, int, int]:
    r = d.range
    return r.start.line, r.start.character, r.end.line, r.end.character


async def test_open_note_gets_each_finding_with_exact_range_code_and_docs(tmp_path):
    vault = make_vault(tmp_path)
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        found = by_code(await client.diagnostics_for(uri, version=1))
    assert set(found) == {"NL401", "NL003", "NL201", "NL402"}  # dangling image, whitespace, tag, link
    line = "测试 😀 ![](missing.png)"
    image = found["NL401"]
    # UTF-16 columns: the emoji before the image counts twice
    assert span(image) == (2, utf16_column(line, 5), 2, utf16_column(line, 21))
    assert span(image)[1] == 6
    assert image.severity == lsp.DiagnosticSeverity.Error and image.source == "notelint"
    assert "missing.png" in image.message and image.message.endswith("(dangling-image)")
    assert image.code_description is not None and image.code_description.href.endswith("dangling-image.md")
    assert span(found["NL003"]) == (4, 9, 4, 12)  # the third trailing space
    assert span(found["NL201"]) == (5, 7, 5, 15)
    assert span(found["NL402"]) == (6, 2, 6, 13)


async def test_utf32_clients_get_code_point_columns(tmp_path):
    vault = make_vault(tmp_path)
    async with serve(vault, capabilities="neovim") as client:
        encoding = client.init_result.capabilities.position_encoding
        uri = client.open(vault / "a.md")
        image = by_code(await client.diagnostics_for(uri, version=1))["NL401"]
    expected = {"utf-32": 5, "utf-16": 6, "utf-8": len("测试 😀 ".encode())}[str(getattr(encoding, "value", encoding) or "utf-16")]
    assert image.range.start.character == expected


async def test_the_unsaved_buffer_is_linted_not_the_file_on_disk(tmp_path):
    vault = make_vault(tmp_path)
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        await client.diagnostics_for(uri, version=1)
        client.change(uri, "# Title\n\nClean now.\n\n![](gone.png)\n", 2)
        found = await client.diagnostics_for(uri, version=2)
        client.change(uri, "# Title\n\nClean now.\n", 3)
        clean = await client.diagnostics_for(uri, version=3)
    assert [(d.code, d.range.start.line) for d in found] == [("NL401", 4)]
    assert "gone.png" in found[0].message
    assert clean == []
    assert (vault / "a.md").read_text("utf-8") == NOTE  # the server never writes


async def test_quick_fix_edit_removes_its_finding(tmp_path):
    vault = make_vault(tmp_path)
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        whitespace = by_code(await client.diagnostics_for(uri, version=1))["NL003"]
        actions = await client.actions(uri, (whitespace.range.start.line, whitespace.range.start.character),
                                       (whitespace.range.end.line, whitespace.range.end.character))
        fixes = [a for a in actions if a.title.startswith("Fix: ")]
        assert len(fixes) == 1 and fixes[0].kind == lsp.CodeActionKind.QuickFix and fixes[0].is_preferred
        assert [d.code for d in fixes[0].diagnostics] == ["NL003"]
        fixed = apply(NOTE, edits_of(fixes[0], uri))
        client.change(uri, fixed, 2)
        after = by_code(await client.diagnostics_for(uri, version=2))
    assert fixed == NOTE.replace("Some text   \n", "Some text  \n")
    assert "NL003" not in after and {"NL401", "NL201", "NL402"} <= set(after)


async def test_disable_for_this_line_inserts_a_suppression_that_silences_only_that_finding(tmp_path):
    vault = make_vault(tmp_path, {"a.md": NOTE, ".notelint.toml": 'extend-select = ["unused-suppression"]\n'})
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        tag = by_code(await client.diagnostics_for(uri, version=1))["NL201"]
        actions = await client.actions(uri, (tag.range.start.line, tag.range.start.character),
                                       (tag.range.start.line, tag.range.start.character))
        disable = [a for a in actions if a.title == "Disable tag-syntax for this line"]
        assert len(disable) == 1, [a.title for a in actions]
        text = apply(NOTE, edits_of(disable[0], uri))
        client.change(uri, text, 2)
        after = by_code(await client.diagnostics_for(uri, version=2))
    assert "notelint-disable-next-line tag-syntax" in text
    assert "NL201" not in after and {"NL401", "NL003", "NL402"} <= set(after)
    assert "NL005" not in after  # the new suppression is used (no unused-suppression)


async def test_fix_all_source_action_applies_what_notelint_fix_would(tmp_path):
    vault = make_vault(tmp_path)
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        await client.diagnostics_for(uri, version=1)
        actions = await client.actions(uri, (0, 0), (0, 0), only=[lsp.CodeActionKind.SourceFixAll])
        assert [a.title for a in actions] == ["Fix all notelint findings in this note"]
        assert actions[0].kind == "source.fixAll.notelint"
        fixed = apply(NOTE, edits_of(actions[0], uri))
        quick = await client.actions(uri, (0, 0), (0, 0), only=[lsp.CodeActionKind.QuickFix])
    assert fixed == NOTE.replace("Some text   \n", "Some text  \n")
    assert all(a.kind == lsp.CodeActionKind.QuickFix for a in quick)


async def test_formatting_applies_the_enabled_formatting_rules_only(tmp_path):
    text = "# Title\nText right under.\n## Next\n\n- a\n* b\n"
    vault = make_vault(tmp_path, {"a.md": text, ".notelint.toml": 'extend-select = ["heading-blank-lines"]\n'})
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        await client.diagnostics_for(uri, version=1)
        edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
            lsp.TextDocumentIdentifier(uri), lsp.FormattingOptions(tab_size=4, insert_spaces=True)))
    formatted = apply(text, list(edits))
    assert formatted == "# Title\n\nText right under.\n\n## Next\n\n- a\n* b\n"  # list markers: not enabled


async def test_a_file_created_on_disk_clears_a_dangling_image_in_another_open_note(tmp_path):
    vault = make_vault(tmp_path, {"a.md": "# A\n\n![](pic.png)\n"})
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        assert [d.code for d in await client.diagnostics_for(uri, version=1)] == ["NL401"]
        mark = len(client.published)
        shutil.copy(FIXTURES / "images-obsidian" / "attachments" / "diagram-flow.png", vault / "pic.png")
        client.files_changed((vault / "pic.png", lsp.FileChangeType.Created))
        assert await client.diagnostics_for(uri, after=mark) == []
        assert any(r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in client.registrations)


async def test_pasting_a_duplicate_screenshot_flags_both_notes(tmp_path):
    png = (FIXTURES / "images-obsidian" / "attachments" / "diagram-flow.png").read_bytes()
    vault = make_vault(tmp_path, {"a.md": "# A\n\n![](one.png)\n", "b.md": "# B\n\nNothing yet.\n", "one.png": png})
    async with serve(vault) as client:
        a = client.open(vault / "a.md")
        b = client.open(vault / "b.md")
        assert await client.diagnostics_for(a, version=1) == []
        assert await client.diagnostics_for(b, version=1) == []
        mark = len(client.published)
        (vault / "two.png").write_bytes(png)
        (vault / "b.md").write_text("# B\n\n![](two.png)\n", "utf-8")
        client.change(b, "# B\n\n![](two.png)\n", 2)
        client.files_changed((vault / "two.png", lsp.FileChangeType.Created), (vault / "b.md", lsp.FileChangeType.Changed))
        on_a = await client.diagnostics_for(a, after=mark)
        on_b = [d for d in await client.diagnostics_for(b, after=mark) if d.code == "NL404"] or \
            await client.diagnostics_for(b, after=len(client.published) - 1)
        while not any(d.code == "NL404" for d in on_b):
            on_b = await client.diagnostics_for(b, after=len(client.published))
        copy = [d for d in on_b if d.code == "NL404"][0]
        actions = await client.actions(b, (2, 0), (2, 0))
    assert [d.code for d in on_a] == ["NL404"] and span(on_a[0])[0] == 2
    assert {r.location.uri for r in copy.related_information} >= {(vault / "one.png").as_uri()}
    relink = [x for x in actions if x.title.startswith("Fix: ")]
    assert relink and apply("# B\n\n![](two.png)\n", edits_of(relink[0], b)) == "# B\n\n![](one.png)\n"


async def test_config_changes_apply_without_restart_and_a_bad_config_is_a_diagnostic(tmp_path):
    vault = make_vault(tmp_path)
    config = vault / ".notelint.toml"
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        assert "NL003" in by_code(await client.diagnostics_for(uri, version=1))
        mark = len(client.published)
        config.write_text('ignore = ["whitespace"]\n', "utf-8")
        client.files_changed((config, lsp.FileChangeType.Created))
        after = by_code(await client.diagnostics_for(uri, after=mark))
        assert "NL003" not in after and "NL401" in after
        mark = len(client.published)
        config.write_text('ignore = ["whitespace"]\nselect = 5\n', "utf-8")
        client.files_changed((config, lsp.FileChangeType.Changed))
        problem = await client.diagnostics_for(config.as_uri(), after=mark)
        assert len(problem) == 1 and problem[0].severity == lsp.DiagnosticSeverity.Error
        assert "select" in problem[0].message and problem[0].range.start.line == 1
        client.change(uri, NOTE + "\nmore   \n", 2)  # still linted, with the last valid config
        assert "NL003" not in by_code(await client.diagnostics_for(uri, version=2))
        mark = len(client.published)
        config.write_text("", "utf-8")
        client.files_changed((config, lsp.FileChangeType.Changed))
        assert await client.diagnostics_for(config.as_uri(), after=mark) == []


async def test_cache_writes_do_not_trigger_checks(tmp_path):
    vault = make_vault(tmp_path)
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        await client.diagnostics_for(uri, version=1)
        cache = vault / ".notelint_cache"
        assert cache.is_dir()  # the server keeps the same cache as `check`
        mark = len(client.published)
        client.files_changed(*[(p, lsp.FileChangeType.Changed) for p in cache.rglob("*") if p.is_file()])
        client.change(uri, NOTE, 2)
        await client.diagnostics_for(uri, version=2)
    assert len(client.published) == mark + 1  # the change's, no republication from a refresh


async def test_bad_buffers_get_findings_or_nothing_and_the_server_keeps_serving(tmp_path):
    vault = make_vault(tmp_path, {"a.md": "# A\n"})
    async with serve(vault) as client:
        uri = client.open(vault / "a.md")
        await client.diagnostics_for(uri, version=1)
        client.change(uri, "---\ntitle: [unclosed\n---\n# A\n", 2)  # invalid YAML mid-typing
        yaml_problem = await client.diagnostics_for(uri, version=2)
        client.change(uri, "\x00\x01PNG\x1a\n\ufffd\ufffd" * 1000, 3)  # a binary file opened as text
        await client.diagnostics_for(uri, version=3)
        big = ("Paragraph with words and a #tag.\n\n" * 600_000)[: 20 * 1024 * 1024]  # 20 MB
        client.change(uri, big, 4)
        client.change(uri, "# A\n\n![](nope.png)\n", 5)  # typed on while the big one lints
        last = await client.diagnostics_for(uri, version=5, timeout=120)
    assert any(d.code == "NL002" for d in yaml_problem), [d.code for d in yaml_problem]  # frontmatter-syntax
    assert [d.code for d in last] == ["NL401"]


async def test_requests_about_documents_outside_the_vault_are_errors_not_crashes(tmp_path):
    vault = make_vault(tmp_path)
    outside = tmp_path / "elsewhere" / "loose.md"
    outside.parent.mkdir()
    outside.write_text("# Loose   \n", "utf-8")
    async with serve(vault) as client:
        uri = client.open(outside)
        with pytest.raises(Exception) as info:
            await client.actions(uri, (0, 0), (0, 0))
        assert "not a note notelint lints" in str(info.value)
        inside = client.open(vault / "a.md")
        assert "NL401" in by_code(await client.diagnostics_for(inside, version=1))
    assert uri not in client.diagnostics or client.diagnostics[uri] == []
