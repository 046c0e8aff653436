# Norm Arena's game server. Give it a Redis with REDIS_URL (see compose.yaml); without one it
# starts an embedded Redis inside the container, keeping games in /data (mount a volume there).
# Off loopback, creating games needs the operator token: set NORMARENA_OPERATOR_TOKEN, or read
# the one the server makes (printed at start, and kept in /data/operator-token).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 NORMARENA_DATA=/data
WORKDIR /app

COPY pyproject.toml README.md ./
COPY game_rules ./game_rules
COPY scenarios ./scenarios
COPY bots ./bots
COPY simulation ./simulation
COPY normarena ./normarena
COPY server ./server
COPY arena_client ./arena_client
COPY rl ./rl
COPY client_web ./client_web
RUN pip install -e . && useradd --create-home --uid 10001 arena && mkdir -p /data && chown arena /data

USER arena
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2).status == 200 else 1)"
CMD ["normarena", "serve", "--host", "0.0.0.0", "--port", "8000"]
