"""docker-compose.yml starts the whole production stack in the right order."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())


def test_stack_has_every_service_with_a_healthcheck_where_others_wait_on_it():
    services = COMPOSE["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name


def test_app_services_wait_for_healthy_services_and_migrations():
    services = COMPOSE["services"]
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["redis"] == {"condition": "service_healthy"}, name
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
    assert services["web"]["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_app_services_run_in_production_mode_against_postgres_and_redis():
    env = COMPOSE["services"]["web"]["environment"]
    assert env["CSPLATFORM_ENV"] == "production"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")


def test_the_image_and_the_package_carry_every_app_of_ours():
    """A new app folder forgotten in the Dockerfile or in pyproject's package list
    installs and runs in development and fails only in production."""
    root = Path(__file__).resolve().parents[2]
    dockerfile = (root / "Dockerfile").read_text()
    pyproject = (root / "pyproject.toml").read_text()
    ours = sorted(path.parent.name for path in root.glob("*/apps.py"))
    assert {"core", "accounts", "ingest", "productrisk", "demo"} <= set(ours)
    for app in [*ours, "csplatform"]:
        assert f"COPY {app} ./{app}" in dockerfile, app
        assert f'"{app}*"' in pyproject, app


def test_web_and_image_start_gunicorn_with_our_configuration():
    """csplatform/gunicorn_conf.py stops gunicorn on a bad configuration and drops its
    Server header: a gunicorn started without it would do neither."""
    root = Path(__file__).resolve().parents[2]
    config = ["-c", "python:csplatform.gunicorn_conf"]
    command = COMPOSE["services"]["web"]["command"]
    assert command[0] == "gunicorn"
    assert command[1:3] == config
    cmd = next(
        line for line in (root / "Dockerfile").read_text().splitlines() if line.startswith("CMD")
    )
    assert cmd.startswith('CMD ["gunicorn", "-c", "python:csplatform.gunicorn_conf",'), cmd


def test_redis_keeps_its_messages_across_a_restart_on_its_own_volume():
    """An append-only file on a named volume: a Redis restart loses none of the messages
    it held, and uploads waiting for a worker sit on the volume web and workers share."""
    services = COMPOSE["services"]
    command = services["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    volume = services["redis"]["volumes"][0].split(":")
    assert volume[1] == "/data"
    assert volume[0] in COMPOSE["volumes"]
    media = {v for v in services["web"]["volumes"] if v.startswith("media:")}
    assert media
    assert media <= set(services["worker"]["volumes"])
