"""Hostile input to the scanner: malformed notebooks and huge texts give a result, never a
traceback or a hang (the hang guard fails a case that takes over 30 s)."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path
from typing import Any

import pytest

import xsk_nb
from xsk_nb.scan import detect

pytestmark = pytest.mark.usefixtures("hang_guard")

MALFORMED: list[Any] = [
    {"cells": "not a list"},
    {"cells": [1, "x", None, {"cell_type": "code", "source": 3, "outputs": "x"}]},
    {"cells": [{"source": ["a", 1], "outputs": [{"output_type": "stream", "text": 5}]}]},
    {"cells": [{"outputs": [{"output_type": "display_data", "data": {"image/png": 1, "x": []},
                             "metadata": "m"}]}]},
    {"cells": [{"attachments": ["a"], "metadata": 5}], "metadata": "not a dict"},
    {"cells": [{"attachments": {"a": "b"}}], "metadata": {"widgets": [1, 2]}},
    {"cells": [{"outputs": [{"output_type": "error", "traceback": "tb", "evalue": None}]}]},
]


@pytest.mark.parametrize("notebook", MALFORMED, ids=[str(i) for i in range(len(MALFORMED))])
def test_a_malformed_notebook_is_read_as_far_as_it_can_be(tmp_path: Path,
                                                          notebook: Any) -> None:
    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = xsk_nb.scan(path, baseline=False)
    assert result.files_scanned == 1 and result.leaks == []


def test_huge_outputs_are_scanned_in_linear_time(tmp_path: Path) -> None:
    k = xsk_nb.create_secret_key(512)["k"]
    blob = base64.b64encode(secrets.token_bytes(3_000_000)).decode()
    notebook = {"cells": [{"cell_type": "code", "source": "x", "metadata": {}, "outputs": [
        {"output_type": "display_data", "metadata": {},
         "data": {"text/html": f"<div>{'a' * 400_000}</div><pre>{blob}</pre>",
                  "text/plain": repr({"kty": "oct", "k": k})}}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "big.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = xsk_nb.scan(path, baseline=False)
    assert [f.where for f in result.leaks] == ["cell 1, output 1 (text/plain)"]


def test_many_hits_in_one_text_stay_fast() -> None:
    text = "".join(f'key = "{xsk_nb.create_secret_key(512)["k"]}"\n' for _ in range(5_000))
    assert len(detect.find(text)) == 5_000
