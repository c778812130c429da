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


@contextmanager
def terminal():
    """A terminal's file as the app writes to it (the write end of a pipe), and its other end."""
    import os

    read_fd, write_fd = os.pipe()
    with open(write_fd, "w", encoding="utf-8") as file, open(read_fd, "rb", buffering=0) as other_end:
        yield file, other_end


def test_a_small_frame_is_written_at_once_when_the_writer_thread_has_nothing_in_hand():
    with terminal() as (file, other_end):
        flushed = FlushedFile(file)
        assert flushed.write_now("frame")
        assert other_end.read(100) == b"frame"  # flushed, on the calling thread
        assert flushed.wait(timeout=0)  # nothing was handed over: nothing to wait for


def test_a_frame_waits_its_turn_behind_one_still_on_its_way():
    with terminal() as (file, other_end):
        flushed = FlushedFile(file)
        flushed.handed_one()  # handed to the writer thread, not yet written
        assert not flushed.write_now("second")
        flushed.write("first")
        flushed.flush()
        assert flushed.write_now("second")
        assert other_end.read(100) == b"firstsecond"


def test_a_large_frame_or_a_terminal_that_cannot_take_it_now_goes_to_the_writer_thread():
    import select

    with terminal() as (file, other_end):
        flushed = FlushedFile(file)
        assert not flushed.write_now("x" * 5000)
        file.buffer.raw.write(b"x")  # fill the pipe until the kernel says it cannot take more now
        while select.select([], [file], [], 0)[1]:
            file.buffer.raw.write(b"x" * 512)
        assert not flushed.write_now("frame")
        assert flushed.written == 0


def test_a_file_with_no_descriptor_goes_to_the_writer_thread():
    assert not FlushedFile(io.StringIO()).write_now("frame")
