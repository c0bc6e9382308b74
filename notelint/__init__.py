"""notelint: a linter and safe fixer for Obsidian and Dendron Markdown vaults."""

__version__ = "0.1.0"
