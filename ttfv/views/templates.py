"""The milestone template pages (admin): list and create, edit, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.access import allow
from core.roles import Role
from ttfv.forms import KNOWN_EVENTS_LIST_ID, TemplateCreateForm, TemplateEditor
from ttfv.selectors import templates as selectors
from ttfv.services import templates as services


def _list_page(
    request: HttpRequest, create_form: TemplateCreateForm | None = None, status: int = 200
) -> HttpResponse:
    overview = selectors.templates_overview()
    return render(
        request,
        "ttfv/template_list.html",
        {
            "overview": overview,
            "create_form": create_form or TemplateCreateForm(choices=overview.choices),
        },
        status=status,
    )


@allow(Role.ADMIN)
@require_http_methods(["GET"])
def template_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@allow(Role.ADMIN)
@require_POST
def template_create(request: HttpRequest) -> HttpResponse:
    form = TemplateCreateForm(request.POST, choices=selectors.scope_choices())
    if form.is_valid():
        try:
            template = services.template_create(
                plan=form.cleaned_data["plan"], segment=form.cleaned_data["segment"]
            )
        except services.TemplateInvalid as exc:
            for field, errors in exc.problems.template.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                _("“%(name)s” created as a copy of the default template. Adjust it below.")
                % {"name": template.name},
            )
            return redirect("ttfv:template", template_id=template.pk)
    return _list_page(request, form, status=400)


def _editor_page(
    request: HttpRequest,
    data: selectors.TemplateEditorData,
    editor: TemplateEditor,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "data": data,
        "template": data.template,
        "editor": editor,
        "form": editor.form,
        "known_events_id": KNOWN_EVENTS_LIST_ID,
    }
    return render(request, "ttfv/template_edit.html", context, status=status)


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    data = selectors.template_editor_data(template_id=template_id)
    editor = TemplateEditor(
        request.POST if request.method == "POST" else None,
        template=data.template,
        milestones=data.milestones,
        choices=data.choices,
    )
    if request.method == "GET" or not editor.is_valid():
        return _editor_page(request, data, editor, status=200 if request.method == "GET" else 400)
    try:
        template = services.template_save(template_id=data.template.pk, draft=editor.draft())
    except services.TemplateInvalid as exc:
        editor.add_problems(exc.problems)
        return _editor_page(request, data, editor, status=400)
    messages.success(
        request,
        _("“%(name)s” saved; its onboardings were recomputed from the usage data.")
        % {"name": template.name},
    )
    return redirect("ttfv:template", template_id=template.pk)


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def template_delete(request: HttpRequest, template_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes and moves the accounts on."""
    data = selectors.template_delete_data(template_id=template_id)
    error = ""
    if request.method == "POST":
        try:
            moved = services.template_delete(template_id=data.template.pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "“%(name)s” deleted; %(count)d account moved to the template that now applies.",
                    "“%(name)s” deleted; %(count)d accounts moved to the template that "
                    "now applies.",
                    moved,
                )
                % {"name": data.template.name, "count": moved},
            )
            return redirect("ttfv:templates")
    return render(
        request,
        "ttfv/template_delete.html",
        {"template": data.template, "accounts": data.accounts, "error": error},
        status=400 if error else 200,
    )
