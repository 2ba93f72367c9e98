"""CSV rows of the portfolio export, produced lazily so a large book streams in constant
memory.

The export is meant to come back in: its columns are the accounts import's, its dates
ISO and its numbers plain, whatever the reader's language. Only the header is written
in the reader's language, and the import recognises those headings in every language
the installation speaks (``ingest.columns``), so a Spanish or Greek export re-imports.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from accounts.models import Account

#: (import column, heading) of each exported column, in order.
PORTFOLIO_COLUMNS: list[tuple[str, Promise]] = [
    ("name", pgettext_lazy("export column", "Name")),
    ("external_id", pgettext_lazy("export column", "External ID")),
    ("domain", pgettext_lazy("export column", "Domain")),
    ("plan", pgettext_lazy("export column", "Plan")),
    ("segment", pgettext_lazy("export column", "Segment")),
    ("arr", pgettext_lazy("export column", "ARR")),
    ("licensed_seats", pgettext_lazy("export column", "Licensed seats")),
    ("lifecycle_stage", pgettext_lazy("export column", "Lifecycle stage")),
    ("csm_email", pgettext_lazy("export column", "CSM e-mail")),
    ("started_on", pgettext_lazy("export column", "Started on")),
    ("renews_on", pgettext_lazy("export column", "Renews on")),
]

# A cell starting with one of these is run as a formula by spreadsheet programs; account
# names and domains come from imports, so they are quoted with a leading apostrophe.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_PREFIXES) else value


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def portfolio_csv_rows(accounts: Iterable[Account]) -> Iterator[str]:
    """Header and one CSV line per account (with ``csm_owner`` selected).

    The header is translated now, in the request's language: the rows are written
    later, while the response streams, when that language may no longer be active.
    """
    header = [str(heading) for _column, heading in PORTFOLIO_COLUMNS]
    return _rows(header, accounts)


def _rows(header: list[str], accounts: Iterable[Account]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for account in accounts:
        owner = account.csm_owner
        yield writer.writerow(
            [
                _safe(account.name),
                _safe(account.external_id),
                _safe(account.domain),
                _safe(account.plan),
                _safe(account.segment),
                f"{account.arr:.2f}",
                account.licensed_seats,
                account.lifecycle_stage,
                _safe(owner.email) if owner else "",
                account.started_on.isoformat() if account.started_on else "",
                account.renews_on.isoformat() if account.renews_on else "",
            ]
        )
