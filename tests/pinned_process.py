"""Run a command-line program of ours on the tests' pinned clock.

A Celery worker a test starts is another process: the test's pinned clock does not
reach it, and it would compute "today" from the calendar. Tests start it as
``python -m tests.pinned_process celery -A csplatform worker ...`` with
``CSPLATFORM_TEST_NOW`` set to the test's own ``timezone.now()``, so both processes
agree on the day.
"""

from __future__ import annotations

import runpy
import sys

import time_machine

from tests.clock import pinned_now


def main() -> None:
    time_machine.travel(pinned_now(), tick=True).start()
    module, *arguments = sys.argv[1:]
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
