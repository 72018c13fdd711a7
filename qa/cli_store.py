"""The commands of ``qa`` that work on the embedded store's folder as a whole: ``compact``
(give back the space deleted and replaced articles leave), and the move aside of
``ingest --rebuild``."""

from __future__ import annotations

import argparse
import time

from rich.console import Console
from rich.markup import escape

from qa.settings import CoreSettings

console = Console()


def compact_command(args: argparse.Namespace) -> int:
    from qa.index.compact import compact
    from qa.index.store import hold_store

    settings = CoreSettings()
    if settings.chroma_url:
        raise ValueError(
            "compact works on the embedded store; a Chroma server keeps its own data "
            "(on its host: `chroma vacuum --path DIR`)"
        )
    held = hold_store(settings.store_dir)  # noqa: F841  (held until the process ends)
    done = compact(settings.store_dir)
    records = ", ".join(f"{name} {n:,}" for name, n in sorted(done.records.items()))
    console.print(
        escape(
            f"{settings.store_dir}: {done.bytes_before / 2**20:.1f} MB → "
            f"{done.bytes_after / 2**20:.1f} MB ({records} records; "
            f"{done.changes_dropped:,} change-log entries already applied left out)"
        ),
        highlight=False,
    )
    return 0


def move_store_aside(settings: CoreSettings) -> None:
    """Rename the embedded store folder (nothing is deleted) so a new one can be built."""
    if settings.chroma_url:
        raise ValueError(
            "--rebuild works on the embedded store; a Chroma server keeps its own data"
        )
    store = settings.store_dir
    if not store.exists() or not any(store.iterdir()):
        return
    if not (store / "chroma.sqlite3").exists():
        raise ValueError(f"{store} does not look like a vector store; not moving it")
    aside = store.with_name(f"{store.name}.old-{time.strftime('%Y%m%d-%H%M%S')}")
    store.rename(aside)
    console.print(escape(f"moved the old store to {aside}"), highlight=False)
