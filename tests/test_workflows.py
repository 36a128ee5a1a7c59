"""The GitHub test workflow runs the README's test command, with a browser it can rely on."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "test.yml"


def test_the_test_workflow_runs_make_test_with_a_required_browser_and_npm() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    runs = [step for step in steps if "run" in step]
    assert [step["run"].split()[:2] for step in runs] == [["make", "test"]]
    env = runs[0]["env"]
    assert env["XSK_REQUIRE_BROWSER"] == "1"  # a missing browser fails the run
    assert env["XSK_CHROMIUM"] == "/usr/bin/google-chrome"  # not Ubuntu's chromium snap
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert "actions/setup-node" in uses  # npm, for make lite's Pyodide core
    assert workflow["permissions"] == {"contents": "read"}
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
