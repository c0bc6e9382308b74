"""notelint's rules, one module each. Installed as the `notelint.rules` package.

To add a rule, add a module here defining one `notelint.rule.Rule` subclass with a unique
`name` and `code`; the registry finds it, `notelint rules` lists it, and the README's
rules table is regenerated with `python -m notelint.docs --write`.
"""
