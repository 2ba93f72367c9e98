"""Deferred texts: stored in English, read in the reader's language (no database)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import formats as django_formats
from django.utils import translation

from core import formats, i18n
from feedback.statuses import IdeaStatus


def test_a_deferred_text_is_translated_when_rendered_not_when_written():
    with translation.override("en"):
        title = i18n.deferred("Shipped: %(item)s", item="Exports")
    stored = json.loads(json.dumps(title))  # as in a JSONField or a Celery argument

    with translation.override("el"):
        assert i18n.render(stored) == "Κυκλοφόρησε: Exports"
    with translation.override("es"):
        assert i18n.render(stored) == "Ya disponible: Exports"
    with translation.override("en"):
        assert i18n.render(stored) == "Shipped: Exports"


def test_a_lazy_label_inside_a_text_is_stored_as_its_source_and_follows_the_reader():
    with translation.override("es"):  # written by someone reading Spanish
        title = i18n.deferred(
            "“%(idea)s” is now %(status)s",
            idea="Dark mode",
            status=i18n.deferred_label(IdeaStatus.PLANNED.label),
        )
    assert title["params"]["status"]["msgid"] == "Planned"
    assert title["params"]["status"]["context"] == "idea status"
    with translation.override("el"):
        assert i18n.render(title) == "Η ιδέα «Dark mode» πέρασε σε κατάσταση «Προγραμματισμένη»"


def test_the_number_parameter_chooses_the_plural_form():
    one = i18n.deferred_plural(
        "%(count)d account affected, %(arr)s ARR, %(at_risk)s ARR at risk.",
        "%(count)d accounts affected, %(arr)s ARR, %(at_risk)s ARR at risk.",
        "count",
        count=1,
        arr="10",
        at_risk="5",
    )
    many = {**one, "params": {**one["params"], "count": 3}}
    with translation.override("en"):
        assert i18n.render(one).startswith("1 account affected")
        assert i18n.render(many).startswith("3 accounts affected")
    with translation.override("es"):
        assert i18n.render(one) != i18n.render(many).replace("3", "1")


def test_joined_parts_drop_the_empty_ones_and_plain_strings_pass_through():
    assert i18n.deferred_join("\n\n", "", "Only this") == "Only this"
    joined = i18n.deferred_join(
        "\n\n", "Coming in Q1.", i18n.deferred("Shipped: %(item)s", item="X")
    )
    with translation.override("el"):
        assert i18n.render(joined) == "Coming in Q1.\n\nΚυκλοφόρησε: X"
    assert i18n.render("An admin's own words") == "An admin's own words"


def test_amounts_and_days_are_written_out_for_the_reader_not_the_writer():
    with translation.override("en"):
        body = i18n.deferred(
            "Health score %(score)s on %(day)s.",
            score=i18n.deferred_value("score", 41.6),
            day=i18n.deferred_value("day", datetime.date(2026, 3, 5)),
        )
        amount = i18n.deferred_value("money", Decimal("1234567"))
    stored = json.loads(json.dumps([body, amount]))

    with translation.override("es"):
        assert i18n.render(stored[1]) == formats.money(1234567)
        assert "1.234.567" in i18n.render(stored[1])
        day = django_formats.date_format(datetime.date(2026, 3, 5), "DATE_FORMAT")
        assert i18n.render(stored[0]) == translation.gettext(
            "Health score %(score)s on %(day)s."
        ) % {"score": "42", "day": day}
        assert "marzo" in day
    with translation.override("en"):
        assert i18n.render(stored[1]) == formats.money(1234567)
        assert "1,234,567" in i18n.render(stored[1])


def test_a_missing_score_is_one_mark_and_an_unknown_kind_is_refused():
    assert i18n.render(i18n.deferred_value("score", float("nan"))) == formats.score(None)
    with pytest.raises(ValueError, match="unknown deferred value kind"):
        i18n.deferred_value("colour", 1)
