"""The product managers' roadmap editor: the board with drafts, the item form, and the
htmx actions that move, publish and delete items. Each action answers an htmx request
with the updated board and a plain form post with a redirect to it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.access import allow
from core.http import HtmxHttpRequest
from core.roles import PRODUCT_ROLES
from roadmap import selectors, services
from roadmap.forms import RoadmapItemForm
from roadmap.models import Column, RoadmapItem

EDITORS = PRODUCT_ROLES
COLUMNS = list(Column.values)
#: The move buttons: how each changes (column index, position).
DIRECTIONS = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}


def _editor(request: HttpRequest) -> User:
    """The signed-in editor: ``@allow(EDITORS)`` lets no one else reach a view."""
    return cast(User, request.user)


def _board(
    request: HttpRequest,
    *,
    status: str = "",
    focus: tuple[int, str] | None = None,
    confirm: dict[str, Any] | None = None,
):
    context = {
        "columns": selectors.editor_board(user=request.user),
        "status_message": status,
        "focus_item": focus[0] if focus else None,
        "focus_action": focus[1] if focus else "",
        "confirm": confirm,
        "undos": selectors.open_undos(user=request.user),
    }
    return render(request, "roadmap/_editor_board.html", context)


def _confirmation(
    request: HtmxHttpRequest,
    *,
    item: RoadmapItem,
    url_name: str,
    question: str,
    fields: dict[str, str],
    **change: Any,
) -> HttpResponse | None:
    """Ask before an action (``change``: the column or public flag it sets) that tells
    people or hides public content, unless this post is the answer (``confirm=1``).
    htmx gets the board with the question on top; a plain form post gets a page of its
    own. None: go ahead."""
    if request.POST.get("confirm") == "1":
        return None
    consequence = services.item_action_consequence(item=item, actor_id=request.user.pk, **change)
    return _ask(
        request,
        item=item,
        consequence=consequence,
        action=reverse(url_name, args=[item.pk]),
        question=question,
        fields=fields,
    )


def _ask(
    request: HtmxHttpRequest,
    *,
    item: RoadmapItem,
    consequence: services.Consequence,
    action: str,
    question: str,
    fields: dict[str, str],
) -> HttpResponse | None:
    """The question itself, when ``consequence`` needs one; None: go ahead."""
    if not consequence.needs_confirmation:
        return None
    confirm = {
        "item": item,
        "consequence": consequence,
        "action": action,
        "question": question,
        "fields": fields,
        # The answer goes back the way the question came: the page of its own has no
        # board for htmx to swap into.
        "htmx": bool(request.htmx),
    }
    if request.htmx:
        return _board(request, confirm=confirm)
    return render(request, "roadmap/item_confirm.html", {"confirm": confirm})


def _done(request: HttpRequest, message: str, *, focus: tuple[int, str] | None = None):
    if request.htmx:
        return _board(request, status=message, focus=focus)
    messages.success(request, message)
    return redirect("roadmap:editor")


def _gone_answered(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An item deleted by another editor between this page's lookup and the service's
    locked read is a message on the board, not an error page."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RoadmapItem.DoesNotExist:
            message = _("That item was deleted by someone else meanwhile.")
            if request.htmx:
                return _board(request, status=message)
            messages.error(request, message)
            return redirect("roadmap:editor")

    return wrapper


@allow(EDITORS)
def editor(request: HttpRequest) -> HttpResponse:
    """The board; with ``?link_idea=<pk>`` (from a product-risk flag) also a panel to put
    that idea on a new or an existing item."""
    columns = selectors.editor_board(user=request.user)
    idea = selectors.idea_to_link(user=request.user, value=request.GET.get("link_idea"))
    targets = [
        item
        for column in columns
        if column.key != Column.SHIPPED
        for item in column.items
        if idea is not None and all(linked.pk != idea.pk for linked in item.linked_ideas)
    ]
    context = {
        "columns": columns,
        "link_idea": idea,
        "link_targets": targets,
        "undos": selectors.open_undos(user=request.user),
    }
    return render(request, "roadmap/editor.html", context)


@allow(EDITORS)
@require_POST
@_gone_answered
def link_idea(request: HtmxHttpRequest) -> HttpResponse:
    """Put one idea on an existing item (the flag page's "Link to a roadmap item").
    Linking to a public item tells the idea's people, so it is asked first, like a move."""
    item_pk = request.POST.get("item", "")
    if not item_pk.isdigit():
        return HttpResponseBadRequest(_("Choose a roadmap item."))
    item = selectors.editor_item(user=request.user, pk=int(item_pk))
    idea = selectors.idea_to_link(user=request.user, value=request.POST.get("idea"))
    if idea is None:
        return HttpResponseBadRequest(_("Choose an idea that is still on the board."))
    if request.POST.get("confirm") != "1":
        asked = _ask(
            request,
            item=item,
            consequence=services.item_link_consequence(
                item=item, ideas=[idea], actor_id=request.user.pk
            ),
            action=reverse("roadmap:link_idea"),
            question=_("Add “%(idea)s” to “%(item)s”?") % {"idea": idea.title, "item": item},
            fields={"item": str(item.pk), "idea": str(idea.pk)},
        )
        if asked is not None:
            return asked
    with services.undoable(item=item, actor=_editor(request)):
        services.item_link_ideas(item=item, ideas=[idea], actor=request.user)
    messages.success(
        request, _("“%(idea)s” is now on “%(item)s”.") % {"idea": idea.title, "item": item}
    )
    return redirect("roadmap:editor")


@allow(EDITORS)
def item_new(request: HttpRequest) -> HttpResponse:
    initial = {"column": request.GET.get("column")}
    idea = selectors.idea_to_link(user=request.user, value=request.GET.get("idea"))
    if idea is not None:  # "New item for this idea", from the editor's link panel
        initial.update(title=idea.title, ideas=[idea])
    form = RoadmapItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=request.user, **form.item_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(title)s” added to the roadmap.") % {"title": item})
            return redirect("roadmap:editor")
    return render(request, "roadmap/item_form.html", {"form": form, "item": None})


@allow(EDITORS)
@_gone_answered
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.editor_item(user=request.user, pk=pk)
    if request.method == "POST":
        form = RoadmapItemForm(request.POST)
        if form.is_valid():
            try:
                item = services.item_update(item=item, actor=request.user, **form.item_fields())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("“%(title)s” saved.") % {"title": item})
                return redirect("roadmap:editor")
    else:
        form = RoadmapItemForm.for_item(item)
    return render(request, "roadmap/item_form.html", {"form": form, "item": item})


@allow(EDITORS)
def idea_search(request: HttpRequest) -> HttpResponse:
    """Ideas matching the editor's search box, as boxes to tick into the form."""
    chosen = [int(pk) for pk in request.GET.getlist("ideas") if pk.isdigit()]
    text = request.GET.get("q", "")
    ideas = selectors.linkable_ideas(user=request.user, text=text, exclude=chosen)
    return render(request, "roadmap/_idea_results.html", {"ideas": ideas, "q": text})


@allow(EDITORS)
@require_POST
@_gone_answered
def item_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move with a button (``direction``) or by drag and drop (``column`` + ``position``)."""
    item = selectors.editor_item(user=request.user, pk=pk)
    direction = request.POST.get("direction", "")
    if direction in DIRECTIONS:
        column_step, position_step = DIRECTIONS[direction]
        column_index = COLUMNS.index(item.column) + column_step
        position = item.position + position_step
        if not 0 <= column_index < len(COLUMNS) or position < 0:
            return HttpResponseBadRequest(_("The item cannot move further that way."))
        column = COLUMNS[column_index]
    else:
        column = request.POST.get("column", "")
        position_text = request.POST.get("position", "")
        if column not in COLUMNS or not position_text.isdigit():
            return HttpResponseBadRequest(_("Say where to move the item."))
        position = int(position_text)
    asked = _confirmation(
        request,
        item=item,
        url_name="roadmap:item_move",
        question=(_("Ship “%(title)s”?") if column == Column.SHIPPED else _("Move “%(title)s”?"))
        % {"title": item.title},
        fields={"column": column, "position": str(position)},
        column=column,
    )
    if asked is not None:
        return asked
    with services.undoable(item=item, actor=_editor(request)):
        item = services.item_move(item=item, column=column, position=position, actor=request.user)
    message = _("“%(title)s” is now in %(column)s, position %(position)d.") % {
        "title": item.title,
        "column": Column(item.column).label,
        "position": item.position + 1,
    }
    return _done(request, message, focus=(item.pk, direction or "edit"))


@allow(EDITORS)
@require_POST
@_gone_answered
def item_publish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = selectors.editor_item(user=request.user, pk=pk)
    public = request.POST.get("public") == "1"
    asked = _confirmation(
        request,
        item=item,
        url_name="roadmap:item_publish",
        question=(_("Publish “%(title)s”?") if public else _("Unpublish “%(title)s”?"))
        % {"title": item.title},
        fields={"public": "1" if public else "0"},
        public=public,
    )
    if asked is not None:
        return asked
    with services.undoable(item=item, actor=_editor(request)):
        item = services.item_publish(item=item, public=public, actor=request.user)
    if public:
        message = _("“%(title)s” is public.") % {"title": item.title}
    else:
        message = _("“%(title)s” is a draft again.") % {"title": item.title}
    return _done(request, message, focus=(item.pk, "publish"))


@allow(EDITORS)
@_gone_answered
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.editor_item(user=request.user, pk=pk)
    if request.method == "POST":
        services.item_delete(item=item)
        messages.success(request, _("“%(title)s” deleted.") % {"title": item.title})
        return redirect("roadmap:editor")
    return render(request, "roadmap/item_delete.html", {"item": item})


@allow(EDITORS)
@require_POST
def item_undo(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The "Undo" button of a roadmap action whose people are not told yet: a plain
    form post, so it works without JavaScript; answered on the editor."""
    try:
        item = services.item_undo(token=str(token), actor=_editor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Undone: “%(title)s” is as it was, and no one was told.") % {"title": item}
        )
    return redirect("roadmap:editor")
