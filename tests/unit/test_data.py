"""The pages' cached reads: the store's rows, with text as Python strings."""

import logging

import pandas as pd

from sozialdash.ui.data import query


def test_text_columns_hold_python_strings_with_the_same_values_and_gaps(store):
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # cache_resource outside a running app warns
    direct = store.run("areas")
    read = query(store, "areas")
    text = [c for c in direct.columns if direct[c].dtype == "str"]
    assert "name" in text and "parent_id" in text
    assert all(read[c].dtype == object for c in text)
    assert all(read[c].dtype == direct[c].dtype for c in direct.columns if c not in text)
    assert read["parent_id"].isna().sum() == direct["parent_id"].isna().sum() > 0  # the city has no parent
    pd.testing.assert_frame_equal(read.astype({c: "str" for c in text}), direct)


def test_each_caller_gets_its_own_copy(store):
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    first = query(store, "areas")
    first.loc[:, "name"] = "geändert"
    assert (query(store, "areas")["name"] != "geändert").all()
