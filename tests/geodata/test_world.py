"""The world of a published data folder reads each table once and hands out copies; a file changed on disk is read
again, a missing column is refused by name as before, and a forgotten folder is read afresh."""

import os

import pytest

from core.errors import PlacewiseError
from geodata.world import forget, world


def test_a_table_is_read_once_and_each_caller_gets_its_own_copy(tmp_path):
    (tmp_path / "lookups").mkdir()
    table = tmp_path / "lookups" / "codes.csv"
    table.write_text("code,name\n1,Hartlepool\n2,Middlesbrough\n", encoding="utf-8")
    forget(tmp_path)
    first = world(tmp_path).csv("lookups/codes.csv", ["code"])
    first.loc[0, "name"] = "changed by one caller"
    second = world(tmp_path).csv("lookups/codes.csv", ["code", "name"])
    assert second.loc[0, "name"] == "Hartlepool" and world(tmp_path).reads["lookups/codes.csv"] == 1
    with pytest.raises(PlacewiseError, match="missing column.*population"):
        world(tmp_path).csv("lookups/codes.csv", ["code", "population"])
    table.write_text("code,name\n1,Hartlepool\n2,Middlesbrough\n3,Redcar and Cleveland\n", encoding="utf-8")
    os.utime(table, ns=(1, 1))
    assert len(world(tmp_path).csv("lookups/codes.csv")) == 3 and world(tmp_path).reads["lookups/codes.csv"] == 2
    forget(tmp_path)
    assert world(tmp_path).reads == {}
