"""Attachments in an S3-compatible bucket (AWS S3, MinIO, Ceph…), keyed ``<prefix>ab/cd/<sha256>``
like the local store. boto3 is the optional extra ``s3``; it is imported only when this store
is chosen. Keys come from the settings (the environment), never from the repository."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.files.store import CHUNK, _checked, digest


class S3FileStore:
    def __init__(self, bucket: str, *, endpoint_url: str | None = None,
                 region: str | None = None, access_key: str | None = None,
                 secret_key: str | None = None, prefix: str = "",
                 client: Any = None) -> None:
        if client is None:
            import boto3  # the optional extra: only an office that chose S3 needs it

            client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region,
                                  aws_access_key_id=access_key,
                                  aws_secret_access_key=secret_key)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def key(self, sha256: str) -> str:
        sha256 = _checked(sha256)
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def put(self, data: bytes) -> str:
        # One PUT is atomic in S3: a reader sees the whole object or none.
        sha256 = digest(data)
        if not self.exists(sha256):
            self.client.put_object(Bucket=self.bucket, Key=self.key(sha256), Body=data)
        return sha256

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except Exception as exc:
            if _missing(exc):
                return False
            raise
        return True

    def _body(self, sha256: str) -> Any:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"]
        except Exception as exc:
            if _missing(exc):
                raise FileNotFoundError(self.key(sha256)) from exc
            raise

    def read(self, sha256: str) -> bytes:
        data: bytes = self._body(sha256).read()
        return data

    def chunks(self, sha256: str) -> Iterator[bytes]:
        body = self._body(sha256)
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()


def _missing(exc: Exception) -> bool:
    """botocore's ClientError for an absent key or object (404, NoSuchKey)."""
    error = getattr(exc, "response", {}).get("Error", {})
    return str(error.get("Code")) in ("404", "NoSuchKey", "NotFound")
