"""The one door to DuckDB: read-only, named queries, bound parameters, and a swapped file noticed."""

from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest
import shapely

from sozialdash import config
from sozialdash.build import build_store
from sozialdash.store import Store, StoreMissing, current_store, from_wkb, query_text


def test_store_reads_the_dataset_meta(store):
    assert store.meta["city"] == "Musterstadt"
    assert store.meta["is_demo"]
    assert store.build_id == store.meta["build_id"]


def test_current_store_is_reused_while_the_file_is_unchanged(tmp_path, demo_dataset):
    path = tmp_path / "store.duckdb"
    build_store(demo_dataset, path)
    assert current_store(path) is current_store(path)


def test_current_store_defaults_to_the_configured_file(demo_db):
    assert config.db_path() == demo_db.resolve()
    assert current_store().path == demo_db.resolve()


def test_swapped_file_is_noticed_and_the_old_store_keeps_working(tmp_path, demo_dataset):
    path = tmp_path / "store.duckdb"
    first_id = build_store(demo_dataset, path)
    old = current_store(path)
    assert old.build_id == first_id

    second_id = build_store(demo_dataset, path)
    new = current_store(path)

    assert second_id != first_id
    assert new is not old
    assert new.build_id == second_id
    assert new.run("dataset_meta")["build_id"].to_list() == [second_id]
    # A session that still holds the old build finishes its rerun on the old data instead of crashing.
    assert old.run("dataset_meta")["build_id"].to_list() == [first_id]
    assert len(old.run("areas")) == len(demo_dataset.areas)


def test_missing_file_raises_store_missing(tmp_path):
    with pytest.raises(StoreMissing):
        current_store(tmp_path / "gibt-es-nicht.duckdb")
    assert issubclass(StoreMissing, FileNotFoundError)


@pytest.mark.parametrize("name", ["../x", "a-b", "../queries/schema", "dataset_meta.sql", "", "a b", "/etc/passwd"])
def test_query_names_must_be_identifiers(name):
    with pytest.raises(ValueError, match="invalid query name"):
        query_text(name)


def test_query_text_reads_the_named_file():
    assert "FROM dataset" in query_text("dataset_meta")


def test_unknown_query_name_is_an_error(store):
    with pytest.raises(FileNotFoundError):
        store.run("gibt_es_nicht")


def test_surplus_parameters_are_refused(store):
    with pytest.raises(duckdb.Error):
        store.run("dataset_meta", year=2025)


def test_missing_parameters_are_refused(store):
    with pytest.raises(duckdb.Error):
        store.run("indicator_years")


def test_parameters_are_bound_not_spliced(store):
    """A value that looks like SQL is just a value that matches nothing."""
    years = store.run("indicator_years", indicator="kinderarmut' OR '1'='1")
    assert years.empty
    assert len(store.run("indicator_years", indicator="kinderarmut")) >= 10


@pytest.mark.parametrize("statement", [
    "INSERT INTO topics VALUES ('x', 'y', 99)",
    "DELETE FROM indicator_values",
    "CREATE TABLE store.hack (x INTEGER)",
    "UPDATE dataset SET city = 'x'",
])
def test_store_is_read_only(store, statement):
    with pytest.raises(duckdb.Error, match="read-only"):
        store._cursor().execute(statement)
    assert store.run("dataset_meta")["city"].to_list() == ["Musterstadt"]


@pytest.mark.parametrize(("query", "column"), [("area_shapes", "display_wkb"), ("area_shapes_full", "full_wkb")])
def test_blobs_become_shapely_geometries(store, query, column):
    shapes = store.run(query, level=2)
    assert len(shapes) >= 25
    assert all(isinstance(blob, (bytes, bytearray, memoryview)) for blob in shapes[column])
    geometries = from_wkb(shapes[column])
    assert all(isinstance(g, shapely.Polygon | shapely.MultiPolygon) for g in geometries)
    assert shapely.is_valid(geometries).all()
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    assert 5 < minx < maxx < 16 and 47 < miny < maxy < 56  # longitude / latitude in Germany


def test_display_geometry_is_simpler_than_the_full_one(store):
    display = from_wkb(store.run("area_shapes", level=2)["display_wkb"])
    full = from_wkb(store.run("area_shapes_full", level=2)["full_wkb"])
    assert shapely.get_num_coordinates(display).sum() < shapely.get_num_coordinates(full).sum()
    assert shapely.area(display).sum() == pytest.approx(shapely.area(full).sum(), rel=0.01)


def test_each_thread_gets_its_own_cursor(store):
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: store.run("areas")["area_id"].to_list(), range(8)))
        cursors = set(pool.map(lambda _: id(store._cursor()), range(8)))
    assert all(result == results[0] for result in results)
    assert id(store._cursor()) not in cursors


def test_a_store_can_be_opened_directly(demo_db, store):
    other = Store(demo_db)
    try:
        assert other.build_id == store.build_id
    finally:
        other.close()
    assert store.run("dataset_meta")["build_id"].to_list() == [store.build_id]


def _outdated_copy(demo_db, tmp_path, is_demo=True):
    import shutil

    import duckdb

    path = tmp_path / "old.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE dataset SET schema_version = schema_version - 1, is_demo = $demo", {"demo": is_demo})
    return path


@pytest.mark.parametrize("is_demo", [True, False])
def test_a_file_from_another_version_is_refused(demo_db, tmp_path, is_demo):
    from sozialdash.store import StoreOutdated

    with pytest.raises(StoreOutdated) as refused:
        current_store(_outdated_copy(demo_db, tmp_path, is_demo))
    assert refused.value.is_demo is is_demo
