"""The scorecard pages (admin): list, create, edit with a preview of band changes,
backfill and delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import allow
from core.http import HtmxHttpRequest
from core.models import Job
from core.roles import Role
from healthscores import selectors, services
from healthscores.forms import (
    BackfillForm,
    ScorecardEditor,
    SegmentScorecardForm,
    with_registry_defaults,
)
from healthscores.models import Band, Scorecard


def _list_page(
    request: HttpRequest, create_form: SegmentScorecardForm | None = None, status: int = 200
) -> HttpResponse:
    overview = services.scorecards_overview()
    return render(
        request,
        "healthscores/scorecard_list.html",
        {
            "overview": overview,
            "create_form": create_form or SegmentScorecardForm(segments=overview.free_segments),
        },
        status=status,
    )


@allow(Role.ADMIN)
def scorecard_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@allow(Role.ADMIN)
@require_POST
def scorecard_create(request: HttpRequest) -> HttpResponse:
    overview = services.scorecards_overview()
    form = SegmentScorecardForm(request.POST, segments=overview.free_segments)
    if form.is_valid():
        try:
            scorecard = services.scorecard_create(
                segment=form.cleaned_data["segment"], user=request.user
            )
        except ValidationError as exc:
            form.add_error("segment", exc)
        else:
            messages.success(
                request,
                _("Scorecard for %(segment)s created as a copy of the default.")
                % {"segment": scorecard.segment},
            )
            return redirect("healthscores:scorecard", scorecard_id=scorecard.pk)
    return _list_page(request, form, status=400)


def _editor(data: services.EditorData, post=None) -> ScorecardEditor:
    return ScorecardEditor(
        post,
        scorecard=data.scorecard,
        measures=data.measures,
        known_events=data.known_events,
    )


def _editor_data(scorecard_id: int) -> services.EditorData:
    try:
        return services.scorecard_editor_data(scorecard_id=scorecard_id)
    except Scorecard.DoesNotExist:
        raise Http404(_("No such scorecard.")) from None


def _context(data: services.EditorData, editor: ScorecardEditor, **extra: Any) -> dict[str, Any]:
    return {
        "data": data,
        "scorecard": data.scorecard,
        "editor": editor,
        "form": editor.form,
        "measures": editor.measures,
        "backfill_form": extra.pop("backfill_form", None) or BackfillForm(),
        "band_labels": dict(Band.choices),
        **extra,
    }


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def scorecard_edit(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    """GET shows the editor; POST saves (or, with ``reset``, puts one measure back to
    the registry's defaults and shows the editor again without saving)."""
    data = _editor_data(scorecard_id)
    if request.method == "GET":
        editor = _editor(data)
        return render(request, "healthscores/scorecard_edit.html", _context(data, editor))
    if "reset" in request.POST:
        post = with_registry_defaults(request.POST, request.POST["reset"])
        editor = _editor(data, post)
        return render(
            request, "healthscores/scorecard_edit.html", _context(data, editor, reset=True)
        )
    editor = _editor(data, request.POST)
    if editor.is_valid():
        try:
            scorecard = services.scorecard_save(
                scorecard_id=data.scorecard.pk,
                draft=editor.draft(),
                user=request.user,
                expected_version=editor.expected_version,
            )
        except ValidationError as exc:
            editor.form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Saved version %(version)d. Today's health is being recomputed; "
                    "backfill history below if past days should use it too."
                )
                % {"version": scorecard.version},
            )
            for warning in editor.form.key_event_warnings:
                messages.warning(request, warning)
            return redirect("healthscores:scorecard", scorecard_id=scorecard.pk)
    return render(request, "healthscores/scorecard_edit.html", _context(data, editor), status=400)


@allow(Role.ADMIN)
@require_POST
def scorecard_preview(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    """Queue the preview of the unsaved configuration (today's band moves and the
    replay of past renewals) as a job, and show the editor with its progress, which
    htmx polls. htmx gets the editor form back; a plain post the whole page."""
    data = _editor_data(scorecard_id)
    editor = _editor(data, request.POST)
    replay = None
    if editor.is_valid():
        try:
            job = services.scorecard_replay_request(
                scorecard_id=data.scorecard.pk, draft=editor.draft(), user=request.user
            )
        except ValidationError as exc:
            editor.form.add_error(None, exc)
        else:
            replay = selectors.scorecard_replay(scorecard_id=data.scorecard.pk, job_id=job.pk)
    template = (
        "healthscores/scorecard_editor_form.html"
        if request.htmx
        else "healthscores/scorecard_edit.html"
    )
    # 200 even with errors: htmx swaps only successful responses, and the errors must
    # appear next to the fields in place.
    return render(request, template, _context(data, editor, replay=replay, previewed=True))


def _replay(scorecard_id: int, job_id: int) -> selectors.ScorecardReplay:
    try:
        return selectors.scorecard_replay(scorecard_id=scorecard_id, job_id=job_id)
    except Job.DoesNotExist:
        raise Http404(_("No such preview.")) from None


def _replay_response(
    request: HtmxHttpRequest, scorecard_id: int, replay: selectors.ScorecardReplay
) -> HttpResponse:
    """htmx gets the live part; a browser without JavaScript the preview's own page."""
    context = {"scorecard": replay.scorecard, "replay": replay}
    if request.htmx:
        return render(request, "healthscores/scorecard_replay_status.html", context)
    return render(request, "healthscores/scorecard_replay_page.html", context)


@allow(Role.ADMIN)
@require_GET
def scorecard_replay(request: HtmxHttpRequest, scorecard_id: int, job_id: int) -> HttpResponse:
    """The preview job's progress, then its result: what the editor polls."""
    return _replay_response(request, scorecard_id, _replay(scorecard_id, job_id))


@allow(Role.ADMIN)
@require_POST
def scorecard_replay_cancel(
    request: HtmxHttpRequest, scorecard_id: int, job_id: int
) -> HttpResponse:
    try:
        services.scorecard_replay_cancel(scorecard_id=scorecard_id, job_id=job_id)
    except Job.DoesNotExist:
        raise Http404(_("No such preview.")) from None
    replay = _replay(scorecard_id, job_id)
    if request.htmx:
        return _replay_response(request, scorecard_id, replay)
    return redirect("healthscores:scorecard_replay", scorecard_id=scorecard_id, job_id=job_id)


@allow(Role.ADMIN)
@require_POST
def scorecard_backfill(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    scorecard = get_object_or_404(Scorecard, pk=scorecard_id)
    form = BackfillForm(request.POST)
    if form.is_valid():
        runs = services.scorecard_backfill(scorecard=scorecard, days=form.cleaned_data["days"])
        if runs:
            messages.success(
                request,
                _(
                    "Queued %(count)d recomputes of the accounts of %(name)s, one per day "
                    "before today."
                )
                % {"count": len(runs), "name": scorecard.name},
            )
        else:
            messages.info(request, _("No account uses this scorecard: nothing to backfill."))
        return redirect("core:jobs")
    data = _editor_data(scorecard_id)
    editor = _editor(data)
    return render(
        request,
        "healthscores/scorecard_edit.html",
        _context(data, editor, backfill_form=form),
        status=400,
    )


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def scorecard_delete(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    """Confirm (GET) and delete (POST) a segment's scorecard that never scored."""
    scorecard = get_object_or_404(Scorecard, pk=scorecard_id)
    if request.method == "POST":
        try:
            services.scorecard_delete(scorecard=scorecard)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("healthscores:scorecard", scorecard_id=scorecard_id)
        messages.success(
            request,
            _("Scorecard %(name)s deleted; its accounts use the default scorecard.")
            % {"name": scorecard.name},
        )
        return redirect("healthscores:scorecards")
    snapshots = 0 if scorecard.is_default else services.scorecard_snapshot_count(scorecard)
    return render(
        request,
        "healthscores/scorecard_delete.html",
        {
            "scorecard": scorecard,
            "snapshots": snapshots,
            "accounts": services.scorecard_accounts(scorecard).count(),
        },
    )
