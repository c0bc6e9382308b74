"""Evaluation only: with NOTELINT_EVAL_PARSER=pyromark and this folder on PYTHONPATH, every Python
process (pytest and the `notelint` processes the tests start) builds `Note.markdown` with
`benchmarks/pyromark_doc.py` instead of markdown-it-py, so the test suite and whole-command timings
judge the candidate parser (benchmarks/README.md, "Markdown parser evaluation")."""

import os
import sys

if os.environ.get("NOTELINT_EVAL_PARSER") == "pyromark":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import pyromark_doc

    from notelint import markdown

    markdown.parse = pyromark_doc.parse
