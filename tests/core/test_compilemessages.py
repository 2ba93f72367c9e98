"""The catalogues compile on a machine without GNU gettext, into .mo files that read
back as msgfmt's would: plain, plural and context entries."""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import polib
from django.core.management import call_command

from csplatform.settings import BASE_DIR


def test_catalogues_compile_without_msgfmt(tmp_path, monkeypatch, settings):
    locale = tmp_path / "locale"
    shutil.copytree(BASE_DIR / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [locale]
    monkeypatch.setenv("PATH", str(tmp_path))  # no msgfmt on this PATH
    assert shutil.which("msgfmt") is None

    call_command("compilemessages", verbosity=0)

    compiled = locale / "el" / "LC_MESSAGES" / "django.mo"
    with compiled.open("rb") as fp:
        read = gettext.GNUTranslations(fp)
    catalogue = polib.pofile(str(Path(compiled).with_suffix(".po")))
    plural = next(e for e in catalogue if e.msgid_plural and not e.msgctxt)
    context = next(e for e in catalogue if e.msgctxt and not e.msgid_plural)
    plain = next(e for e in catalogue if not e.msgctxt and not e.msgid_plural and e.msgstr)
    assert read.gettext(plain.msgid) == plain.msgstr
    assert read.pgettext(context.msgctxt, context.msgid) == context.msgstr
    assert read.ngettext(plural.msgid, plural.msgid_plural, 5) == plural.msgstr_plural[1]
    assert (locale / "es" / "LC_MESSAGES" / "django.mo").exists()
