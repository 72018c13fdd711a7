"""Joining a model shipped in parts, and refusing it unless its hash is the pinned one."""

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.answer.models import ModelFileError, PackagedModel, assemble, resolve_model

PARTS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


@pytest.fixture
def installed_parts(tmp_path: Path) -> Iterator[Path]:
    """Three part packages on sys.path, laid out as the PyPI ones are."""
    site = tmp_path / "site"
    for number, data in enumerate(PARTS, start=1):
        package = site / f"qa_test_model_part{number}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{number:02d}.bin").write_bytes(data)
    sys.path.insert(0, str(site))
    yield site
    sys.path.remove(str(site))
    for number in range(1, len(PARTS) + 1):
        sys.modules.pop(f"qa_test_model_part{number}", None)


def _model(sha256: str | None = None, parts: int = 3) -> PackagedModel:
    whole = b"".join(PARTS)
    return PackagedModel(
        name="test-model",
        description="test",
        package_prefix="qa_test_model_part",
        parts=parts,
        size=len(whole),
        sha256=sha256 or hashlib.sha256(whole).hexdigest(),
    )


def test_parts_are_joined_in_order_once(installed_parts: Path, tmp_path: Path) -> None:
    path = assemble(_model(), tmp_path / "cache")
    assert path.read_bytes() == b"".join(PARTS)
    modified = path.stat().st_mtime_ns
    assert assemble(_model(), tmp_path / "cache") == path
    assert path.stat().st_mtime_ns == modified  # not joined again


def test_a_wrong_hash_is_refused_and_nothing_is_left_behind(
    installed_parts: Path, tmp_path: Path
) -> None:
    with pytest.raises(ModelFileError, match="refusing to load"):
        assemble(_model(sha256="0" * 64), tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_changed_file_is_checked_again(installed_parts: Path, tmp_path: Path) -> None:
    path = assemble(_model(), tmp_path / "cache")
    path.write_bytes(b"tampered")
    assert assemble(_model(), tmp_path / "cache").read_bytes() == b"".join(PARTS)


def test_a_missing_part_package_is_named(installed_parts: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="qa-test-model-part4"):
        assemble(_model(parts=4), tmp_path / "cache")


def test_any_gguf_path_can_be_given(tmp_path: Path) -> None:
    gguf = tmp_path / "other.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve_model(str(gguf), tmp_path) == gguf
    with pytest.raises(ModelFileError, match="neither a GGUF file"):
        resolve_model(str(tmp_path / "missing.gguf"), tmp_path)
