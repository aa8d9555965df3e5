"""The `trials` command line: thin commands over the indexing and service packages."""
