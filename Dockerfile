# syntax=docker/dockerfile:1
# Placewise's service in a slim image: `placewise serve` by default, `placewise worker` for scenario jobs.
# Non-root (uid 10001); the root filesystem can be read-only: the service writes only to /srv/placewise/store (the
# SQLite store, where no PostgreSQL is named), /srv/placewise/cache (travel caches) and /tmp (a tmpfs). The open
# data folder, where there is one, is mounted read-only at /srv/placewise/data. Build: `make container`.

ARG PYTHON_VERSION=3.11

# The pages' assets, as the Makefile builds them: npm ci from the lock file, then GOV.UK Frontend's stylesheet;
# the build tools (sass, axe-core) are dropped afterwards.
FROM node:20-bookworm-slim AS assets
WORKDIR /src/api/web
COPY api/web/package.json api/web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY api/web/styles ./styles
RUN npm run --silent build && npm prune --omit=dev --no-audit --no-fund --loglevel=error

# The Python package and its dependencies in a virtual environment, and the image's SBOM (CycloneDX) made from it.
FROM python:${PYTHON_VERSION}-slim-bookworm AS python
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/placewise && python -m venv /opt/sbom \
 && /opt/sbom/bin/pip install --quiet "cyclonedx-bom>=7,<8"
WORKDIR /src
COPY pyproject.toml README.md ./
COPY core core
COPY geodata geodata
COPY matcher matcher
COPY scenarios scenarios
COPY api api
RUN /opt/placewise/bin/pip install --quiet . \
 && /opt/sbom/bin/cyclonedx-py environment --pyproject pyproject.toml --mc-type application --output-reproducible \
        --of JSON -o /opt/placewise/sbom.cdx.json /opt/placewise

FROM python:${PYTHON_VERSION}-slim-bookworm
ARG PYTHON_VERSION
# WeasyPrint (the tribunal bundle's PDF) needs Pango and a font. Debian's versions are not pinned, so that a rebuild
# takes the release's security updates.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /srv/placewise --shell /usr/sbin/nologin placewise \
 && mkdir -p /srv/placewise/store /srv/placewise/cache /srv/placewise/data \
 && chown placewise /srv/placewise/store /srv/placewise/cache
COPY --from=python /opt/placewise /opt/placewise
COPY --from=assets /src/api/web/node_modules /opt/placewise/lib/python${PYTHON_VERSION}/site-packages/api/web/node_modules
COPY --from=assets /src/api/web/build /opt/placewise/lib/python${PYTHON_VERSION}/site-packages/api/web/build
ENV PATH=/opt/placewise/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/srv/placewise \
    XDG_CACHE_HOME=/srv/placewise/cache \
    MPLCONFIGDIR=/srv/placewise/cache/matplotlib \
    PLACEWISE_CACHE=/srv/placewise/cache/placewise \
    PLACEWISE_DATABASE_URL=sqlite:////srv/placewise/store/placewise.db
USER 10001
WORKDIR /srv/placewise
VOLUME ["/srv/placewise/store", "/srv/placewise/cache"]
EXPOSE 8000
# Ready: the store answers and the register is loaded (a worker has no port; compose turns this off for it).
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/v1/ready', timeout=4).status != 200)"]
ENTRYPOINT ["placewise"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
