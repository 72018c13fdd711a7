# The service with the same pinned packages, serving on 0.0.0.0:8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    QA_HOST=0.0.0.0 \
    QA_PORT=8000

WORKDIR /app

# torch first, pinned, from the CPU-only wheel index: the default wheel pulls CUDA.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
RUN pip install --index-url "$TORCH_INDEX" torch==2.13.0

COPY pyproject.toml requirements.lock README.md ./
COPY qa qa
COPY api api
RUN pip install -c requirements.lock .

# Index the seed articles at build time, so the container starts ready.
COPY seeds seeds
RUN qa ingest

EXPOSE 8000
HEALTHCHECK --start-period=60s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz')"
CMD ["qa", "serve", "--host", "0.0.0.0", "--port", "8000"]
