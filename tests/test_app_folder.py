"""The folder as the app lists it: files that are not evaluations, names that clash, files
that go away while the app runs."""

from __future__ import annotations

from app_helpers import ONE, folder_with, running


def _line(app, path) -> str:
    return app.sidebar.entries[path].prompt().plain


async def test_an_empty_file_is_listed_as_unreadable_with_the_reason(tmp_path):
    folder = folder_with(tmp_path, ONE)
    empty = folder / "空的.toml"
    empty.write_bytes(b"")
    async with running(folder, (80, 24)) as (app, pilot):
        assert app.load_errors[empty] == "文件是空的"
        assert "无法读取" in _line(app, empty) and "0.00" not in _line(app, empty)
        app.sidebar.select_path(empty)
        app.show(empty)
        await pilot.pause()
        assert "文件是空的" in str(app.query_one("#load-error").render())
