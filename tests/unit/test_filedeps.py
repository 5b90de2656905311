"""The scan of primary.xml for path dependencies only the file lists may satisfy."""

from __future__ import annotations

import pytest

from rpmgraph.sources.filedeps import in_primary, outside_primary


@pytest.mark.parametrize("path, listed", [
    (b"/etc/passwd", True), (b"/usr/bin/ls", True), (b"/usr/sbin/useradd", True),
    (b"/bin/sh", True), (b"/opt/tool/bin/run", True), (b"/usr/lib/sendmail", True),
    (b"/usr/share/thing/data", False), (b"/usr/libexec/platform-python", False),
    (b"/etcetera/file", False), (b"/usr/lib/sendmail.d", False),
])
def test_createrepos_rule_for_primary_files(path: bytes, listed: bool) -> None:
    assert in_primary(path) is listed


def _primary(*entries: bytes) -> bytes:
    body = b"".join(b'<rpm:entry name="%s"/>' % e for e in entries)
    return b"<metadata><package><format><rpm:requires>%s</rpm:requires></format>" \
           b"</package></metadata>" % body


def test_only_a_path_outside_primary_needs_the_file_lists() -> None:
    assert not outside_primary(_primary(b"/bin/sh", b"/etc/x", b"libc.so.6", b"(a or /b)"))
    assert outside_primary(_primary(b"/bin/sh", b"/usr/share/thing/data"))
    assert outside_primary(_primary(b"/usr/share/a&amp;b"))  # (not decoded: counted)
    assert not outside_primary(b"")
