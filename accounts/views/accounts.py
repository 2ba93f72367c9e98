"""Account pages for the vendor's staff."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import extensions, selectors, services
from accounts.forms import NoteForm, PortfolioQueryForm, SaveViewForm
from accounts.models import PortfolioView, User
from accounts.views import bulk, portfolio_views
from core.access import allow, policy_of
from core.roles import STAFF_ROLES, Role

PAGE_SIZE = 25
#: First click on a column sorts the way people usually want it: biggest ARR and seat
#: counts first, names A-Z and the soonest renewal first.
SORT_FIRST_DIRECTION = {"name": "asc", "arr": "desc", "renewal": "asc", "seats": "desc"}


def _portfolio_query(
    request: HttpRequest, view: PortfolioView | None = None
) -> tuple[PortfolioQueryForm, dict[str, Any]]:
    """The portfolio's parameters: a saved view's, overridden by those of the link."""
    data: QueryDict | dict[str, Any] = request.GET
    if view is not None:
        data = QueryDict(mutable=True)
        data.update(view.query)
        for key in request.GET:
            if key != "view":
                data.setlist(key, request.GET.getlist(key))
    form = PortfolioQueryForm(
        data,
        choices=selectors.portfolio_filter_choices(user=request.user),
        default_scope=selectors.default_portfolio_scope(request.user),
    )
    return form, form.values()


def _filtered_accounts(request: HttpRequest, params: dict[str, Any]):
    return selectors.portfolio_accounts(
        user=request.user,
        scope=params["scope"],
        search=params["q"],
        segment=params["segment"],
        plan=params["plan"],
        stage=params["stage"],
        renews_within=params["renewal"],
        sort=params["sort"],
        descending=params["dir"] == "desc",
        extra_filters=params["extra_filters"],
    )


def _sort_columns(params: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per sortable column: the direction its link asks for and its aria-sort state."""
    columns = {}
    first_directions = {
        **SORT_FIRST_DIRECTION,
        **{c.key: c.first_dir for c in extensions.portfolio_columns() if c.sort_field},
    }
    for key, first in first_directions.items():
        active = params["sort"] == key
        current = params["dir"] or first
        columns[key] = {
            "key": key,
            "next_dir": ("desc" if current == "asc" else "asc") if active else first,
            "aria_sort": ("ascending" if current == "asc" else "descending") if active else "none",
        }
    return columns


def _active_filters(request: HttpRequest, form: PortfolioQueryForm) -> list[dict[str, str]]:
    """Each filter in force, with the link that drops it alone and what the empty page
    says when it alone leaves no account ("No red accounts in this view")."""
    no_match = {item.key: item.no_match for item in extensions.portfolio_filters()}
    values = form.values()
    active = []
    for key, label, value in form.active_filters():
        query = request.GET.copy()
        query.pop(key, None)
        query.pop("page", None)
        describe = no_match.get(key)
        active.append(
            {
                "label": label,
                "value": value,
                "clear_url": "?" + query.urlencode(),
                "no_match": describe(values[key])
                if describe
                else _("No accounts match “%(filter)s: %(value)s” in this view")
                % {"filter": label, "value": value},
            }
        )
    return active


def _rendered(template: str, context: dict[str, Any], request: HttpRequest) -> SafeString:
    # render_to_string escapes what the section's template does not mark safe.
    return SafeString(render_to_string(template, context, request))


def _saved_view(request: HttpRequest) -> PortfolioView | None:
    if "view" in request.GET:
        return selectors.portfolio_view_for_user(
            user=cast(User, request.user), view_id=request.GET["view"]
        )
    return None


@allow(STAFF_ROLES)
def portfolio(request: HttpRequest) -> HttpResponse:
    if not request.GET:
        # The default view opens as a link of its own, so that sorting and paging
        # (which build on the link's parameters) keep its filters.
        default = selectors.default_portfolio_view(user=cast(User, request.user))
        if default is not None:
            return redirect(portfolio_views.view_url(default.pk))
    view = _saved_view(request)
    form, params = _portfolio_query(request, view)
    accounts = _filtered_accounts(request, params)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    sorts = _sort_columns(params)
    shown = set(view.columns) if view is not None and view.columns else set(services.column_keys())
    extra_columns = [
        {"column": column, "sort": sorts.get(column.key) if column.sort_field else None}
        for column in extensions.portfolio_columns()
        if column.key in shown
    ]
    unordered = accounts.order_by()
    panels = [
        _rendered(panel.template, panel.context(request, unordered), request)
        for panel in extensions.portfolio_panels()
    ]
    return render(
        request,
        "accounts/portfolio.html",
        {
            "page": page,
            "form": form,
            "scope": params["scope"],
            "search": params["q"],
            "has_filters": form.has_filters,
            "active_filters": _active_filters(request, form) if not page.paginator.count else [],
            "columns": sorts,
            "extra_columns": extra_columns,
            "panels": panels,
            "shown": shown,
            "saved_views": selectors.portfolio_views_for(user=cast(User, request.user)),
            "current_view": view,
            "save_view_form": SaveViewForm(
                columns=portfolio_views.column_choices(),
                initial={"columns": sorted(shown), "query": _view_query(request, view)},
            ),
            "page_url": request.get_full_path(),
            **bulk.bulk_menu(request),
            # Clearing filters keeps the view (scope) and the order the person chose.
            "clear_filters_query": "?"
            + urlencode({k: v for k, v in request.GET.items() if k in ("scope", "sort", "dir")}),
        },
    )


def _view_query(request: HttpRequest, view: PortfolioView | None) -> str:
    """What "save as a view" stores: the filters and sort in force, without the page."""
    query = QueryDict(mutable=True)
    if view is not None:
        query.update(view.query)
    for key in request.GET:
        if key not in ("view", "page"):
            query.setlist(key, request.GET.getlist(key))
    return query.urlencode()


@allow(STAFF_ROLES)
def portfolio_export(request: HttpRequest) -> StreamingHttpResponse:
    """The current filtered and sorted portfolio as CSV, streamed row by row."""
    _form, params = _portfolio_query(request, _saved_view(request))
    accounts = _filtered_accounts(request, params).iterator(chunk_size=2000)
    response = StreamingHttpResponse(
        selectors.portfolio_csv_rows(accounts), content_type="text/csv"
    )
    filename = f"portfolio-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _render_account(
    request: HttpRequest, account_id: int, note_form: NoteForm, status: int = 200
) -> HttpResponse:
    data = selectors.account_360(user=request.user, account_id=account_id)
    registered = {slot: extensions.account_sections(slot) for slot in ("top", "bottom")}
    sections = {
        slot: [
            _rendered(section.template, section.context(request, data.account), request)
            for section in registered[slot]
        ]
        for slot in ("top", "bottom")
    }
    return render(
        request,
        "accounts/account_detail.html",
        {
            "c360": data,
            "account": data.account,
            "contacts": data.contacts,
            "note_form": note_form,
            # Links and forms are shown exactly to the people whose role the target
            # view allows, read from the same policy the middleware enforces.
            "can_add_note": policy_of(add_note).permits(request.user),
            "can_manage_privacy": policy_of(contact_erase).permits(request.user),
            # The same rule the invitation service enforces, read from it.
            "can_invite": services.can_invite(cast(User, request.user), data.account),
            "sections": sections,
            # The section menu: each app's panel is listed where the page shows it.
            "section_links": {
                slot: [
                    (section.key, section.label) for section in registered[slot] if section.label
                ]
                for slot in ("top", "bottom")
            },
            # plotly is 4.8 MB: loaded only when something on the page draws a chart.
            "needs_charts": data.has_usage
            or any("data-plotly-figure" in html for html in sections["top"] + sections["bottom"]),
        },
        status=status,
    )


@allow(STAFF_ROLES)
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    return _render_account(request, account_id, NoteForm())


@allow(Role.CSM, Role.ADMIN)
@require_POST
def add_note(request: HttpRequest, account_id: int) -> HttpResponse:
    """Add a note. htmx gets the notes partial back; a plain form post is redirected."""
    account = selectors.account_for_user(user=request.user, account_id=account_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_create(
                account=account, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if request.htmx:
                form = NoteForm()
            else:
                messages.success(request, _("Note added."))
                return redirect(reverse("accounts:detail", args=[account.pk]) + "#notes")
    if request.htmx:
        # 200 even with errors: htmx swaps only successful responses, and the errors
        # must replace the form in place.
        return render(
            request,
            "accounts/_notes.html",
            {
                "account": account,
                "timeline": selectors.account_notes(account=account),
                "note_form": form,
                "can_add_note": True,
            },
        )
    return _render_account(request, account.pk, form, status=400)


@allow(Role.ADMIN)
def contact_export(request: HttpRequest, contact_id: int) -> JsonResponse:
    """Download a contact's personal data (data-subject access request)."""
    contact = selectors.contact_for_user(user=request.user, contact_id=contact_id)
    response = JsonResponse(
        services.contact_export(contact=contact), json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    response["Cache-Control"] = "no-store"  # personal data: keep it out of caches
    return response


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def contact_erase(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Confirm (GET) and erase (POST) a contact's personal data."""
    contact = selectors.contact_for_user(user=request.user, contact_id=contact_id)
    if request.method == "POST":
        services.contact_erase(contact=contact, actor=request.user)
        messages.success(
            request, _("Personal data of contact #%(id)d was erased.") % {"id": contact.pk}
        )
        return redirect("accounts:detail", account_id=contact.account_id)
    return render(
        request,
        "accounts/contact_erase_confirm.html",
        {"contact": contact, "portal_user": getattr(contact, "portal_user", None)},
    )


@allow(Role.ADMIN)
def getting_started(request: HttpRequest) -> HttpResponse:
    steps = selectors.getting_started_steps()
    return render(
        request,
        "accounts/getting_started.html",
        {"steps": steps, "done_count": sum(step.done for step in steps)},
    )
