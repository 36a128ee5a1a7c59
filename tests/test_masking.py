"""xsk_nb.masking: what is shown instead of a key, and every wording about it, per view."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xsk_nb import masking
from xsk_nb.contract import VIEWS

K = "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g"


def test_a_masked_key_shows_its_length_and_label_and_no_key_character() -> None:
    shown = masking.masked(K)
    assert shown == f"‹hidden: 86 chars, key {masking.key_label(K)}›"
    pieces = {K[i : i + 4] for i in range(len(K) - 3)}
    assert not any(piece in shown for piece in pieces)


def test_the_label_is_stable_in_a_process_and_differs_between_keys() -> None:
    label = masking.key_label(K)
    assert label == masking.key_label(K) and len(label) == masking.LABEL_HEX_DIGITS
    assert int(label, 16) >= 0 and masking.key_label(K[::-1]) != label


def test_the_label_cannot_be_checked_against_a_guess_in_another_process() -> None:
    # The salt is drawn per process: the same key gets another label in a new process (the
    # chance that two 24-bit labels agree by accident is 2**-24, about 6e-8).
    code = f"from xsk_nb import masking; print(masking.key_label({K!r}))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert other.returncode == 0 and other.stdout.strip() != masking.key_label(K)


def test_every_view_has_its_wordings() -> None:
    assert tuple(masking.REVEAL_WARNINGS) == VIEWS
    assert tuple(masking.MASK_NOTES) == VIEWS
    assert set(masking.REVEAL_LABELS) <= set(VIEWS)
    assert masking.VIEWS is VIEWS  # listed once, in xsk_nb.contract


@pytest.mark.parametrize("view", ["lab", "", None, K])
def test_check_view_refuses_without_echo(view: object) -> None:
    with pytest.raises(ValueError) as error:
        masking.check_view(view)
    assert str(error.value) == 'view must be "notebook", "app" or "terminal"'


def test_current_view_reads_the_override_then_voila_then_ipython(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("VOILA_PREHEAT", "VOILA_KERNEL_ID", masking.VIEW_ENVIRONMENT_VARIABLE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setitem(sys.modules, "IPython", None)  # no IPython loaded: a terminal
    assert masking.current_view() == masking.TERMINAL
    monkeypatch.setenv("VOILA_KERNEL_ID", "1")
    assert masking.current_view() == masking.APP
    monkeypatch.setenv(masking.VIEW_ENVIRONMENT_VARIABLE, " Notebook ")
    assert masking.current_view() == masking.NOTEBOOK
    monkeypatch.setenv(masking.VIEW_ENVIRONMENT_VARIABLE, "bogus")  # ignored, not an error
    assert masking.current_view() == masking.APP


def test_every_placeholder_is_bracketed_so_it_cannot_be_read_as_html() -> None:
    names = [n for n in vars(masking) if n.startswith(("PLACEHOLDER_", "NOT_SHOWN_"))]
    assert len(names) >= 10
    for name in names:
        value = getattr(masking, name)
        assert value.startswith("‹") and value.endswith("›") and "<" not in value, name


def test_the_terminal_note_is_true_on_the_command_line_and_in_a_plain_python_session() -> None:
    # A plain `python` session shows the TERMINAL view too (no IPython): the note names the
    # way to reveal in each place, not the command line's alone.
    from xsk_nb.masking import MASK_NOTE_TERMINAL, MASK_NOTES, TERMINAL

    assert MASK_NOTES[TERMINAL] == MASK_NOTE_TERMINAL
    assert "xsk-nb --reveal" in MASK_NOTE_TERMINAL and "report.reveal()" in MASK_NOTE_TERMINAL
