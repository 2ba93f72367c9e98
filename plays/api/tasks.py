"""``/api/tasks/``: list, create and update tasks. Staff read; CSMs and admins write,
through the same services as the pages. Customers get 403 and anonymous callers 401:
tasks are the vendor's working notes about a customer.
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Account, User
from core.access import allow
from core.api import IdFilter, ServiceErrorsMixin, UserIdField
from core.roles import STAFF_ROLES
from plays import services
from plays.models import Task


class WritesByCSM(BasePermission):
    """Reading is for every staff role (checked by RolePermission); writing for CSMs
    and admins (the services say the same; this answers before any lookup)."""

    message = _("Only customer success managers and admins change tasks.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or request.user.role in services.TASK_EDITORS


class TaskSerializer(serializers.ModelSerializer[Task]):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())
    owner = UserIdField(queryset=User.objects.all(), read_only=False, required=False)
    created_by = UserIdField()

    class Meta:
        model = Task
        fields = [
            "id",
            "account",
            "title",
            "notes",
            "owner",
            "due_on",
            "priority",
            "status",
            "skip_reason",
            "keep",
            "play",
            "created_by",
            "rule",
            "created_at",
            "closed_at",
        ]
        read_only_fields = ["play", "created_by", "rule", "created_at", "closed_at"]


class TaskUpdateSerializer(serializers.Serializer[Any]):
    """What a PATCH may change; each field is one service action."""

    due_on = serializers.DateField(required=False)
    owner = UserIdField(queryset=User.objects.all(), read_only=False, required=False)
    status = serializers.ChoiceField(
        choices=[Task.Status.DONE, Task.Status.SKIPPED], required=False
    )
    skip_reason = serializers.CharField(required=False, allow_blank=True)
    keep = serializers.BooleanField(required=False)


class TaskFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    owner = IdFilter(field_name="owner_id")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)

    class Meta:
        model = Task
        fields = ["account", "owner", "status"]


@allow(STAFF_ROLES)
class TaskViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        return [*super().get_permissions(), WritesByCSM()]

    def get_queryset(self) -> Any:
        return Task.objects.visible_to(self.request.user).order_by("due_on", "pk")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.task_create(
            actor=cast(User, self.request.user),
            account=data["account"],
            title=data["title"],
            due_on=data["due_on"],
            owner=data.get("owner"),
            priority=data.get("priority", Task.Priority.NORMAL),
            notes=data.get("notes", ""),
        )

    def get_serializer_class(self) -> Any:
        if self.action == "partial_update":
            return TaskUpdateSerializer
        return TaskSerializer

    @extend_schema(request=TaskUpdateSerializer, responses={200: TaskSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = self.get_object()
        update = TaskUpdateSerializer(data=request.data)
        update.is_valid(raise_exception=True)
        data = update.validated_data
        actor = request.user
        with transaction.atomic():  # all the changes of one PATCH, or none
            task = self._apply(actor, task, data)
        return Response(TaskSerializer(task).data)

    def _apply(self, actor: Any, task: Task, data: dict[str, Any]) -> Task:
        if "owner" in data:
            task = services.task_assign(actor=actor, task=task, owner=data["owner"])
        if "due_on" in data:
            task = services.task_reschedule(actor=actor, task=task, due_on=data["due_on"])
        if "keep" in data:
            task = services.task_keep(actor=actor, task=task, keep=data["keep"])
        if data.get("status") == Task.Status.DONE:
            task = services.task_complete(actor=actor, task=task)
        elif data.get("status") == Task.Status.SKIPPED:
            task = services.task_skip(actor=actor, task=task, reason=data.get("skip_reason", ""))
        return task
