"""Benchmarks load their big data committed, at module scope, and `make bench` runs every
module in one session: each module leaves an empty database to the next."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module", autouse=True)
def _empty_database_after_module(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
