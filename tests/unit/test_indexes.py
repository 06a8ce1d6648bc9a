"""The indexes' compact parts: public ids in an array, small buckets as tuples, runs of ids in arrays."""

from __future__ import annotations

import random

from sandbox.store.buckets import TUPLE_BUCKET_MAX, FieldIndex
from sandbox.store.indexes import Indexes, PublicIds


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
    record = {"account_id": 1, "invoice_number": "INV-9"}
    field = indexes.by_field[("invoices", "invoice_number")]
    for doc_id in range(1, TUPLE_BUCKET_MAX + 4):
        indexes.add("invoices", doc_id, {**record, "public_id": doc_id})
        assert list(field.members("inv-9")) == list(range(1, doc_id + 1))
    for doc_id in (2, 1):
        indexes.remove("invoices", doc_id, {**record, "public_id": doc_id})
    assert list(field.members("INV-9".lower())) == list(range(3, TUPLE_BUCKET_MAX + 4))
    small = Indexes()
    for doc_id in (4, 5, 6):
        small.add("invoices", doc_id, {**record, "public_id": doc_id})
    small.remove("invoices", 5, {**record, "public_id": 5})
    small.add("invoices", 5, {**record, "public_id": 5})  # a record re-added goes last
    assert list(small.by_field[("invoices", "invoice_number")].members("inv-9")) == [4, 6, 5]
    small.remove("invoices", 4, {**record, "public_id": 4})
    small.remove("invoices", 6, {**record, "public_id": 6})
    assert list(small.by_field[("invoices", "invoice_number")].members("inv-9")) == [5]
    assert small.by_public[("invoices", 1)].highest() == 5


def test_an_invoice_s_items_are_one_run_until_an_id_breaks_it() -> None:
    index = FieldIndex()
    for doc_id in (10, 11, 12):
        index.join(7, doc_id)
    assert index.members(7) == range(10, 13)  # held as a run, not a bucket
    index.join(7.0, 11)  # already there (7.0 and 7 are one value, as dict keys are)
    index.leave(7, 10)
    assert index.members(True) == ()
    assert index.members(7) == range(11, 13)
    index.join(7, 40)  # not the next id: the bucket leaves the arrays, in order
    assert list(index.members(7)) == [11, 12, 40]
    index.leave(7, 11)
    index.leave(7, 12)
    index.leave(7, 40)
    assert list(index.members(7)) == []
    index.join(7, 50)  # an emptied value starts a run again
    assert index.members(7) == range(50, 51)


def test_a_field_index_answers_like_a_dict_of_ordered_buckets() -> None:
    rng = random.Random(11)
    index, expected = FieldIndex(), {}
    values: list[object] = [1, 2, 3, 2.0, True, False, 0, -3, 1500, 10**12, 2.5, "a", "b", None]
    next_id = 1
    for step in range(6000):
        value = rng.choice([*values, rng.randint(0, 3000)])
        roll = rng.random()
        if roll < 0.45:
            doc_id, next_id = next_id, next_id + 1  # new records: consecutive ids, as the store makes them
        elif roll < 0.6:
            doc_id = rng.randint(1, next_id)
        else:
            bucket = expected.get(value)
            doc_id = rng.choice(bucket) if bucket and rng.random() < 0.9 else rng.randint(1, next_id)
            index.leave(value, doc_id)
            if bucket and doc_id in bucket:
                bucket.remove(doc_id)
                if not bucket:
                    del expected[value]
            continue
        index.join(value, doc_id)
        bucket = expected.setdefault(value, [])
        if doc_id not in bucket:
            bucket.append(doc_id)
        probe = rng.choice([*values, value, rng.randint(-2, 3100)])
        assert list(index.members(probe)) == expected.get(probe, []), step
    copied = index.copy()
    for value in list(expected):
        for doc_id in list(expected[value]):
            copied.leave(value, doc_id)
        assert list(copied.members(value)) == []
        assert list(index.members(value)) == expected[value]  # the copy is independent
