# syntax=docker/dockerfile:1
# The CTE Portal image: gunicorn serving Django, with static files collected and translations
# compiled at build time. The same image runs the Celery worker and beat (docker-compose.yml).
#
#   docker build -t cte-portal .
#   docker run -e SECRET_KEY=... -e DATABASE_URL=postgres://... -p 8000:8000 cte-portal

# --- Front-end assets: USWDS from npm (package-lock.json), with Debian's Node.js ----------------
FROM python:3.11-slim AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: axe-core is for the browser tests.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- The application -----------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cte_portal.settings \
    DEBUG=0

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. pyproject.toml declares no
# packages ([tool.setuptools] packages = []): `pip install .` installs the dependencies and the
# code runs from /app, the source folder.
COPY pyproject.toml README.md ./
RUN pip install . && rm -rf build *.egg-info

# settings.py serves USWDS from node_modules/@uswds/uswds/dist (STATICFILES_DIRS).
COPY --from=assets /app/node_modules/@uswds/uswds/dist ./node_modules/@uswds/uswds/dist
COPY . .

# A throwaway key and host: settings refuse DEBUG=0 without them, and neither command signs
# or serves anything. DEBUG=0 picks the manifest storage that gunicorn will serve with.
RUN SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=build.invalid \
        python manage.py collectstatic --noinput -v0 \
    && python scripts/compile_messages.py

# Run as an unprivileged user; it can write only uploads (media), Celery beat's schedule and the
# outbox's delivery journal (var; docker-compose.yml mounts a volume on the journal's folder,
# which takes this ownership when it is first created).
RUN groupadd --system app \
    && useradd --system --gid app --create-home --home-dir /home/app app \
    && mkdir -p /app/media /app/var/notification-journal \
    && chown -R app:app /app/media /app/var
USER app

EXPOSE 8000
CMD ["gunicorn", "cte_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
