# csplatform production image: gunicorn for the web, the same image for Celery.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --system --create-home --uid 10001 csplatform

COPY pyproject.toml constraints.txt README.md ./
COPY csplatform ./csplatform
COPY core ./core
COPY accounts ./accounts
COPY notifications ./notifications
COPY ingest ./ingest
COPY healthscores ./healthscores
COPY ttfv ./ttfv
COPY feedback ./feedback
COPY roadmap ./roadmap
COPY productrisk ./productrisk
COPY plays ./plays
COPY widget ./widget
COPY demo ./demo
COPY templates ./templates
COPY manage.py ./
RUN pip install --constraint constraints.txt .

# The .mo catalogues are built here from the committed .po files (never committed);
# gettext's msgfmt is needed for that step only.
COPY locale ./locale
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && python manage.py compilemessages --ignore=.venv \
    && apt-get purge -y --auto-remove gettext \
    && rm -rf /var/lib/apt/lists/*

# collectstatic needs production settings but no real secret or service: a throwaway key
# (production refuses a weak one); nothing signed with it outlives the build.
RUN CSPLATFORM_ENV=production \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/unused.sqlite3 REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Uploaded imports wait here for a worker (a volume shared by web and workers in compose).
RUN mkdir -p /app/media && chown csplatform /app/media

USER csplatform
EXPOSE 8000
CMD ["gunicorn", "-c", "python:csplatform.gunicorn_conf", "csplatform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
