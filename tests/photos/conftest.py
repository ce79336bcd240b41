"""Fixtures: every photo-store test runs against a folder, moto and SeaweedFS over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.s3_servers import (
    MotoS3Server,
    S3TestServer,
    SeaweedFSServer,
    moto_s3_server,
    seaweedfs_s3_server,
    unique_bucket_name,
)
from vodiy_bozor.delivery.photo_store import LocalPhotoStore, PhotoStore, S3PhotoStore

BACKENDS = ["local", "moto", "seaweedfs"]
S3_BACKENDS = ["moto", "seaweedfs"]


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoS3Server]:
    with moto_s3_server() as server:
        yield server


@pytest.fixture(scope="session")
def seaweedfs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFSServer]:
    with seaweedfs_s3_server(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


def _server(request: pytest.FixtureRequest, backend: str) -> S3TestServer:
    # Looked up lazily so that `-k local` starts no server at all.
    server = request.getfixturevalue(f"{backend}_server")
    assert isinstance(server, S3TestServer)
    # A test that simulates an outage may have failed before restarting the shared server.
    server.start()
    return server


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=S3_BACKENDS)
def s3_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def s3_server(request: pytest.FixtureRequest, s3_backend: str) -> Iterator[S3TestServer]:
    """The session's server for `s3_backend`; always left running, even if the test stopped it."""
    server = _server(request, s3_backend)
    yield server
    server.start()


@pytest.fixture
def bucket() -> str:
    return unique_bucket_name("photos")


async def _open_s3_store(server: S3TestServer, bucket: str) -> S3PhotoStore:
    store = await S3PhotoStore(bucket, **server.client_settings()).open()
    try:
        await store.ensure_bucket()
    except BaseException:
        await store.close()
        raise
    return store


@pytest.fixture
async def store(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, bucket: str
) -> AsyncIterator[PhotoStore]:
    """A fresh, empty store: a new folder or a new bucket."""
    if backend == "local":
        local = LocalPhotoStore(tmp_path / "photos")
        yield local
        await local.close()
        return
    s3 = await _open_s3_store(_server(request, backend), bucket)
    try:
        yield s3
    finally:
        await s3.close()


@pytest.fixture
async def s3_store(s3_server: S3TestServer, bucket: str) -> AsyncIterator[S3PhotoStore]:
    """A fresh bucket on `s3_server` (moto or SeaweedFS), with the production client settings."""
    s3 = await _open_s3_store(s3_server, bucket)
    try:
        yield s3
    finally:
        await s3.close()
