"""The scripts that choose a parameter never read the held-out half."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from qa.service import QAService
from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "eval"))
import choose_threshold  # a script beside its siblings, not a package

pytestmark = pytest.mark.integration

# A held-out question no answer can get right: read, it would count against a threshold.
LINES = [
    {
        "id": "cal",
        "question": "What did Haider Al-Abadi say about foreign combat troops?",
        "must": [["no foreign combat troops"]],
        "split": "calibration",
    },
    {"id": "held", "question": "Who held the bridge?", "must": [["zzqx"]], "split": "heldout"},
    {"id": "plain", "kind": "unanswerable", "question": "Who won the 2016 World Series?"},
]


def _write(path: Path) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in LINES))
    return path


def test_a_threshold_is_chosen_on_calibration_lines_only(
    tmp_path: Path, seeded_service: QAService, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    path = _write(tmp_path / "q.jsonl")
    store = str(seeded_service.settings.store_dir)
    argv = ["choose_threshold.py", str(path), "--require", str(path), "--store", store]
    monkeypatch.setattr(sys, "argv", [*argv, "--grid", "0.3"])
    assert choose_threshold.main() == 0
    assert "0.300: accuracy 1.000 abstention 1.000\n" in capsys.readouterr().err
