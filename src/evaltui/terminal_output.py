"""A key's frame reaches the terminal before the app goes on with what the key left for later.

Textual hands each frame to a writer thread (``textual.drivers._writer_thread``) and goes on.
After a key the app paints what the key changed at once (screens/keys.py,
``KeyRouter._paint_now``) and then does what it left for after that paint: the evaluation under
the file list's cursor, the status panel, the editor line taken away — up to tens of
milliseconds. On a busy machine the writer thread got no core until that work was done: in the
app, a grid move's frame was written 5 ms after it was handed over, a sidebar key's later still.

:meth:`wait_written` waits, without holding the interpreter lock, until the writer thread has
written and flushed every frame handed to it: a fraction of a millisecond on a free machine.
It waits at most :data:`WAIT` seconds (a terminal that does not drain, such as a stalled SSH
link), and then the app goes on as before.

Better still, a small frame is written by the app's own thread, at once, when the writer thread
has nothing in hand (so frames keep their order) and the terminal can take it without waiting.
Handing it over meant waking the writer thread, and on a busy machine that thread waited for a
core while the app's thread, which had one, waited for it.
"""

from __future__ import annotations

import select
import threading
from typing import IO

WAIT = 0.02  # seconds
# At most this many characters are written on the app's thread. A terminal that can be written
# to without waiting has room for far more: the kernel says so only while under 256 bytes of
# its buffer (4 KB or more) are pending. A larger frame goes through the writer thread.
DIRECT_MOST = 1024


class FlushedFile:
    """The terminal's file as the writer thread uses it, counting the frames written and flushed."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.changed = threading.Condition()
        self.handed = 0  # frames handed to the writer thread
        self.written = 0  # frames the writer thread has written
        self.flushed = 0  # of those, flushed

    def write(self, text: str) -> int:
        count = self._file.write(text)
        self.written += 1
        return count

    def flush(self) -> None:
        self._file.flush()
        with self.changed:
            self.flushed = self.written
            self.changed.notify_all()

    def handed_one(self) -> None:
        """A frame was handed to the writer thread (called by the app's thread)."""
        with self.changed:
            self.handed += 1

    def write_now(self, text: str) -> bool:
        """Write and flush ``text`` on the calling thread, when nothing handed to the writer
        thread is still unflushed and the terminal takes it without waiting. False: nothing
        was written (hand it over)."""
        if len(text) > DIRECT_MOST:
            return False
        with self.changed:
            if self.flushed < self.handed:
                return False  # a frame before this one is still on its way
            try:
                _, ready, _ = select.select([], [self._file], [], 0)
            except (OSError, ValueError):  # no file descriptor to ask
                return False
            if not ready:
                return False
            self._file.write(text)
            self._file.flush()
        return True

    def wait(self, timeout: float = WAIT) -> bool:
        """Wait until every frame handed over so far is written and flushed; False after ``timeout``."""
        with self.changed:
            target = self.handed
            return self.changed.wait_for(lambda: self.flushed >= target, timeout)

    def __getattr__(self, name: str):
        return getattr(self._file, name)


def frames_flushed(driver_class: type) -> type:
    """``driver_class`` (Textual's Linux driver) with :meth:`wait_written`; another driver as it is."""
    from textual.drivers.linux_driver import LinuxDriver

    if not issubclass(driver_class, LinuxDriver):
        return driver_class

    class FlushingDriver(driver_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._file = FlushedFile(self._file)  # what start_application_mode gives the writer thread

        def write(self, data: str) -> None:
            if self._writer_thread is not None and self._file.write_now(data):
                return
            super().write(data)
            self._file.handed_one()

        def wait_written(self, timeout: float = WAIT) -> bool:
            return self._file.wait(timeout)

    return FlushingDriver
