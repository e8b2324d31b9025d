"""Every SQL recipe in the README runs on a warehouse of the bundled examples and returns rows."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import ROOT

RECIPES = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_has_the_analyst_recipes():
    assert len(RECIPES) >= 5


@pytest.mark.parametrize("sql", RECIPES, ids=[f"recipe{i}" for i in range(len(RECIPES))])
def test_recipe_runs_and_answers(examples_warehouse, sql):
    db, _ = examples_warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows, f"no rows for:\n{sql}"
