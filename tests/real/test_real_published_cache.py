"""The register, costs, density grid and SEN2 tables kept in the cache folder are the ones built from the files: a
warm start reads none of the published files and gets the same providers, costs, grid, counts and warnings exactly;
building the register and costs reads only ``INPUT_FOLDERS``, whose files name the cache entries."""

from dataclasses import fields

import numpy as np
import pandas as pd

from geodata.density import load_density_grid
from geodata.world import forget, world
from scenarios.published_inputs import INPUT_FOLDERS, build_published, load_published


def test_building_reads_only_the_input_folders(data_dir):
    forget(data_dir)
    build_published(data_dir)
    assert world(data_dir).reads and all(path.split("/")[0] in INPUT_FOLDERS for path in world(data_dir).reads)


def test_a_warm_start_reads_no_file_and_gives_the_same_register_and_costs(data_dir, tmp_path):
    built = build_published(data_dir)
    load_published(data_dir, cache_dir=tmp_path)  # cold: built and kept
    forget(data_dir)
    warm = load_published(data_dir, cache_dir=tmp_path)
    assert world(data_dir).reads == {}
    pd.testing.assert_frame_equal(warm.providers, built.providers, check_exact=True)
    pd.testing.assert_series_equal(warm.dropped, built.dropped, check_exact=True)
    for field in fields(built.costs):
        kept, fresh = getattr(warm.costs, field.name), getattr(built.costs, field.name)
        if isinstance(fresh, pd.DataFrame):
            pd.testing.assert_frame_equal(kept, fresh, check_exact=True)
        elif isinstance(fresh, pd.Series):
            pd.testing.assert_series_equal(kept, fresh, check_exact=True)
        else:
            assert kept == fresh and type(kept) is type(fresh), field.name


def test_the_kept_density_grid_is_the_built_one(data_dir, tmp_path):
    built = load_density_grid(data_dir)
    load_density_grid(data_dir, tmp_path)
    kept = load_density_grid(data_dir, tmp_path)
    assert (kept.easting_min, kept.northing_min, kept.cell_m) == (built.easting_min, built.northing_min, built.cell_m)
    assert kept.counts.keys() == built.counts.keys()
    assert all(np.array_equal(kept.counts[radius], built.counts[radius]) for radius in built.counts)
    assert len(list(tmp_path.glob("density-*.npz"))) == 1


def test_kept_sen2_counts_and_checks_are_the_built_ones(data_dir, tmp_path):
    from scenarios.sen2_fill import Sen2Counts
    from scenarios.sen2_sanity import check_sen2_figures

    built = Sen2Counts.load(data_dir)
    Sen2Counts.load(data_dir, tmp_path)
    kept = Sen2Counts.load(data_dir, tmp_path)
    for name in ("placements", "needs", "need_totals", "need_by_placement", "residential"):
        pd.testing.assert_frame_equal(getattr(kept, name), getattr(built, name), check_exact=True)
    for name in ("plans_by_age", "regions"):
        pd.testing.assert_series_equal(getattr(kept, name), getattr(built, name), check_exact=True)
    councils = ("E09000025", "E09000026", "E06000001", "E10000003")
    assert check_sen2_figures(data_dir, councils, tmp_path) == check_sen2_figures(data_dir, councils)
    assert check_sen2_figures(data_dir, councils, tmp_path) == check_sen2_figures(data_dir, councils)
    assert len(list(tmp_path.glob("sen2-counts-*.npz"))) == len(list(tmp_path.glob("sen2-checks-*.npz"))) == 1


def test_kept_area_centroids_are_the_projected_ones(data_dir, tmp_path):
    from geodata.areas import load_area_centroids

    for layer in ("LSOA", "MSOA"):
        built = load_area_centroids(data_dir, layer)
        load_area_centroids(data_dir, layer, tmp_path)
        load_area_centroids.cache_clear()  # the next call reads the kept table, not this process's
        pd.testing.assert_frame_equal(load_area_centroids(data_dir, layer, tmp_path), built, check_exact=True)
    assert len(list(tmp_path.glob("centroids-*.npz"))) == 2


def test_kept_sen2_flows_and_reference_are_the_built_ones_and_read_no_file(data_dir, tmp_path):
    from scenarios.calibration import load_reference
    from scenarios.placement_flows import sen2_children_by_group

    councils = ("E06000001", "E08000021", "E09000025")
    built, reference = sen2_children_by_group(data_dir), load_reference(data_dir, councils)
    sen2_children_by_group(data_dir, tmp_path), load_reference(data_dir, councils, tmp_path)  # cold: built and kept
    forget(data_dir)
    kept, kept_reference = sen2_children_by_group(data_dir, tmp_path), load_reference(data_dir, councils, tmp_path)
    assert world(data_dir).reads == {}
    pd.testing.assert_frame_equal(kept, built, check_exact=True)
    pd.testing.assert_frame_equal(kept_reference.need_by_group, reference.need_by_group, check_exact=True)
    pd.testing.assert_frame_equal(kept_reference.need_by_kind, reference.need_by_kind, check_exact=True)
    assert (kept_reference.residential, kept_reference.plans) == (reference.residential, reference.plans)
    assert len(list(tmp_path.glob("sen2-flows-*.npz"))) == 1


def test_kept_council_boundaries_are_the_projected_ones_and_read_no_file(data_dir, tmp_path):
    import shapely
    from geopandas.testing import assert_geodataframe_equal

    from geodata.councils import load_council_boundaries

    built = load_council_boundaries(data_dir)
    load_council_boundaries(data_dir, tmp_path)  # cold: built and kept
    forget(data_dir)
    kept = load_council_boundaries(data_dir, tmp_path)
    assert world(data_dir).reads == {}
    assert_geodataframe_equal(kept, built, check_less_precise=False)
    assert shapely.equals_exact(kept.geometry.to_numpy(), built.geometry.to_numpy(), tolerance=0).all()
    assert len(list(tmp_path.glob("boundaries-*.npz"))) == 1


def test_a_kept_cohort_is_the_one_drawn_afresh_with_the_same_warnings(data_dir, tmp_path):
    from scenarios.cohort import synthetic_cohort
    from scenarios.schema import CohortSpec

    councils = ("E06000012", "E10000003", "E06000001", "E09000025")  # the first two filled from their regions
    spec = CohortSpec(synthetic=True, seed=7, share=0.5)
    said_fresh: list[str] = []
    fresh = synthetic_cohort(data_dir, councils, spec, said_fresh)
    synthetic_cohort(data_dir, councils, spec, [], tmp_path)  # cold: drawn and kept
    said_kept = ["a warning said before the draw"]
    kept = synthetic_cohort(data_dir, councils, spec, said_kept, tmp_path)
    pd.testing.assert_frame_equal(kept, fresh, check_exact=True)
    assert said_fresh and said_kept == ["a warning said before the draw", *said_fresh]
    other = synthetic_cohort(data_dir, councils, spec.model_copy(update={"seed": 8}), [], tmp_path)
    assert not other.equals(fresh)  # another seed is another draw, kept under its own name
    assert len(list(tmp_path.glob("cohort-*.npz"))) == 2
