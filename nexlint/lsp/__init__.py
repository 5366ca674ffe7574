"""The language server (`nexlint lsp`), on pygls and lsprotocol: `pip install 'nexlint[lsp]'`.
Nothing here loads unless the server is started."""
