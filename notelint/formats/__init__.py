"""Report formats beyond the plain list: one module per family (people's text, CI annotations,
GitLab Code Quality, JUnit XML) plus `located`, which turns a finding's fix and identity into
line/column terms every machine format shares. `notelint.reporters.render` picks the module.

The names live here, importing nothing, so `notelint --version` and `--help` stay quick."""

# text, concise, grouped: text.py; github, azure: annotations.py; gitlab, junit: their modules;
# sarif: notelint/sarif.py; html: notelint/html_report.py (needs the workspaces)
FORMATS = ("text", "concise", "grouped", "json", "github", "azure", "gitlab", "junit", "sarif", "html")
PEOPLE_FORMATS = ("text", "concise", "grouped")  # end with the summary line; may be coloured
