"""Reading input files: one clear error for anything that is not UTF-8 text."""
from __future__ import annotations

import os
import stat

# A Dockerfile, compose file or ignore file bigger than this is not hand-written config.
MAX_BYTES = 16 * 1024 * 1024


class InputError(Exception):
    """A file that cannot be read or parsed; ``str(exc)`` is the reason, ``line`` 1-based."""

    def __init__(self, reason: str, line: int = 1, col: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.col = col


# What a run derives from the files and folders it reads beyond their parses (the texts of
# compose files beside a Dockerfile, folder listings, a repository's file list, indexes over
# them): emptied at the start of each run (a folder may have changed since) and together with
# the parses (``_hook._PARSED``), which a test that rewrites files clears.
RUN_CACHES: list[dict] = []  # type: ignore[type-arg]


def forget_run() -> None:
    """Empty every cache in :data:`RUN_CACHES`."""
    for cache in RUN_CACHES:
        cache.clear()


class RunCache(dict):  # type: ignore[type-arg]
    """A dict whose ``clear()`` empties every cache in :data:`RUN_CACHES` too."""

    def clear(self) -> None:
        super().clear()
        forget_run()


def decode(data: bytes) -> str:
    """Decode UTF-8 (BOM stripped, CRLF/CR turned into LF) or raise InputError."""
    if data.startswith(b'\xef\xbb\xbf'):
        data = data[3:]
    elif data[:2] in (b'\xff\xfe', b'\xfe\xff'):
        raise InputError('is UTF-16 text; save it as UTF-8')
    if b'\x00' in data:
        line = data.count(b'\n', 0, data.index(b'\x00')) + 1
        raise InputError('contains NUL bytes: a binary file, not text', line)
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as exc:
        line = data.count(b'\n', 0, exc.start) + 1
        raise InputError(
            f'is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})', line,
        ) from None
    if '\r' in text:
        text = text.replace('\r\n', '\n').replace('\r', '\n')
    return text


def read_text(path: str) -> str:
    """Read ``path`` as UTF-8 text; raise InputError with a clear reason otherwise."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise InputError('is a directory, not a file')
        if not stat.S_ISREG(mode):
            # a FIFO would block the open, /dev/zero would never end
            raise InputError('is not a regular file (a device, FIFO or socket)')
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise InputError(f'is {size} bytes, over the {MAX_BYTES} byte limit for a config file')
        with open(path, 'rb') as f:
            data = f.read(MAX_BYTES + 1)  # the file may grow while we read it
        if len(data) > MAX_BYTES:
            raise InputError(f'is over the {MAX_BYTES} byte limit for a config file')
    except IsADirectoryError:
        raise InputError('is a directory, not a file') from None
    except OSError as exc:
        raise InputError(f'cannot be read ({exc.strerror or exc})') from None
    return decode(data)
