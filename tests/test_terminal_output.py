"""terminal_output: the app can wait until the writer thread has put a frame out."""

import io
import threading
import time
from contextlib import contextmanager

from textual.drivers._writer_thread import WriterThread
from textual.drivers.headless_driver import HeadlessDriver
from textual.drivers.linux_driver import LinuxDriver

from evaltui.terminal_output import FlushedFile, frames_flushed


class SlowFile(io.StringIO):
    """A terminal that takes ``delay`` seconds to take each write."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    def write(self, text: str) -> int:
        time.sleep(self.delay)
        return super().write(text)


@contextmanager
def writing(file: FlushedFile, *frames: str):
    """Textual's own writer thread, as the Linux driver starts it, handed ``frames`` by the app."""
    writer = WriterThread(file)
    writer.start()
    try:
        for frame in frames:
            writer.write(frame)
            file.handed_one()
        yield
    finally:
        writer.stop()


def test_wait_returns_once_the_frame_is_written_and_flushed():
    file = FlushedFile(SlowFile(0.05))
    with writing(file, "frame 1"):
        start = time.perf_counter()
        assert file.wait(timeout=5)
        assert time.perf_counter() - start >= 0.04  # it waited for the slow write
        assert file._file.getvalue() == "frame 1"
        assert file.written == file.flushed == 1


def test_wait_gives_up_after_its_timeout_on_a_terminal_that_does_not_drain():
    file = FlushedFile(SlowFile(0.5))
    with writing(file, "frame"):
        start = time.perf_counter()
        assert not file.wait(timeout=0.02)
        assert time.perf_counter() - start < 0.4


def test_wait_covers_every_frame_handed_before_it():
    file = FlushedFile(io.StringIO())
    gate = threading.Event()
    original = file._file.write
    file._file.write = lambda text: (gate.wait(5), original(text))[1]
    threading.Timer(0.05, gate.set).start()  # the terminal takes the frames only then
    with writing(file, "<0>", "<1>", "<2>"):
        assert file.wait(timeout=5)
        assert file._file.getvalue() == "<0><1><2>"


def test_nothing_handed_over_means_nothing_to_wait_for():
    assert FlushedFile(io.StringIO()).wait(timeout=0)


def test_only_the_linux_driver_is_changed():
    assert frames_flushed(HeadlessDriver) is HeadlessDriver
    flushing = frames_flushed(LinuxDriver)
    assert issubclass(flushing, LinuxDriver) and hasattr(flushing, "wait_written")
