"""Django's compilemessages, which also works on a machine without GNU gettext.

``make run`` and ``make test`` compile the catalogues before they start (the ``.mo``
files are built, not committed), and a fresh machine often has no ``msgfmt``. There the
catalogues under ``LOCALE_PATHS`` are compiled with polib instead; ``msgfmt`` stays the
first choice because it also checks each catalogue (``--check-format``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.commands import compilemessages


class Command(compilemessages.Command):
    def handle(self, **options: Any) -> None:
        if shutil.which(self.program):
            super().handle(**options)
            return
        locales = set(options.get("locale") or [])
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for catalogue in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                if locales and catalogue.parts[-3] not in locales:
                    continue
                polib.pofile(str(catalogue)).save_as_mofile(str(catalogue.with_suffix(".mo")))
                if options["verbosity"] > 0:
                    self.stdout.write(f"processing file {catalogue.name} in {catalogue.parent}")
