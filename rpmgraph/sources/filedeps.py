"""Whether primary.xml names a file dependency that only the file lists can satisfy.

createrepo_c (as createrepo before it) lists in primary.xml every file of a package
under ``/etc/``, with ``bin/`` in its path, or ``/usr/lib/sendmail``: a dependency on
such a path finds each of its owners in primary. A dependency on any other path may
need the file lists, and a cold run that finds one in the XML reads them at once,
without first asking libsolv which file dependencies primary leaves unsatisfied.
A run that finds none asks libsolv (pool.py): the scan only ever saves that question.
"""

from __future__ import annotations

import mmap
import re

# A dependency's name in primary.xml, when it is a path (provides too: a path provided
# by name may also be a file of another package, which only the file lists show).
_FILE_DEP = re.compile(rb'<rpm:entry name="(/[^"]*)"')


def outside_primary(xml: bytes | mmap.mmap) -> bool:
    """Whether the XML names a path dependency that createrepo does not put in primary
    (an escaped character in it counts as one: the scan does not decode XML)."""
    seen: set[bytes] = set()
    for found in _FILE_DEP.finditer(xml):
        path = found[1]
        if path not in seen:
            seen.add(path)
            if not in_primary(path):
                return True
    return False


def in_primary(path: bytes) -> bool:
    """createrepo_c's rule for the files primary.xml lists."""
    return path.startswith(b"/etc/") or path == b"/usr/lib/sendmail" or b"bin/" in path
