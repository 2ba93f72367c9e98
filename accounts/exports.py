"""CSV rows of the portfolio export, produced lazily so a large book streams in constant
memory."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from accounts.models import Account

PORTFOLIO_COLUMNS = [
    "name",
    "external_id",
    "domain",
    "plan",
    "segment",
    "arr",
    "licensed_seats",
    "lifecycle_stage",
    "csm",
    "started_on",
    "renews_on",
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
    """Header and one CSV line per account (with ``csm_owner`` selected)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(PORTFOLIO_COLUMNS)
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
                _safe(owner.get_full_name() or owner.username) if owner else "",
                account.started_on.isoformat() if account.started_on else "",
                account.renews_on.isoformat() if account.renews_on else "",
            ]
        )
