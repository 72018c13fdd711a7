"""No network connection is attempted while loading, ingesting and answering.

The whole pipeline runs in a fresh interpreter in which every attempt to open an
internet socket or resolve a host name raises; the real model and a real Chroma
store are used.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import SEEDS

pytestmark = pytest.mark.integration

GUARDED_RUN = r"""
import socket, sys, json

attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args)[:200])
    raise OSError("network access attempted during an offline run")

_connect = socket.socket.connect
def guarded_connect(self, address):
    if self.family == socket.AF_UNIX:
        return _connect(self, address)
    refuse(address)

socket.socket.connect = guarded_connect
socket.socket.connect_ex = guarded_connect
socket.create_connection = refuse
socket.getaddrinfo = refuse

from pathlib import Path
from qa.service import QAService
from qa.settings import Settings

service = QAService(Settings(store_dir=Path(sys.argv[1])))
service.ingest([Path(sys.argv[2])], progress=False)
answer = service.ask("How many ISIS militants were left in Mosul according to Colonel Dorrian?")
print(json.dumps({"attempts": attempts, "answered": answer.answered, "text": answer.text}))
"""


def test_ingest_and_ask_make_no_network_connection(tmp_path: Path) -> None:
    env_free = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    }  # the app sets them
    result = subprocess.run(
        [sys.executable, "-c", GUARDED_RUN, str(tmp_path / "store"), str(SEEDS)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env_free,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["attempts"] == []
    assert outcome["answered"] and "fewer than 1,000" in outcome["text"]
