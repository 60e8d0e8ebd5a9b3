"""What is wrong with the cache's place, said plainly (issue 17, class 10).

The OS's own words were misleading: "File exists" when the cache folder is a file (mkdir of a
path that exists as a file), "Is a directory" (and every run failing) when a folder stands where
the cache file should be, "Not a directory" when a file stands higher up the path.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def not_a_file(path: Path) -> str | None:
    """Why `path` (where the cache file goes) cannot be it, when something other than a regular
    file (or a link to one) is there; None when it is a file or absent."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # absent, or a problem higher up, which creating it will tell
    for test, kind in _KINDS:
        if test(mode):
            return f"is {kind}, not a cache file (remove it, or set HARNESS_CACHE_DIR to another folder)"
    return None


def folder_problem(path: Path, exc: OSError) -> str:
    """What `exc`, raised while making `path`'s folder or opening it, means for the user."""
    folder = path.parent
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if os.path.lexists(existing) and not os.path.isdir(existing):
        what = "the cache folder" if existing == folder else f"a part of the cache folder's path ({folder})"
        return f"{existing} is a file, not a folder: it is {what}"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"no permission to write in {existing}"
    if exc.errno == errno.EROFS:
        return f"{existing} is on a read-only file system"
    return exc.strerror or str(exc)
