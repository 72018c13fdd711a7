"""Opening the embedded store: what a store that cannot be opened is told as."""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.index.chunks import ChunkStore, StoredChunk
from qa.index.store import StoreError, open_client

OPEN = """
from pathlib import Path
from qa.index.store import open_client
try:
    open_client(None, Path({path!r})).list_collections()
except Exception as error:
    print(error)
"""


def test_a_store_on_a_read_only_mount_is_told_as_not_writable_not_as_broken(
    tmp_path: Path,
) -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a read-only bind mount needs root and unshare")
    store, mount = tmp_path / "store", tmp_path / "ro"
    open_client(None, store).get_or_create_collection("articles")
    mount.mkdir()
    script = OPEN.format(path=str(mount))
    command = (
        f"mount --bind -o ro {shlex.quote(str(store))} {shlex.quote(str(mount))} "
        f"&& exec {shlex.quote(sys.executable)} -c {shlex.quote(script)}"
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", command], capture_output=True, text=True, timeout=120
    )
    if "mount" in result.stderr and result.returncode != 0:
        pytest.skip(f"no mount namespace here: {result.stderr.strip()}")
    said = result.stdout
    assert f"the vector store in {mount} cannot be written" in said, result
    assert "QA_STORE_DIR" in said and "--rebuild" not in said  # rebuilding would not help


def test_a_store_that_is_not_a_database_is_told_to_be_rebuilt(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "chroma.sqlite3").write_bytes(b"this is not a database" * 10)
    with pytest.raises(
        StoreError, match=f"the vector store in {store} cannot be opened.*--rebuild"
    ):
        open_client(None, store).list_collections()


def test_more_chunks_than_chroma_takes_in_one_request_are_written_and_removed(
    tmp_path: Path, embed_model
) -> None:  # type: ignore[no-untyped-def]
    # A large article cut into short chunks passes Chroma's 5,461 a request: it was a
    # traceback from `qa ingest` and a bare 500 from the API, with nothing written.
    client = open_client(None, tmp_path / "store")
    store = ChunkStore(client, "articles", embed_model, "all-MiniLM-L6-v2", "onnx")
    many = client.get_max_batch_size() + 100
    chunks = [
        StoredChunk(f"big.txt#{i}", f"sentence {i}", {"source": "big.txt"}, [1.0, i / many])
        for i in range(many)
    ]
    store._write_chunks(chunks)
    assert store.collection.count() == many
    store._delete_chunks([c.id for c in chunks])
    assert store.collection.count() == 0
