"""The S3 file store against moto's S3 server, started on the loopback address."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from engine.bootstrap import file_store
from engine.files.s3 import S3FileStore
from engine.files.store import digest, stored_digest
from engine.settings import Settings

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

PDF = b"%PDF-1.4\n" + b"x" * 3000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def store(endpoint: str) -> S3FileStore:
    settings = Settings(files_store="s3", s3_bucket="motcua-files", s3_endpoint_url=endpoint,
                        s3_region="us-east-1", s3_access_key_id="test",
                        s3_secret_access_key="test", s3_prefix="scans/")
    made = file_store(settings)
    assert isinstance(made, S3FileStore)
    made.client.create_bucket(Bucket="motcua-files")
    return made


def test_the_bucket_keeps_bytes_by_their_hash_once(store: S3FileStore) -> None:
    sha = store.put(PDF)
    assert sha == digest(PDF) and store.exists(sha)
    assert store.read(sha) == PDF
    assert store.put(PDF) == sha
    keys = [o["Key"] for o in
            store.client.list_objects_v2(Bucket="motcua-files")["Contents"]]
    assert keys == [f"scans/{sha[:2]}/{sha[2:4]}/{sha}"]
    assert stored_digest(store, sha) == sha


def test_a_missing_or_swapped_object_shows_in_its_digest(store: S3FileStore) -> None:
    sha = store.put(PDF + b"second")
    store.client.put_object(Bucket="motcua-files", Key=store.key(sha), Body=b"%PDF-other")
    assert stored_digest(store, sha) == digest(b"%PDF-other")
    store.client.delete_object(Bucket="motcua-files", Key=store.key(sha))
    assert not store.exists(sha)
    assert stored_digest(store, sha) is None
    with pytest.raises(FileNotFoundError):
        store.read(sha)


def test_the_s3_store_needs_a_bucket() -> None:
    with pytest.raises(ValueError, match="MOTCUA_S3_BUCKET"):
        file_store(Settings(files_store="s3"))
