"""Latency of `notelint server` on the generated benchmark vault: a one-note edit, from the
`didChange` sent to its diagnostics received, as an editor sees it.

    python benchmarks/lsp_latency.py [--notes 10000] [--edits 40] [--debounce-ms 0]

The vault is `vault_bench.py`'s (generated once, then reused from its cache folder), copied and
checked once with `notelint check` so the server starts warm, as it does for a user who ran
`check` before. The server is started with a pygls client over stdio; each edit changes one
note's text (a defect added, then removed) and waits for that version's diagnostics. With
`--debounce-ms 0` the figure is the work itself; an editor waits `debounceMs` (50) more.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))
import vault_bench  # noqa: E402  (the benchmark vault, generated or reused)


async def measure(root: Path, note: Path, edits: int, debounce_ms: int) -> dict:
    client = LanguageClient("notelint-latency", "1")
    arrived: dict[tuple[str, int | None], float] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params: lsp.PublishDiagnosticsParams) -> None:
        arrived.setdefault((params.uri, params.version), time.perf_counter())

    async def wait(uri: str, version: int, timeout: float) -> float:
        deadline = time.perf_counter() + timeout
        while (uri, version) not in arrived:
            if time.perf_counter() > deadline:
                raise SystemExit(f"no diagnostics for version {version} within {timeout} s")
            await asyncio.sleep(0.0005)
        return arrived[(uri, version)]

    started = time.perf_counter()
    await client.start_io(sys.executable, "-m", "notelint", "server")
    await client.initialize_async(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(root.as_uri(), root.name)],
        initialization_options={"debounceMs": debounce_ms}))
    client.initialized(lsp.InitializedParams())
    uri = note.as_uri()
    text = note.read_text("utf-8")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "markdown", 1, text)))
    startup = await wait(uri, 1, 600) - started
    times = []
    for i in range(edits):
        version = i + 2
        new = text + ("\n![](missing-%d.png) #bad!tag\n" % i if i % 2 == 0 else "")
        sent = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version, uri), [lsp.TextDocumentContentChangeWholeDocument(new)]))
        times.append(await wait(uri, version, 60) - sent)
        await asyncio.sleep(0.02)
    action_started = time.perf_counter()
    await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(uri), lsp.Range(lsp.Position(0, 0), lsp.Position(5, 0)), lsp.CodeActionContext([])))
    action = time.perf_counter() - action_started
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    times.sort()
    return {"startup": startup, "median": statistics.median(times), "p90": times[int(len(times) * 0.9) - 1],
            "max": times[-1], "code_action": action, "edits": len(times)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--images", type=int, default=None, help="default: one per 5 notes")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--debounce-ms", type=int, default=0, help="the server's pause before linting (editors: 50)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "notelint-vault-bench")
    args = ap.parse_args(argv)
    images = args.notes // 5 if args.images is None else args.images
    work = args.work.resolve()
    facts = vault_bench.vault(vault_bench.notelint_python(work), work / "vaults", args.notes, images, args.seed)
    root = work / "lsp" / "vault"
    vault_bench.working_copy(Path(facts["root"]), root)
    subprocess.run([sys.executable, "-m", "notelint", "check", "-q", "--exit-zero", "."], cwd=root,
                   stdout=subprocess.DEVNULL, check=True)  # warm the cache, as a user's earlier `check` did
    note = sorted(root.glob("*.md"))[len(list(root.glob("*.md"))) // 2]
    result = asyncio.run(measure(root, note, args.edits, args.debounce_ms))
    print(f"vault: {args.notes} notes, {images} images; note edited: {note.name} ({note.stat().st_size} bytes)")
    print(f"start-up to the first diagnostics (warm cache): {result['startup']:.2f} s")
    print(f"one-note edit -> diagnostics, debounce {args.debounce_ms} ms, {result['edits']} edits: "
          f"median {result['median'] * 1000:.1f} ms, p90 {result['p90'] * 1000:.1f} ms, max {result['max'] * 1000:.1f} ms")
    print(f"code actions for the note's first lines: {result['code_action'] * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
