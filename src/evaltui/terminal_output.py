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
"""

from __future__ import annotations

import threading
from typing import IO

WAIT = 0.02  # seconds


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
            super().write(data)
            self._file.handed_one()

        def wait_written(self, timeout: float = WAIT) -> bool:
            return self._file.wait(timeout)

    return FlushingDriver
