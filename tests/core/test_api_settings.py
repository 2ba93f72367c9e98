"""REST framework's settings import in any order, as a Celery worker imports them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A worker runs Django's checks before any view is imported: REST framework's pagination
# check reads DEFAULT_PAGINATION_CLASS, whose module then imports rest_framework.views,
# which reads DEFAULT_PARSER_CLASSES while that first import is still unfinished.
FIRST_USE_OUTSIDE_A_VIEW = """
import django
django.setup()
from rest_framework.settings import api_settings
for name in ("DEFAULT_PAGINATION_CLASS", "DEFAULT_PARSER_CLASSES", "EXCEPTION_HANDLER"):
    getattr(api_settings, name)
print("ok")
"""


def test_api_settings_resolve_when_a_check_reads_them_before_any_view():
    result = subprocess.run(
        [sys.executable, "-c", FIRST_USE_OUTSIDE_A_VIEW],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "csplatform.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
