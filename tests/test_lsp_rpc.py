"""`notelint server` sent garbage over raw stdio: a body that is not JSON, a request for a method
it does not know, a request about a document it does not have. Each gets an error answer (or is
dropped, for a notification), and the next good request is answered as usual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import queue
from pathlib import Path

TIMEOUT = 20


class Raw:
    """The server as a child process, spoken to in framed JSON-RPC by hand."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "notelint", "server"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            self.messages.put(json.loads(out.read(int(headers["content-length"]))))

    def send_bytes(self, body: bytes) -> None:
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message: dict) -> None:
        self.send_bytes(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def answer(self, request_id) -> dict:
        """The response to `request_id` (other messages are skipped)."""
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            if message.get("id") == request_id and "method" not in message:
                return message

    def close(self) -> int:
        try:
            self.send({"id": 999, "method": "shutdown"})
            self.answer(999)
            self.send({"method": "exit"})
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def test_garbage_gets_error_answers_and_the_server_keeps_serving(tmp_path):
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "a.md").write_text("# A\n\n![](missing.png)\n", "utf-8")
    server = Raw()
    try:
        server.send({"id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": vault.as_uri(), "capabilities": {},
            "workspaceFolders": [{"uri": vault.as_uri(), "name": "vault"}]}})
        assert "capabilities" in server.answer(1)["result"]
        server.send({"method": "initialized", "params": {}})

        server.send_bytes(b"{this is not json")  # a parse error: answered with id null
        parse_error = server.answer(None)
        assert parse_error["error"]["code"] == -32700

        server.send({"id": 2, "method": "notelint/noSuchMethod", "params": {}})
        assert server.answer(2)["error"]["code"] == -32601

        server.send({"id": 3, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": (tmp_path / "elsewhere.md").as_uri()},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}}})
        assert server.answer(3)["error"]["code"] == -32602  # invalid params: not an open note

        server.send({"id": 4, "method": "textDocument/formatting", "params": {
            "textDocument": {"uri": (vault / "a.md").as_uri()}, "options": {"tabSize": 4, "insertSpaces": True}}})
        assert server.answer(4)["error"]["code"] == -32602  # not opened yet

        server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": (vault / "a.md").as_uri(), "languageId": "markdown", "version": 1,
            "text": "# A\n\n![](missing.png)\n"}}})
        while True:  # the good notification after the garbage is served
            message = server.messages.get(timeout=TIMEOUT)
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["diagnostics"]:
                break
        assert [d["code"] for d in message["params"]["diagnostics"]] == ["NL401"]
        assert server.close() == 0  # shut down as asked: exit status 0
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
