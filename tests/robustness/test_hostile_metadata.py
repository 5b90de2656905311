"""Repository metadata is untrusted: entity tricks, broken streams, lies in repomd.xml.
Each case: exit code, the one-line message naming the file, and nothing written."""

from __future__ import annotations

import hashlib
import re
import resource
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_bad_input import assert_user_error
from tests.conftest import Run
from tests.robustness.support import RPMGRAPH, check_output, rename_package
from tests.support.repomd_edit import rewrite

CopyRepo = Callable[[Path], Path]
SECRET = "TOP-SECRET-7f3a9c"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE metadata [
<!ENTITY lol0 "lol">
""" + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10)) + "]>"


def _doctype(xml: bytes, doctype: str) -> bytes:
    """Put a DOCTYPE after the XML declaration."""
    head, _, rest = xml.partition(b"?>")
    return head + b"?>\n" + doctype.encode() + rest


def _repomd(repo: Path) -> Path:
    return repo / "repodata" / "repomd.xml"


def _entry(repo: Path, kind: str) -> Path:
    text = _repomd(repo).read_text()
    block = re.search(rf'<data type="{kind}">.*?</data>', text, re.S)
    assert block is not None
    href = re.search(r'href="([^"]+)"', block.group(0))
    assert href is not None
    return repo / href.group(1)


def _edit_repomd(repo: Path, kind: str, edit: Callable[[str], str]) -> None:
    """Change the ``kind`` block of repomd.xml."""
    path = _repomd(repo)
    text = path.read_text()
    block = re.search(rf'<data type="{kind}">.*?</data>', text, re.S)
    assert block is not None
    path.write_text(text.replace(block.group(0), edit(block.group(0))))


def _refresh_checksum(repo: Path, kind: str) -> None:
    """Make repomd.xml agree with the file as it is now (damaged on purpose)."""
    data = _entry(repo, kind).read_bytes()
    _edit_repomd(repo, kind, lambda b: re.sub(
        r"<size>\d+</size>", f"<size>{len(data)}</size>", re.sub(
            r'<checksum type="sha256">\w+</checksum>',
            f'<checksum type="sha256">{hashlib.sha256(data).hexdigest()}</checksum>', b)))


# ---------------------------------------------------------------- repomd.xml (defusedxml)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE repomd [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE repomd [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
])
def test_entities_in_repomd_are_refused(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                        doctype: str) -> None:
    repo = copy_repo(mini_repo)
    path = _repomd(repo)
    path.write_bytes(_doctype(path.read_bytes(), doctype).replace(
        b"<revision>", b"<revision>&" + (b"b" if b"&a;" in doctype.encode() else b"x") + b";"))
    result = run("graph", "--repo", repo, "app")
    assert_user_error(result, str(path), "declares XML entities, which are refused")
    assert "root:" not in result.stderr + result.stdout


@pytest.mark.parametrize("damage", [
    lambda data: data[:300],
    lambda data: b"",
    lambda data: b"\xff\xfe\x00\x1b[31m not xml",
])
def test_malformed_or_truncated_repomd(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                       damage: Callable[[bytes], bytes]) -> None:
    repo = copy_repo(mini_repo)
    path = _repomd(repo)
    path.write_bytes(damage(path.read_bytes()))
    assert_user_error(run("graph", "--repo", repo, "app"), str(path),
                      "is not valid repomd XML")


# ---------------------------------------------------------------- primary.xml (libsolv)


def _run_limited(*args: object, memory: int = 2 << 30) -> subprocess.CompletedProcess[str]:
    """The real CLI with an address-space limit and a time limit."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([str(RPMGRAPH), *map(str, args)], capture_output=True, text=True,
                          timeout=60, preexec_fn=limit, check=False)


def test_billion_laughs_in_primary_is_not_expanded(mini_repo: Path, copy_repo: CopyRepo) -> None:
    """libsolv parses primary.xml with libxml2 without entity substitution: the bomb is
    an undefined entity, refused in milliseconds, within a 2 GiB address space."""
    repo = copy_repo(mini_repo)
    bomb = BILLION_LAUGHS.split("\n", 1)[1]
    rewrite(repo, "primary", lambda x: _doctype(x, bomb).replace(
        b"<summary>no dependencies at all</summary>", b"<summary>&lol9;</summary>"))
    start = time.monotonic()
    result = _run_limited("graph", "--repo", repo, "lonely", "-f", "json")
    assert time.monotonic() - start < 20
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert "not valid rpm-md metadata" in result.stderr
    assert "Entity 'lol9' not defined" in result.stderr
    assert "lollollol" not in result.stdout + result.stderr


@pytest.mark.parametrize("variant", ["internal-subset", "external-dtd", "parameter-entity"])
def test_external_entities_never_read_local_files(run: Run, mini_repo: Path,
                                                  copy_repo: CopyRepo, tmp_path: Path,
                                                  variant: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY ext SYSTEM "file://{secret}">\n')
    doctype = {
        "internal-subset": f'<!DOCTYPE metadata [<!ENTITY ext SYSTEM "file://{secret}">]>',
        "external-dtd": f'<!DOCTYPE metadata SYSTEM "file://{dtd}">',
        "parameter-entity": f'<!DOCTYPE metadata [<!ENTITY % p SYSTEM "file://{dtd}"> %p;]>',
    }[variant]
    repo = copy_repo(mini_repo)
    rewrite(repo, "primary", lambda x: _doctype(x, doctype).replace(
        b"<summary>no dependencies at all</summary>", b"<summary>&ext;</summary>"))
    for fmt in ("json", "dot", "graphml", "tree"):
        result = run("graph", "--repo", repo, "lonely", "-f", fmt)
        assert SECRET not in result.stdout + result.stderr
        if result.exit_code == 0:  # the external DTD is not loaded: &ext; stays empty
            check_output(fmt, result.stdout_bytes)
        else:
            assert_user_error(result, "not valid rpm-md metadata", "ext")


@pytest.mark.parametrize("damage", [
    b"<metadata><package type='rpm'><name>x</oops>",
    b"<?xml version='1.0'?><metadata xmlns='http://linux.duke.edu/metadata/common'>"
    b"<package type='rpm'><name>cut-he",
    b"\x00\x01\x02 binary \xff",
])
def test_malformed_primary(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                           damage: bytes) -> None:
    repo = copy_repo(mini_repo)
    path = rewrite(repo, "primary", lambda _: damage)
    assert_user_error(run("graph", "--repo", repo, "app"), str(path),
                      "not valid rpm-md metadata")


@pytest.mark.parametrize("compress", ["gz", "xz", "bz2", "zst"])
@pytest.mark.parametrize("keep", [0.5, 0.05])
def test_compressed_stream_cut_short(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                     compress: str, keep: float) -> None:
    """Checksums match the cut file (as a mirror that stored half a file would serve it)."""
    repo = copy_repo(mini_repo)
    path = rewrite(repo, "primary", compress=compress)
    data = path.read_bytes()
    path.write_bytes(data[:max(6, int(len(data) * keep))])
    _refresh_checksum(repo, "primary")
    assert_user_error(run("graph", "--repo", repo, "app"), str(path), "corrupt or truncated")


# ---------------------------------------------------------------- repomd.xml tells lies


@pytest.mark.parametrize("kind", ["primary", "filelists"])
def test_repomd_names_a_missing_file(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                     kind: str) -> None:
    """filelists is needed too: app requires a file only filelists knows."""
    repo = copy_repo(mini_repo)
    missing = _entry(repo, kind)
    missing.unlink()
    result = run("graph", "--repo", repo, "app")
    assert_user_error(result, str(_repomd(repo)), missing.relative_to(repo).as_posix(),
                      "does not exist")


def test_size_mismatch(run: Run, mini_repo: Path, copy_repo: CopyRepo) -> None:
    repo = copy_repo(mini_repo)
    _edit_repomd(repo, "primary", lambda b: re.sub(r"<size>(\d+)</size>",
                                                   lambda m: f"<size>{int(m[1]) + 7}</size>", b))
    assert_user_error(run("graph", "--repo", repo, "app"), "size mismatch",
                      str(_entry(repo, "primary")))


def test_unsupported_checksum_type(run: Run, mini_repo: Path, copy_repo: CopyRepo) -> None:
    repo = copy_repo(mini_repo)
    _edit_repomd(repo, "primary", lambda b: b.replace('<checksum type="sha256">',
                                                      '<checksum type="crc99">'))
    assert_user_error(run("graph", "--repo", repo, "app"), "unsupported checksum type 'crc99'")


def test_href_outside_the_repository(run: Run, mini_repo: Path, copy_repo: CopyRepo) -> None:
    repo = copy_repo(mini_repo)
    _edit_repomd(repo, "primary", lambda b: re.sub(r'href="[^"]+"',
                                                   'href="../../../../etc/passwd"', b))
    result = run("graph", "--repo", repo, "app")
    assert_user_error(result, "names a file outside the repository")
    assert "root:" not in result.stderr


@pytest.mark.parametrize("count", ["0", "1000000000", "-5", "lots", "9" * 30])
def test_packages_count_that_lies(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                  count: str) -> None:
    """The packages= attribute is a hint; what counts is the packages really there."""
    repo = copy_repo(mini_repo)
    rewrite(repo, "primary", lambda x: re.sub(rb'packages="\d+"', f'packages="{count}"'.encode(),
                                              x))
    start = time.monotonic()
    result = run("graph", "--repo", repo, "cond", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - start < 10
    check_output("json", result.stdout_bytes)


def test_empty_repository(run: Run, tmp_path: Path) -> None:
    from tests.support.rpmbuild import make_repo

    (tmp_path / "empty").mkdir()
    repo = make_repo(tmp_path / "empty")
    result = run("graph", "--repo", repo, "app")
    assert_user_error(result, "the sources hold no packages")
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.parametrize("what", ["name", "summary"])
def test_megabyte_values(run: Run, mini_repo: Path, copy_repo: CopyRepo, tmp_path: Path,
                         what: str) -> None:
    """A 1 MB name or summary: every format still comes out whole and valid, quickly
    (Graphviz refuses quoted strings over 16 KiB, so DOT joins pieces)."""
    repo = copy_repo(mini_repo)
    huge = "x" * (1 << 20)
    if what == "name":
        rewrite(repo, "primary", lambda x: rename_package(x, "lonely", huge))
    else:
        rewrite(repo, "primary", lambda x: x.replace(b"no dependencies at all", huge.encode()))
    for fmt in ("json", "dot", "graphml", "tree", "svg"):
        start = time.monotonic()
        out = tmp_path / f"cond.{fmt}"
        result = run("graph", "--repo", repo, "cond", "-f", fmt, "-o", out)
        assert result.exit_code == 0, result.stderr
        assert time.monotonic() - start < 30
        data = out.read_bytes()
        check_output(fmt, data)
        # A summary is shown only in tooltips, which DOT and SVG cut (render/dot.py).
        assert huge.encode() in data.replace(b'" + "', b"") or (
            what == "summary" and fmt in ("tree", "dot", "svg"))
