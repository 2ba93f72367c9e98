"""The API schema's shared rules, applied to every operation once rather than per view.

drf-spectacular documents what a view declares; the answers every view shares come from
the layers around it, and are added here from the same facts those layers read:

- who may call an operation (``core.access`` policies and the view's permissions,
  asked for each role and for an anonymous caller): an operation anyone may call
  declares authentication optional, one that some signed-in caller is refused can
  answer 403;
- 401 for a missing or wrong token or session, on every operation (a wrong token is
  refused even where none is needed);
- 400 wherever there is input to get wrong (query parameters or a body), or an action
  whose service may refuse it (an unsafe method of a view that translates service
  errors), with the errors by field name or a ``detail``; the door refuses a control
  character in any query parameter that way (``core.middleware.RefuseNulMiddleware``),
  so every 400 may have that shape besides the one its view declares;
- 404 wherever the path names an object, or a page may lie beyond the last;
- pages and filters only on GET: REST framework paginates and filters what ``list``
  answers, never the list a POST creates;
- a filter, search, ordering or page parameter sent empty means "not given", as
  django-filter and REST framework read it: ``allowEmptyValue``.

A view's own declaration of one of these codes keeps its description; it only gets the
body it left out. 429 is declared by the views whose services limit a rate.

A request serializer may say ``whole_on_patch = True``: its PATCH changes one thing and
needs all of its required fields (a product-risk flag's status), where drf-spectacular
would otherwise document every field of a PATCH as optional.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from core.api import DetailSerializer, ServiceErrorsMixin
from core.roles import ALL_ROLES

#: The body of a 400: errors by field name (a list of messages, or nested errors for a
#: nested field), and ``detail`` for what belongs to no field.
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Errors by field or parameter name; `detail` for the others.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {},
}

DESCRIPTIONS = {
    "400": "Invalid parameters or body: the errors by name, or a `detail`.",
    "401": "No credentials, or wrong ones.",
    "403": "Not allowed for your role, or (signed in by session) no CSRF token.",
    "404": "No such object, or not one you may see; or a page beyond the last.",
}


@dataclass(frozen=True)
class _Caller:
    """A signed-in user of one role, as the permission classes read one."""

    role: str
    is_authenticated: bool = True
    is_anonymous: bool = False


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        if self._permits(AnonymousUser()) and {} not in operation.get("security", [{}]):
            operation["security"].append({})
        responses: dict[str, Any] = operation["responses"]
        for status in self._error_statuses(operation):
            responses.setdefault(status, {"description": DESCRIPTIONS[status]})
        for status, response in responses.items():
            if status.startswith("4"):
                self._give_body(status, response)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        if self.method != "GET":
            return []
        return _empty_means_absent(super()._get_filter_parameters())

    def _get_paginator(self) -> Any:
        if self.method != "GET":
            return None
        return super()._get_paginator()

    def _get_pagination_parameters(self) -> list[dict[str, Any]]:
        return _empty_means_absent(super()._get_pagination_parameters())

    def _process_override_parameters(self, direction: str = "request") -> dict[Any, Any]:
        parameters: dict[Any, Any] = super()._process_override_parameters(direction)
        _empty_means_absent([p for p in parameters.values() if isinstance(p, dict)])
        return parameters

    def _get_request_for_media_type(
        self, serializer: Any, direction: Literal["request", "response"] = "request"
    ) -> Any:
        serializer = force_instance(serializer)
        whole = is_serializer(serializer) and getattr(serializer, "whole_on_patch", False)
        if self.method == "PATCH" and whole:
            return self.resolve_serializer(serializer, direction).ref, True
        return super()._get_request_for_media_type(serializer, direction)

    def _error_statuses(self, operation: dict[str, Any]) -> list[str]:
        places = {parameter["in"] for parameter in operation.get("parameters", [])}
        statuses = ["401"]
        refusable = self.method not in SAFE_METHODS and isinstance(self.view, ServiceErrorsMixin)
        if "query" in places or "requestBody" in operation or refusable:
            statuses.append("400")
        if self.method not in SAFE_METHODS or not all(
            self._permits(_Caller(role)) for role in ALL_ROLES
        ):
            statuses.append("403")
        pages = any(p["name"] == "page" for p in operation.get("parameters", []))
        if "path" in places or pages:
            statuses.append("404")
        return statuses

    def _permits(self, user: Any) -> bool:
        """Whether the view's permissions let ``user`` call this operation.

        A request of its own: the one being served is the reader's, and must keep its user.
        """
        django_request = HttpRequest()
        django_request.method = self.method
        request = Request(django_request)
        request.user = user
        return all(
            permission.has_permission(request, self.view)
            for permission in self.view.get_permissions()
        )

    def _give_body(self, status: str, response: dict[str, Any]) -> None:
        """The JSON body of an error answer: what the view declared, else the shared
        one; a 400 also admits the field errors of the door's refusal."""
        content = response.setdefault("content", {})
        declared = content.get("application/json", {}).get("schema")
        if status != "400":
            content.setdefault("application/json", {"schema": self._detail_ref()})
            return
        errors = self._validation_error_ref()
        if declared is None or declared == self._detail_ref():
            content["application/json"] = {"schema": errors}
        elif declared != errors:
            content["application/json"]["schema"] = {"anyOf": [declared, errors]}

    def _detail_ref(self) -> dict[str, str]:
        ref: dict[str, str] = self.resolve_serializer(DetailSerializer(), "response").ref
        return ref

    def _validation_error_ref(self) -> dict[str, str]:
        component = ResolvedComponent(
            name="ValidationError",
            type=ResolvedComponent.SCHEMA,
            object="ValidationError",
            schema=VALIDATION_ERROR_SCHEMA,
        )
        self.registry.register_on_missing(component)
        ref: dict[str, str] = component.ref
        return ref


def _empty_means_absent(parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for parameter in parameters:
        if parameter.get("in") == "query":
            parameter["allowEmptyValue"] = True
    return parameters
