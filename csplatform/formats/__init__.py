"""Per-language formats that replace Django's own where they differ from how the
language is written in print (FORMAT_MODULE_PATH); anything not set here falls back to
Django's format for the language."""
