# ninja-sandbox: the Invoice Ninja v4 API sandbox as a container, for CI services and demos.
#
#   docker build -t ninja-sandbox .
#   docker run --rm -p 8000:8000 -v ninja-sandbox-data:/data ninja-sandbox
#
# The build stage turns the repository into wheels (the package and every dependency, binary
# wheels only: the image has no compiler). The final stage installs them from a bind mount of
# that stage, so no build tool, wheel file or source tree is left in the image. Needs BuildKit
# (the default builder since Docker 23).

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY fixtures/ fixtures/
COPY sandbox/ sandbox/
RUN pip wheel --no-cache-dir --disable-pip-version-check --only-binary=:all: --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
LABEL org.opencontainers.image.title="ninja-sandbox" \
      org.opencontainers.image.description="A local, stateful sandbox of the Invoice Ninja v4 REST API" \
      org.opencontainers.image.licenses="MIT"

# A fixed numeric id, so that `runAsNonRoot` checks and host directories mounted at /data can
# name it.
RUN groupadd --system --gid 10001 sandbox \
    && useradd --system --uid 10001 --gid sandbox --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin sandbox \
    && mkdir /data \
    && chown sandbox:sandbox /data

RUN --mount=type=bind,from=build,source=/wheels,target=/tmp/wheels \
    pip install --no-cache-dir --disable-pip-version-check --root-user-action=ignore \
        --no-index --find-links=/tmp/wheels /tmp/wheels/ninja_sandbox-*.whl

# Every setting of `ninja-sandbox serve`, with the image's defaults (README "Settings"). The token
# and secret are the sandbox's public demo credentials, not secrets.
# hadolint ignore=DL3064
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8000 \
    SANDBOX_DATA=/data/sandbox-data.json \
    SANDBOX_FIXTURES=demo \
    SANDBOX_SEED=1 \
    SANDBOX_TOKEN=TOKEN \
    SANDBOX_API_SECRET=SECRET \
    SANDBOX_ERROR_DELAY=3 \
    SANDBOX_JOURNAL_LIMIT=10000 \
    SANDBOX_FSYNC=0 \
    SANDBOX_MAX_BODY_BYTES=12582912 \
    SANDBOX_THROTTLE=off \
    SANDBOX_ADMIN_TOKEN=""

WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
USER 10001:10001

# urllib rather than curl: the slim base has no curl. The admin token is sent when one is set.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; t = os.environ.get('SANDBOX_ADMIN_TOKEN'); r = u.Request('http://127.0.0.1:' + os.environ.get('SANDBOX_PORT', '8000') + '/__admin/health', headers={'X-Sandbox-Admin-Token': t} if t else {}); sys.exit(0 if u.urlopen(r, timeout=4).status == 200 else 1)"]

# Exec form: the server is PID 1 and gets SIGTERM from `docker stop`; it folds the write-ahead
# log into the data file and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["ninja-sandbox"]
CMD ["serve"]
