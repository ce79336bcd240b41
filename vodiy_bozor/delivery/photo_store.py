"""Archive of ad photos: a local folder or an S3-compatible bucket behind one small interface.

Telegram `file_id`s belong to one bot token and Telegram may drop old files, so the channel keeps
its own copy of every photo. Keys look like ``ads/<ad id>/<position>.jpg``.

The S3 backend pulls in aiobotocore (~0.4 s of imports), so it is imported only when a bucket is
configured; the default local backend never pays for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

__all__ = [
    "LocalPhotoStore",
    "PhotoNotFound",
    "PhotoStore",
    "PhotoStoreError",
    "S3PhotoStore",
    "open_photo_store",
    "photo_key",
    "thumb_key",
]

log = logging.getLogger(__name__)

_MAX_KEY_BYTES = 1024  # S3's own limit on key length


class PhotoNotFound(KeyError):
    """No photo is stored under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"no photo stored under {self.key!r}"


class PhotoStoreError(Exception):
    """The backend failed (unreachable, timed out, 5xx, disk error, access denied, ...).

    `retryable` is True for failures that may go away by themselves (connection refused, timeouts,
    5xx, throttling, local I/O errors): callers should keep the photo and try again later. False
    means retrying will not help until someone fixes the configuration (bad credentials, missing
    bucket).
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@runtime_checkable
class PhotoStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        """Store `data` under `key`, replacing any previous photo there."""

    async def get(self, key: str) -> bytes:
        """Return the photo; raise `PhotoNotFound` when there is none."""

    async def delete(self, key: str) -> None:
        """Remove the photo; a missing key is not an error."""

    async def exists(self, key: str) -> bool: ...

    async def close(self) -> None: ...

    def describe(self) -> str:
        """Where photos go, for logs and /status; never contains secrets."""


def photo_key(ad_id: int, position: int) -> str:
    """The key of the `position`-th photo (0-based) of an ad."""
    if ad_id < 0 or position < 0:
        raise ValueError(f"bad photo address: ad {ad_id}, position {position}")
    return f"ads/{ad_id}/{position}.jpg"


def thumb_key(ad_id: int, position: int) -> str:
    """The key of that photo's thumbnail (the catalogue's grid), next to the original."""
    return photo_key(ad_id, position).removesuffix(".jpg") + ".thumb.jpg"


def _check_key(key: str) -> str:
    """Reject keys that are empty, absolute, or could climb out of the store ('..')."""
    if not key:
        raise ValueError("photo key must be a non-empty string")
    if len(key.encode()) > _MAX_KEY_BYTES:
        raise ValueError("photo key is too long")
    if "\\" in key or "\x00" in key or key.startswith("/"):
        raise ValueError(f"invalid photo key {key!r}")
    parts = key.split("/")
    if any(part in {"", ".", ".."} for part in parts):
        raise ValueError(f"invalid photo key {key!r}")
    return key


# --------------------------------------------------------------------------------------------
# Local folder


class LocalPhotoStore:
    """Photos as files under `root/<key>`.

    Writes go to a temporary file in the target folder that is fsynced and then renamed over
    the destination (`os.replace`), so a crash leaves either the old photo or the new one, never
    half a file. File I/O runs in a worker thread to keep the event loop responsive.
    """

    def __init__(self, root: Path) -> None:
        self._root = Path(root).expanduser().resolve()
        self._root.mkdir(parents=True, exist_ok=True)

    @property
    def root(self) -> Path:
        return self._root

    def describe(self) -> str:
        return f"folder {self._root}"

    def path_for(self, key: str) -> Path:
        """The file that holds `key` (which must stay inside the root)."""
        path = self._root.joinpath(*PurePosixPath(_check_key(key)).parts)
        if not path.is_relative_to(self._root):  # belt and braces after _check_key
            raise ValueError(f"invalid photo key {key!r}")
        return path

    async def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        path = self.path_for(key)
        try:
            await asyncio.to_thread(_write_atomically, path, bytes(data))
        except OSError as e:
            raise PhotoStoreError(f"cannot write photo {key!r}: {e}") from e

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise PhotoNotFound(key) from None
        except OSError as e:
            raise PhotoStoreError(f"cannot read photo {key!r}: {e}") from e

    async def exists(self, key: str) -> bool:
        path = self.path_for(key)
        return await asyncio.to_thread(path.is_file)

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        try:
            await asyncio.to_thread(path.unlink, missing_ok=True)
        except (NotADirectoryError, IsADirectoryError):
            return
        except OSError as e:
            raise PhotoStoreError(f"cannot delete photo {key!r}: {e}") from e

    async def close(self) -> None:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


# --------------------------------------------------------------------------------------------
# S3

# Error codes that mean "try again later" even though the status is a 4xx.
_RETRYABLE_CODES = frozenset(
    {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "RequestTimeTooSkewed"}
)
_NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def _redact_url(url: str) -> str:
    """Drop any user:password@ part of a URL."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=host))


class S3PhotoStore:
    """Photos as objects in an S3-compatible bucket (AWS, MinIO, SeaweedFS, ...).

    One aiobotocore client lives as long as the store: `store = await S3PhotoStore(...).open()`
    (or `async with`), and `await store.close()` at shutdown.
    Creating the bucket is the operator's job; `ensure_bucket()` exists for tests and dev setups.
    """

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_attempts: int = 3,
    ) -> None:
        if not bucket:
            raise ValueError("S3 bucket name is empty")
        if (access_key_id is None) != (secret_access_key is None):
            raise ValueError("give both the S3 access key id and the secret access key, or neither")
        if max_attempts < 1:
            raise ValueError("max_attempts counts the first try and must be at least 1")
        self._bucket = bucket
        self._endpoint_url = endpoint_url or None
        self._region = region or None
        self._access_key_id = access_key_id
        self._secret_access_key = secret_access_key
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._max_attempts = max_attempts
        self._stack: contextlib.AsyncExitStack | None = None
        self._client: S3Client | None = None

    def __repr__(self) -> str:
        return f"<S3PhotoStore {self.describe()}>"

    @property
    def bucket(self) -> str:
        return self._bucket

    def describe(self) -> str:
        text = f"s3://{self._bucket}"
        details = []
        if self._endpoint_url:
            details.append(f"endpoint {_redact_url(self._endpoint_url)}")
        if self._region:
            details.append(f"region {self._region}")
        if details:
            text += f" ({', '.join(details)})"
        return text

    async def open(self) -> S3PhotoStore:
        """Create the client (no network I/O happens yet); returns the store itself."""
        if self._client is not None:
            return self
        from aiobotocore.config import AioConfig
        from aiobotocore.session import AioSession

        s3_options: dict[str, str] = {}
        if self._endpoint_url:
            s3_options["addressing_style"] = "path"
        config = AioConfig(
            signature_version="s3v4",
            s3=s3_options or None,
            connect_timeout=self._connect_timeout,
            read_timeout=self._read_timeout,
            retries={"mode": "standard", "total_max_attempts": self._max_attempts},
        )
        stack = contextlib.AsyncExitStack()
        try:
            self._client = await stack.enter_async_context(
                AioSession().create_client(
                    "s3",
                    endpoint_url=self._endpoint_url,
                    region_name=self._region,
                    aws_access_key_id=self._access_key_id,
                    aws_secret_access_key=self._secret_access_key,
                    config=config,
                )
            )
        except BaseException:
            await stack.aclose()
            raise
        self._stack = stack
        log.debug("S3 photo store opened: %s", self.describe())
        return self

    async def close(self) -> None:
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            await stack.aclose()

    async def __aenter__(self) -> S3PhotoStore:
        return await self.open()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def _require_client(self) -> S3Client:
        if self._client is None:
            raise RuntimeError("S3PhotoStore is not open; call `await store.open()` first")
        return self._client

    async def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        client = self._require_client()
        with self._errors("put", _check_key(key)):
            await client.put_object(
                Bucket=self._bucket, Key=key, Body=bytes(data), ContentType=content_type
            )

    async def get(self, key: str) -> bytes:
        client = self._require_client()
        with self._errors("get", _check_key(key), missing_is_not_found=True):
            response = await client.get_object(Bucket=self._bucket, Key=key)
            async with response["Body"] as body:
                return await body.read()

    async def exists(self, key: str) -> bool:
        client = self._require_client()
        try:
            with self._errors("head", _check_key(key), missing_is_not_found=True):
                await client.head_object(Bucket=self._bucket, Key=key)
        except PhotoNotFound:
            return False
        return True

    async def delete(self, key: str) -> None:
        client = self._require_client()
        with self._errors("delete", _check_key(key)):
            await client.delete_object(Bucket=self._bucket, Key=key)

    async def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist yet (tests and dev setups only)."""
        from botocore.exceptions import ClientError

        client = self._require_client()
        with self._errors("create bucket", self._bucket):
            try:
                if self._region and self._region != "us-east-1":
                    await client.create_bucket(
                        Bucket=self._bucket,
                        CreateBucketConfiguration={"LocationConstraint": self._region},  # type: ignore[typeddict-item]
                    )
                else:
                    await client.create_bucket(Bucket=self._bucket)
            except ClientError as e:
                if e.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
                    raise

    @contextlib.contextmanager
    def _errors(self, op: str, key: str, *, missing_is_not_found: bool = False) -> Iterator[None]:
        """Translate botocore/aiohttp failures into PhotoNotFound / PhotoStoreError."""
        import aiohttp
        from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
        from botocore.exceptions import ConnectionError as BotoConnectionError

        try:
            yield
        except ClientError as e:
            error = e.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = int(e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            if missing_is_not_found and (code in _NOT_FOUND_CODES or (status == 404 and not code)):
                raise PhotoNotFound(key) from None
            retryable = status >= 500 or code in _RETRYABLE_CODES
            raise PhotoStoreError(
                f"S3 {op} {key!r} in {self.describe()} failed: {code or status} "
                f"{error.get('Message', '')}".rstrip(),
                retryable=retryable,
            ) from e
        except (BotoCoreError, aiohttp.ClientError, OSError) as e:
            retryable = isinstance(
                e, HTTPClientError | BotoConnectionError | aiohttp.ClientError | OSError
            )
            raise PhotoStoreError(
                f"S3 {op} {key!r} in {self.describe()} failed: {type(e).__name__}: {e}",
                retryable=retryable,
            ) from e


# --------------------------------------------------------------------------------------------


async def open_photo_store(
    *,
    data_dir: Path,
    bucket: str | None,
    endpoint_url: str | None,
    region: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
) -> PhotoStore:
    """The configured store: S3 when a bucket is set, else the folder `data_dir/photos`."""
    store: PhotoStore
    if bucket:
        store = await S3PhotoStore(
            bucket,
            endpoint_url=endpoint_url,
            region=region,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
        ).open()
    else:
        store = await asyncio.to_thread(LocalPhotoStore, Path(data_dir) / "photos")
    log.info("Photo store: %s", store.describe())
    return store
