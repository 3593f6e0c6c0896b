# Shanzhi: one image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SHANZHI_VAR_DIR=/var/lib/shanzhi \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# Dependencies first, in a layer of their own that only pyproject.toml invalidates. The project
# is run from /app, not imported from site-packages (pyproject.toml declares no packages).
COPY pyproject.toml README.md ./
RUN pip install --no-compile .

COPY . .

RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin shanzhi \
    && mkdir -p "$SHANZHI_VAR_DIR" "$STATIC_ROOT" \
    && chown -R shanzhi:shanzhi "$SHANZHI_VAR_DIR" "$STATIC_ROOT"
USER shanzhi

EXPOSE 8000

# The web server; the compose file runs migrate and collectstatic before it, and gives the
# worker and beat their own commands.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
