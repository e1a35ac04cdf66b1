# TalentBridge for servers: one image for the web processes, the job workers and the migration step.
#   docker build -t talentbridge .
# See docs/deployment.md and compose.yaml. The models ship inside Python packages: nothing is downloaded at run time.
FROM python:3.11-slim-bookworm

# pg_dump/pg_restore/psql for `talentbridge backup` / `restore`; Korean fonts for printable reports.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client fonts-nanum \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 talentbridge
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
# `queue`: the job queue's broker client; `fast`: compiled matching kernels.
RUN pip install --no-cache-dir ".[queue,fast]" && rm -rf /root/.cache

ENV TALENTBRIDGE_ENVIRONMENT=production \
    TALENTBRIDGE_DATA_DIR=/data \
    PYTHONUNBUFFERED=1
RUN mkdir -p /data && chown talentbridge /data
VOLUME ["/data"]
USER talentbridge
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/health').status != 200)"
CMD ["talentbridge", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
