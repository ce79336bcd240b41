"""The photo store contract, run against a folder, moto and SeaweedFS (real HTTP, no mocks)."""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.support.s3_servers import S3TestServer, SeaweedFSServer, unique_bucket_name
from vodiy_bozor.delivery.photo_store import (
    LocalPhotoStore,
    PhotoNotFound,
    PhotoStore,
    PhotoStoreError,
    S3PhotoStore,
    open_photo_store,
    photo_key,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KEY = "ads/42/0.jpg"


# --------------------------------------------------------------------------------------------
# The contract, for every backend


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff", id="1-byte"),
        pytest.param(os.urandom(3 * 1024 * 1024 + 7), id="3MB-random"),
    ],
)
async def test_put_then_get_returns_identical_bytes(store: PhotoStore, data: bytes) -> None:
    await store.put(KEY, data)

    got = await store.get(KEY)

    assert type(got) is bytes
    assert len(got) == len(data)
    assert got == data


async def test_exists(store: PhotoStore) -> None:
    assert await store.exists(KEY) is False

    await store.put(KEY, b"jpeg")

    assert await store.exists(KEY) is True
    assert await store.exists("ads/42/1.jpg") is False


async def test_get_missing_raises_photo_not_found(store: PhotoStore) -> None:
    with pytest.raises(PhotoNotFound) as info:
        await store.get(KEY)

    assert isinstance(info.value, KeyError)
    assert info.value.key == KEY


async def test_delete_removes_the_photo(store: PhotoStore) -> None:
    await store.put(KEY, b"jpeg")

    await store.delete(KEY)

    assert await store.exists(KEY) is False
    with pytest.raises(PhotoNotFound):
        await store.get(KEY)


async def test_delete_missing_is_fine(store: PhotoStore) -> None:
    await store.delete("ads/404/0.jpg")
    await store.delete("ads/404/0.jpg")

    assert await store.exists("ads/404/0.jpg") is False


async def test_put_overwrites_the_same_key(store: PhotoStore) -> None:
    await store.put(KEY, b"first version, longer than the second")
    await store.put(KEY, b"second")

    assert await store.get(KEY) == b"second"


async def test_nested_keys_are_independent(store: PhotoStore) -> None:
    contents = {
        "ads/1/0.jpg": b"ad 1 photo 0",
        "ads/1/1.jpg": b"ad 1 photo 1",
        "ads/10/0.jpg": b"ad 10 photo 0",
        "ads/1/extra/deep/0.jpg": b"deeply nested",
        "archive/ads/1/0.jpg": b"other prefix",
    }
    for key, data in contents.items():
        await store.put(key, data)

    await store.delete("ads/1/0.jpg")
    # A "folder" is not a photo, and deleting one must not take the photos under it along.
    await store.delete("ads/1")
    await store.delete("ads/1/extra")

    assert await store.exists("ads/1/0.jpg") is False
    for key, data in contents.items():
        if key != "ads/1/0.jpg":
            assert await store.get(key) == data, key
    assert await store.exists("ads/1") is False
    with pytest.raises(PhotoNotFound):
        await store.get("ads/1")


async def test_concurrent_puts_and_gets(store: PhotoStore) -> None:
    contents = {photo_key(ad, pos): os.urandom(2000 + ad) for ad in range(6) for pos in range(4)}

    await asyncio.gather(*(store.put(key, data) for key, data in contents.items()))
    got = await asyncio.gather(*(store.get(key) for key in contents))

    assert got == list(contents.values())


@pytest.mark.parametrize(
    "key",
    ["../x", "ads/../../x", "ads/1/..", "./x", "/etc/passwd", "", "ads//0.jpg", "a\\b", "a\x00b"],
)
async def test_keys_that_could_escape_are_rejected(
    store: PhotoStore, key: str, tmp_path: Path
) -> None:
    before = await asyncio.to_thread(_tree, tmp_path)
    with pytest.raises(ValueError, match="key"):
        await store.put(key, b"evil")
    with pytest.raises(ValueError, match="key"):
        await store.get(key)
    with pytest.raises(ValueError, match="key"):
        await store.exists(key)
    with pytest.raises(ValueError, match="key"):
        await store.delete(key)
    assert await asyncio.to_thread(_tree, tmp_path) == before


def _tree(root: Path) -> list[Path]:
    return sorted(root.rglob("*"))


async def test_describe_names_the_place_and_no_secret(
    store: PhotoStore, backend: str, tmp_path: Path, bucket: str, request: pytest.FixtureRequest
) -> None:
    text = store.describe()

    if backend == "local":
        assert text == f"folder {(tmp_path / 'photos').resolve()}"
        return
    server = request.getfixturevalue(f"{backend}_server")
    assert isinstance(server, S3TestServer)
    assert text.startswith(f"s3://{bucket} ")
    assert server.endpoint_url in text
    assert server.secret_key not in text
    assert server.secret_key not in repr(store)


# --------------------------------------------------------------------------------------------
# Local folder specifics


async def test_local_store_keeps_files_under_root(tmp_path: Path) -> None:
    store = LocalPhotoStore(tmp_path / "nested" / "photos")

    await store.put("ads/7/2.jpg", b"jpeg bytes")

    assert (tmp_path / "nested" / "photos" / "ads" / "7" / "2.jpg").read_bytes() == b"jpeg bytes"
    assert store.path_for("ads/7/2.jpg") == (tmp_path / "nested/photos/ads/7/2.jpg").resolve()


@pytest.mark.parametrize("failing_call", ["fsync", "replace"])
async def test_local_failed_write_keeps_old_photo_and_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: str
) -> None:
    store = LocalPhotoStore(tmp_path)
    await store.put("ads/1/0.jpg", b"old photo")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, failing_call, disk_full)
        with pytest.raises(PhotoStoreError, match="No space left") as info:
            await store.put("ads/1/0.jpg", b"new photo" * 10_000)
        with pytest.raises(PhotoStoreError):
            await store.put("ads/1/1.jpg", b"another new photo")

    assert info.value.retryable
    assert await store.get("ads/1/0.jpg") == b"old photo"
    assert await store.exists("ads/1/1.jpg") is False
    assert [p.name for p in (tmp_path / "ads" / "1").iterdir()] == ["0.jpg"]


# --------------------------------------------------------------------------------------------
# S3 specifics


async def test_s3_object_is_stored_under_the_key_with_its_content_type(
    s3_server: S3TestServer, s3_store: S3PhotoStore
) -> None:
    from aiobotocore.session import AioSession

    await s3_store.put("ads/5/0.png", b"\x89PNG fake", content_type="image/png")

    settings = s3_server.client_settings()
    async with AioSession().create_client(
        "s3",
        endpoint_url=settings["endpoint_url"],
        region_name=settings["region"],
        aws_access_key_id=settings["access_key_id"],
        aws_secret_access_key=settings["secret_access_key"],
    ) as client:
        head = await client.head_object(Bucket=s3_store.bucket, Key="ads/5/0.png")
        listing = await client.list_objects_v2(Bucket=s3_store.bucket)
    assert head["ContentType"] == "image/png"
    assert head["ContentLength"] == len(b"\x89PNG fake")
    assert [obj.get("Key") for obj in listing.get("Contents", [])] == ["ads/5/0.png"]


async def test_s3_secret_is_never_logged(
    s3_server: S3TestServer, bucket: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    store = await open_photo_store(
        data_dir=Path("/nonexistent"), bucket=bucket, **s3_server.client_settings()
    )
    assert isinstance(store, S3PhotoStore)
    try:
        await store.ensure_bucket()
        await store.put(KEY, b"jpeg")
        assert await store.get(KEY) == b"jpeg"
    finally:
        await store.close()

    assert f"s3://{bucket}" in caplog.text  # the store did log, and botocore's debug output too
    assert s3_server.secret_key not in caplog.text


async def test_seaweedfs_rejects_a_wrong_secret(
    seaweedfs_server: SeaweedFSServer, bucket: str
) -> None:
    settings = seaweedfs_server.client_settings()
    good = await S3PhotoStore(bucket, **settings).open()
    bad = await S3PhotoStore(
        bucket,
        endpoint_url=settings["endpoint_url"],
        region=settings["region"],
        access_key_id=settings["access_key_id"],
        secret_access_key=settings["secret_access_key"] + "x",
    ).open()
    try:
        await good.ensure_bucket()
        await good.put(KEY, b"original")

        with pytest.raises(PhotoStoreError, match="SignatureDoesNotMatch") as put_error:
            await bad.put(KEY, b"forged")
        with pytest.raises(PhotoStoreError, match="SignatureDoesNotMatch"):
            await bad.get(KEY)
        with pytest.raises(PhotoStoreError):
            await bad.exists(KEY)
        with pytest.raises(PhotoStoreError):
            await bad.delete(KEY)

        assert put_error.value.retryable is False
        assert await good.get(KEY) == b"original"
    finally:
        await bad.close()
        await good.close()


async def test_s3_outage_fails_fast_and_the_same_store_recovers(
    s3_server: S3TestServer, s3_store: S3PhotoStore
) -> None:
    await s3_store.put(KEY, b"stored before the outage")
    endpoint = s3_server.endpoint_url

    s3_server.stop()
    try:
        operations: list[Callable[[], Awaitable[object]]] = [
            lambda: s3_store.put("ads/42/1.jpg", b"during the outage"),
            lambda: s3_store.get(KEY),
            lambda: s3_store.exists(KEY),
            lambda: s3_store.delete(KEY),
        ]
        began = time.monotonic()
        async with asyncio.timeout(30):  # a hang fails the test instead of blocking the run
            results = await asyncio.gather(*(op() for op in operations), return_exceptions=True)
        elapsed = time.monotonic() - began
    finally:
        s3_server.start()

    for result in results:
        assert isinstance(result, PhotoStoreError), result
        assert result.retryable
    assert elapsed < 10, f"failing took {elapsed:.1f}s"
    assert s3_server.endpoint_url == endpoint

    # A server just restarted may answer a retryable error for a moment (SeaweedFS's filer
    # before its volume server is back): callers retry those, and so does this check, briefly.
    async def once_ready(op: Callable[[], Awaitable[bytes | None]]) -> bytes | None:
        deadline = time.monotonic() + 10
        while True:
            try:
                return await op()
            except PhotoStoreError as exc:
                if not exc.retryable or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)

    assert await once_ready(lambda: s3_store.get(KEY)) == b"stored before the outage"
    await once_ready(lambda: s3_store.put("ads/42/1.jpg", b"after the outage"))
    assert await s3_store.get("ads/42/1.jpg") == b"after the outage"


async def test_s3_unresponsive_server_times_out() -> None:
    # A listening socket that never accepts: connecting works, no response ever comes.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        store = await S3PhotoStore(
            unique_bucket_name(),
            endpoint_url=f"http://127.0.0.1:{port}",
            region="us-east-1",
            access_key_id="access",
            secret_access_key="secret",
            connect_timeout=0.5,
            read_timeout=0.5,
            max_attempts=2,
        ).open()
        try:
            began = time.monotonic()
            with pytest.raises(PhotoStoreError) as info:
                async with asyncio.timeout(20):
                    await store.get(KEY)
            elapsed = time.monotonic() - began
        finally:
            await store.close()

    assert info.value.retryable
    assert "Timeout" in str(info.value)
    assert 0.9 < elapsed < 5  # two attempts of 0.5 s each, plus a short backoff


async def test_s3_store_must_be_opened_and_closes_idempotently(
    s3_server: S3TestServer, bucket: str
) -> None:
    store = S3PhotoStore(bucket, **s3_server.client_settings())
    with pytest.raises(RuntimeError, match="open"):
        await store.get(KEY)

    async with store:
        await store.ensure_bucket()
        await store.ensure_bucket()  # already exists: fine
        await store.put(KEY, b"jpeg")
        assert await store.exists(KEY)

    await store.close()
    with pytest.raises(RuntimeError, match="open"):
        await store.exists(KEY)


def test_s3_store_requires_both_credentials_or_none() -> None:
    with pytest.raises(ValueError, match="both"):
        S3PhotoStore("bucket", access_key_id="only-the-id")
    with pytest.raises(ValueError, match="empty"):
        S3PhotoStore("")


# --------------------------------------------------------------------------------------------
# Choosing the backend


@pytest.mark.parametrize("bucket_setting", [None, ""])
async def test_open_photo_store_defaults_to_a_folder_in_the_data_dir(
    tmp_path: Path, bucket_setting: str | None
) -> None:
    store = await open_photo_store(
        data_dir=tmp_path,
        bucket=bucket_setting,
        endpoint_url="http://127.0.0.1:1",
        region=None,
        access_key_id=None,
        secret_access_key=None,
    )

    assert isinstance(store, LocalPhotoStore)
    assert store.root == (tmp_path / "photos").resolve()
    await store.put(KEY, b"jpeg")
    assert (tmp_path / "photos" / "ads" / "42" / "0.jpg").read_bytes() == b"jpeg"
    await store.close()


async def test_open_photo_store_uses_s3_when_a_bucket_is_set(
    s3_server: S3TestServer, bucket: str, tmp_path: Path
) -> None:
    store = await open_photo_store(data_dir=tmp_path, bucket=bucket, **s3_server.client_settings())
    try:
        assert isinstance(store, S3PhotoStore)
        assert store.bucket == bucket
        await store.ensure_bucket()
        await store.put(KEY, b"jpeg")
        assert await store.get(KEY) == b"jpeg"
    finally:
        await store.close()
    assert not (tmp_path / "photos").exists()


_IMPORT_PROBE = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path
    from vodiy_bozor.delivery.photo_store import open_photo_store

    async def main() -> str:
        store = await open_photo_store(
            data_dir=Path(sys.argv[1]), bucket=sys.argv[2] or None,
            endpoint_url="http://127.0.0.1:9", region="us-east-1",
            access_key_id="access", secret_access_key="secret",
        )
        await store.close()
        return type(store).__name__

    kind = asyncio.run(main())
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"aiobotocore", "botocore"})
    print(json.dumps({"kind": kind, "loaded": loaded}))
    """
)


@pytest.mark.parametrize(
    ("bucket_setting", "kind", "imports_aws"),
    [("", "LocalPhotoStore", False), ("photos", "S3PhotoStore", True)],
)
def test_only_the_s3_backend_imports_aiobotocore(
    tmp_path: Path, bucket_setting: str, kind: str, imports_aws: bool
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE, str(tmp_path), bucket_setting],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(result.stdout)

    assert report["kind"] == kind
    assert ("aiobotocore.session" in report["loaded"]) is imports_aws
    assert bool(report["loaded"]) is imports_aws, report["loaded"]


def test_photo_key() -> None:
    assert photo_key(123, 0) == "ads/123/0.jpg"
    with pytest.raises(ValueError, match="bad photo"):
        photo_key(-1, 0)
