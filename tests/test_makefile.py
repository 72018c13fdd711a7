"""The Makefile rebuilds llama.cpp when, and only when, its build flags change.

`make` runs for real on a throwaway venv whose `python` records what it is asked to do
instead of installing: what is under test is which steps make runs, not pip.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.unit


def _venv(tmp_path: Path) -> tuple[Path, Path]:
    venv, log = tmp_path / "venv", tmp_path / "pip.log"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    # The base install is up to date: only the local answerer's step is in question.
    (venv / ".installed").touch()
    return venv, log


def _install_local_llm(venv: Path, log: Path, *overrides: str) -> list[str]:
    log.unlink(missing_ok=True)
    subprocess.run(
        ["make", "--no-print-directory", f"VENV={venv}", *overrides, "install-local-llm"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    return log.read_text().splitlines() if log.exists() else []


def _builds_llama(calls: list[str]) -> bool:
    return any("--force-reinstall" in call and "llama-cpp-python" in call for call in calls)


def test_llama_cpp_is_rebuilt_when_its_build_flags_change_and_only_then(tmp_path: Path) -> None:
    venv, log = _venv(tmp_path)
    # A venv installed before the flags were recorded (an older Makefile, or by hand).
    (venv / ".installed-local-llm").touch()

    assert _builds_llama(_install_local_llm(venv, log))
    assert _install_local_llm(venv, log) == []
    assert _builds_llama(_install_local_llm(venv, log, "LLAMA_CFLAGS=-O1"))
    assert _install_local_llm(venv, log, "LLAMA_CFLAGS=-O1") == []
    assert _builds_llama(_install_local_llm(venv, log))
