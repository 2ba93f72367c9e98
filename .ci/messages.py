"""The translation catalogues: bring them up to date, or check that they are complete.

    python .ci/messages.py update   # make messages: makemessages for every language
    python .ci/messages.py check    # make check-messages: fails on anything below

``check`` fails when a catalogue (locale/<lang>/LC_MESSAGES/django.po, every language of
LANGUAGES but English, the source) has an entry without a translation (or a plural form
without one), a fuzzy entry, a translation whose placeholders differ from its msgid's or
whose python-format flag does not match them, or when ``update`` would add or drop an
entry: a string was marked, changed or removed in the code and the catalogue not updated.

The makemessages options live here once, so ``update`` and the freshness check agree.
Locations (``#: file:line``) are kept, as Django writes them by default and as everyone
runs it: translators see where a string is shown. The freshness check compares entries,
not lines, so code that merely moves never fails it.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_LANGUAGE = "en"
#: Where makemessages does not look: tools, build output, and the tests (not shown to anyone).
IGNORE = [".venv", "node_modules", "staticfiles", "build", "media", "tests", "*.egg-info"]
#: %(name)s, %s, %d, %.1f, … but not %%.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*\d*(?:\.\d+)?[sdfirxXeEgGcaou%]")


def main(argv: list[str]) -> int:
    if argv[1:] not in (["update"], ["check"]):
        print(__doc__, file=sys.stderr)
        return 2
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csplatform.settings")
    import django

    django.setup()
    if argv[1] == "update":
        _makemessages(ROOT / "locale")
        return 0
    problems = list(check(ROOT / "locale"))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"\n{len(problems)} problem(s) in the catalogues. Run `make messages`, translate "
            "each new entry, remove the fuzzy flags, and run `make check-messages` again.",
            file=sys.stderr,
        )
        return 1
    print("The catalogues are complete and up to date.")
    return 0


def languages() -> list[str]:
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def _makemessages(locale_dir: Path, cwd: Path = ROOT) -> None:
    from django.core.management import call_command
    from django.test.utils import override_settings

    # makemessages reads the tree under the working directory and writes into the
    # ``locale`` folder beside it: the real one for ``update``, a copy for ``check``.
    os.chdir(cwd)
    try:
        with override_settings(LOCALE_PATHS=[locale_dir]):
            call_command(
                "makemessages",
                locale=languages(),
                ignore_patterns=IGNORE,
                no_obsolete=True,
                symlinks=True,
                verbosity=0,
            )
    finally:
        os.chdir(ROOT)


def _scratch_project(scratch: Path, locale_dir: Path) -> Path:
    """The project seen through symlinks, with a copy of the catalogues to update."""
    for child in ROOT.iterdir():
        if child.name not in {"locale", ".git", ".venv"}:
            (scratch / child.name).symlink_to(child)
    shutil.copytree(locale_dir, scratch / "locale")
    return scratch / "locale"


def check(locale_dir: Path) -> Iterator[str]:
    import polib

    with tempfile.TemporaryDirectory() as scratch:
        fresh_dir = _scratch_project(Path(scratch), locale_dir)
        _makemessages(fresh_dir, cwd=Path(scratch))
        for language in languages():
            name = Path(language) / "LC_MESSAGES" / "django.po"
            path = locale_dir / name
            if not path.exists():
                yield f"{path}: missing; run `make messages`"
                continue
            catalogue = polib.pofile(str(path))
            yield from (f"{path}: {problem}" for problem in entry_problems(catalogue))
            yield from (
                f"{path}: {problem}"
                for problem in staleness(catalogue, polib.pofile(str(fresh_dir / name)))
            )


def entry_problems(catalogue) -> Iterator[str]:
    """Untranslated, fuzzy, and placeholder or flag mismatches, one line each."""
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = _describe(entry)
        if "fuzzy" in entry.flags:
            yield f"fuzzy: {where}"
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(translation.strip() for translation in translations):
            yield f"not translated: {where}"
            continue
        yield from (f"{problem}: {where}" for problem in placeholder_problems(entry))


def placeholder_problems(entry) -> Iterator[str]:
    source = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
    if "python-format" in entry.flags and "%" not in entry.msgid:
        yield "python-format flag on a msgid without placeholders"
    if source and not {"python-format", "no-python-format"} & set(entry.flags):
        yield "placeholders without the python-format flag"
    if "python-format" not in entry.flags:
        return  # not a format string ("% within target"): nothing is substituted
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
        # A singular form may spell the number out ("ένας λογαριασμός"); none may add a
        # placeholder, and the general plural form keeps them all.
        if any(not placeholders(form) <= source for form in forms):
            yield "a plural form has a placeholder the msgid does not"
        elif placeholders(forms[-1]) != placeholders(entry.msgid_plural):
            yield "the plural form's placeholders differ from msgid_plural's"
    elif placeholders(entry.msgstr) != source:
        yield "placeholders differ from the msgid's"


def placeholders(text: str) -> set[str]:
    found = set()
    for match in PLACEHOLDER.finditer(text):
        if match.group() == "%%":
            continue
        found.add(match.group("name") or match.group()[-1])
    return found


def staleness(catalogue, fresh) -> Iterator[str]:
    """Entries makemessages would add (a string marked in code but not in the catalogue)
    or drop (no longer in the code)."""
    ours = {_key(entry) for entry in catalogue if not entry.obsolete}
    theirs = {_key(entry) for entry in fresh if not entry.obsolete}
    for key in sorted(theirs - ours):
        yield f"marked in the code but missing, run `make messages`: {_show(key)}"
    for key in sorted(ours - theirs):
        yield f"no longer in the code, run `make messages`: {_show(key)}"


def _key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _show(key: tuple[str, str, str]) -> str:
    context, msgid, _plural = key
    return f"[{context}] {msgid!r}" if context else repr(msgid)


def _describe(entry) -> str:
    location = (
        f" ({entry.occurrences[0][0]}:{entry.occurrences[0][1]})" if entry.occurrences else ""
    )
    return f"{entry.msgid!r}{location}"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
