"""The template pages against the database: errors shown where they belong, saves that
replace the milestones and backfill, plan or segment, create, delete, who may open
them, and constant queries."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import AccountFactory, DailyUsageFactory, UserFactory
from tests.actors import ACTORS
from tests.ttfv.factories import MilestoneFactory, MilestoneTemplateFactory
from ttfv import services
from ttfv.engine import default_template_ensure
from ttfv.models import Milestone, MilestoneProgress, MilestoneTemplate, Onboarding

pytestmark = pytest.mark.django_db

TODAY = services.today_utc()
FIELDS = ("id", "name", "position", "target_offset_days", "rule", "event", "min_events",
          "min_contacts")  # fmt: skip


def days_ago(n: int):
    return TODAY - timedelta(days=n)


@pytest.fixture
def default():
    """The default template as the demo has it: kickoff (manual), data connected and
    first report shared (usage, first value); the events exist in the usage data."""
    template = default_template_ensure()
    template.milestones.all().delete()
    template.milestones.create(name="Kickoff", position=0, target_offset_days=7, rule="manual")
    template.milestones.create(
        name="Data connected", position=1, target_offset_days=14, rule="usage",
        event="integration.synced", min_events=1,
    )  # fmt: skip
    template.milestones.create(
        name="First report shared", position=2, target_offset_days=45, rule="usage",
        event="report.shared", min_events=3, min_contacts=2, is_first_value=True,
    )  # fmt: skip
    for event in ("integration.synced", "report.shared", "dashboard.created"):
        DailyUsageFactory(event=event, day=days_ago(400))
    return template


@pytest.fixture
def admin(client_for, admin_user):
    return client_for(admin_user)


def rows_of(template: MilestoneTemplate) -> list[dict]:
    return [
        {field: getattr(m, "pk" if field == "id" else field) for field in FIELDS}
        for m in template.milestones.order_by("position", "pk")
    ]


def post_data(template: MilestoneTemplate, rows: list[dict], *, first_value: int | None,
              **fields) -> dict:  # fmt: skip
    """What the editor's form posts: the template fields, the rows and the radio."""
    data = {
        "name": template.name,
        "plan": template.plan,
        "segment": template.segment,
        "target_days": template.target_days,
        "at_risk_percent": template.at_risk_percent,
        "milestones-TOTAL_FORMS": len(rows),
        "milestones-INITIAL_FORMS": sum(1 for row in rows if row.get("id")),
        "milestones-MIN_NUM_FORMS": 0,
        "milestones-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is None or value is False:
                continue
            data[f"milestones-{index}-{key}"] = "on" if value is True else value
    if first_value is not None:
        data["first_value"] = f"milestones-{first_value}"
    return data


def error_text(response, element_id: str) -> str:
    """The text of the error element with that id (the one the input points at)."""
    html = response.content.decode()
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no #{element_id} in the page"
    return unescape(match.group(1)).strip()


def edit_url(template) -> str:
    return reverse("ttfv:template", kwargs={"template_id": template.pk})


# --- Errors next to their field or row ---------------------------------------------


def test_the_editor_shows_the_milestones_the_first_value_and_the_known_events(admin, default):
    response = admin.get(edit_url(default))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="First report shared"' in html
    assert 'name="first_value" value="milestones-2" checked' in html
    assert '<datalist id="known-events">' in html
    assert '<option value="dashboard.created">' in html
    assert 'list="known-events"' in html
    assert "Default target for accounts without a plan or segment template" in html
    assert 'name="plan"' not in html  # the default has no plan nor segment


def test_k_above_n_is_shown_on_its_row(admin, default):
    rows = rows_of(default)
    rows[2].update(min_events=2, min_contacts=3)
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert response.status_code == 400
    assert error_text(response, "id_milestones-2-min_contacts_error") == (
        "K people (3) cannot exceed N events (2): each person counts one event."
    )
    assert 'aria-invalid="true"' in response.content.decode()
    assert Milestone.objects.get(name="First report shared").min_contacts == 2  # not saved


def test_n_of_zero_is_shown_on_its_row(admin, default):
    rows = rows_of(default)
    rows[1].update(min_events=0)
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert error_text(response, "id_milestones-1-min_events_error") == (
        "A usage rule needs N (at least how many events) of 1 or more."
    )


def test_a_decreasing_target_day_is_shown_on_the_later_row(admin, default):
    rows = rows_of(default)
    rows[0].update(target_offset_days=21)
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert error_text(response, "id_milestones-1-target_offset_days_error") == (
        "Data connected is due on day 14, earlier than Kickoff on day 21 before it. "
        "Raise its target day or move it up."
    )


def test_an_unknown_event_lists_the_known_ones_closest_first(admin, default):
    rows = rows_of(default)
    rows[2].update(event="report.shard")
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert error_text(response, "id_milestones-2-event_error") == (
        "Unknown event “report.shard”. Known events: report.shared, dashboard.created, "
        "integration.synced."
    )


def test_no_first_value_is_shown_above_the_rows(admin, default):
    response = admin.post(edit_url(default), post_data(default, rows_of(default), first_value=None))
    assert response.status_code == 400
    assert error_text(response, "first-value-error").startswith("Mark one milestone as the first")


def test_template_field_errors_sit_under_their_fields(admin, default):
    data = post_data(default, rows_of(default), first_value=2, target_days=0, name="")
    response = admin.post(edit_url(default), data)
    assert error_text(response, "id_target_days_error") == "The target is between 1 and 730 days."
    assert error_text(response, "id_name_error") == "Give the template a name."


def test_a_row_that_is_not_a_number_is_a_field_error(admin, default):
    rows = rows_of(default)
    rows[1].update(min_events="many")
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert error_text(response, "id_milestones-1-min_events_error") == "Enter a whole number."


# --- Saving --------------------------------------------------------------------------


def test_saving_replaces_the_milestones_in_the_submitted_order(admin, default):
    rows = rows_of(default)
    kickoff, data_connected, first_report = rows
    kickoff.update(DELETE=True)
    new = {"name": "Dashboard built", "position": 5, "target_offset_days": 60, "rule": "usage",
           "event": "dashboard.created", "min_events": 1}  # fmt: skip
    data_connected.update(position=0, rule="manual")  # event/N are cleared for manual rules
    first_report.update(position=1)
    response = admin.post(
        edit_url(default),
        post_data(default, [*rows, new], first_value=2, target_days=90, name="Standard"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    default.refresh_from_db()
    assert (default.name, default.target_days) == ("Standard", 90)
    assert [
        (m.name, m.position, m.rule, m.event, m.min_events, m.is_first_value)
        for m in default.milestones.order_by("position")
    ] == [
        ("Data connected", 0, "manual", "", None, False),
        ("First report shared", 1, "usage", "report.shared", 3, True),
        ("Dashboard built", 2, "usage", "dashboard.created", 1, False),
    ]


def test_saving_backfills_the_day_the_data_met_the_new_rule(admin, default):
    """Mirrors the engine's backfill test, through the editor."""
    account = AccountFactory(started_on=days_ago(60), plan="", segment="")
    DailyUsageFactory(account=account, day=days_ago(20), event="dashboard.created", event_count=1)
    services.onboarding_recompute()
    assert Onboarding.objects.get(account=account).first_value_on is None
    rows = rows_of(default)
    rows[2].update(event="dashboard.created", min_events=1, min_contacts=None)
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert response.status_code == 302
    onboarding = Onboarding.objects.get(account=account)
    assert onboarding.first_value_on == days_ago(20)  # not today
    assert (onboarding.ttfv_days, onboarding.status) == (40, "achieved")


def test_moving_the_first_value_keeps_check_offs_of_kept_milestones(admin, default):
    csm = UserFactory(role="csm")
    account = AccountFactory(started_on=days_ago(30), plan="", segment="")
    kickoff = default.milestones.get(name="Kickoff")
    services.milestone_check(account=account, milestone=kickoff, user=csm, achieved_on=days_ago(3))
    rows = rows_of(default)
    rows[0].update(name="Kickoff call")
    response = admin.post(edit_url(default), post_data(default, rows, first_value=0))
    assert response.status_code == 302
    kickoff.refresh_from_db()
    assert (kickoff.name, kickoff.is_first_value) == ("Kickoff call", True)
    assert MilestoneProgress.objects.get(account=account, milestone=kickoff).source == "manual"
    onboarding = Onboarding.objects.get(account=account)
    assert (onboarding.first_value_on, onboarding.status) == (days_ago(3), "achieved")


def test_the_target_of_the_default_applies_to_accounts_without_a_template(admin, default):
    account = AccountFactory(started_on=days_ago(50), plan="Solo", segment="SMB")
    services.onboarding_recompute()
    assert Onboarding.objects.get(account=account).status == "at_risk"  # day 50 of 60
    data = post_data(default, rows_of(default), first_value=2, target_days=120)
    assert admin.post(edit_url(default), data).status_code == 302
    onboarding = Onboarding.objects.get(account=account)
    assert (onboarding.target_days, onboarding.status) == (120, "on_track")


# --- Plan or segment -----------------------------------------------------------------


def test_a_template_cannot_be_for_a_plan_and_a_segment(admin, default):
    AccountFactory(plan="Scale", segment="SMB")
    template = MilestoneTemplateFactory(plan="Scale")
    MilestoneFactory(template=template, event="report.shared", is_first_value=True)
    data = post_data(template, rows_of(template), first_value=0, segment="SMB")
    response = admin.post(edit_url(template), data)
    assert response.status_code == 400
    assert "Choose a plan or a segment, not both." in response.content.decode()


def test_moving_a_template_from_a_plan_to_a_segment_moves_the_accounts(admin, default):
    scale = AccountFactory(plan="Scale", segment="Enterprise", started_on=days_ago(10))
    smb = AccountFactory(plan="Starter", segment="SMB", started_on=days_ago(10))
    template = MilestoneTemplateFactory(plan="Scale")
    MilestoneFactory(template=template, event="report.shared", is_first_value=True)
    services.onboarding_recompute()
    assert Onboarding.objects.get(account=scale).template == template
    data = post_data(template, rows_of(template), first_value=0, plan="", segment="SMB")
    assert admin.post(edit_url(template), data).status_code == 302
    assert Onboarding.objects.get(account=scale).template == default
    assert Onboarding.objects.get(account=smb).template == template


def test_the_default_cannot_be_given_a_plan(admin, default):
    AccountFactory(plan="Scale")
    data = post_data(default, rows_of(default), first_value=2, plan="Scale")
    assert admin.post(edit_url(default), data).status_code == 302
    default.refresh_from_db()
    assert (default.plan, default.segment) == ("", "")  # the field is not on its form


# --- Create and delete --------------------------------------------------------------


def test_creating_a_plan_template_copies_the_default_and_moves_its_accounts(admin, default):
    account = AccountFactory(plan="Scale", segment="SMB", started_on=days_ago(10))
    services.onboarding_recompute()
    response = admin.post(reverse("ttfv:template_create"), {"plan": "Scale", "segment": ""})
    template = MilestoneTemplate.objects.get(plan="Scale")
    assert response.status_code == 302
    assert response["Location"] == edit_url(template)
    assert [(m.name, m.is_first_value) for m in template.milestones.order_by("position")] == [
        ("Kickoff", False),
        ("Data connected", False),
        ("First report shared", True),
    ]
    assert Onboarding.objects.get(account=account).template == template


def test_creating_needs_a_plan_or_a_segment_not_both_and_a_free_one(admin, default):
    AccountFactory(plan="Scale", segment="SMB")
    url = reverse("ttfv:template_create")
    both = admin.post(url, {"plan": "Scale", "segment": "SMB"})
    assert both.status_code == 400
    assert "Choose a plan or a segment, not both." in both.content.decode()
    neither = admin.post(url, {"plan": "", "segment": ""})
    assert "Choose the plan or the segment the template is for." in neither.content.decode()
    MilestoneTemplateFactory(plan="Scale")
    taken = admin.post(url, {"plan": "Scale"})
    assert taken.status_code == 400
    assert "Select a valid choice." in taken.content.decode()
    unknown = admin.post(url, {"segment": "Nobody"})
    assert unknown.status_code == 400


def test_deleting_a_template_moves_its_accounts_to_the_next_template(admin, default):
    segment_template = MilestoneTemplateFactory(plan="", segment="SMB")
    MilestoneFactory(template=segment_template, event="report.shared", is_first_value=True)
    plan_template = MilestoneTemplateFactory(plan="Scale")
    MilestoneFactory(template=plan_template, event="report.shared", is_first_value=True)
    in_smb = AccountFactory(plan="Scale", segment="SMB", started_on=days_ago(5))
    elsewhere = AccountFactory(plan="Scale", segment="Enterprise", started_on=days_ago(5))
    services.onboarding_recompute()
    url = reverse("ttfv:template_delete", kwargs={"template_id": plan_template.pk})
    confirm = admin.get(url)
    assert "2 accounts follow this template" in confirm.content.decode()
    response = admin.post(url)
    assert response.status_code == 302
    assert not MilestoneTemplate.objects.filter(pk=plan_template.pk).exists()
    assert Onboarding.objects.get(account=in_smb).template == segment_template
    assert Onboarding.objects.get(account=elsewhere).template == default


def test_the_default_cannot_be_deleted(admin, default):
    url = reverse("ttfv:template_delete", kwargs={"template_id": default.pk})
    assert "cannot be deleted" in admin.get(url).content.decode()
    response = admin.post(url)
    assert response.status_code == 400
    assert "The default template cannot be deleted" in response.content.decode()
    assert MilestoneTemplate.objects.filter(pk=default.pk).exists()


def test_the_list_shows_counts_and_the_default_first(admin, default):
    template = MilestoneTemplateFactory(plan="Scale", name="Scale onboarding", target_days=90)
    MilestoneFactory(template=template, event="report.shared", is_first_value=True)
    AccountFactory.create_batch(2, plan="Scale")
    AccountFactory(plan="Solo", segment="SMB")
    services.onboarding_recompute()
    html = admin.get(reverse("ttfv:templates")).content.decode()
    assert html.index(default.name) < html.index("Scale onboarding")
    row = re.search(r"Scale onboarding.*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["1", "90", "75 %", "2"]
    # Free plans and segments are offered; taken ones are not.
    assert '<option value="Solo">' in html
    assert '<option value="Scale">' not in html


# --- Who may open them ----------------------------------------------------------------


def _urls(template) -> dict[str, tuple[str, str, int]]:
    """name -> (method, url, what an admin gets)."""
    kwargs = {"template_id": template.pk}
    return {
        "list": ("get", reverse("ttfv:templates"), 200),
        "edit": ("get", reverse("ttfv:template", kwargs=kwargs), 200),
        "save": ("post", reverse("ttfv:template", kwargs=kwargs), 400),
        "create": ("post", reverse("ttfv:template_create"), 400),
        "delete-confirm": ("get", reverse("ttfv:template_delete", kwargs=kwargs), 200),
        "delete": ("post", reverse("ttfv:template_delete", kwargs=kwargs), 302),
    }


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", ["list", "edit", "save", "create", "delete-confirm", "delete"])
def test_only_admins_reach_the_template_pages(actors, name, actor):
    default_template_ensure()
    template = MilestoneTemplateFactory(plan="Scale")
    method, url, admin_gets = _urls(template)[name]
    response = getattr(actors[actor], method)(url, {})
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    elif actor == "admin":
        assert response.status_code == admin_gets
    else:
        assert response.status_code == 403
    assert MilestoneTemplate.objects.filter(pk=template.pk).exists() == (
        not (actor == "admin" and name == "delete")
    )


def test_the_navigation_links_the_templates_for_admins_only(actors):
    url = reverse("ttfv:templates")
    assert f'href="{url}"' in actors["admin"].get(reverse("accounts:portfolio")).content.decode()
    assert f'href="{url}"' not in actors["csm"].get(reverse("accounts:portfolio")).content.decode()


# --- Constant queries -----------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_list_runs_the_same_queries_for_one_template_or_many(admin, default):
    url = reverse("ttfv:templates")
    few = _queries(admin, url)
    for n in range(6):
        template = MilestoneTemplateFactory(plan=f"Plan {n}")
        MilestoneFactory.create_batch(3, template=template)
        AccountFactory.create_batch(2, plan=f"Plan {n}", segment=f"Segment {n}")
    services.onboarding_recompute()
    assert _queries(admin, url) == few
    assert few <= 8


def test_the_editor_runs_the_same_queries_for_few_or_many_milestones(admin, default):
    url = edit_url(default)
    few = _queries(admin, url)
    for n in range(10):
        default.milestones.create(name=f"Step {n}", position=10 + n, target_offset_days=50,
                                  rule="manual")  # fmt: skip
        DailyUsageFactory(event=f"event.{n}")
    AccountFactory.create_batch(5, plan="", segment="")
    services.onboarding_recompute()
    assert _queries(admin, url) == few
    assert few <= 10


# --- What the in-app widget shows of a milestone ------------------------------------


def test_the_editor_keeps_each_milestones_how_to_link_and_nudge(admin, default):
    rows = rows_of(default)
    rows[1].update(
        how_to="Connect your warehouse in Settings.",
        help_url="https://app.vendor.example/settings/data",
        nudge_text="Connect your data to see your first report.",
    )
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert response.status_code == 302
    stored = default.milestones.get(name="Data connected")
    assert stored.how_to == "Connect your warehouse in Settings."
    assert stored.help_url == "https://app.vendor.example/settings/data"
    assert stored.nudge_text == "Connect your data to see your first report."
    assert (
        'value="https://app.vendor.example/settings/data"'
        in admin.get(edit_url(default)).content.decode()
    )


def test_the_editor_refuses_a_product_link_that_is_not_a_web_address(admin, default):
    rows = rows_of(default)
    rows[1]["help_url"] = "javascript:alert(1)"
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert response.status_code == 400
    assert not default.milestones.exclude(help_url="").exists()


def test_the_editor_writes_the_nudge_in_each_other_language(admin, default):
    """The vendor writes its own nudges, so the editor has a field per other language;
    a blank one is not stored, and the widget then falls back to the nudge itself."""
    rows = rows_of(default)
    rows[1].update(
        nudge_text="Connect your data to see your first report.",
        nudge_es="  Conecta tus datos para ver tu primer informe. ",
        nudge_el="",
    )
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert response.status_code == 302
    stored = default.milestones.get(name="Data connected")
    assert stored.nudge_translations == {"es": "Conecta tus datos para ver tu primer informe."}
    page = admin.get(edit_url(default)).content.decode()
    assert 'value="Conecta tus datos para ver tu primer informe."' in page
    assert "Nudge in Ελληνικά" in page

    rows[1].update(nudge_es="", nudge_el="Συνδέστε τα δεδομένα σας.")
    admin.post(edit_url(default), post_data(default, rows, first_value=2))
    stored.refresh_from_db()
    assert stored.nudge_translations == {"el": "Συνδέστε τα δεδομένα σας."}


def test_a_nudge_translation_longer_than_a_nudge_is_refused_on_its_field(admin, default):
    rows = rows_of(default)
    rows[1]["nudge_es"] = "x" * 201
    response = admin.post(edit_url(default), post_data(default, rows, first_value=2))
    assert response.status_code == 400
    assert "200" in error_text(response, "id_milestones-1-nudge_es_error")
    assert not default.milestones.exclude(nudge_translations={}).exists()
