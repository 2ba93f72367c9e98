"""The documented columns of each import kind, and the header aliases real exports use.

Mostly data: the README table is written from this, and the validators read it. Our own
exports head their columns in the reader's language; those headings, in every language
the installation speaks, are aliases too, so an export re-imports whoever made it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from accounts.selectors import PORTFOLIO_COLUMNS


@dataclass(frozen=True)
class KindSpec:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def known(self) -> set[str]:
        return {*self.required, *self.optional}


def normalise_header(name: str) -> str:
    """'Ticket ID' -> 'ticket_id', ' Created at ' -> 'created_at', 'Fecha de renovación'
    -> 'fecha_de_renovacion': letters of any script, without accents, in one case."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "_", bare).strip("_")


SPECS: dict[str, KindSpec] = {
    "accounts": KindSpec(
        required=("external_id", "name"),
        optional=(
            "domain", "plan", "segment", "arr", "licensed_seats", "lifecycle_stage",
            "csm_email", "started_on", "renews_on",
        ),
        aliases={
            "account_id": "external_id", "id": "external_id", "account_name": "name",
            "seats": "licensed_seats", "stage": "lifecycle_stage", "csm": "csm_email",
            "owner_email": "csm_email", "start_date": "started_on",
            "renewal_date": "renews_on",
        },
    ),
    "contacts": KindSpec(
        required=("account_external_id", "name", "email"),
        optional=("title", "is_champion"),
        aliases={"account_id": "account_external_id", "organization": "account_external_id",
                 "full_name": "name", "champion": "is_champion", "job_title": "title"},
    ),
    "usage": KindSpec(
        required=("account_external_id", "event", "occurred_at"),
        optional=("quantity", "contact_email", "user_id", "message_id", "properties"),
        aliases={
            "account_id": "account_external_id", "group_id": "account_external_id",
            "event_name": "event", "timestamp": "occurred_at", "time": "occurred_at",
            "email": "contact_email", "user_email": "contact_email", "messageid": "message_id",
            "count": "quantity", "userid": "user_id",
        },
    ),
    "tickets": KindSpec(
        required=("external_id", "account_external_id", "subject", "opened_at"),
        optional=(
            "priority", "status", "tags", "first_response_at", "first_response_minutes",
            "solved_at",
        ),
        # Zendesk's export: "Id", "Organization" (a name), "Created at", "Solved at",
        # "Tags" (space separated), "First reply time in minutes".
        aliases={
            "ticket_id": "external_id", "id": "external_id",
            "organization": "account_external_id", "organization_id": "account_external_id",
            "organization_name": "account_external_id", "account_id": "account_external_id",
            "created_at": "opened_at", "first_reply_at": "first_response_at",
            "first_reply_time_in_minutes": "first_response_minutes", "solved": "solved_at",
            "title": "subject",
        },
    ),
    "surveys": KindSpec(
        required=("external_id", "account_external_id", "kind", "score", "responded_at"),
        optional=("contact_email", "comment"),
        aliases={
            "response_id": "external_id", "id": "external_id",
            "account_id": "account_external_id", "organization": "account_external_id",
            "survey_type": "kind", "type": "kind", "rating": "score",
            "created_at": "responded_at", "submitted_at": "responded_at",
            "email": "contact_email", "feedback": "comment",
        },
    ),
    "renewals": KindSpec(
        required=("account_external_id", "renewed_on", "outcome", "arr_before", "arr_after"),
        aliases={
            "account_id": "account_external_id", "organization": "account_external_id",
            "renewal_date": "renewed_on", "date": "renewed_on", "result": "outcome",
            "status": "outcome", "previous_arr": "arr_before", "new_arr": "arr_after",
        },
        optional=(),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class HeaderCheck:
    rename: dict[str, str]
    missing: list[str]
    unknown: list[str]
    duplicated: list[str]


#: The columns of our own exports, by import kind: (column, lazily translated heading).
EXPORT_HEADINGS: dict[str, list[tuple[str, Promise]]] = {"accounts": PORTFOLIO_COLUMNS}


@cache
def exported_headings(kind: str) -> dict[str, str]:
    """Each heading our export of ``kind`` writes, normalised, in every language of
    ``LANGUAGES``, mapped to its column."""
    aliases: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column, heading in EXPORT_HEADINGS.get(kind, []):
                aliases.setdefault(normalise_header(str(heading)), column)
    return aliases


def check_header(kind: str, header: list[str]) -> HeaderCheck:
    """Map a file's header onto the documented columns, naming what is missing or extra."""
    spec = SPECS[kind]
    rename: dict[str, str] = {}
    seen: dict[str, str] = {}
    unknown, duplicated = [], []
    for original in header:
        key = normalise_header(original)
        column = (
            key if key in spec.known else spec.aliases.get(key) or exported_headings(kind).get(key)
        )
        if column is None:
            unknown.append(original)
            continue
        if column in seen:
            duplicated.append(original)
            continue
        seen[column] = original
        rename[original] = column
    missing = [column for column in spec.required if column not in seen]
    return HeaderCheck(rename=rename, missing=missing, unknown=unknown, duplicated=duplicated)
