"""Factories for import jobs and tracking write keys (kept apart from the Customer 360
factories in factories.py, which another stream of work extends)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.models import Source
from ingest.models import ImportJob, WriteKey


class WriteKeyFactory(DjangoModelFactory):
    class Meta:
        model = WriteKey

    name = factory.Sequence(lambda n: f"Source {n}")


class ImportJobFactory(DjangoModelFactory):
    class Meta:
        model = ImportJob

    kind = ImportJob.Kind.USAGE
    source = Source.CSV
    status = ImportJob.Status.SUCCEEDED
    file_name = factory.Sequence(lambda n: f"usage-{n}.csv")
