"""The teaching notebooks: their shape, their saved outputs, and no key in anything they save.

Two versions of each lesson, validated differently. The solutions (``solutions/``) keep their
outputs and pass strict nbval (``pytest --nbval solutions``: every output compared). The
student versions (``notebooks/``) are saved without outputs, so that no prediction is answered
on screen; the tests below run each one once, top to bottom, as a student who writes nothing
would: nothing may raise, every self-check must answer "not yet", and the file written with
its widget state must hold no key. Lessons run twice per test run in a Python kernel (nbval on
the solutions, one run of the student version here), where they ran four times before.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"  # what students open: student versions, and the panel app
SOLUTIONS = ROOT / "solutions"  # each lesson's one source, run: the solutions version
GUIDE = ROOT / "docs" / "teaching-guide.md"
#: The 90-minute path, in order. A browser-only site test runs every notebooks/0[0-9]_*.ipynb.
CORE = (
    "01_what_hmac_and_a_jws_are.ipynb",
    "02_your_first_key.ipynb",
    "03_key_sizes_row_by_row.ipynb",
    "04_signing_and_attacking_tokens.ipynb",
    "05_reading_the_examples_critically.ipynb",
)
OPTIONAL = ("10_optional_entropy_statistics.ipynb",)
TEACHING = (*CORE, OPTIONAL[0])
PANEL_APP = "key_panel.ipynb"
#: Every saved notebook, as (folder, name).
ALL = (
    *((NOTEBOOKS, name) for name in (*TEACHING, PANEL_APP)),
    *((SOLUTIONS, name) for name in TEACHING),
)
ALL_IDS = [f"{folder.name}/{name}" for folder, name in ALL]
FIRST_KEY = CORE[1]  # the lesson with the magic, the reveal cell and the panel

#: A whole 512-bit key is 86 base64url characters; any such run in an output is suspect.
KEY_RUN = re.compile(r"[A-Za-z0-9_-]{86,}")
#: RFC 7515 Appendix A.1's HMAC key: public, printed in the RFC (no lesson uses it any more).
PUBLIC_KEYS = frozenset(
    {"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}
)
#: The reveal path: a cell that shows a key on purpose says so in its source.
REVEAL = re.compile(r"--reveal|\breveal\s*\(|reveal\s*=\s*True")
PER_USER_DIRS = (
    "IPYTHONDIR",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "MPLCONFIGDIR",
)


def build_lessons() -> Any:
    """tests/notebooks/build_lessons.py, the script behind `make notebooks`, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_lessons", ROOT / "tests" / "notebooks" / "build_lessons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(name: str, folder: Path = NOTEBOOKS) -> Any:
    return nbformat.read(folder / name, as_version=4)


def code_cells(nb: Any) -> list[Any]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


# Failing assertions below compare counts and lengths, never the runs: pytest would print them.


def key_runs(value: Any) -> list[str]:
    """Base64url runs of 86+ characters in ``value`` (text or JSON-able), public keys left out."""
    text = value if isinstance(value, str) else json.dumps(value)
    return [run for run in KEY_RUN.findall(text) if run not in PUBLIC_KEYS]


def output_key_runs(cell: Any) -> list[str]:
    """Key-like runs in a cell's outputs; images are left out (their base64 is not text)."""
    found = []
    for output in cell.get("outputs", []):
        data = {k: v for k, v in output.get("data", {}).items() if not k.startswith("image/")}
        found += key_runs(data) + key_runs(output.get("text", ""))
        found += key_runs(output.get("evalue", "")) + key_runs(output.get("traceback", []))
    return found


def widget_state_key_runs(nb: Any) -> list[str]:
    """Key-like runs in saved widget state; binary buffers (images) are left out."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = state.get("state", {})
    return key_runs(
        {mid: {k: v for k, v in model.items() if k != "buffers"} for mid, model in models.items()}
    )


# --- the saved notebooks ---------------------------------------------------------------------


def test_students_see_only_lessons_and_the_panel_app_in_order() -> None:
    # Lesson 5 writes a git-ignored practice notebook beside itself when it runs (nbval runs the
    # solutions in solutions/): the lesson's own output, not a lesson.
    practice = "practice_leaks.ipynb"
    assert sorted(p.name for p in NOTEBOOKS.iterdir() if p.name != practice) == sorted(
        (*TEACHING, PANEL_APP)
    )
    assert sorted(p.name for p in SOLUTIONS.glob("*.ipynb") if p.name != practice) == sorted(
        TEACHING
    )
    # The file browser sorts by name: the path first, in order, the optional lesson after it.
    assert sorted(TEACHING) == list(TEACHING)
    assert [re.fullmatch(r"0[0-9]_.*\.ipynb", name) is not None for name in TEACHING] == [
        *(True for _ in CORE),
        False,
    ]


@pytest.mark.parametrize(("folder", "name"), ALL, ids=ALL_IDS)
def test_saved_outputs_hold_no_key_material_at_all(folder: Path, name: str) -> None:
    nb = read(name, folder)
    for index, cell in enumerate(code_cells(nb)):
        found = len(output_key_runs(cell))
        assert found == 0, f"{name}: code cell {index} saved a key-like run"
    found = len(widget_state_key_runs(nb))
    assert found == 0, f"{name}: saved widget state holds a key-like run"


#: What strict nbval compares: the solutions and the panel app (students get no outputs).
COMPARED = ((NOTEBOOKS, PANEL_APP), *((SOLUTIONS, name) for name in TEACHING))
COMPARED_IDS = [f"{folder.name}/{name}" for folder, name in COMPARED]


@pytest.mark.parametrize("name", TEACHING)
def test_the_student_version_is_saved_unrun_without_any_output(name: str) -> None:
    nb = read(name)
    unrun = [(cell.execution_count, cell.outputs) for cell in code_cells(nb)]
    assert unrun == [(None, [])] * len(unrun), f"{name}: a student would see an answer unasked"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize(("folder", "name"), COMPARED, ids=COMPARED_IDS)
def test_every_cell_nbval_compares_was_run_and_saved_without_errors(
    folder: Path, name: str
) -> None:
    # nbval compares only cells that have an execution count; an unrun cell would go unchecked.
    for index, cell in enumerate(code_cells(read(name, folder))):
        if REVEAL.search(cell.source):
            assert cell.execution_count is None and not cell.outputs, (
                f"{name}: reveal cell {index} must be saved unrun, without its key-bearing output"
            )
        else:
            assert cell.execution_count is not None, f"{name}: code cell {index} was not run"
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"{name}: code cell {index} saved an error"


@pytest.mark.parametrize(("folder", "name"), ALL, ids=ALL_IDS)
def test_every_nbval_skip_mark_says_why(folder: Path, name: str) -> None:
    for index, cell in enumerate(code_cells(read(name, folder))):
        lines = [line.strip() for line in cell.source.splitlines()]
        for at, line in enumerate(lines):
            if line.lstrip("#").strip() in ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP"):
                reasons = [
                    other
                    for other in lines[max(at - 1, 0) : at + 2]
                    if other.startswith("#") and other != line and len(other) > 10
                ]
                assert reasons, f"{name}: cell {index} has {line} without a comment saying why"
    assert "NBVAL" not in json.dumps(read(name, folder).metadata)


# --- the lessons as a class: exercises, self-checks, both versions ----------------------------

CHECK_CALL = re.compile(r"^check\(\"([0-9.]+)\"", re.MULTILINE)


def verdict_text(output: Any) -> str:
    """A self-check's words in one output: printed (a plain session) or the text/plain of the
    marked box a kernel shows (review C12)."""
    if output.output_type == "stream":
        return str(output.get("text", ""))
    if output.output_type == "display_data" and "xsk-verdict" in output.data.get("text/html", ""):
        return str(output.data.get("text/plain", ""))
    return ""


def check_results(nb: Any) -> dict[str, str]:
    """Exercise id -> the first line a self-check cell printed."""
    results = {}
    for cell in code_cells(nb):
        match = CHECK_CALL.search(cell.source)
        if match:
            text = "".join(verdict_text(o) for o in cell.outputs)
            results[match.group(1)] = text.strip()
    return results


@pytest.mark.parametrize("name", TEACHING)
def test_each_lesson_opens_with_its_goals_and_has_predict_moments_and_two_code_exercises(
    name: str,
) -> None:
    cells = read(name, SOLUTIONS).cells
    assert cells[0].cell_type == "markdown" and "What you will learn" in cells[0].source
    assert sum("**Predict" in cell.source for cell in cells) >= (1 if name in OPTIONAL else 2)
    # A code exercise: "Your turn" text, then the cell the student writes, then its check.
    exercises = [
        at
        for at, cell in enumerate(cells[:-2])
        if cell.cell_type == "markdown"
        and "**Your turn" in cell.source
        and "BEGIN SOLUTION" in cells[at + 1].source
        and CHECK_CALL.search(cells[at + 2].source)
    ]
    assert len(exercises) >= 2, f"{name}: fewer than two code exercises with a self-check"


@pytest.mark.parametrize("name", TEACHING)
def test_the_solutions_version_passes_every_self_check(name: str) -> None:
    results = check_results(read(name, SOLUTIONS))
    assert len(results) >= 2
    for exercise, said in results.items():
        assert said == f"correct ({exercise})", f"{name}: exercise {exercise} said {said!r}"
    # In a notebook the verdict is a box with a mark, not plain text (review C12).
    boxes = [o.data["text/html"] for cell in code_cells(read(name, SOLUTIONS))
             if CHECK_CALL.search(cell.source) for o in cell.outputs
             if o.output_type == "display_data" and "text/html" in o.data]  # fmt: skip
    assert len(boxes) == len(results) and all("\u2713 </span>correct" in b for b in boxes)


SOLUTION_REGION = re.compile(r"BEGIN SOLUTION[^\n]*\n(.*?)\n[^\n]*END SOLUTION", re.S)


def solution_regions(nb: Any) -> list[str]:
    """The text between every BEGIN SOLUTION and END SOLUTION mark of a lesson source."""
    return [
        region
        for cell in nb.cells
        for region in SOLUTION_REGION.findall(cell.source)
    ]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", TEACHING)
def test_the_student_version_holds_no_solution_text(name: str) -> None:
    student, solved = read(name), read(name, SOLUTIONS)
    regions = solution_regions(solved)
    assert len(regions) >= 2
    student_text = json.dumps([cell.source for cell in student.cells])
    assert "SOLUTION" not in student_text
    squeezed_student = squeezed("\n".join(cell.source for cell in student.cells))
    student_lines = {line.strip() for cell in student.cells for line in cell.source.splitlines()}
    for number, region in enumerate(regions):
        assert squeezed(region) not in squeezed_student, f"{name}: solution {number} is on screen"
        # Each line of real code (not `try:` or `return True`, which any verifier has) too.
        lines = {line.strip() for line in region.splitlines() if len(line.strip()) >= 16}
        leaked = len(lines & student_lines)
        assert not leaked, f"{name}: {leaked} line(s) of solution {number} are on screen"
    assert sum(cell.source == build_lessons().CODE_STUB for cell in code_cells(student)) >= 2


#: Appended to the first-key lesson before it runs: a student clicks Generate (not Reveal).
CLICK_GENERATE = "panel.bits.value = 512\npanel.generate_button.click()\nlen(panel.reports)"


@pytest.fixture(scope="module")
def run_student_version(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Run a student version once, top to bottom, as a student who writes nothing; the file
    nbclient writes (widget state stored, as tools do) read back. Cached: one run per lesson."""
    done: dict[str, Any] = {}

    def run(name: str) -> Any:
        if name not in done:
            home = tmp_path_factory.mktemp("home")
            with pytest.MonkeyPatch.context() as env:
                for variable in PER_USER_DIRS:
                    (home / variable.lower()).mkdir()
                    env.setenv(variable, str(home / variable.lower()))
                env.setenv("JUPYTER_PLATFORM_DIRS", "1")
                extra = CLICK_GENERATE if name == FIRST_KEY else None
                # In a folder of its own, as a student's copy: what a lesson writes beside
                # itself (lesson 4's .env, lesson 5's practice notebook) stays out of notebooks/.
                folder = tmp_path_factory.mktemp("lesson")
                shutil.copy(NOTEBOOKS / name, folder / name)
                nb = execute_storing_widget_state(folder, name, extra)  # raises on any error
            saved = tmp_path_factory.mktemp("saved") / name
            nbformat.write(nb, saved)
            done[name] = nbformat.read(saved, as_version=4)
        return done[name]

    return run


@pytest.mark.parametrize("name", TEACHING)
def test_the_student_version_runs_clean_and_every_check_says_not_yet(
    name: str, run_student_version: Any
) -> None:
    ran = run_student_version(name)
    errors = [o for cell in code_cells(ran) for o in cell.outputs if o.output_type == "error"]
    assert not errors, f"{name}: the student version raised {errors[0].ename}"
    results = check_results(ran)
    assert results.keys() == check_results(read(name, SOLUTIONS)).keys()
    for exercise, said in results.items():
        assert said.startswith("not yet"), f"{name}: exercise {exercise} said {said!r}"
        assert "Traceback" not in said


QUESTION = re.compile(r"\*\*Question (\d+\.\d+):\*\*")
OPTION = re.compile(r"\(([a-e])\) (.*?)(?=[;.]?\s*\([a-e]\) |[.]\s|[.]?$)", re.S)
CHOICE = re.compile(r'^answer_\d+_\d+ = "([a-e])"$', re.M)


def multiple_choice(name: str) -> list[tuple[str, dict[str, str], str, int]]:
    """(question, {letter: option text}, the right letter, cell index) of a lesson's source."""
    cells = read(name, SOLUTIONS).cells
    found = []
    for at, cell in enumerate(cells):
        match = QUESTION.search(cell.source) if cell.cell_type == "markdown" else None
        if match and "(a) " in cell.source:  # a question with choices (3.2 asks for a number)
            right = next(m for c in cells[at + 1 :] if (m := CHOICE.search(c.source)))
            text = " ".join(cell.source[match.end() :].split())
            options = {letter: option.strip() for letter, option in OPTION.findall(text)}
            found.append((match.group(1), options, right.group(1), at))
    return found


def test_multiple_choice_keys_are_balanced_across_letters() -> None:
    letters = [right for name in TEACHING for _, _, right, _ in multiple_choice(name)]
    assert len(letters) >= 7
    counts = {letter: letters.count(letter) for letter in "abc"}
    assert max(counts.values()) - min(counts.values()) <= 1, counts
    assert len(set(letters[:3])) > 1  # not the same letter three times running


@pytest.mark.parametrize("name", TEACHING)
def test_no_question_is_answered_by_the_text_above_it(name: str) -> None:
    cells = read(name, SOLUTIONS).cells
    for question, options, right, at in multiple_choice(name):
        assert right in options and len(options) >= 2, f"{question}: options not found"
        above = " ".join(
            c.source
            for c in cells[:at]
            if c.cell_type == "markdown" and not QUESTION.search(c.source)
        )
        answer = options[right].rstrip(".")
        if len(answer.split()) >= 3:  # "no" or "both" are in any text; a statement is not
            assert squeezed(answer).lower() not in squeezed(above).lower(), (
                f"question {question}'s answer is written above it"
            )


CHECK_SOURCE = re.compile(r"^check\(.*?\)$", re.S | re.M)


@pytest.mark.parametrize("name", TEACHING)
def test_every_check_names_its_form_and_whose_names_it_uses_and_hints_without_solving(
    name: str,
) -> None:
    cells = read(name, SOLUTIONS).cells
    regions = [squeezed(line) for r in solution_regions(read(name, SOLUTIONS)) for line in
               r.splitlines() if len(line.strip()) >= 12 and "SOLUTION" not in line]  # fmt: skip
    for cell in cells:
        match = CHECK_CALL.search(cell.source)
        if not match:
            continue
        assert "form=" in cell.source and "yours=" in cell.source, f"{match.group(1)}: form, yours"
        hints = squeezed(" ".join(re.findall(r"""hint=("[^"]*"|'[^']*')""", cell.source)))
        for line in regions:
            body = line.removeprefix("return")
            assert body not in hints, f"exercise {match.group(1)}: a hint holds the solution"


@pytest.mark.parametrize("name", TEACHING)
def test_the_student_version_is_what_the_build_makes_from_the_source(name: str) -> None:
    made = build_lessons().student_version(read(name, SOLUTIONS))
    saved = read(name)
    assert [(c.cell_type, c.source) for c in made.cells] == [
        (c.cell_type, c.source) for c in saved.cells
    ], f"{name}: notebooks/ is stale; run `make notebooks`"


def test_the_build_refuses_an_unknown_lesson_in_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = {p: p.stat().st_mtime_ns for f in (NOTEBOOKS, SOLUTIONS) for p in f.iterdir()}
    assert build_lessons().main(["99_no_such_lesson.ipynb"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "solutions/99_no_such_lesson.ipynb" in err
    assert {p: p.stat().st_mtime_ns for f in (NOTEBOOKS, SOLUTIONS) for p in f.iterdir()} == before


# --- the browser-only path and the signing library ---------------------------------------------

COMPILED = re.compile(
    r"^\s*(?:import|from)\s+(numpy|scipy|matplotlib|cryptography|joserfc|pandas)\b", re.M
)


@pytest.mark.parametrize("name", CORE)
def test_core_lessons_import_nothing_a_browser_only_kernel_lacks(name: str) -> None:
    for folder in (NOTEBOOKS, SOLUTIONS):
        sources = "\n".join(cell.source for cell in code_cells(read(name, folder)))
        assert not COMPILED.findall(sources), f"{name} imports {COMPILED.findall(sources)}"
        assert "xsk_nb.batch" not in sources


def solution_outputs(name: str) -> str:
    return "\n".join(
        o.get("text", "") or verdict_text(o)
        for cell in code_cells(read(name, SOLUTIONS))
        for o in cell.outputs
    )


def test_the_signing_lesson_uses_pyjwt_secrets_twice_and_runs_the_attack() -> None:
    core = "\n".join(cell.source for name in CORE for cell in code_cells(read(name, SOLUTIONS)))
    assert core.count("secrets.token_bytes(") == 2  # lesson 2's first key; exercise 3.1's keys
    signing = read(CORE[3], SOLUTIONS)
    sources = "\n".join(cell.source for cell in code_cells(signing))
    assert "import jwt" in sources and 'algorithms=["HS256"]' in sources
    outputs = solution_outputs(CORE[3])
    assert "secret found: your-256-bit-secret" in outputs
    assert "secret found: None" in outputs  # the kit's 512-bit key is not in the wordlist
    assert "alg: none: refused" in outputs
    assert re.search(r"10 to the power 1[0-9]{2} \(this run\) years", outputs)


def test_algorithm_confusion_is_the_real_attack_with_a_published_public_key() -> None:
    # RFC 8725 §2.1: a verifier that lets the header pick the algorithm, handed a public key.
    sources = "\n".join(cell.source for cell in code_cells(read(CORE[3], SOLUTIONS)))
    assert "public_test_key_pem()" in sources and "HS512" not in sources
    outputs = solution_outputs(CORE[3])
    assert "correct (4.2)" in outputs  # the student's forgery, made with the public key only
    assert "pinned_verify: refused (InvalidAlgorithmError" in outputs
    assert "PyJWT, HS256: refused (InvalidKeyError: The specified key is an asymmetric" in outputs
    assert "security.create_curve_key" in lesson_text(CORE[3])
    # kid injection (RFC 8725 §3.10): a path built from kid is exploited; find(kid) is not.
    assert "naive lookup, admin = True" in outputs and "KeySet.find -> None" in outputs


def test_claims_validation_refuses_what_a_signature_only_check_accepts() -> None:
    outputs = solution_outputs(CORE[3])
    assert outputs.count("accepted by the signature-only check") == 5
    assert "correct (4.3)" in outputs
    text = lesson_text(CORE[3])
    assert 'options={"require": ["exp", "iss", "aud"]}' in text
    for xano in ("ttl = 900", "check_claims", "timeDrift", "RFC 8725 §3.8-3.10"):
        assert xano in text


CLAIMS_DICT = re.compile(r'\{"sub": [^{}]*\}')


@pytest.mark.parametrize("name", CORE)
def test_every_token_the_class_signs_carries_exp(name: str) -> None:
    sources = "\n".join(cell.source for cell in code_cells(read(name, SOLUTIONS)))
    for claims in CLAIMS_DICT.findall(sources):
        assert '"exp"' in claims, f"{name}: claims without exp: {claims}"
    for line in sources.splitlines():
        if "jwt.encode(" in line or "hs256_token(" in line or "sign(" in line:
            assert "def " in line or "claims" in line or "good" in line or '"exp"' in line, line


def test_after_a_leak_the_key_is_removed_and_stops_verifying_now() -> None:
    outputs = solution_outputs(CORE[3])
    assert "after a rotation, the attacker's token -> attacker" in outputs  # rotation is not enough
    assert "correct (4.4)" in outputs
    text = lesson_text(CORE[3])
    assert "keyset.remove(leaked_kid)" in text and "xsk-nb jwks remove" in text
    for hygiene in (".gitignore", "git history", "sensitive = true", "scan for leaked keys"):
        assert hygiene in text, hygiene


def test_the_signing_lesson_ends_with_a_rotation_that_keeps_old_tokens_valid_for_a_while() -> None:
    last = code_cells(read(CORE[3], SOLUTIONS))[-1]
    assert "keep=2" in last.source
    lines = "".join(o.get("text", "") for o in last.outputs).splitlines()
    assert lines == [
        "after rotation 1: 2 keys; old token -> student-42",
        "after rotation 2: 3 keys; old token -> student-42",
        "after rotation 3: 3 keys; old token -> refused: no key with this kid",
    ]


@pytest.mark.parametrize("name", OPTIONAL)
def test_the_optional_lesson_says_one_sentence_where_numpy_is_missing(name: str) -> None:
    sources = [cell.source for cell in code_cells(read(name, SOLUTIONS))]
    guarded = [s for s in sources if "np." in s or "plt." in s or "uniformity_p_value(" in s]
    assert guarded and all("HAVE_NUMPY" in s and "NEEDS_NUMPY" in s for s in guarded[1:])
    assert any("except ImportError" in s for s in sources)


@pytest.mark.parametrize(("folder", "name"), ALL, ids=ALL_IDS)
def test_student_facing_text_and_outputs_speak_to_students(folder: Path, name: str) -> None:
    nb = read(name, folder)
    text = json.dumps([(cell.source, cell.get("outputs", [])) for cell in nb.cells]).lower()
    # "the seed" is this project's name for Xano's reference page; students never saw it.
    # (The optional lesson seeds random generators: "seeded", "seed (42)".)
    for phrase in ("the seed", "seed's", "our tests", "nbval"):
        assert phrase not in text, f"{name} says {phrase!r}"


# --- the corrected statements (issue 9, section 3) ----------------------------------------------


def lesson_text(*names: str) -> str:
    return "\n".join(cell.source for name in names for cell in read(name, SOLUTIONS).cells)


def test_statement_1_no_lesson_says_hs256_uses_a_1024_bit_key_as_is() -> None:
    from xsk_nb import hmac_fit

    assert hmac_fit(1024, "HS256").hashed_first  # RFC 2104 §3: 1024 > the 512-bit block
    text = lesson_text(*TEACHING)
    assert not re.search(r"1024[^\n]*used as is by HS256", text)
    assert "create_secret_key(512)" in lesson_text(CORE[3])


def test_statement_4_thumbprint_and_stored_hash_are_judged_the_same_way() -> None:
    text = lesson_text(CORE[4])
    assert "guess = key" not in text  # the demo that proved nothing
    assert "unless in the application context, the cryptographic hash" in text  # RFC 7638 §7 whole
    assert "Any HS256 token signed with the key already lets an attacker test guesses" in text
    assert "equally safe for random keys" in text


def test_statement_5_pvalues_of_short_keys_are_called_lumpy_with_the_computed_probability() -> None:
    text = lesson_text(*OPTIONAL)
    assert "as likely as any other" not in text and "lumpy" in text
    outputs = "\n".join(
        o.get("text", "") for cell in code_cells(read(OPTIONAL[0], SOLUTIONS)) for o in cell.outputs
    )
    assert "P(monobit p = 1.000) = C(512, 256) / 2**512 = 0.0352" in outputs


def test_statements_6_and_7_runs_check_and_mersenne_twister_are_stated_as_measured() -> None:
    text = lesson_text(*OPTIONAL)
    assert "try the uniformity check on `runs_p`" not in text
    assert "one run proves nothing" in " ".join(text.split())
    outputs = "\n".join(
        o.get("text", "") for cell in code_cells(read(OPTIONAL[0], SOLUTIONS)) for o in cell.outputs
    )
    assert re.search(r"runs p-values passed the uniformity check in \d \(this run\) of 5", outputs)
    assert "no statistical test can tell" not in text.lower()
    assert "arXiv:1910.06437" in text and "on one key no test can see it" in text


def test_statement_8_a_jwt_is_a_jws_payload_or_a_jwe_plaintext() -> None:
    text = lesson_text(*TEACHING)
    assert "a JWT is a JWS whose payload" not in text
    assert "RFC 7519 §1" in text and "plaintext of a JWE" in text


def test_statement_9_no_lesson_relies_on_joserfc_defaults() -> None:
    assert "joserfc" not in lesson_text(*TEACHING)


def test_statement_10_a_get_response_is_not_said_to_go_into_browser_history() -> None:
    text = lesson_text(CORE[4])
    assert "into browser history" not in text
    assert "Cache-Control: no-store" in text


def test_statement_11_compare_digest_says_lengths_may_leak_and_why_it_is_fine_here() -> None:
    for name in (CORE[0], CORE[4]):
        text = lesson_text(name)
        assert "takes the same time whatever the inputs" not in text
        assert "lengths" in text.lower() and "compare_digest" in text


def test_statement_12_the_rewritten_response_defines_key_id() -> None:
    text = lesson_text(CORE[4])
    uses = [line for line in text.splitlines() if "$key_id" in line]
    assert uses
    first = min(text.index(line) for line in uses)
    assert "into `$key_id`" in text[: first + 200]


def test_statement_13_the_third_example_is_called_broken_object_level_authorization() -> None:
    text = lesson_text(CORE[4])
    assert "broken object level authorization" in text.lower()
    assert "API1:2023" in text and "$auth.id" in text


def test_the_key_size_lesson_gives_every_row_of_the_table_a_verdict_and_a_reason() -> None:
    from xsk_nb import RECOMMENDATIONS

    text = lesson_text(CORE[2])
    table = [line for line in text.splitlines() if line.startswith("| ") and "**" in line]
    for row in RECOMMENDATIONS:
        line = next(line for line in table if line.startswith(f"| {row.use_case}: {row.label} |"))
        verdict, reason = line.split("|")[2:4]
        assert verdict.strip().startswith("**") and len(reason.strip()) > 10
    assert "HS384: 384+" in text and "SP 800-57" in text and "not resistance" not in text
    assert "against someone trying to\n**recover it**" in text and "tag length" in text


# --- the teaching guide ------------------------------------------------------------------------


def guide_timing_rows() -> list[tuple[str, int]]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Timing", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([^|]+?) \| (\d+) \|", section, re.M)
    return [(part.strip(), int(minutes)) for part, minutes in rows]


def lesson_timing() -> Any:
    """tests/notebooks/lesson_timing.py, the class-time estimate, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "lesson_timing", ROOT / "tests" / "notebooks" / "lesson_timing.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_the_class_fits_90_minutes_and_the_guide_agrees_with_the_content_within_10_percent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    timing = lesson_timing()
    rows = guide_timing_rows()
    assert rows[0][0].startswith("set-up") and rows[0][1] == timing.SETUP_MINUTES == 5
    computed = {name: timing.lesson_time(NOTEBOOKS / name).minutes for name in CORE}
    for name in CORE:
        stated = [minutes for part, minutes in rows if name in part]
        assert len(stated) == 1, f"the timing table has no single row for {name}"
        assert abs(stated[0] - computed[name]) <= 0.1 * computed[name], (name, computed[name])
        title = read(name).cells[0].source.splitlines()[0]
        assert f"({stated[0]} minutes" in title, f"{name}'s title says other minutes"
    assert sum(minutes for _, minutes in rows) <= timing.CLASS_MINUTES == 90
    # The estimate itself, set-up included, within the rounding of the table's whole minutes.
    assert timing.SETUP_MINUTES + sum(computed.values()) <= timing.CLASS_MINUTES + 0.5
    named = " ".join(part for part, _ in rows)
    assert all(name not in named for name in OPTIONAL)
    assert timing.main([]) == 0
    assert "total" in capsys.readouterr().out


@pytest.mark.parametrize("name", CORE)
def test_each_lesson_marks_its_homework_and_the_estimate_counts_only_the_class_part(
    name: str,
) -> None:
    timing = lesson_timing()
    nb = read(name)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    headings = [text for text in markdown if "## Homework" in text]
    assert len(headings) == 1 and headings[0].startswith("## Homework (after class)")
    class_part = timing.class_cells(nb)
    assert 0 < len(class_part) < len(nb.cells)
    assert nb.cells[len(class_part)].source.startswith("## Homework")


def test_the_run_sheet_answers_every_exercise_and_is_not_published_to_the_site() -> None:
    sheet = (ROOT / "docs" / "teacher-run-sheet.md").read_text(encoding="utf-8")
    assert "not for students" in sheet.splitlines()[0]
    for name in TEACHING:
        for exercise in check_results(read(name, SOLUTIONS)):
            assert f"| {exercise} |" in sheet, f"the answer key has no row for {exercise}"
    # The browser-only site publishes notebooks/ alone: no solutions, no docs.
    build = (ROOT / "lite" / "build.py").read_text(encoding="utf-8")
    assert 'REPO / "notebooks"' in build and "docs" not in build.split("NOTEBOOKS =")[1][:200]


def test_the_guide_has_objectives_glossary_launch_solutions_and_questions() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for heading in ("## Prerequisites", "## Timing", "## Learning objectives", "## Glossary",
                    "## Launching", "## Solutions", "## Questions students ask"):  # fmt: skip
        assert heading in text
    glossary = text.split("## Glossary", 1)[1].split("\n## ", 1)[0]
    for term in ("HMAC", "hash block size", "JWK", "JWS", "JWT", "base64url", "CSPRNG", "entropy"):
        assert f"**{term}**" in glossary
    for name in TEACHING:
        assert name in text
    assert "make lite" in text and "make notebooks" in text and "mybinder.org" in text


def test_first_key_lesson_runs_the_magic_and_shows_the_panel() -> None:
    sources = [cell.source for cell in code_cells(read(FIRST_KEY))]
    assert any("%load_ext xsk_nb" in source for source in sources)
    assert any(source.strip() == "%xs_secret_key --bits 512" for source in sources)
    last_lines = [source.strip().splitlines()[-1] for source in sources if source.strip()]
    assert "panel" in last_lines or "xsk_nb.panel()" in last_lines


def test_a_cell_that_shows_a_key_uses_the_reveal_path_and_says_the_key_is_a_throwaway() -> None:
    reveal_cells = [
        cell
        for folder, name in ALL
        for cell in code_cells(read(name, folder))
        if REVEAL.search(cell.source)
    ]
    assert reveal_cells, "the first-key lesson shows what revealing does"
    for cell in reveal_cells:
        assert "THROWAWAY" in cell.source and "saved with the notebook" in cell.source


def test_the_voila_app_is_a_title_a_sentence_and_the_panel() -> None:
    cells = read(PANEL_APP).cells
    assert [cell.cell_type for cell in cells] == ["markdown", "code"]
    assert cells[0].source.startswith("# ")
    assert cells[1].source.strip().splitlines()[-1] == "xsk_nb.panel()"
    assert cells[1].outputs[0].data["text/plain"].startswith("KeyPanel")


# --- executed as other tools do, widget state stored -------------------------------------------

@pytest.fixture
def isolated_kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kernels inherit this environment: keep IPython's and Jupyter's files out of $HOME."""
    for name in PER_USER_DIRS:
        folder = tmp_path / "home" / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")


def execute_storing_widget_state(folder: Path, name: str, extra_cell: str | None = None) -> Any:
    from nbclient import NotebookClient

    nb = read(name, folder)
    if extra_cell is not None:
        nb.cells.append(nbformat.v4.new_code_cell(extra_cell))
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(folder)}},
        store_widget_state=True,
    )
    client.execute()
    return nb


@pytest.mark.usefixtures("isolated_kernel_env")
def test_executing_the_panel_app_with_widget_state_saves_no_key(tmp_path: Path) -> None:
    nb = execute_storing_widget_state(NOTEBOOKS, PANEL_APP)
    saved = tmp_path / PANEL_APP
    nbformat.write(nb, saved)  # what a tool would write to disk; scan the file, not the object
    nb = nbformat.read(saved, as_version=4)
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata["widgets"]
    for index, cell in enumerate(code_cells(nb)):
        found = len(output_key_runs(cell))
        assert found == 0, f"{PANEL_APP}: code cell {index} wrote a key-like run into the file"
    found = len(widget_state_key_runs(nb))
    assert found == 0, f"{PANEL_APP}: widget state holds a key-like run"


# The solutions differ from the student versions only in solution cells, none of which makes a
# widget or shows a key: the student run covers what executing a lesson can write.
@pytest.mark.parametrize("name", TEACHING)
def test_executing_with_widget_state_saves_no_key_outside_reveal_cells(
    name: str, run_student_version: Any
) -> None:
    nb = run_student_version(name)  # the file nbclient wrote, widget state stored

    revealed: set[str] = set()
    for index, cell in enumerate(code_cells(nb)):
        runs = output_key_runs(cell)
        if REVEAL.search(cell.source):
            revealed.update(runs)
        else:
            found = len(runs)
            assert found == 0, f"{name}: code cell {index} wrote a key-like run into the file"
    found = len(widget_state_key_runs(nb))
    assert found == 0, f"{name}: widget state holds a key-like run"

    if name == FIRST_KEY:
        # The scan is not vacuous: the widget state was stored (the clicked panel is in it),
        # and the one cell that reveals a throwaway key on purpose does hold a key.
        assert nb.cells[-1].outputs[0].data["text/plain"] == "1"
        state = json.dumps(nb.metadata["widgets"])
        assert "xsk-report-card" in state and "hidden: 86 chars" in state
        lengths = [len(run) for run in revealed]
        assert lengths == [86], "the reveal cell shows its one throwaway 512-bit key"


# --- the corrected statements of the second teaching review (issue 17, W1-W17) ---------------

LAB_MANAGER_SCHEMA = Path(sys.prefix) / (
    "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/schemas/"
    "@jupyter-widgets/jupyterlab-manager/plugin.json"
)


def test_w1_question_2_3_says_what_jupyterlab_saves_under_its_default_setting() -> None:
    # @jupyter-widgets/jupyterlab-manager's schema: "saveState" defaults to false.
    if LAB_MANAGER_SCHEMA.is_file():
        schema = json.loads(LAB_MANAGER_SCHEMA.read_text(encoding="utf-8"))
        assert schema["properties"]["saveState"]["default"] is False
    text = " ".join(lesson_text(FIRST_KEY).split())
    assert 'answer_2_3 = "c"' in text and "off by default" in text
    agreement = (
        "held in the kernel's memory while it runs",
        "*Settings > Save Widget State Automatically* is on",
        "is always saved with the notebook",
        "Voilà and the app page save nothing",
    )
    for agreed in agreement:
        assert agreed in text, agreed  # agreement A3, the same words as the panel and the guide
        assert agreed in " ".join(GUIDE.read_text(encoding="utf-8").split()), agreed


def test_w2_512_bits_is_not_called_the_best_size_for_hs256() -> None:
    text = lesson_text(*TEACHING) + GUIDE.read_text(encoding="utf-8")
    assert "best size" not in text and "*best*" not in text
    assert "would not significantly increase the function strength" in text  # RFC 2104 §3
    assert "RFC 2104 §3" in lesson_text(CORE[2])


def test_w5_lesson_4_leaves_the_key_form_to_the_one_document_that_settles_it() -> None:
    text = lesson_text(CORE[3])
    assert "docs/xano-key-form.md" in text
    assert "Keys must be JWK objects" not in text and "decode it where you sign" not in text


def test_w6_w7_the_optional_lesson_names_its_uniformity_check_and_no_stale_figure() -> None:
    text = lesson_text(*OPTIONAL)
    assert "11 of 20" not in text and "usually pass" in text
    assert "uniformity check (§4.2.2)" not in text and "§4.2.2 uniformity check" not in text
    assert "SP 800-22 §4.2.2 uses a chi-square test instead" in text
    assert "Bonferroni" in text


def test_w10_w16_w17_the_guide_says_what_is_true_of_links_terms_and_the_site() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    assert "the README has the links with the repository's real account" not in guide
    assert "binder/launch_links.py" in guide
    assert "Every term is defined" not in guide
    glossary = guide.split("## Glossary", 1)[1].split("\n## ", 1)[0]
    for term in ("state size", "claims", "JWE"):
        assert f"**{term}**" in glossary
    assert "which the browser-only site cannot load" not in guide


def test_w11_forgery_is_not_said_to_be_bounded_by_the_tag_length_alone() -> None:
    text = " ".join(lesson_text(CORE[2]).split())
    assert "2^(256/2) = 2^128 queries" in text and "RFC 2104 §6" in text
    assert 128 == 256 // 2  # the generic internal-collision (birthday) bound for a 256-bit state


def test_w12_the_optional_lesson_calls_p_values_approximations_and_a_bound() -> None:
    # SP 800-22's erfc/igamc p-values are asymptotic approximations; the bit positions P is
    # min(1, 8 * smallest), a Bonferroni upper bound (tests/test_wave2_claims.py computes both).
    text = " ".join(lesson_text(*OPTIONAL).split())
    assert "Each p-value is the chance" not in text
    assert "SP 800-22's formulas are asymptotic approximations of that chance" in text
    assert "the bit positions p is a Bonferroni upper bound on it" in text


def test_w13_the_csprng_of_the_browser_only_site_is_named() -> None:
    for text in (lesson_text(FIRST_KEY), lesson_text(*OPTIONAL), GUIDE.read_text(encoding="utf-8")):
        assert "crypto.getRandomValues" in " ".join(text.split())
    text = " ".join(lesson_text(*TEACHING).split())
    assert "the OS's CSPRNG" not in text and "the operating system's CSPRNG," not in text


def test_w15_weak_secrets_are_not_said_to_fall_in_a_second_in_general() -> None:
    text = lesson_text(*CORE) + GUIDE.read_text(encoding="utf-8")
    assert "fall in under a second" not in text and "falls in under a second" not in text
    assert "hashcat" in text and "4,060" in GUIDE.read_text(encoding="utf-8")
    assert len(__import__("xsk_nb.lessons").lessons.common_jwt_secrets()) == 4060
