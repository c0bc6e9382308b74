"""`notelint server`: the Language Server Protocol over stdio, for editors.

`session` keeps a vault's last whole check warm and lints open buffers against it (no LSP types);
`positions` turns code-point columns into the client's position units; `convert` makes LSP
diagnostics and edits of findings; `server` wires them to pygls.
"""
