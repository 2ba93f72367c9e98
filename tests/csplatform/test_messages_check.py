"""The catalogues' check of `make check-messages` (.ci/messages.py), on small catalogues
made here: what it must refuse and what it must let through (no database)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polib
import pytest

_SPEC = importlib.util.spec_from_file_location(
    "ci_messages", Path(__file__).resolve().parents[2] / ".ci" / "messages.py"
)
assert _SPEC is not None
assert _SPEC.loader is not None
messages = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(messages)


def _catalogue(*entries: polib.POEntry) -> polib.POFile:
    catalogue = polib.POFile()
    for entry in entries:
        catalogue.append(entry)
    return catalogue


def _problems(*entries: polib.POEntry) -> list[str]:
    return list(messages.entry_problems(_catalogue(*entries)))


def test_a_complete_catalogue_passes():
    assert not _problems(
        polib.POEntry(msgid="Notes", msgstr="Notas"),
        polib.POEntry(
            msgid="Shipped: %(item)s", msgstr="Ya disponible: %(item)s", flags=["python-format"]
        ),
        # A singular form may spell the number out; the plural keeps every placeholder.
        polib.POEntry(
            msgid="%(count)d account",
            msgid_plural="%(count)d accounts",
            msgstr_plural={0: "ένας λογαριασμός", 1: "%(count)d λογαριασμοί"},
            flags=["python-format"],
        ),
        polib.POEntry(msgid="100%% done", msgstr="100%% hecho", flags=["python-format"]),
        polib.POEntry(msgid="% within target", msgstr="% dentro del objetivo"),
    )


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (polib.POEntry(msgid="Notes", msgstr=""), "not translated"),
        (
            polib.POEntry(
                msgid="%(count)d idea",
                msgid_plural="%(count)d ideas",
                msgstr_plural={0: "%(count)d idea", 1: ""},
                flags=["python-format"],
            ),
            "not translated",
        ),
        (polib.POEntry(msgid="Notes", msgstr="Notas", flags=["fuzzy"]), "fuzzy"),
        (
            polib.POEntry(msgid="Hi %(name)s", msgstr="Hola %(nombre)s", flags=["python-format"]),
            "placeholders differ",
        ),
        (
            polib.POEntry(
                msgid="%(count)d idea",
                msgid_plural="%(count)d ideas",
                msgstr_plural={0: "una idea", 1: "varias ideas"},
                flags=["python-format"],
            ),
            "plural form's placeholders differ",
        ),
        (polib.POEntry(msgid="Hi %(name)s", msgstr="Hola %(name)s"), "without the python-format"),
        (polib.POEntry(msgid="Hi", msgstr="Hola", flags=["python-format"]), "python-format flag"),
    ],
)
def test_what_the_check_refuses(entry, problem):
    (found,) = _problems(entry)
    assert problem in found


def test_an_entry_marked_in_the_code_or_gone_from_it_is_reported_lines_are_not():
    committed = _catalogue(
        polib.POEntry(msgid="Notes", msgstr="Notas", occurrences=[("a.py", "1")]),
        polib.POEntry(msgid="Old", msgstr="Viejo"),
    )
    fresh = _catalogue(
        polib.POEntry(msgid="Notes", msgstr="Notas", occurrences=[("a.py", "99")]),
        polib.POEntry(msgid="New", msgstr=""),
    )
    found = list(messages.staleness(committed, fresh))
    assert len(found) == 2
    assert "marked in the code but missing" in found[0]
    assert "'New'" in found[0]
    assert "no longer in the code" in found[1]
    assert "'Old'" in found[1]
