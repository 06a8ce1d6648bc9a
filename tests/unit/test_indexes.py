"""The indexes' compact parts: public ids in an array, small buckets as tuples."""

from __future__ import annotations

import random

from sandbox.store.indexes import TUPLE_BUCKET_MAX, Indexes, PublicIds, members


def test_public_ids_answer_like_a_dict_whatever_the_ids() -> None:
    ids, expected = PublicIds(), {}
    rng = random.Random(7)
    for step in range(3000):
        public_id = rng.choice([rng.randint(1, 400), rng.randint(1, 10**12), rng.randint(-5, 0)])
        if step % 3 == 2 and expected:
            gone = rng.choice(list(expected))
            del ids[gone]
            del expected[gone]
        else:
            ids[public_id] = step + 1
            expected[public_id] = step + 1
        probe = rng.choice([public_id, rng.randint(-5, 2000), "7", None, 10**13])
        assert ids.get(probe) == expected.get(probe)
    assert ids.highest() == max(expected, default=0)
    copied = ids.copy()
    del copied[max(expected)]
    assert ids.get(max(expected)) == expected[max(expected)]  # the copy is independent


def test_a_public_id_moved_from_the_dict_into_the_array_is_found_once() -> None:
    ids = PublicIds()
    ids[5000] = 1  # far past the array: kept in the dict
    for public_id in range(1, 5001, 500):
        ids[public_id] = public_id + 10  # the array grows past 5000 ...
    ids[5000] = 2  # ... so the new mapping goes in the array and the old one must not come back
    assert ids.get(5000) == 2
    del ids[5000]
    assert ids.get(5000) is None
    assert ids.highest() == 4501


def test_buckets_keep_insertion_order_through_tuples_and_dicts() -> None:
    indexes = Indexes()
    record = {"account_id": 1, "invoice_id": 9}
    for doc_id in range(1, TUPLE_BUCKET_MAX + 4):
        indexes.add("invoice_items", doc_id, {**record, "public_id": doc_id})
        bucket = indexes.by_field[("invoice_items", "invoice_id")][9]
        assert list(members(bucket)) == list(range(1, doc_id + 1))
        assert isinstance(bucket, int if doc_id == 1 else tuple if doc_id < TUPLE_BUCKET_MAX else dict)
    for doc_id in (2, 1):
        indexes.remove("invoice_items", doc_id, {**record, "public_id": doc_id})
    assert list(members(indexes.by_field[("invoice_items", "invoice_id")][9])) == list(
        range(3, TUPLE_BUCKET_MAX + 4)
    )
    small = Indexes()
    for doc_id in (4, 5, 6):
        small.add("invoice_items", doc_id, {**record, "public_id": doc_id})
    small.remove("invoice_items", 5, {**record, "public_id": 5})
    small.add("invoice_items", 5, {**record, "public_id": 5})  # a record re-added goes last
    assert list(members(small.by_field[("invoice_items", "invoice_id")][9])) == [4, 6, 5]
    small.remove("invoice_items", 4, {**record, "public_id": 4})
    small.remove("invoice_items", 6, {**record, "public_id": 6})
    assert small.by_field[("invoice_items", "invoice_id")][9] == 5
    assert small.by_public[("invoice_items", 1)].highest() == 5
