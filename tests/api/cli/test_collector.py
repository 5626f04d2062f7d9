"""A command pauses the garbage collector while it imports and then sets its imports aside; leaving it gives the
process its collector back as it was, with nothing left frozen (a process runs several commands: the tests)."""

import gc

import pytest

from api.cli.common import collector_paused, set_aside_imports


@pytest.mark.parametrize("enabled", [True, False])
def test_a_command_leaves_the_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
            set_aside_imports()
            assert gc.isenabled() and gc.get_freeze_count() > 0
        assert gc.isenabled() == enabled and gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()


def test_a_failing_command_also_gives_the_collector_back():
    with pytest.raises(RuntimeError), collector_paused():
        set_aside_imports()
        raise RuntimeError("the command failed")
    assert gc.isenabled() and gc.get_freeze_count() == 0
