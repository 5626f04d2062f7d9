"""The register's need pools are laid out as they are asked for: the one a shortlist needs, once, and each the pool
of providers that may meet its need (designated for it, or publishing no designation at all)."""

import numpy as np
import pytest

from core.vocabulary import NEEDS
from matcher.provider_index import NEED_COLUMN, build_provider_index
from tests.helpers.factories import make_providers


def register(count: int):
    """Settings designated for one need, two or none (publishing no designation), some of them closed."""
    rng = np.random.default_rng(6)
    return make_providers(*({"designated_needs": tuple(rng.choice(NEEDS, int(rng.integers(0, 3)), replace=False)),
                             "status": "closed" if rng.random() < 0.3 else "open"} for _ in range(count)))


def test_a_pool_is_laid_out_when_asked_for_and_kept():
    index = build_provider_index(register(40))
    assert len(index.pools) == len(NEEDS)
    pool = index.pools[NEED_COLUMN["ASD"]]
    assert index.pools._laid_out.keys() == {NEED_COLUMN["ASD"]}  # the others are not laid out
    assert index.pools[NEED_COLUMN["ASD"]] is pool
    assert index.pools[-1] is index.pools[len(NEEDS) - 1] and index.pools[:] == list(index.pools)
    with pytest.raises(IndexError):
        index.pools[len(NEEDS)]
    assert len(pool.index.pools) == 0  # a pool's own index has no pools


def test_each_pool_holds_the_providers_that_may_meet_its_need_and_counts_the_closed_others():
    index = build_provider_index(register(60))
    for column, pool in enumerate(index.pools):
        may_meet = index.designated[:, column] | ~index.needs_published
        assert pool.rows.tolist() == np.flatnonzero(may_meet).tolist()
        assert pool.outside.tolist() == np.flatnonzero(~may_meet).tolist()
        assert pool.outside_closed == int((~index.is_open[~may_meet]).sum())
        assert pool.index.provider_id.tolist() == index.provider_id[pool.rows].tolist()
        assert all(pool.rows[at] == row for row, at in pool.pair_of_row.items())
    assert any(len(pool.outside) for pool in index.pools) and any(pool.outside_closed for pool in index.pools)
