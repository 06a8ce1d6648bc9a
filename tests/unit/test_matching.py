"""The request matcher: each key, its diff lines, ranking of near misses, and bad matchers."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from sandbox.admin.har import har_document
from sandbox.admin.matching import KEYS, MatcherError, closest, parse_matcher
from sandbox.journal import Journal, JournalEntry


def _entry(entry_id: int = 1, **fields: Any) -> JournalEntry:
    body = fields.pop("body", "")
    values: dict[str, Any] = {
        "id": entry_id,
        "time": 1_700_000_000.0 + entry_id,
        "method": "POST",
        "path": "/api/v1/invoices/5",
        "query": "",
        "headers": {"X-Ninja-Token": "TOKEN", "Content-Type": "application/json"},
        "raw_body": body.encode() if isinstance(body, str) else orjson.dumps(body),
        "status": 200,
        "response_headers": {"Content-Type": "application/json"},
        "raw_response_body": b'{"data":{}}',
        "duration_ms": 3.5,
        "account_key": "KEY1",
        "route": "/api/v1/invoices/{invoice_id}",
    }
    values.update(fields)
    return JournalEntry(**values)


def _diff(matcher: dict[str, Any], entry: JournalEntry) -> list[str]:
    return parse_matcher(matcher).explain(entry)


def test_empty_matcher_matches_everything() -> None:
    matcher = parse_matcher({})
    assert matcher.matches(_entry())
    assert matcher.explain(_entry()) == []
    assert matcher.distance(_entry()) == 0


def test_method_is_case_insensitive_and_accepts_a_list() -> None:
    assert parse_matcher({"method": "post"}).matches(_entry())
    assert parse_matcher({"method": ["PUT", "POST"]}).matches(_entry())
    assert _diff({"method": "GET"}, _entry()) == ["method: expected GET, was POST"]
    assert _diff({"method": ["GET", "PUT"]}, _entry()) == ["method: expected GET or PUT, was POST"]


def test_exact_path() -> None:
    assert parse_matcher({"path": "/api/v1/invoices/5"}).matches(_entry())
    assert _diff({"path": "/api/v1/invoices/6"}, _entry()) == [
        "path: expected /api/v1/invoices/6, was /api/v1/invoices/5"
    ]


def test_path_template_matches_one_segment_per_placeholder() -> None:
    matcher = parse_matcher({"path_template": "/api/v1/invoices/{id}"})
    assert matcher.matches(_entry())
    assert not matcher.matches(_entry(path="/api/v1/invoices/5/extra"))
    assert not matcher.matches(_entry(path="/api/v1/invoices/"))
    assert matcher.explain(_entry(path="/api/v1/invoice/5")) == [
        "path: expected /api/v1/invoices/{id}, was /api/v1/invoice/5"
    ]
    dotted = parse_matcher({"path_template": "/api/v1/a.b/{x}"})
    assert not dotted.matches(_entry(path="/api/v1/aXb/1"))


def test_path_regex_must_match_the_whole_path() -> None:
    assert parse_matcher({"path_regex": r"/api/v1/invoices/\d+"}).matches(_entry())
    assert not parse_matcher({"path_regex": r"/api/v1/invoices"}).matches(_entry())
    assert _diff({"path_regex": r"/api/v1/clients/\d+"}, _entry()) == [
        r"path: expected a match for /api/v1/clients/\d+, was /api/v1/invoices/5"
    ]


def test_query_is_a_subset_and_lists_match_repeated_keys_in_order() -> None:
    entry = _entry(query="page=2&per_page=10&ids=1&ids=2")
    assert parse_matcher({"query": {"page": "2"}}).matches(entry)
    assert parse_matcher({"query": {"page": 2, "per_page": "10"}}).matches(entry)
    assert parse_matcher({"query": {"ids": "2"}}).matches(entry)
    assert parse_matcher({"query": {"ids": ["1", 2]}}).matches(entry)
    assert not parse_matcher({"query": {"ids": ["2", "1"]}}).matches(entry)
    assert _diff({"query": {"page": "3", "include": "client", "ids": ["1"]}}, entry) == [
        "query.page: expected 3, was 2",
        "query.include: expected client, was absent",
        'query.ids: expected ["1"], was ["1","2"]',
    ]


def test_headers_names_are_case_insensitive_and_values_exact() -> None:
    entry = _entry()
    assert parse_matcher({"headers": {"content-type": "application/json"}}).matches(entry)
    assert _diff(
        {"headers": {"Content-Type": "text/plain", "X-Requested-With": "XMLHttpRequest"}}, entry
    ) == [
        "headers.Content-Type: expected text/plain, was application/json",
        "headers.X-Requested-With: expected XMLHttpRequest, was absent",
    ]


def test_body_is_a_subset_with_lists_element_wise() -> None:
    entry = _entry(
        body={"client_id": 1, "name": "Acme", "items": [{"qty": 1, "key": "a"}, {"qty": 2}], "x": True}
    )
    assert parse_matcher({"body": {"name": "Acme"}}).matches(entry)
    assert parse_matcher({"body": {"items": [{"qty": 1.0}, {}]}}).matches(entry)
    assert not parse_matcher({"body": {"items": [{"qty": 1}]}}).matches(entry)
    assert not parse_matcher({"body": {"x": 1}}).matches(entry)
    assert not parse_matcher({"body": {"client_id": "1"}}).matches(entry)
    assert _diff({"body": {"name": "Other", "items": [{"qty": 1}], "missing": None}}, entry) == [
        'body.name: expected "Other", was "Acme"',
        "body.items: expected 1 item, was 2 items",
        "body.missing: expected null, was absent",
    ]
    assert _diff({"body": {"items": [{"qty": 1}, {"qty": 3}]}}, entry) == [
        "body.items[1].qty: expected 3, was 2"
    ]
    assert _diff({"body": {"name": {"first": "A"}}}, entry) == ['body.name: expected an object, was "Acme"']


def test_body_that_is_empty_or_not_json_never_matches() -> None:
    assert _diff({"body": {}}, _entry(body="")) == ["body: expected {}, was empty"]
    assert _diff({"body": {"a": 1}}, _entry(body="name=Acme")) == [
        'body: expected {"a":1}, was not JSON: name=Acme'
    ]


def test_body_diff_is_capped() -> None:
    expected = {f"k{i}": i for i in range(8)}
    lines = _diff({"body": expected}, _entry(body={}))
    assert len(lines) == 6
    assert lines[-1] == "body: and 3 more differences"
    assert parse_matcher({"body": expected}).distance(_entry(body={})) == 1


def test_jsonpath_list_needs_each_expression_to_find_something() -> None:
    entry = _entry(body={"client_id": 1, "invoice_items": [{"qty": 2, "product_key": "A"}]})
    assert parse_matcher({"jsonpath": ["$.client_id", "$.invoice_items[0].product_key"]}).matches(entry)
    assert _diff({"jsonpath": ["$.client_id", "$.po_number"]}, entry) == [
        "jsonpath $.po_number: expected a value, found nothing"
    ]
    assert _diff({"jsonpath": ["$.a"]}, _entry(body="")) == [
        "jsonpath $.a: expected a value, but the body is empty"
    ]


def test_jsonpath_object_compares_found_values() -> None:
    entry = _entry(
        body={
            "client_id": 1,
            "invoice_items": [{"qty": 2, "product_key": "A"}, {"qty": 1, "product_key": "B"}],
        }
    )
    assert parse_matcher({"jsonpath": {"$.client_id": 1}}).matches(entry)
    assert parse_matcher({"jsonpath": {"$.invoice_items[*].product_key": "B"}}).matches(entry)
    assert parse_matcher({"jsonpath": {"$.invoice_items[?(@.qty > 1)].product_key": "A"}}).matches(entry)
    assert _diff({"jsonpath": {"$.client_id": 2, "$.invoice_items[*].qty": 5, "$.nope": 1}}, entry) == [
        "jsonpath $.client_id: expected 2, found 1",
        "jsonpath $.invoice_items[*].qty: expected 5, found [2,1]",
        "jsonpath $.nope: expected 1, found nothing",
    ]


def test_account_token_and_status() -> None:
    entry = _entry(status=422)
    assert parse_matcher({"account": "KEY1", "token": "TOKEN", "status": [200, 422]}).matches(entry)
    assert parse_matcher({"account": None}).matches(_entry(account_key=None))
    assert _diff({"account": "KEY2", "token": "TOKEN2", "status": 200}, entry) == [
        "account: expected KEY2, was KEY1",
        "token: expected TOKEN2, was TOKEN",
        "status: expected 200, was 422",
    ]
    assert _diff({"token": "TOKEN"}, _entry(headers={})) == ["token: expected TOKEN, was absent"]
    assert _diff({"account": None}, entry) == ["account: expected none, was KEY1"]


def test_since_and_until_bound_the_entry_time() -> None:
    entry = _entry(time=1000.0)
    assert parse_matcher({"since": 1000, "until": 1000}).matches(entry)
    assert _diff({"since": 1001, "until": 999.5}, entry) == [
        "since: expected a time at or after 1001, was 1000.0",
        "until: expected a time at or before 999.5, was 1000.0",
    ]


def test_closest_ranks_fewest_failures_then_most_recent() -> None:
    matcher = parse_matcher({"method": "PUT", "path_template": "/api/v1/invoices/{id}", "status": 200})
    entries = [
        _entry(1, method="PUT", path="/api/v1/invoice/5"),  # 1 failing criterion
        _entry(2, method="GET", path="/api/v1/clients", status=404),  # 3
        _entry(3, method="PUT", path="/api/v1/invoices/5"),  # matches: not a near miss
        _entry(4, method="POST"),  # 1, and newer than entry 1
        _entry(5, method="GET", status=404),  # 2
    ]
    ranked = closest(matcher, entries, 3)
    assert [(entry.id, diff) for entry, diff in ranked] == [
        (4, ["method: expected PUT, was POST"]),
        (1, ["path: expected /api/v1/invoices/{id}, was /api/v1/invoice/5"]),
        (5, ["method: expected PUT, was GET", "status: expected 200, was 404"]),
    ]


@pytest.mark.parametrize(
    ("matcher", "message"),
    [
        ([], "the matcher must be a JSON object"),
        ({"verb": "GET"}, "unknown matcher key: verb (known keys: " + ", ".join(KEYS) + ")"),
        ({"method": 1}, "method must be a string or a list of strings"),
        ({"path": 5}, "path must be a string"),
        (
            {"path": "/a", "path_regex": "/a"},
            "give only one of path, path_template and path_regex, not path and path_regex",
        ),
        ({"path_template": "/a/{id"}, "path_template has an unbalanced or empty {} in /a/{id"),
        ({"path_template": "/a/{}"}, "path_template has an unbalanced or empty {} in /a/{}"),
        ({"query": ["page"]}, "query must be an object of parameter names to values"),
        ({"query": {"page": True}}, "query.page must be a string, a number or a list of them"),
        ({"headers": {"Accept": 1}}, "headers must be an object of header names to string values"),
        ({"jsonpath": "$.a"}, "jsonpath must be a list of expressions or an object of expressions to values"),
        ({"account": 5}, "account must be an account_key string or null"),
        ({"token": None}, "token must be a string"),
        ({"status": "200"}, "status must be an integer or a list of integers"),
        ({"status": []}, "status must be an integer or a list of integers"),
        ({"since": "yesterday"}, "since must be a unix time (a number)"),
        ({"until": True}, "until must be a unix time (a number)"),
    ],
)
def test_invalid_matchers_name_the_bad_key(matcher: Any, message: str) -> None:
    with pytest.raises(MatcherError) as raised:
        parse_matcher(matcher)
    assert str(raised.value) == message


def test_invalid_regex_and_jsonpath_name_the_key() -> None:
    with pytest.raises(MatcherError, match=r"^path_regex is not a valid regular expression: "):
        parse_matcher({"path_regex": "(unclosed"})
    with pytest.raises(MatcherError, match=r"^jsonpath expression \$\.a\[ cannot be parsed: "):
        parse_matcher({"jsonpath": ["$.a["]})


async def test_journal_wakes_waiters_on_record_and_clear() -> None:
    journal = Journal(10)
    loop = asyncio.get_running_loop()
    loop.call_soon(journal.record, _entry())
    async with asyncio.timeout(1):
        await journal.changed()
    loop.call_soon(journal.clear)
    async with asyncio.timeout(1):
        await journal.changed()
    assert len(journal) == 0
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.01):
            await journal.changed()


def test_har_document_has_the_required_fields() -> None:
    entry = _entry(
        query="a=1&b=", headers={"Host": "sandbox:8000", "Content-Type": "application/json"}, body={"x": 1}
    )
    har = har_document([entry], "http://127.0.0.1:9")
    assert har["log"]["version"] == "1.2"
    assert har["log"]["creator"]["name"] == "ninja-sandbox"
    (item,) = har["log"]["entries"]
    assert item["startedDateTime"] == "2023-11-14T22:13:21.000+00:00"
    assert item["request"]["url"] == "http://sandbox:8000/api/v1/invoices/5?a=1&b="
    assert item["request"]["queryString"] == [{"name": "a", "value": "1"}, {"name": "b", "value": ""}]
    assert item["request"]["postData"] == {"mimeType": "application/json", "text": '{"x":1}', "params": []}
    assert item["response"]["statusText"] == "OK"
    assert item["response"]["content"] == {"size": 11, "mimeType": "application/json", "text": '{"data":{}}'}
    assert (item["time"], item["timings"]["wait"], item["_id"]) == (3.5, 3.5, 1)


async def test_a_wait_wrapped_in_a_task_sees_a_change_made_before_the_task_starts() -> None:
    journal = Journal(10)
    waiting = asyncio.ensure_future(journal.changed())
    journal.record(_entry())  # before the task has run a single step
    async with asyncio.timeout(1):
        await waiting
    assert len(journal) == 1


async def test_a_wait_that_times_out_leaves_no_waiter_behind() -> None:
    journal = Journal(10)
    for _ in range(3):
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.001):
                await journal.changed()
    assert journal._changes._waiters == []
