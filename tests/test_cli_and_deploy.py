"""The command line's help and errors, and the prefect.yaml deployment route."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import ROOT

runner = CliRunner()


def test_help_teaches_the_commands():
    out = runner.invoke(app, ["--help"]).output
    assert "run" in out and "serve" in out
    run_help = runner.invoke(app, ["run", "--help"]).output
    for word in ("--db", "--chunk-size", "Exit status", "quarantine"):
        assert word in run_help, word


def test_missing_source_is_a_usage_error_naming_it(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nope"), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert "nope" in result.output and "source not found" in result.output


def test_prefect_yaml_points_at_the_flow_with_a_schedule():
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    dep = spec["deployments"][0]
    path, func = dep["entrypoint"].split(":")
    assert (ROOT / path).exists()
    from flows import nightly as module

    assert getattr(module, func).name == "newsetl-nightly"
    assert dep["schedules"][0]["cron"] == "0 2 * * *"
    import inspect

    params = inspect.signature(module.nightly.fn).parameters
    assert set(dep["parameters"]) <= set(params), "every deployment parameter is a flow parameter"
