"""Report formats beyond the plain list: one module per family (people's text, CI annotations,
GitLab Code Quality, JUnit XML) plus `located`, which turns a finding's fix and identity into
line/column terms every machine format shares. `notelint.reporters.render` picks the module."""
