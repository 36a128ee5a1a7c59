"""The Pages workflow publishes what `make site` builds, as GitHub's Pages starter lays it out."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))


def steps(job: str) -> list[dict]:
    return list(WORKFLOW["jobs"][job]["steps"])


def test_the_workflow_builds_the_course_site_and_uploads_its_output() -> None:
    runs = [s.get("run", "") for s in steps("build")]
    assert "make site" in runs
    (upload,) = [s for s in steps("build") if str(s.get("uses", "")).startswith(
        "actions/upload-pages-artifact")]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^site: .*\n\t.*course/build\.py", makefile, re.M), "make site runs it"
    build = (REPO / "course/build.py").read_text(encoding="utf-8")
    assert 'OUTPUT = HERE / "_build" / "html"' in build
    assert upload["with"]["path"] == "course/_build/html", "the upload is what make site built"


def test_pull_requests_build_but_only_main_deploys_with_pages_rights_on_deploy_only() -> None:
    triggers = WORKFLOW[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    assert WORKFLOW["permissions"] == {"contents": "read"}
    assert "permissions" not in WORKFLOW["jobs"]["build"]
    deploy = WORKFLOW["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["if"] == "github.event_name != 'pull_request'"
    assert WORKFLOW["concurrency"]["cancel-in-progress"] is False
