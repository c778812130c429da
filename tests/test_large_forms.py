"""Large forms: export in memory proportional to the indicators."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile

from conftest import ROOT

# Before the export streamed its rows, 10,000 indicators needed about a gigabyte (the parsed
# table moved into python-docx's tree); streamed it peaks below 100 MB of address space.
EXPORT_10000_UNDER_400_MB = textwrap.dedent("""
    import resource, sys
    limit = 400 * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from pathlib import Path
    from evaltui.model import Evaluation, Indicator
    from evaltui.word.write import write_docx
    indicators = [
        Indicator(level1=f"一级{i // 200}", level2=f"二级{i // 20}", name=f"指标{i}", target="≥1", actual="1",
                  weight="0.01", score="0.01", reason="偏差原因：无。")
        for i in range(10_000)
    ]
    write_docx([Evaluation(name="大表", year=2025, indicators=indicators)], Path(sys.argv[1]))
""")


def test_a_form_of_10000_indicators_exports_within_400_mb(tmp_path):
    out = tmp_path / "big.docx"
    done = subprocess.run([sys.executable, "-c", EXPORT_10000_UNDER_400_MB, str(out)], capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    with zipfile.ZipFile(out) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tr>") == 3 + 5 + 2 + 1 + 10_000 + 1
    assert "指标0<" in xml and "指标9999<" in xml
    assert xml.index("指标0<") < xml.index("指标9999<") < xml.index("<w:sectPr")
