"""Reads of the feedback app that depend on who asks; one module per page family."""
