"""Folder settings: the ``evaltui.toml`` that selects a region's scoring rules (docs/interfaces.md).

```toml
[rules]
execution_weight = 10      # 10 or 20: points of the execution rate
lower = "deviation"        # ≤ targets: "deviation" or "ratio" (w × A / B)
qualitative = [80, 60]     # lower bounds, % of the weight, of 达成 and 部分达成
grades = [90, 80, 60]      # lower bounds of 优, 良, 中
```

An evaluation is scored by the nearest ``evaltui.toml`` above it within the folder it was
found in (a file named on its own: its own folder); without one, by the national rules. A
setting that is unknown, out of range or of the wrong type is a :class:`SettingsError`
naming the file and the key, and nothing under that file is scored. No Textual here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from evaltui import files
from evaltui.numbers import plain
from evaltui.rules import LOWER_RULES, NATIONAL, Rules
from evaltui.visible import visible

SETTINGS_NAME = files.SETTINGS_NAME
KEYS = ("execution_weight", "lower", "qualitative", "grades")
EXECUTION_WEIGHTS = (Decimal(10), Decimal(20))


class SettingsError(Exception):
    """A settings file that cannot be used; ``message`` is one line in Chinese naming the key."""

    def __init__(self, path: Path | str, message: str):
        message = visible(message)  # the keys and values it quotes come from the file
        super().__init__(message)
        self.path = Path(path)
        self.message = message

    def __str__(self) -> str:
        return f"{visible(self.path)}: {self.message}"

    def unscored(self) -> str:
        """What an evaluation under this file is told: it was not scored, and why."""
        return f"评分规则设置 {visible(self.path)} 有误，未评分"


# ---------------------------------------------------------------- reading one file

def _shown(value: object) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "表格"
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _percents(key: str, value: object, count: int, names: str) -> tuple[Decimal, ...]:
    """A list of ``count`` numbers from 0 to 100, each below the one before."""
    wanted = f"[rules] {key} 应为 {count} 个从大到小、0 到 100 之间的数（{names}）"
    if not isinstance(value, list) or len(value) != count or not all(_is_number(v) for v in value):
        raise ValueError(f"{wanted}，现为 {_shown(value)}")
    numbers = tuple(Decimal(v) for v in value)
    if any(not Decimal(0) <= n <= Decimal(100) for n in numbers) or any(
        a <= b for a, b in zip(numbers, numbers[1:])
    ):
        raise ValueError(f"{wanted}，现为 {_shown(value)}")
    return numbers


def _rules_from(data: dict, source: str) -> Rules:
    for key in data:
        if key != "rules":
            raise ValueError(f"不认识的项 {key}（只能有 [rules]）")
    table = data.get("rules", {})
    if not isinstance(table, dict):
        raise ValueError(f"rules 应为表格 [rules]，现为 {_shown(table)}")
    for key in table:
        if key not in KEYS:
            raise ValueError(f"[rules] 中不认识的项 {key}（可用：{'、'.join(KEYS)}）")
    values: dict[str, object] = {}
    if "execution_weight" in table:
        weight = table["execution_weight"]
        if not _is_number(weight) or Decimal(weight) not in EXECUTION_WEIGHTS:
            raise ValueError(f"[rules] execution_weight 应为 10 或 20，现为 {_shown(weight)}")
        values["execution_weight"] = Decimal(weight)
    if "lower" in table:
        lower = table["lower"]
        if not isinstance(lower, str) or lower not in LOWER_RULES:
            raise ValueError(
                f"[rules] lower 应为 \"deviation\"（按偏差）或 \"ratio\"（按比例 w × A ÷ B），现为 {_shown(lower)}"
            )
        values["lower"] = lower
    if "qualitative" in table:
        values["qualitative"] = _percents("qualitative", table["qualitative"], 2, "达成、部分达成的下限，分值的 %")
    if "grades" in table:
        values["grades"] = _percents("grades", table["grades"], 3, "优、良、中的下限")
    return Rules(**values, source=source)


def loads(text: str, path: Path | str) -> Rules:
    """The rules a settings text sets; SettingsError naming the file and the key when it cannot be used."""
    import tomli  # here, so that opening the app does not wait for it

    try:
        data = tomli.loads(text, parse_float=Decimal)
    except tomli.TOMLDecodeError as exc:
        reason = getattr(exc, "msg", str(exc))
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        where = f"第 {line} 行第 {column} 列：" if line else ""
        raise SettingsError(path, f"评分规则设置有误：{where}TOML 格式错误（{reason}）") from None
    try:
        return _rules_from(data, str(path))
    except ValueError as exc:
        raise SettingsError(path, f"评分规则设置有误：{exc}") from None


def read(path: Path | str) -> Rules:
    """Read one ``evaltui.toml``."""
    from evaltui import store  # its careful file reading: size limit, UTF-8, one-line reasons

    try:
        text = store.read_text(Path(path))
    except store.LoadError as exc:
        raise SettingsError(path, f"评分规则设置无法读取：{exc.message}") from None
    return loads(text, path)


# ---------------------------------------------------------------- which file rules which evaluation

@dataclass
class Finder:
    """The rules of evaluations under one folder; each settings file is read once.

    ``root`` is the folder given (for a file named on its own: its folder). The nearest
    ``evaltui.toml`` from the evaluation's folder up to ``root`` rules it.
    """

    root: Path
    _by_folder: dict[Path, Rules | SettingsError] = field(default_factory=dict)
    _settings_of: dict[Path, Path | None] = field(default_factory=dict)  # a folder's settings file (None: national)
    _read_as: dict[Path, tuple[tuple[int, int] | None, Rules | SettingsError]] = field(default_factory=dict)  # a settings file as it was when read, and what it said

    def settings_file(self, evaluation: Path) -> Path | None:
        """The ``evaltui.toml`` that rules an evaluation, or None (national rules)."""
        folder = evaluation.parent
        while True:
            candidate = folder / SETTINGS_NAME
            if candidate.is_file():
                return candidate
            if folder == self.root or folder == folder.parent or not _within(folder, self.root):
                return None
            folder = folder.parent

    def rules_for(self, evaluation: Path) -> Rules | SettingsError:
        """The rules for an evaluation, or the SettingsError that keeps it from being scored.
        A settings file that could not be used is read again once it has changed: it may have
        been fixed (the app reads the evaluation again when its own file changes)."""
        folder = evaluation.parent
        known = self._by_folder.get(folder)
        if known is None or (isinstance(known, SettingsError) and self._changed(known.path)):
            settings = self.settings_file(evaluation)
            self._settings_of[folder] = settings
            self._by_folder[folder] = NATIONAL if settings is None else self._read(settings)
        return self._by_folder[folder]

    def changed_folders(self) -> set[Path]:
        """Folders whose evaluations are ruled otherwise now: their settings file was created,
        changed, fixed or removed since it was read. They are forgotten, so the next
        :meth:`rules_for` reads the settings again; the caller reads their evaluations again."""
        changed = set()
        for folder, settings in list(self._settings_of.items()):
            now = self.settings_file(folder / SETTINGS_NAME)
            if now != settings or (now is not None and self._changed(now)):
                changed.add(folder)
        for folder in changed:
            self._settings_of.pop(folder, None)
            self._by_folder.pop(folder, None)
        return changed

    def _changed(self, settings: Path) -> bool:
        """Whether ``settings`` is not as it was when read (or was never read)."""
        known = self._read_as.get(settings)
        return known is None or _stamp(settings) != known[0]

    def _read(self, settings: Path) -> Rules | SettingsError:
        """One settings file is read once for all the folders it rules, and again once it has changed."""
        stamp = _stamp(settings)
        known = self._read_as.get(settings)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            result: Rules | SettingsError = read(settings)
        except SettingsError as exc:
            result = exc
        self._read_as[settings] = (stamp, result)
        return result


def _stamp(path: Path) -> tuple[int, int] | None:
    """What a file was when read (modified, size); None when it cannot be looked at."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _within(folder: Path, root: Path) -> bool:
    try:
        folder.relative_to(root)
    except ValueError:
        return False
    return True


def root_of(given: Path | str) -> Path:
    """The folder whose settings count for a path given on the command line or to the app."""
    path = Path(given)
    return path if path.is_dir() else path.parent


def rules_for_file(path: Path | str, root: Path | str | None = None) -> Rules | SettingsError:
    """The rules for one evaluation file found under ``root`` (default: its own folder)."""
    path = Path(path)
    return Finder(Path(root) if root is not None else path.parent).rules_for(path)


def find(paths: Iterable[Path | str]) -> Iterator[tuple[Path, Rules | SettingsError]]:
    """Every evaluation file named or below a named folder (as :func:`files.find`), with its rules.

    Each item is the file and the :class:`Rules` that score it, or the :class:`SettingsError`
    that keeps it from being scored (report the error once, the file as not scored).
    """
    for given in paths:
        finder = Finder(root_of(given))
        for path in files.find([given]):
            yield path, finder.rules_for(path)


def errors_of(found: Iterable[tuple[Path, Rules | SettingsError]]) -> list[SettingsError]:
    """The distinct settings errors among ``find``'s results, in the order met: one line each."""
    seen: dict[Path, SettingsError] = {}
    for _, rules in found:
        if isinstance(rules, SettingsError) and rules.path not in seen:
            seen[rules.path] = rules
    return list(seen.values())
