"""Django's makemessages, also extracting the msgids of texts deferred to their reader."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # core.i18n.deferred(msgid, ...) and deferred_plural(singular, plural, ...).
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=deferred",
        "--keyword=deferred_plural:1,2",
    ]
