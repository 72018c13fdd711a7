"""Offline question answering over news articles with checked citations.

The pipeline is the layout: ``ingest`` (articles → chunks) → ``index`` (Chroma and
BM25) → ``retrieve`` (hybrid, fused) → ``answer`` (cited answers) → ``cite``
(citation numbering and checks). ``service`` ties the stages together for the CLI
and the API.
"""

import os

# No model or tokenizer may be fetched from a hub at run time: the app runs offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # Chroma's telemetry

__version__ = "0.1.0"
