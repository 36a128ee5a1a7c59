"""Write a file that holds a key: private (0600), atomic, locked, and never through a symlink.

One home for the rules every key file follows (the dotenv writer and the JWKS key sets use it):

- the path must be absent or a regular file: a folder, a device node (``/dev/null``), a FIFO or
  a socket is refused, checked with ``lstat`` and again with ``fstat`` on a non-blocking
  descriptor, so a FIFO never blocks;
- a symlink is refused, wherever it points (even nowhere): replacing it would either write
  through to a file elsewhere or silently turn the link into a file;
- an existing file must already be private (no group or other permission bits), owned by the
  current user, writable by its owner and have one hard link: this module never changes a
  file's permissions or owner behind the user's back, it refuses with a sentence instead;
- the new contents go to a temporary file in the same folder (mode 0600 from the start),
  which is flushed, fsync'ed and moved over the target with ``os.replace``; an error on the
  way (disk full, folder not writable) removes the temporary file and leaves the old one as it
  was, so nothing is ever half-written;
- concurrent writers (threads or processes) of the same folder take turns on an exclusive
  ``flock`` of the folder, so every read-modify-write sees the previous one's result.

Written by hand because no well-kept library does all of it: python-dotenv's ``set_key``
rewrites in place without a lock and follows the file's type, and ``atomicwrites`` is
unmaintained. Every refusal and every environment error is a ``ValueError`` with one sentence.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

#: A key file larger than this is refused when read (a .env or a JWKS file is a few KiB).
MAX_BYTES = 1 << 20
PRIVATE_MODE = 0o600

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "the path is too long",
    errno.ELOOP: "the path has too many symlinks",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENOENT: "the folder does not exist",
    errno.EIO: "an input/output error occurred",
}


def os_error_sentence(error: OSError) -> str:
    """A short reason for an OS error, without the path or anything else it carries."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    return os.strerror(error.errno).lower() if error.errno else "an operating system error"


def as_path(path: object, what: str) -> Path:
    """``path`` as a ``Path`` (``~`` expanded), or a ``ValueError`` naming what is allowed."""
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"{what} must be a path (a str or os.PathLike), such as .env")
    text = os.fspath(path)
    if not isinstance(text, str) or not text:
        raise ValueError(f"{what} must be a non-empty path, such as .env")
    if "\0" in text:
        raise ValueError(f"{what} holds a NUL character, which no path may hold")
    return Path(text).expanduser()


def check_private_target(
    path: Path, what: str, *, for_writing: bool = True
) -> os.stat_result | None:
    """Check that ``path`` may be (re)written as a private key file; return its lstat or None.

    Nothing is opened, so a FIFO or a device cannot block or be touched. With
    ``for_writing=False`` (reading a key file) only the kind of file is checked: a symlink, a
    folder, a device, a FIFO or a socket is refused, any owner and mode are accepted.
    """
    folder = path.parent
    try:
        folder_stat = os.stat(folder)  # a symlinked folder (such as /tmp on macOS) is fine
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            raise ValueError(f"{what}'s folder {str(folder)!r} does not exist") from None
        raise ValueError(f"cannot use {what} {str(path)!r}: {os_error_sentence(error)}") from None
    if not stat.S_ISDIR(folder_stat.st_mode):
        raise ValueError(f"{what}'s folder {str(folder)!r} is not a folder")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ValueError(f"cannot use {what} {str(path)!r}: {os_error_sentence(error)}") from None
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise ValueError(
            f"{what} {str(path)!r} is a symlink; key files are never read or written through a "
            "symlink, give the real file's path"
        )
    if stat.S_ISDIR(mode):
        raise ValueError(f"{what} {str(path)!r} is a folder; give a file's path")
    if not stat.S_ISREG(mode):
        raise ValueError(
            f"{what} {str(path)!r} is {_kind(mode)}, not a regular file; give a regular file's path"
        )
    if not for_writing:
        return info
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise ValueError(
            f"{what} {str(path)!r} belongs to another user; replacing it would change its owner"
        )
    if stat.S_IMODE(mode) & 0o077:
        raise ValueError(
            f"{what} {str(path)!r} has mode {stat.S_IMODE(mode):o}, so other users can read it; "
            f"run chmod 600 on it first (xsk-nb does not change a file's permissions for you)"
        )
    if not stat.S_IMODE(mode) & stat.S_IWUSR:
        raise ValueError(
            f"{what} {str(path)!r} is read-only (mode {stat.S_IMODE(mode):o}); run chmod 600 on "
            "it first if it should receive a key"
        )
    if info.st_nlink > 1:
        raise ValueError(
            f"{what} {str(path)!r} has other hard links, which would keep the old contents; "
            "give a file with a single link"
        )
    return info


def readable_output_warning(stream: object) -> str | None:
    """A warning when ``stream`` (stdout printing a key) is a regular file others can read,
    as ``xsk-nb --jwk > key.jwk`` under the usual umask 022 makes (mode 644); else None.
    ``wg genkey``'s manual gives the same advice: ``umask 077`` first."""
    try:
        info = os.fstat(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or not stat.S_IMODE(info.st_mode) & 0o077:
        return None
    return (
        f"xsk-nb: warning: the key goes into a file with mode {stat.S_IMODE(info.st_mode):o}, "
        "which other users can read; run chmod 600 on it now, and umask 077 before the next one"
    )


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_private_text(path: Path, what: str) -> str | None:
    """The UTF-8 text of the regular file ``path``, or None when it is absent.

    Opened without following a symlink and without blocking (a FIFO swapped in after the
    checks is refused by ``fstat``, never read).
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ValueError(
                f"{what} {str(path)!r} is a symlink; key files are never read or written through "
                "a symlink, give the real file's path"
            ) from None
        raise ValueError(f"cannot read {what} {str(path)!r}: {os_error_sentence(error)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{what} {str(path)!r} is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > MAX_BYTES:
            raise ValueError(
                f"{what} {str(path)!r} is larger than {MAX_BYTES // 1024} KiB; a key file is "
                "expected to be small"
            )
        chunks = []
        size = 0
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                raise ValueError(
                    f"{what} {str(path)!r} is larger than {MAX_BYTES // 1024} KiB; a key file is "
                    "expected to be small"
                )
    except OSError as error:
        raise ValueError(f"cannot read {what} {str(path)!r}: {os_error_sentence(error)}") from None
    finally:
        os.close(fd)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{what} {str(path)!r} is not UTF-8 text") from None


@contextmanager
def folder_lock(folder: Path, what: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` (no lock file is left behind).

    flock locks belong to an open file description, so two threads of one process exclude each
    other as two processes do. Where ``fcntl`` or its ``flock`` does not exist (Windows; Pyodide
    in the browser-only site, one process per tab) there is no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    if not hasattr(fcntl, "flock"):  # Pyodide's fcntl has no flock
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        raise ValueError(
            f"cannot lock {what}'s folder {str(folder)!r}: {os_error_sentence(error)}"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def replace_private(path: Path, text: str, what: str) -> None:
    """Atomically make ``path`` a 0600 regular file holding ``text`` (UTF-8).

    On any error the temporary file is removed and ``path`` is left as it was.
    """
    data = text.encode("utf-8")
    folder = path.parent
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise ValueError(
            f"cannot write {what} {str(path)!r}: {os_error_sentence(error)}; nothing was changed"
        ) from None
    try:
        try:
            os.fchmod(fd, PRIVATE_MODE)  # mkstemp already uses 0600; say so explicitly
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as error:
        with suppress(OSError):
            os.unlink(temp)
        raise ValueError(
            f"cannot write {what} {str(path)!r}: {os_error_sentence(error)}; nothing was changed"
        ) from None
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; not every platform can open a folder, which is harmless."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def update_private_file(path: object, what: str, build: Callable[[str | None], str]) -> Path:
    """Lock the folder, check and read ``path``, and replace it with ``build(old_text)``.

    ``build`` receives the current text (None when the file is absent) and may raise
    ``ValueError`` to refuse; then nothing is written. Returns the path written.
    """
    target = as_path(path, what)
    check_private_target(target, what)  # before the lock: a clear sentence for a bad folder
    with folder_lock(target.parent, what):
        check_private_target(target, what)  # again, under the lock
        old = read_private_text(target, what)
        replace_private(target, build(old), what)
    return target
