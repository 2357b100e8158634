"""Reading input files the same way in every command: a stack, a trust policy, a base at a git revision.

Only a regular file is opened (a FIFO would block forever, a device could stream without end); a directory, a
symbolic-link loop, a missing file or one that cannot be read is a located problem, and so is text that is not
UTF-8 (with the line and column of the first bad byte). Each is raised as SpecError, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import Location, Problem, SpecError


def read_input(path: str | Path, display: str | None = None) -> str:
    """The text of the regular file `path`, decoded as UTF-8. Raises SpecError for anything else."""
    display = str(path) if display is None else display
    data = read_input_bytes(path, display)
    return decode_input(data, display)


def read_input_bytes(path: str | Path, display: str) -> bytes:
    def refuse(message: str) -> SpecError:
        return SpecError([Problem(Location(display, 0, 0), (), message)])

    try:
        info = os.stat(path)  # follows symbolic links, as opening would
    except FileNotFoundError:
        raise refuse("file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refuse("symbolic link loop; expected a file") from None
        raise refuse(f"cannot read the file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise refuse("is a directory; expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise refuse("not a regular file (a FIFO, socket or device); expected a file")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise refuse(f"cannot read the file: {exc.strerror or exc}") from None


def decode_input(data: bytes, display: str) -> str:
    """`data` as UTF-8 text (a leading byte-order mark is dropped), or SpecError at the first byte that is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise SpecError([Problem(Location(display, line, column), (),
                                 f"not UTF-8: byte 0x{data[start]:02x} cannot be decoded; save the file as UTF-8")]) from None


def is_missing(path: str | Path) -> bool:
    """True when nothing is at `path` (not even a dangling or looping symbolic link)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False
