"""Shared REST framework pieces: pagination, an error handler that always answers JSON,
and the translation of the services' own errors into API answers.

Services raise Django's ValidationError, PermissionDenied and ObjectDoesNotExist and
``core.limits``'s RateLimited; every API view answers them the same way: a 400 with the
errors by field, a 403, a 404, a 429 with Retry-After. Views hold no rule of their own,
only this translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import limits

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

    # To the type checker the mixin is an API view, whose handle_exception it extends;
    # at run time it is a plain mixin, put before the view class.
    _APIViewBase = APIView
else:
    _APIViewBase = object


class DetailSerializer(serializers.Serializer[Any]):
    """The body of every error answer: ``{"detail": "…"}``, for the schema."""

    detail = serializers.CharField()


@extend_schema_field(OpenApiTypes.INT)
class UserIdField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A user as every endpoint names one: by id, as ``/api/me/`` gives it and the
    filters (``csm_owner``, ``csm``) take it; null when there is none (an account without
    a CSM, a job of the command line, a user since deleted)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


#: The ids of our rows: BigAutoField, positive 64-bit integers.
ID_MAX = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A filter by the id of a row: a whole number in the range of ids, or a 400.

    django-filter's NumberFilter reads a decimal, so ``1e30`` or twenty nines reached
    the database, which cannot compare a number that large with an id (SQLite: a 500).
    """

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)
        _document(self, {"type": "integer", "format": "int64", "minimum": 1, "maximum": ID_MAX})


class StrictCharField(serializers.CharField):
    """Text, and only text: REST framework also takes a number (``0`` becomes ``"0"``),
    which no client means. A form sends strings only, so it loses nothing."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A list of related rows that is a list: REST framework's iterates whatever it is
    given, so ``{}`` was taken as no rows and ``{"a": 1}`` as the row named "a"."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, Mapping):
            self.fail("not_a_list", input_type=type(data).__name__)
        return list(super().to_internal_value(data))


def list_of(
    child: serializers.RelatedField[Any, Any, Any], **kwargs: Any
) -> StrictManyRelatedField:
    """``child`` many times, in a list (what ``many=True`` builds, but strict)."""
    return StrictManyRelatedField(child_relation=child, **kwargs)


class BooleanFilter(django_filters.ChoiceFilter):
    """``true`` or ``false``, or a 400: django-filter's BooleanFilter reads anything else
    (``maybe``, ``-5``) as no filter, a list that looks right and is not."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(*args, **kwargs)
        _document(self, {"type": "boolean"})

    def filter(self, qs: Any, value: Any) -> Any:
        if value in ("true", "false"):
            value = value == "true"
        return super().filter(qs, value)


def _document(query_filter: django_filters.Filter, schema: dict[str, Any]) -> None:
    """Give one filter its schema. Per filter, to keep its label: drf-spectacular takes
    nothing else from a filter with a schema of its own."""
    label = query_filter.label
    extend_schema_field({**schema, "description": label} if label else schema)(query_filter)


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=``, each a whole number in range, or a 400 naming it.

    REST framework answers a page that is not a number with a 404 (the client cannot
    tell it from a wrong address), and silently replaces a page size it cannot use with
    the default: both are a 400 naming the parameter. A page beyond the last is a
    well-formed request for a page that does not exist: a 404, whose ``detail`` names
    the last page (an empty list still has its page 1). An empty value, as for every
    filter, means the parameter was not given.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    # The schema says a number: "last" would be a second way no client is told about.
    last_page_strings = ()

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        size = _whole_number(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_page_number(self, request: Request, paginator: DjangoPaginator[Any]) -> int:
        raw = request.query_params.get(self.page_query_param)
        if not raw:
            return 1
        number = _whole_number(raw)
        if number is None or number < 1:
            raise ValidationError({self.page_query_param: [_("Must be a whole number from 1.")]})
        last = max(paginator.num_pages, 1)
        if number > last:
            raise NotFound(
                _("There is no page %(page)d: the last is %(last)d.")
                % {"page": number, "last": last}
            )
        return number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


def _whole_number(raw: str) -> int | None:
    """``raw`` as a number written in digits only (no sign, space or exponent)."""
    if not raw.isascii() or not raw.isdigit():
        return None
    try:
        return int(raw)
    except ValueError:  # longer than int() reads (thousands of digits)
        return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a ``detail`` body for the few errors it leaves empty."""
    response = drf_exception_handler(exc, context)
    if response is not None and response.data in (None, "", {}):
        response.data = {"detail": _("The request could not be processed.")}
    return response


def rate_limited_response(exc: limits.RateLimited) -> Response:
    """The 429 of an hourly limit, worded as on the pages, with Retry-After."""
    return Response(
        {"detail": limits.retry_message(exc), "retry_after": exc.retry_after},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(exc.retry_after)},
    )


def validation_response(exc: DjangoValidationError) -> Response:
    """A model or service ValidationError as DRF words its own: errors by field name,
    and a ``detail`` for what belongs to no field (a closed idea, a merged one)."""
    if hasattr(exc, "error_dict"):
        errors: dict[str, str | list[str]] = dict(exc.message_dict)
        non_field = errors.pop(NON_FIELD_ERRORS, None)
        if non_field:
            errors["detail"] = " ".join(non_field)
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


class ServiceErrorsMixin(_APIViewBase):
    """For API views whose actions call services that raise Django's own exceptions."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, limits.RateLimited):
            return rate_limited_response(exc)
        if isinstance(exc, DjangoValidationError):
            return validation_response(exc)
        if isinstance(exc, ObjectDoesNotExist):
            # The row was there when the view looked it up and gone when the service,
            # holding its lock, read it again: deleted by a concurrent request.
            return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        return super().handle_exception(exc)
