"""Remote repositories: downloads with requests (timeouts, retries, redirects, proxies).

A ``RemoteStore`` serves a repository's metadata files from its base URLs (given,
or read from a mirrorlist or a metalink, tried in order), verifying every file
against repomd.xml before it is used or kept in the cache. ``RPMGRAPH_TIMEOUT``
(seconds, default 30) and ``RPMGRAPH_RETRIES`` (default 3) tune the downloads;
``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY`` work as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlparse

import rpmgraph
from rpmgraph.errors import SourceError
from rpmgraph.limits import env_seconds, max_download, parse_count
from rpmgraph.sources.cache import CachedRepo, atomic_write_bytes, repomd_key
from rpmgraph.sources.progress import Progress, no_progress
from rpmgraph.sources.repomd import MAX_REPOMD, MetadataFile, read_file, verify

if TYPE_CHECKING:
    import requests

    from rpmgraph.sources.repofiles import RepoSpec

REPOMD = "repodata/repomd.xml"
_METALINK_NS = "{http://www.metalinker.org/}"


def _env_retries() -> int:
    text = os.environ.get("RPMGRAPH_RETRIES", "").strip()
    value = parse_count(text) if text else 3
    if value is None or value > 100:
        raise SourceError(f"RPMGRAPH_RETRIES={text!r} is not a whole number from 0 to 100")
    return value


class Fetcher:
    """One HTTP session for the run (connection reuse); file:// URLs read directly."""

    def __init__(self, progress: Progress = no_progress) -> None:
        self.timeout = env_seconds("RPMGRAPH_TIMEOUT", 30.0)
        self.retries = _env_retries()
        self.progress = progress
        self._session: requests.Session | None = None

    def session(self) -> requests.Session:
        if self._session is None:
            import requests
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry

            retry = Retry(total=self.retries, backoff_factor=0.5, raise_on_status=False,
                          status_forcelist=(408, 429, 500, 502, 503, 504),
                          allowed_methods=frozenset({"GET"}))
            session = requests.Session()  # trust_env: the proxy variables and .netrc
            session.headers["User-Agent"] = f"rpmgraph/{rpmgraph.__version__}"
            for scheme in ("http://", "https://"):
                session.mount(scheme, HTTPAdapter(max_retries=retry))
            self._session = session
        return self._session

    def get(self, url: str, what: str, limit: int) -> bytes:
        """The body of ``url``, refused when it is over ``limit`` bytes (at most ``limit`` + 1
        are read) or takes more than the timeout to arrive in whole."""
        if urlparse(url).scheme == "file":
            return _read_file_url(url, limit)
        import requests

        try:
            return self._get(url, what, limit)
        except requests.exceptions.Timeout:
            raise SourceError(self._timed_out(url)) from None
        except requests.exceptions.ChunkedEncodingError as exc:
            raise SourceError(f"the download of {url} was cut short: {_reason(exc)}") from None
        except requests.exceptions.RequestException as exc:
            if "timed out" in str(exc):
                raise SourceError(self._timed_out(url)) from None
            raise SourceError(f"cannot download {url}: {_reason(exc)}") from None

    def _timed_out(self, url: str) -> str:
        return (f"cannot download {url}: not done within {self.timeout:g} s "
                "(RPMGRAPH_TIMEOUT bounds a whole download, in seconds)")

    def _get(self, url: str, what: str, limit: int) -> bytes:
        deadline = time.monotonic() + self.timeout
        with self.session().get(url, timeout=self.timeout, stream=True) as response:
            if response.status_code != 200:
                raise SourceError(f"cannot download {url}: HTTP {response.status_code} "
                                  f"{response.reason}")
            length = parse_count(response.headers.get("Content-Length", ""))
            if length is not None and length > limit:
                raise SourceError(_too_big(url, limit))
            bar = self.progress(what, length)
            try:
                return _read_body(response, url, limit, deadline, bar.update)
            finally:
                bar.close()


def _read_body(response: requests.Response, url: str, limit: int, deadline: float,
               update: Callable[[int], object]) -> bytes:
    """The body, read as it arrives (``read1``: whatever one receive gives), so that the
    deadline is checked between receives: a server sending a byte at a time cannot keep
    the download alive past it, as a per-read timeout alone would let it."""
    import requests

    chunks: list[bytes] = []
    received = 0
    while chunk := _receive(response):
        chunks.append(chunk)
        received += len(chunk)
        update(len(chunk))
        if received > limit:
            raise SourceError(_too_big(url, limit))
        if time.monotonic() > deadline:
            raise requests.exceptions.Timeout
    return b"".join(chunks)


def _receive(response: requests.Response) -> bytes:
    """One receive's worth of the body, with urllib3's errors as requests names them."""
    import requests
    from urllib3.exceptions import HTTPError, ReadTimeoutError

    raw = response.raw
    try:
        if not hasattr(raw, "read1"):  # urllib3 1.x: a read may wait for the whole chunk
            return bytes(raw.read(1 << 16, decode_content=True))
        return bytes(raw.read1(1 << 16, decode_content=True))
    except (ReadTimeoutError, TimeoutError) as exc:
        raise requests.exceptions.Timeout(exc) from None
    except (HTTPError, OSError) as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from None


def _too_big(url: str, limit: int) -> str:
    return (f"cannot download {url}: it is over {limit} bytes, more than repomd.xml gives or "
            "rpmgraph reads (RPMGRAPH_MAX_DOWNLOAD sets the limit in bytes)")


def _reason(exc: Exception) -> str:
    """The innermost message of a requests/urllib3 error, without the object reprs."""
    text = str(exc.args[0] if exc.args else exc)
    inner = getattr(exc.args[0], "reason", None) if exc.args else None
    if inner is not None:
        text = str(inner)
    # "HTTPConnection(host=..., port=...): Failed to establish...": the part after the object
    return re.sub(r"^<?\w+(?:\(.*?\)| object at 0x[0-9a-f]+>): ", "", text)


def _read_file_url(url: str, limit: int) -> bytes:
    return read_file(Path(unquote(urlparse(url).path)), None, limit)


@dataclass(slots=True)
class RemoteStore:
    """A repository behind URLs; implements repomd.MetadataStore."""

    spec: RepoSpec
    fetcher: Fetcher
    cached: CachedRepo | None
    cache_only: bool = False
    refresh: bool = False
    label: str = ""
    _bases: list[str] = field(default_factory=list)
    _repomd_hashes: set[str] = field(default_factory=set)
    _key: str = ""
    _repomd_bytes: bytes = b""

    def __post_init__(self) -> None:
        self.label = self.spec.location

    # ------------------------------------------------------------ MetadataStore

    def repomd(self) -> bytes:
        data = self._cached_repomd() if self.cache_only else self._download_repomd()
        self._key = repomd_key(data)
        return data

    def read(self, entry: MetadataFile) -> tuple[bytes, str]:
        kept = self._kept(entry)
        if kept is not None and not self.refresh:
            try:
                data = kept.read_bytes()
                verify(data, str(kept), entry)
                return data, str(kept)
            except (OSError, SourceError):
                pass  # damaged or missing: download it again
        if self.cache_only:
            raise SourceError(f"the {entry.kind} metadata of {self.label} is not in the cache "
                              "(run once without --cache-only)")
        data, url = self._download(entry)
        if kept is not None:
            _keep(kept, data)
        return data, url

    def loaded(self, key: str) -> None:
        """Primary is cached: from now on -C may use this repomd.xml."""
        if self.cached is not None and not self.cache_only and self._repomd_bytes:
            _keep(self.cached.folder / "repomd.xml", self._repomd_bytes)

    # ------------------------------------------------------------ internals

    def _cached_repomd(self) -> bytes:
        path = self.cached.folder / "repomd.xml" if self.cached is not None else None
        if path is None or not path.is_file():
            raise SourceError(f"no cached metadata for repository {self.spec.default_name()} "
                              f"({self.label}); run once without -C/--cache-only")
        return path.read_bytes()

    def _download_repomd(self) -> bytes:
        bases = self._base_urls()

        def check(data: bytes, url: str) -> None:
            digest = hashlib.sha256(data).hexdigest()
            if self._repomd_hashes and digest not in self._repomd_hashes:
                raise SourceError(f"{url} does not match the metalink (an outdated mirror)")

        data, base = self._first_of(bases, REPOMD, "repomd.xml", MAX_REPOMD, check)
        self._bases = [base] + [b for b in bases if b != base]
        self._repomd_bytes = data
        return data

    def _download(self, entry: MetadataFile) -> tuple[bytes, str]:
        _safe_href(entry.href, self.label)

        def check(data: bytes, url: str) -> None:
            verify(data, url, entry)

        limit = min(entry.size, max_download()) if entry.size is not None else max_download()
        name = f"{self.spec.default_name()} {entry.kind}"
        data, base = self._first_of(self._bases, entry.href, name, limit, check)
        return data, urljoin(base, entry.href)

    def _first_of(self, bases: list[str], href: str, what: str, limit: int,
                  check: Any) -> tuple[bytes, str]:
        """Try each base URL in order; the first error is reported when all fail."""
        errors: list[SourceError] = []
        for base in bases:
            url = urljoin(base, href)
            try:
                data = self.fetcher.get(url, what, limit)
                check(data, url)
                return data, base
            except SourceError as exc:
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        raise SourceError(f"all {len(errors)} mirrors of {self.label} failed; the first: "
                          f"{errors[0]}")

    def _base_urls(self) -> list[str]:
        bases = list(self.spec.baseurls)
        if self.spec.mirrorlist:
            bases += self._mirrorlist(self.spec.mirrorlist)
        if self.spec.metalink:
            bases += self._metalink(self.spec.metalink)
        if not bases:
            raise SourceError(f"repository {self.spec.default_name()} has no usable URL")
        return [b if b.endswith("/") else b + "/" for b in dict.fromkeys(bases)]

    def _mirrorlist(self, url: str) -> list[str]:
        text = self.fetcher.get(url, "mirrorlist", MAX_REPOMD).decode("utf-8", "replace")
        if "<metalink" in text[:2000]:
            return self._metalink_urls(text.encode(), url)
        urls = [line.strip() for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
        if not urls:
            raise SourceError(f"mirrorlist {url} lists no URLs")
        if urlparse(url).scheme != "file":  # a server may not send us to local folders
            remote = [u for u in urls if urlparse(u).scheme in ("http", "https")]
            if not remote:
                raise SourceError(f"mirrorlist {url} lists no http or https URL (a remote "
                                  f"mirror list may not name local files: {urls[0]!r})")
            urls = remote
        return urls

    def _metalink(self, url: str) -> list[str]:
        return self._metalink_urls(self.fetcher.get(url, "metalink", MAX_REPOMD), url)

    def _metalink_urls(self, data: bytes, url: str) -> list[str]:
        """Base URLs from a metalink (highest preference first), and repomd.xml's hashes."""
        from defusedxml.ElementTree import fromstring

        try:
            root = fromstring(data)
        except Exception as exc:
            raise SourceError(f"metalink {url} is not valid XML: {exc}") from None
        self._repomd_hashes |= {(h.text or "").strip().lower()
                                for h in root.iter(f"{_METALINK_NS}hash")
                                if h.get("type") == "sha256"}
        found = [(-(parse_count(u.get("preference")) or 0), i, (u.text or "").strip())
                 for i, u in enumerate(root.iter(f"{_METALINK_NS}url"))]
        urls = [u[: -len(REPOMD)] for _, _, u in sorted(found)
                if u.endswith(REPOMD) and urlparse(u).scheme in ("http", "https")]
        if not urls:
            raise SourceError(f"metalink {url} lists no http or https mirror")
        return urls

    def _kept(self, entry: MetadataFile) -> Path | None:
        if self.cached is None or not self._key:
            return None
        name = entry.href.rsplit("/", 1)[-1]
        return self.cached.metadata(self._key) / name if name else None


def _safe_href(href: str, label: str) -> None:
    parsed = urlparse(href)
    if not href or parsed.scheme or parsed.netloc or href.startswith("/") or \
            ".." in href.split("/"):
        raise SourceError(f"{label}/{REPOMD} names a file outside the repository: {href!r}")


def _keep(path: Path, data: bytes) -> None:
    with contextlib.suppress(OSError):  # a cache we cannot write makes the next run slower
        atomic_write_bytes(path, data)
