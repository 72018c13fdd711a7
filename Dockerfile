# The service with the same pinned packages (extractive answers; no local model).
#   docker build -t mosul-qa .
#   docker run -p 127.0.0.1:8000:8000 -v qa-data:/data mosul-qa
# The index lives in the /data volume, so articles added through the API outlive the
# container; an empty volume is filled with the seed articles on first start.
FROM python:3.11-slim

# The server answers to loopback names and IP addresses only: reached by a name of its
# own, set QA_ALLOWED_HOSTS to it (any other name could be a web page's, made to
# resolve to this host to read and write the archive: DNS rebinding).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    QA_HOST=0.0.0.0 \
    QA_PORT=8000 \
    QA_STORE_DIR=/data/vectorstore \
    QA_SEEDS_DIR=/app/seeds \
    QA_EMBED_CACHE_DIR=/app/embeddings

WORKDIR /app

# torch first, pinned, from the CPU-only wheel index: the default wheel pulls CUDA.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
RUN pip install --index-url "$TORCH_INDEX" torch==2.13.0

COPY pyproject.toml requirements.lock README.md ./
COPY qa qa
COPY api api
RUN pip install -c requirements.lock .

# Index the seed articles at build time (the embedding model's ONNX export is made and
# kept in the image then), so a new volume starts ready. The service runs as its own
# user, owning only the volume.
COPY seeds seeds
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin qa \
    && mkdir -p /data \
    && qa ingest \
    && chown -R qa:qa /data /app/embeddings
USER qa
VOLUME /data

EXPOSE 8000
HEALTHCHECK --start-period=60s CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"QA_PORT\", \"8000\")}/readyz')"
# Where it listens: QA_HOST and QA_PORT. A volume mounted empty (a bind mount) gets the
# seed articles first.
CMD ["sh", "-c", "qa ingest --if-empty && exec qa serve"]
