"""The widget's API (``/widget/api/…``): one session door, then reads and writes for
the session's person only. Each view parses, calls one service or selector, and
answers; the rules live in the services (the feedback board's, for ideas)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.services import SsoError
from core.access import allow, public
from core.api import StrictCharField
from core.roles import Role
from core.throttle import Throttled, client_address, throttle
from feedback import services as feedback_services
from feedback.models import Idea
from feedback.selectors.board import board_ideas, idea_for_user, similar_ideas
from ttfv.selectors import guidance
from ttfv.services import today_utc
from widget import selectors, services
from widget.api.base import WidgetAPIView
from widget.texts import widget_texts

logger = logging.getLogger(__name__)

IDEAS_SHOWN = 20


@public
class SessionView(WidgetAPIView):
    """``POST`` with ``X-Widget-Token: <the vendor's SSO token>`` → a bearer token."""

    authentication_classes: list[Any] = []

    def post(self, request: Request) -> Response:
        client = client_address(request)
        try:
            throttle(scope="widget-session", client=client, limit=settings.SSO_ATTEMPTS_PER_MINUTE)
        except Throttled as exc:
            response = Response(
                {"detail": _("Too many attempts from your network. Wait a minute.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        try:
            token, _session = services.widget_session_start(
                vendor_token=request.headers.get("X-Widget-Token", "")
            )
        except SsoError as exc:
            logger.warning(
                "Widget session refused (%s) from %s: %s", exc.reason, client, exc.detail
            )
            return Response(
                {"detail": exc.message, "reason": exc.reason}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            {"token": token, "expires_in": services.SESSION_SECONDS},
            status=status.HTTP_201_CREATED,
        )


@allow(Role.CUSTOMER)
class ConfigView(WidgetAPIView):
    """How the widget looks, which tabs it shows, its words in the reader's language,
    and the unread count of its badge."""

    def get(self, request: Request) -> Response:
        widget = selectors.widget_settings()
        listed = selectors.checklist(account=self.session.account, widget=widget, today=today_utc())
        tabs = [
            name
            for name, shown in (
                ("checklist", listed.visible),
                ("whats_new", widget.show_whats_new),
                ("ideas", widget.show_ideas),
            )
            if shown
        ]
        return Response(
            {
                "tabs": tabs,
                "accent_colour": widget.accent_colour,
                "position": widget.position,
                "unread": selectors.unread_count(contact=self.session.contact),
                "language": translation.get_language(),
                "texts": widget_texts(),
                # The names the usage events are recorded under, from the one place
                # the guidance report reads them too.
                "events": {
                    "opened": guidance.WIDGET_OPENED,
                    "milestone_clicked": guidance.MILESTONE_CLICKED,
                    "nudge_shown": guidance.NUDGE_SHOWN,
                    "nudge_dismissed": guidance.NUDGE_DISMISSED,
                    "nudge_clicked": guidance.NUDGE_CLICKED,
                    "entry_read": guidance.ENTRY_READ,
                },
            }
        )


@allow(Role.CUSTOMER)
class ChecklistView(WidgetAPIView):
    def get(self, request: Request) -> Response:
        listed = selectors.checklist(
            account=self.session.account, widget=selectors.widget_settings(), today=today_utc()
        )
        return Response(
            {
                "visible": listed.visible,
                "done": listed.done,
                "total": listed.total,
                "progress": _("%(done)s of %(total)s")
                % {"done": listed.done, "total": listed.total},
                "steps": [
                    {
                        "milestone": step.milestone_id,
                        "title": step.title,
                        "how_to": step.how_to,
                        "url": step.url,
                        "done": step.done,
                    }
                    for step in listed.steps
                ]
                if listed.visible
                else [],
            }
        )


@allow(Role.CUSTOMER)
class WhatsNewView(WidgetAPIView):
    def get(self, request: Request) -> Response:
        news = selectors.whats_new(contact=self.session.contact)
        return Response(
            {
                "unread": news.unread,
                "entries": [
                    {
                        "id": entry.id,
                        "title": entry.title,
                        "description_html": entry.description_html,
                        "shipped_on": entry.shipped_on.isoformat(),
                        "url": entry.url,
                        "unread": entry.unread,
                    }
                    for entry in news.entries
                ],
            }
        )


@allow(Role.CUSTOMER)
class WhatsNewReadView(WidgetAPIView):
    def post(self, request: Request) -> Response:
        services.entries_mark_read(session=self.session)
        return Response({"unread": selectors.unread_count(contact=self.session.contact)})


def _idea_url(idea: Idea) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("feedback:idea", kwargs={"pk": idea.pk})


def _idea(idea: Idea, *, voted: bool | None = None) -> dict[str, Any]:
    return {
        "id": idea.pk,
        "title": idea.title,
        "status": idea.get_status_display(),
        "votes": idea.vote_count,
        "voted": bool(getattr(idea, "viewer_voted", False) if voted is None else voted),
        "url": _idea_url(idea),
    }


class IdeaPostSerializer(serializers.Serializer[Any]):
    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=10000, required=False, allow_blank=True)


@allow(Role.CUSTOMER)
class IdeasView(WidgetAPIView):
    """Search the board as the person (its privacy rules apply), or post an idea."""

    def get(self, request: Request) -> Response:
        search = request.query_params.get("q", "").strip()[:200]
        ideas = board_ideas(user=self.session.user, search=search)[:IDEAS_SHOWN]
        return Response({"ideas": [_idea(idea) for idea in ideas]})

    def post(self, request: Request) -> Response:
        data = IdeaPostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        idea = feedback_services.idea_create(
            author=self.session.user,
            title=data.validated_data["title"],
            description=data.validated_data.get("description", ""),
        )
        return Response(_idea(idea, voted=True), status=status.HTTP_201_CREATED)


@allow(Role.CUSTOMER)
class SimilarIdeasView(WidgetAPIView):
    def get(self, request: Request) -> Response:
        text = request.query_params.get("text", "").strip()[:200]
        if not text:
            return Response({"ideas": []})
        ideas = similar_ideas(text, language=translation.get_language(), user=self.session.user)
        return Response({"ideas": [_idea(idea) for idea in ideas]})


@allow(Role.CUSTOMER)
class IdeaVoteView(WidgetAPIView):
    def post(self, request: Request, pk: int) -> Response:
        idea = idea_for_user(user=self.session.user, pk=pk)
        feedback_services.vote_cast(idea=idea, actor=self.session.user)
        idea.refresh_from_db(fields=["vote_count"])
        return Response(_idea(idea, voted=True))

    def delete(self, request: Request, pk: int) -> Response:
        idea = idea_for_user(user=self.session.user, pk=pk)
        feedback_services.vote_withdraw(idea=idea, actor=self.session.user)
        idea.refresh_from_db(fields=["vote_count"])
        return Response(_idea(idea, voted=False))


@allow(Role.CUSTOMER)
class IdeaFollowView(WidgetAPIView):
    def post(self, request: Request, pk: int) -> Response:
        idea = idea_for_user(user=self.session.user, pk=pk)
        following = feedback_services.follow_set(idea=idea, user=self.session.user)
        return Response({"id": idea.pk, "following": following})

    def delete(self, request: Request, pk: int) -> Response:
        idea = idea_for_user(user=self.session.user, pk=pk)
        following = feedback_services.follow_set(idea=idea, user=self.session.user, following=False)
        return Response({"id": idea.pk, "following": following})


@allow(Role.CUSTOMER)
class NudgeView(WidgetAPIView):
    """Today's nudge, once a day at most, or ``{"nudge": null}``."""

    def get(self, request: Request) -> Response:
        nudge = services.nudge_take(
            session=self.session, language=translation.get_language(), today=today_utc()
        )
        if nudge is None:
            return Response({"nudge": None})
        return Response(
            {
                "nudge": {
                    "milestone": nudge.milestone_id,
                    "title": nudge.title,
                    "text": nudge.text,
                    "url": nudge.url,
                }
            }
        )


@allow(Role.CUSTOMER)
class NudgeDismissView(WidgetAPIView):
    def post(self, request: Request) -> Response:
        body = request.data if isinstance(request.data, dict) else {}
        services.nudge_dismiss(session=self.session, milestone_id=body.get("milestone"))
        return Response(status=status.HTTP_204_NO_CONTENT)


@allow(Role.CUSTOMER)
class EventsView(WidgetAPIView):
    """``{"events": [{"id": "<client uuid>", "name": "…", "milestone"|"entry": id}]}``."""

    def post(self, request: Request) -> Response:
        body = request.data if isinstance(request.data, dict) else {}
        recorded = services.widget_events_record(session=self.session, events=body.get("events"))
        return Response(
            {"inserted": recorded.inserted, "duplicates": recorded.duplicates},
            status=status.HTTP_202_ACCEPTED,
        )
