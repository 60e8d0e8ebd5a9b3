"""One module per CLI command; each parses options, calls the core and returns text and an exit code."""
