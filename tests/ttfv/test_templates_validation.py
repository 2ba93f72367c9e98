"""The template rules, without a database: what the editor, the save service and the
API all refuse, and the messages that say why."""

from __future__ import annotations

from dataclasses import replace

from ttfv.templates_validation import (
    MilestoneDraft,
    TemplateDraft,
    event_suggestions,
    milestone_normalised,
    template_normalised,
    template_problems,
)

KNOWN = ["dashboard.created", "integration.synced", "report.exported", "report.shared"]


def kickoff(**changes) -> MilestoneDraft:
    return replace(MilestoneDraft(name="Kickoff", target_offset_days=7, rule="manual"), **changes)


def report(**changes) -> MilestoneDraft:
    milestone = MilestoneDraft(
        name="First report shared",
        target_offset_days=30,
        rule="usage",
        event="report.shared",
        min_events=3,
        min_contacts=2,
        is_first_value=True,
    )
    return replace(milestone, **changes)


def draft(*milestones: MilestoneDraft, **changes) -> TemplateDraft:
    template = TemplateDraft(
        name="Scale onboarding",
        plan="Scale",
        target_days=60,
        at_risk_percent=75,
        milestones=milestones or (kickoff(), report()),
    )
    return replace(template, **changes)


def problems_of(template: TemplateDraft, *, is_default: bool = False, known=KNOWN):
    return template_problems(
        template_normalised(template), known_events=known, is_default=is_default
    )


def test_a_sound_template_has_no_problems():
    assert not problems_of(draft())


def test_no_first_value_is_an_error_on_the_list():
    problems = problems_of(draft(kickoff(), report(is_first_value=False)))
    assert problems.milestone_list == [
        "Mark one milestone as the first value: the moment the customer gets value."
    ]
    assert not problems.milestones


def test_two_first_values_are_an_error_naming_both():
    problems = problems_of(draft(kickoff(is_first_value=True), report()))
    assert problems.milestone_list == [
        "Only one milestone can be the first value; Kickoff, First report shared are all marked."
    ]


def test_a_template_without_milestones_asks_for_one():
    problems = problems_of(replace(draft(), milestones=()))
    assert "Add at least one milestone" in problems.milestone_list[0]


def test_a_target_day_earlier_than_the_one_before_is_an_error_on_the_later_row():
    problems = problems_of(
        draft(
            kickoff(target_offset_days=21),
            MilestoneDraft(name="Data connected", target_offset_days=14, rule="manual"),
            report(target_offset_days=30),
        )
    )
    assert problems.milestones == {
        1: {
            "target_offset_days": [
                "Data connected is due on day 14, earlier than Kickoff on day 21 before it. "
                "Raise its target day or move it up."
            ]
        }
    }


def test_equal_target_days_are_allowed():
    assert not problems_of(draft(kickoff(target_offset_days=30), report(target_offset_days=30)))


def test_n_of_zero_or_less_is_refused():
    for n in (0, -2, None):
        problems = problems_of(draft(kickoff(), report(min_events=n, min_contacts=None)))
        assert problems.milestones[1]["min_events"] == [
            "A usage rule needs N (at least how many events) of 1 or more."
        ]


def test_k_above_n_is_refused_and_k_equal_to_n_is_fine():
    problems = problems_of(draft(kickoff(), report(min_events=2, min_contacts=3)))
    assert problems.milestones[1]["min_contacts"] == [
        "K people (3) cannot exceed N events (2): each person counts one event."
    ]
    assert not problems_of(draft(kickoff(), report(min_events=3, min_contacts=3)))


def test_k_of_zero_is_refused_and_an_empty_k_counts_anyone():
    problems = problems_of(draft(kickoff(), report(min_contacts=0)))
    assert "K (distinct people) must be 1 or more" in problems.milestones[1]["min_contacts"][0]
    assert not problems_of(draft(kickoff(), report(min_contacts=None)))


def test_a_usage_rule_needs_an_event():
    problems = problems_of(draft(kickoff(), report(event="  ")))
    assert problems.milestones[1]["event"] == ["A usage rule needs the event to look for."]


def test_an_unknown_event_lists_known_events_closest_first():
    problems = problems_of(draft(kickoff(), report(event="report.shraed")))
    (message,) = problems.milestones[1]["event"]
    assert message.startswith("Unknown event “report.shraed”. Known events: report.shared, ")
    assert message.index("report.shared") < message.index("dashboard.created")


def test_an_event_that_exists_passes_and_case_matters():
    assert not problems_of(draft(kickoff(), report(event="report.exported")))
    problems = problems_of(draft(kickoff(), report(event="Report.Shared")))
    assert "Known events: report.shared," in problems.milestones[1]["event"][0]


def test_suggestions_keep_every_known_event_best_first():
    assert event_suggestions("integration.sync", KNOWN) == [
        "integration.synced",
        "dashboard.created",
        "report.exported",
        "report.shared",
    ]


def test_long_event_lists_are_cut_with_a_count_of_the_rest():
    known = [f"event.{n:02d}" for n in range(20)]
    problems = problems_of(draft(kickoff(), report(event="evnt.03")), known=known)
    (message,) = problems.milestones[1]["event"]
    assert message.count("event.") == 8
    assert message.endswith("(and 12 more in the list of known events)")


def test_without_any_usage_a_usage_rule_is_refused_with_the_way_out():
    problems = problems_of(draft(kickoff(), report()), known=[])
    assert "No usage event has been imported yet" in problems.milestones[1]["event"][0]


def test_manual_rules_drop_their_usage_fields():
    milestone = milestone_normalised(
        kickoff(event="report.shared", min_events=0, min_contacts=9, name="  Kickoff  ")
    )
    assert (milestone.name, milestone.event, milestone.min_events, milestone.min_contacts) == (
        "Kickoff",
        "",
        None,
        None,
    )
    assert not problems_of(draft(kickoff(event="nope", min_events=0), report()))


def test_plan_and_segment_are_exclusive_and_the_default_has_neither():
    assert problems_of(draft(segment="SMB")).template["__all__"] == [
        "Choose a plan or a segment, not both."
    ]
    assert problems_of(draft(plan="")).template["__all__"] == [
        "Choose the plan or the segment this template is for."
    ]
    assert not problems_of(draft(plan=""), is_default=True)
    assert (
        "cannot be given a plan or a segment"
        in (problems_of(draft(), is_default=True).template["__all__"][0])
    )


def test_target_and_at_risk_ranges():
    assert problems_of(draft(target_days=0)).template["target_days"] == [
        "The target is between 1 and 730 days."
    ]
    assert problems_of(draft(target_days=731)).template["target_days"]
    assert not problems_of(draft(target_days=730))
    assert problems_of(draft(at_risk_percent=0)).template["at_risk_percent"] == [
        "At risk is between 1 and 100 % of the target."
    ]
    assert problems_of(draft(at_risk_percent=101)).template["at_risk_percent"]


def test_a_nameless_template_and_milestone_are_refused():
    problems = problems_of(draft(kickoff(name=" "), report(), name=""))
    assert problems.template["name"] == ["Give the template a name."]
    assert problems.milestones[0]["name"] == ["Give the milestone a name."]


def test_problems_serialise_for_an_api():
    problems = problems_of(draft(kickoff(), report(min_events=1, min_contacts=2)))
    assert problems.as_dict()["milestones"]["1"]["min_contacts"]
