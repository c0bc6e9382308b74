"""`--format junit`: JUnit XML, for CI systems that show test reports (Jenkins, GitLab's
`artifacts:reports:junit`, Azure's PublishTestResults).

One `<testsuite>` per file with findings and one failing `<testcase>` per finding (its
`classname` the file, its `name` the rule and position); a run without findings is one
passing test case, so the report is never empty. Only the attributes of the Jenkins xUnit
JUnit schema (`junit-10.xsd`, the one pytest validates its own reports against) are used:
the tests validate every report against it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from notelint.formats.item import Item, printable


def write(items: Sequence[Item], stream) -> None:
    root = ET.Element("testsuites", name="notelint", tests=str(max(1, len(items))),
                      failures=str(len(items)), errors="0", time="0")
    for path, group in groupby(items, key=lambda item: item.path):
        group = list(group)
        suite = ET.SubElement(root, "testsuite", name=printable(path), tests=str(len(group)),
                              failures=str(len(group)), errors="0", skipped="0", time="0")
        for item in group:
            f = item.finding
            case = ET.SubElement(suite, "testcase", name=f"{f.code} [{f.rule}] at {f.line}:{f.column}",
                                 classname=printable(path), time="0")
            failure = ET.SubElement(case, "failure", type=f.code, message=printable(f.message))
            failure.text = f"{printable(path)}:{f.line}:{f.column}: {f.code} [{f.rule}] {printable(f.message)}"
    if not items:
        suite = ET.SubElement(root, "testsuite", name="notelint", tests="1", failures="0", errors="0",
                              skipped="0", time="0")
        ET.SubElement(suite, "testcase", name="no findings", classname="notelint", time="0")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
