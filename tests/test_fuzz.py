"""Random and mutated input for the TOML reader and the Word importer: never a traceback, never a write."""

from __future__ import annotations

import io
import shutil
import zipfile

from conftest import EXAMPLES, SEED_DOCX
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaltui import store
from evaltui.model import Evaluation
from evaltui.word.commands import import_document
from evaltui.word.read import ImportError_, read_docx

EXAMPLE_TEXT = (EXAMPLES / "信息系统运行维护服务.toml").read_text(encoding="utf-8")
SEED_BYTES = SEED_DOCX.read_bytes()
with zipfile.ZipFile(SEED_DOCX) as _archive:
    SEED_PARTS = {info.filename: _archive.read(info) for info in _archive.infolist()}


def loads_or_refuses(text: str) -> None:
    try:
        result = store.loads(text, "fuzz.toml")
    except store.LoadError as exc:
        assert "\n" not in exc.message
        return
    assert isinstance(result, Evaluation)
    assert store.loads(store.dumps(result)) == result, "what loads also saves and loads back"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_breaks_the_toml_reader(text):
    loads_or_refuses(text)


@st.composite
def mutated(draw, original: str):
    text = original
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "replace", "truncate"]))
        if action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif action == "insert":
            text = text[:at] + draw(st.text(alphabet='=[]"\'\\\n #.,0123456789-+eE年度得分nan inf', max_size=12)) + text[at:]
        elif action == "replace":
            text = text[:at] + draw(st.sampled_from(["score = ", "weight = \"满分\"", "year = 1e9", "[[indicators]]\n",
                                                     "schema_version = 99\n", "direction = \"up\"\n", "\u0000", "\r"])) + text[at + 3:]
        else:
            text = text[:at]
    return text


@settings(max_examples=300, deadline=None)
@given(mutated(EXAMPLE_TEXT))
def test_mutated_evaluations_never_break_the_toml_reader(text):
    loads_or_refuses(text)


def _rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@st.composite
def mutated_docx(draw):
    kind = draw(st.sampled_from(["bytes", "xml"]))
    if kind == "bytes":  # damage the file itself: flipped bytes, cuts
        data = bytearray(SEED_BYTES)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
        return bytes(data)
    xml = SEED_PARTS["word/document.xml"].decode("utf-8")  # damage the text of a well-formed zip
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(xml)))
        xml = xml[:at] + draw(st.sampled_from(["", "<w:tc>", "</w:tr>", "<w:gridSpan w:val=\"99\"/>",
                                               "<w:vMerge/>", "项目名称", "总分", "&amp;", "<"])) + xml[at + draw(st.integers(0, 200)):]
    return _rezip({**SEED_PARTS, "word/document.xml": xml.encode("utf-8")})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_docx())
def test_mutated_documents_never_break_the_importer_or_half_write(tmp_path, data):
    doc = tmp_path / "fuzz.docx"
    doc.write_bytes(data)
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    try:
        written = import_document(doc, out, force=True, taken=set())
    except ImportError_ as exc:
        assert "\n" not in str(exc)
        assert list(out.iterdir()) == [], "a document that cannot be read writes nothing"
        return
    assert sorted(p for p in out.iterdir() if p.name != ".git") == sorted(written), "the saves' versions are in .git"
    for path in written:
        store.load(path)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_random_bytes_are_refused_as_word(tmp_path, data):
    doc = tmp_path / "random.docx"
    doc.write_bytes(data)
    try:
        read_docx(doc)
    except ImportError_:
        return
    raise AssertionError("random bytes were read as a Word document")

