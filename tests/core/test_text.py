"""Control characters are refused at every door: the rule itself, pure, and the two
guards that apply it to every JSON body and every query string or form."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import text
from feedback.models import Idea
from tests.feedback.factories import CategoryFactory

ONE_LINE_BAD = ["a\x00b", "a\nb", "a\rb", "tab\there", "del\x7f", "c1\x85", "sep\u2028"]
MULTI_LINE_OK = ["two\nlines", "crlf\r\nline", "tab\there", "ünïcödé · ελληνικά", ""]


@pytest.mark.parametrize("value", ONE_LINE_BAD)
def test_a_one_line_value_refuses_every_control_character(value):
    with pytest.raises(ValidationError) as caught:
        text.single_line(value)
    assert caught.value.code == "control_characters"


@pytest.mark.parametrize("value", MULTI_LINE_OK)
def test_a_multi_line_value_keeps_tabs_and_line_breaks(value):
    text.multi_line(value)


@pytest.mark.parametrize("value", ["nul\x00", "bell\x07", "esc\x1b[31m", "c1\x9b"])
def test_a_multi_line_value_refuses_the_other_controls(value):
    with pytest.raises(ValidationError):
        text.multi_line(value)


def test_a_line_break_is_named_as_such():
    with pytest.raises(ValidationError) as caught:
        text.single_line("Title\r\nBcc: everyone@example.com")
    assert "one line" in caught.value.messages[0]


def test_forbidden_paths_name_nested_fields_and_keys():
    body = {
        "title": "fine",
        "tags": ["ok", "a\x00"],
        "properties": {"plan": {"tier": "x\x01"}, "bad\x00key": 1},
        "description": "two\nlines",
    }
    assert sorted(text.forbidden_paths(body)) == [
        "properties.bad\x00key",
        "properties.plan.tier",
        "tags.1",
    ]
    assert list(text.forbidden_paths("\x00")) == ["body"]


@pytest.mark.django_db
def test_a_nul_in_a_json_body_is_a_400_naming_the_field_and_writes_nothing(actors):
    category = CategoryFactory()
    response = actors["customer"].post(
        reverse("idea-list"),
        data=json.dumps({"title": "A fine title", "category": category.slug, "tags": ["a\x00"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"tags.0": ["Must not contain control characters."]}
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_an_api_query_string_is_a_json_400(actors):
    response = actors["pm"].get(reverse("idea-list"), {"search": "road\x00map"})
    assert response.status_code == 400
    assert response.json() == {"search": ["Must not contain control characters."]}


@pytest.mark.django_db
def test_a_nul_in_a_page_query_string_is_a_friendly_400(actors):
    response = actors["customer"].get(reverse("feedback:board"), {"q": "road\x00map"})
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_nul_in_a_posted_form_is_refused_before_any_write(actors):
    category = CategoryFactory()
    response = actors["customer"].post(
        reverse("feedback:idea_new"),
        {"title": "A fine\x00 title", "description": "x", "category": category.pk},
    )
    assert response.status_code == 400
    assert not Idea.objects.exists()
