"""REST endpoints of the ingestion doors: bulk imports of a JSON list or a CSV body, and
the import jobs of every door (page, REST, CLI, tracking API)."""

from __future__ import annotations

import json
import tempfile

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Source
from core.access import allow
from core.api import DetailSerializer, UserIdField
from core.roles import Role
from ingest.models import ImportJob
from ingest.services import imports

#: A JSON batch is parsed into memory whole; send bigger batches as CSV, which streams.
JSON_LIMIT_BYTES = 10 * 1024 * 1024
#: The largest CSV body (and upload) we accept, as on the import page.
CSV_LIMIT_BYTES = 1024 * 1024 * 1024
IMPORT_ROLES = (Role.CSM, Role.ADMIN)
TRUE_VALUES = {"1", "true", "yes", "on"}


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row of the file (the header is row 1), or record.")
    column = serializers.CharField()
    reason = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    created_by = UserIdField(help_text="Who started it (a user id); null from the command line.")
    errors = ImportRowErrorSerializer(many=True, read_only=True)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "source",
            "status",
            "partial",
            "file_name",
            "progress",
            "rows_seen",
            "rows_inserted",
            "rows_updated",
            "rows_duplicate",
            "rows_rejected",
            "errors",
            "warnings",
            "message",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job: ImportJob) -> int:
        """Percent done (100 once finished)."""
        return imports.import_progress(job)


@allow(IMPORT_ROLES)
@extend_schema(tags=["imports"])
class ImportJobViewSet(viewsets.ReadOnlyModelViewSet):
    """Import jobs of every door (page, REST, CLI, tracking API), newest first."""

    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.select_related("created_by")
    filterset_fields = ["kind", "status", "source"]
    ordering_fields = ["created_at", "finished_at"]
    ordering = ["-created_at", "-pk"]


class _BodyTooLarge(Exception):
    pass


def _spool(stream, limit: int):
    """Copy a request body to a temporary file in 1 MB pieces (memory stays flat)."""
    spool = tempfile.SpooledTemporaryFile(max_size=imports.INLINE_LIMIT_BYTES)  # noqa: SIM115
    size = 0
    while stream is not None and (piece := stream.read(1024 * 1024)):
        size += len(piece)
        if size > limit:
            spool.close()
            raise _BodyTooLarge
        spool.write(piece)
    spool.seek(0)
    return spool, size


IMPORT_OUTCOME = PolymorphicProxySerializer(
    component_name="ImportRejection",
    serializers=[ImportJobSerializer, DetailSerializer],
    resource_type_field_name=None,
)


@allow(IMPORT_ROLES)
class BulkImportView(APIView):
    """Import a batch of one kind: a JSON array of objects, or a CSV body."""

    @extend_schema(
        tags=["imports"],
        operation_id="import_create",
        summary="Import accounts, contacts, usage, tickets, surveys or renewal outcomes",
        description=(
            "Send a JSON array of objects (`Content-Type: application/json`, at most 10 MB) "
            "or a CSV file as the body (`Content-Type: text/csv`, at most 1 GB). Columns "
            "and field names are those of the import page, aliases included. All or "
            "nothing unless `partial=true`, which lands the valid rows and reports the "
            "rest. CSV bodies over 2 MB run on a worker: the answer is 202 with the job; "
            "follow its `Location` to see it finish."
        ),
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=ImportJob.Kind.values,
                description="What the rows are.",
            ),
            OpenApiParameter(
                "partial",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description="Land the valid rows and report the rest.",
            ),
        ],
        request={
            "application/json": {"type": "array", "items": {"type": "object"}},
            "text/csv": {"type": "string", "format": "binary"},
        },
        responses={
            201: OpenApiResponse(ImportJobSerializer, description="Imported."),
            202: OpenApiResponse(ImportJobSerializer, description="Queued on a worker."),
            400: OpenApiResponse(
                IMPORT_OUTCOME,
                description="Rejected: the job with its row errors, or a `detail` when "
                "the body cannot be read at all. Nothing was written unless partial.",
            ),
            413: OpenApiResponse(DetailSerializer, description="The body is too large."),
            415: OpenApiResponse(DetailSerializer, description="Neither JSON nor CSV."),
        },
    )
    def post(self, request, kind: str):
        if kind not in ImportJob.Kind.values:
            raise NotFound(
                _("Unknown kind “%(kind)s”; use one of: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(ImportJob.Kind.values)}
            )
        if request.META.get("CONTENT_LENGTH") in (None, "", "0"):
            return Response({"detail": _("The request body is empty.")}, status=400)
        partial = request.query_params.get("partial", "").lower() in TRUE_VALUES
        media_type = request.content_type.split(";")[0].strip().lower()
        if media_type == "application/json":
            return self._post_json(request, kind, partial)
        if media_type in ("text/csv", "application/csv"):
            return self._post_csv(request, kind, partial)
        return Response(
            {"detail": _("Send JSON (application/json) or CSV (text/csv).")},
            status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        )

    def _post_json(self, request, kind: str, partial: bool) -> Response:
        raw = request.stream.read(JSON_LIMIT_BYTES + 1) if request.stream else b""
        if len(raw) > JSON_LIMIT_BYTES:
            return Response(
                {"detail": _("A JSON batch may be at most 10 MB; send bigger ones as CSV.")},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        if not raw.strip():
            return Response({"detail": _("The request body is empty.")}, status=400)
        try:
            records = json.loads(raw)
        # ValueError: bad JSON, bad UTF-8, or an integer of thousands of digits.
        except (ValueError, RecursionError) as exc:
            return Response(
                {"detail": _("The body is not valid JSON: %(error)s") % {"error": exc}},
                status=400,
            )
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            return Response({"detail": _("Expected a JSON array of objects.")}, status=400)
        job = imports.import_records(
            kind=kind, records=records, source=Source.API, user=request.user, partial=partial
        )
        return self._answer(job)

    def _post_csv(self, request, kind: str, partial: bool) -> Response:
        try:
            spool, size = _spool(request.stream, CSV_LIMIT_BYTES)
        except _BodyTooLarge:
            return Response(
                {"detail": _("A CSV body may be at most 1 GB.")},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        if size == 0:
            return Response({"detail": _("The request body is empty.")}, status=400)
        with spool:
            job = imports.import_job_create(
                kind=kind, source=Source.API, partial=partial, user=request.user, upload=spool
            )
        return self._answer(imports.import_job_start(job=job))

    def _answer(self, job: ImportJob) -> Response:
        data = ImportJobSerializer(job).data
        if job.status == ImportJob.Status.SUCCEEDED:
            return Response(data, status=status.HTTP_201_CREATED)
        if job.status == ImportJob.Status.REJECTED:
            return Response(data, status=status.HTTP_400_BAD_REQUEST)
        if job.status == ImportJob.Status.FAILED:
            return Response(data, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        location = reverse("import-job-detail", kwargs={"pk": job.pk})
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
