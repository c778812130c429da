"""Names in the order Chinese readers look them up: by pinyin, then tone, then the text itself.

``sorted(names, key=pinyin_key)`` puts 北京 before 上海 before 重庆 (chóng, not zhòng), where
code points would not. Digits sort as numbers (第2期 before 第10期) and before letters; letters
ignore case. pypinyin is imported on first use; keys are cached, since a sidebar re-sorts the
same names often.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NOT_CHINESE = "\x00"  # marks a segment pypinyin left as it was
_PARTS = re.compile(r"\d+|[^\d\s]+")
_SYLLABLE = re.compile(r"([a-zü]+)([1-5])")

Unit = tuple[int, int | str, str]


def _other(text: str) -> list[Unit]:
    units: list[Unit] = []
    for part in _PARTS.findall(text):
        if part.isdigit():
            units.append((0, int(part), ""))
        else:
            units.extend((1, ch, "") for ch in part.casefold())
    return units


@lru_cache(maxsize=65536)
def pinyin_key(text: str) -> tuple[tuple[Unit, ...], tuple[str, ...], str]:
    """A sort key: the syllables without tones, then the tones, then the text (a stable tie-break)."""
    from pypinyin import Style, lazy_pinyin

    segments = lazy_pinyin(
        text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: _NOT_CHINESE + s, v_to_u=True
    )
    units: list[Unit] = []
    tones: list[str] = []
    for segment in segments:
        if segment.startswith(_NOT_CHINESE):
            units.extend(_other(segment[1:]))
            continue
        found = _SYLLABLE.fullmatch(segment)
        if found is None:  # pypinyin gave something unexpected: sort it as plain text
            units.extend(_other(segment))
            continue
        units.append((2, found.group(1), ""))
        tones.append(found.group(2))
    return tuple(units), tuple(tones), text
