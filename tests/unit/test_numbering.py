"""Invoice/quote numbering against v4-entities.md §6 and ``GeneratesNumbers``, with literal expectations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from sandbox.models.numbering import (
    NumberChoice,
    client_counter_after_insert,
    counter_after_insert,
    next_number,
    php_date,
)

TODAY = date(2024, 3, 7)


def _account(**overrides: Any) -> dict[str, Any]:
    account: dict[str, Any] = {
        "invoice_number_counter": 1,
        "quote_number_counter": 1,
        "share_counter": True,
        "invoice_number_padding": 4,
        "invoice_number_prefix": None,
        "quote_number_prefix": None,
        "invoice_number_pattern": None,
        "quote_number_pattern": None,
        "recurring_invoice_number_prefix": "R",
        "credit_number_counter": 0,
    }
    account.update(overrides)
    return account


def _client(**overrides: Any) -> dict[str, Any]:
    client: dict[str, Any] = {
        "invoice_number_counter": 1,
        "quote_number_counter": 1,
        "custom_value1": "ACME",
        "custom_value2": "EU",
        "id_number": "C-42",
    }
    client.update(overrides)
    return client


def _taken(*numbers: str) -> Callable[[str], bool]:
    lowered = {n.lower() for n in numbers}
    return lambda number: number.lower() in lowered


NONE_TAKEN = _taken()


def _next(account: dict[str, Any], *, is_quote: bool = False, **kwargs: Any) -> NumberChoice:
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("is_taken", NONE_TAKEN)
    return next_number(account, is_quote=is_quote, **kwargs)


class _Sim:
    """Creates invoices/quotes in sequence, applying the counter updates as the caller would."""

    def __init__(self, account: dict[str, Any]) -> None:
        self.account = account
        self.numbers: list[str] = []

    def create(self, *, is_quote: bool = False, custom: str | None = None, amount: float = 10.0) -> str:
        choice = _next(self.account, is_quote=is_quote, is_taken=_taken(*self.numbers))
        self.account.update(choice.counter_updates)
        number = custom or choice.number
        self.account.update(
            counter_after_insert(
                self.account, is_quote=is_quote, amount=amount, custom_number_given=custom is not None
            )
        )
        self.numbers.append(number)
        return number


# --- plain counter -------------------------------------------------------------------------------


def test_first_invoice_is_0001() -> None:
    assert _next(_account()) == NumberChoice("0001", {})


def test_second_invoice_is_0002() -> None:
    sim = _Sim(_account())
    assert [sim.create(), sim.create()] == ["0001", "0002"]
    assert sim.account["invoice_number_counter"] == 3


def test_shared_counter_invoice_quote_invoice() -> None:
    sim = _Sim(_account())
    assert [sim.create(), sim.create(is_quote=True), sim.create()] == ["0001", "0002", "0003"]
    assert sim.account["invoice_number_counter"] == 4
    assert sim.account["quote_number_counter"] == 1


def test_unshared_quote_counter() -> None:
    sim = _Sim(_account(share_counter=False, quote_number_prefix="Q-"))
    assert [sim.create(), sim.create(is_quote=True), sim.create()] == ["0001", "Q-0001", "0002"]
    assert sim.account["invoice_number_counter"] == 3
    assert sim.account["quote_number_counter"] == 2


def test_unshared_quote_uses_quote_counter_value() -> None:
    account = _account(share_counter=False, invoice_number_counter=9, quote_number_counter=3)
    assert _next(account, is_quote=True).number == "0003"


def test_shared_quote_ignores_quote_counter_value() -> None:
    account = _account(invoice_number_counter=9, quote_number_counter=3)
    assert _next(account, is_quote=True).number == "0009"


def test_invoice_prefix() -> None:
    assert _next(_account(invoice_number_prefix="INV-", invoice_number_counter=12)).number == "INV-0012"


def test_quote_prefix_on_shared_counter() -> None:
    account = _account(invoice_number_prefix="INV-", quote_number_prefix="Q-", invoice_number_counter=5)
    assert _next(account, is_quote=True).number == "Q-0005"


def test_prefix_ignored_without_invoice_settings_feature() -> None:
    account = _account(invoice_number_prefix="INV-", invoice_number_pattern="{$year}-{$counter}")
    assert _next(account, invoice_settings=False).number == "0001"


def test_padding_6() -> None:
    assert _next(_account(invoice_number_padding=6, invoice_number_counter=42)).number == "000042"


def test_counter_longer_than_padding_is_not_cut() -> None:
    assert _next(_account(invoice_number_counter=123456)).number == "123456"


# --- taken numbers -------------------------------------------------------------------------------


def test_taken_numbers_skipped_and_counter_advanced() -> None:
    choice = _next(_account(), is_taken=_taken("0001", "0002", "0003"))
    assert choice == NumberChoice("0004", {"invoice_number_counter": 4})


def test_taken_check_is_case_insensitive_in_caller() -> None:
    choice = _next(_account(invoice_number_prefix="inv-"), is_taken=_taken("INV-0001"))
    assert choice == NumberChoice("inv-0002", {"invoice_number_counter": 2})


def test_skip_then_insert_increment() -> None:
    sim = _Sim(_account())
    sim.numbers = ["0001", "0002"]  # e.g. given as custom numbers while the counter stayed at 1
    assert sim.create() == "0003"
    assert sim.account["invoice_number_counter"] == 4


def test_unshared_quote_skips_advance_quote_counter() -> None:
    account = _account(share_counter=False, quote_number_counter=2)
    choice = _next(account, is_quote=True, is_taken=_taken("0002", "0003"))
    assert choice == NumberChoice("0004", {"quote_number_counter": 4})


def test_shared_quote_skips_leave_counter_alone() -> None:
    # v4 quirk: a quote on the shared counter skips taken numbers but stores no catch-up.
    choice = _next(_account(), is_quote=True, is_taken=_taken("0001", "0002"))
    assert choice == NumberChoice("0003", {})


def test_pattern_without_counter_taken_gives_empty_number() -> None:
    account = _account(invoice_number_pattern="FIXED-{$year}")
    assert _next(account, is_taken=_taken("FIXED-2024")) == NumberChoice("", {})


# --- patterns -------------------------------------------------------------------------------------


def test_pattern_year_and_counter() -> None:
    account = _account(invoice_number_pattern="{$year}-{$counter}", invoice_number_counter=7)
    assert _next(account).number == "2024-0007"


def test_pattern_uses_padding() -> None:
    account = _account(invoice_number_pattern="X{$counter}", invoice_number_padding=2)
    assert _next(account).number == "X01"


def test_quote_pattern() -> None:
    account = _account(quote_number_pattern="Q{$year}/{$counter}", invoice_number_counter=3)
    assert _next(account, is_quote=True).number == "Q2024/0003"


def test_pattern_user_id() -> None:
    account = _account(invoice_number_pattern="{$userId}-{$counter}")
    assert _next(account, user_public_id=0).number == "01-0001"
    assert _next(account, user_public_id=11).number == "12-0001"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("Y", "2024"),
        ("y", "24"),
        ("m", "03"),
        ("n", "3"),
        ("d", "07"),
        ("j", "7"),
        ("M", "Mar"),
        ("F", "March"),
        ("Ymd", "20240307"),
        ("y-m", "24-03"),
        ("\\Y", "Y"),
    ],
)
def test_pattern_date(fmt: str, expected: str) -> None:
    account = _account(invoice_number_pattern="{$date:" + fmt + "}-{$counter}")
    assert _next(account).number == f"{expected}-0001"


def test_php_date_more_letters() -> None:
    assert php_date("D l N w z t L S", date(2024, 2, 1)) == "Thu Thursday 4 4 31 29 1 st"


def test_pattern_client_custom_values() -> None:
    account = _account(invoice_number_pattern="{$custom1}-{$clientCustom2}-{$counter}")
    assert _next(account, client=_client()).number == "ACME-EU-0001"


def test_pattern_client_custom_aliases() -> None:
    account = _account(invoice_number_pattern="{$clientCustom1}/{$custom2}")
    assert _next(account, client=_client()).number == "ACME/EU"


def test_pattern_client_null_custom_value_is_empty() -> None:
    account = _account(invoice_number_pattern="{$custom1}{$counter}")
    assert _next(account, client=_client(custom_value1=None)).number == "0001"


def test_pattern_id_number() -> None:
    account = _account(invoice_number_pattern="{$idNumber}-{$counter}")
    assert _next(account, client=_client()).number == "C-42-0001"
    account = _account(invoice_number_pattern="{$clientIdNumber}-{$counter}")
    assert _next(account, client=_client()).number == "C-42-0001"


def test_pattern_client_counter() -> None:
    account = _account(invoice_number_pattern="{$idNumber}-{$clientCounter}")
    assert _next(account, client=_client(invoice_number_counter=5)).number == "C-42-0005"


def test_pattern_client_counter_unshared_quote() -> None:
    account = _account(share_counter=False, quote_number_pattern="Q{$clientCounter}")
    client = _client(invoice_number_counter=5, quote_number_counter=2)
    assert _next(account, is_quote=True, client=client).number == "Q0002"


def test_client_pattern_without_client_gives_no_number() -> None:
    account = _account(invoice_number_pattern="{$clientCounter}")
    assert _next(account) == NumberChoice("", {})


# --- recurring children ---------------------------------------------------------------------------


def test_recurring_child_prefix() -> None:
    account = _account(invoice_number_counter=5)
    assert _next(account, recurring=True).number == "R0005"


def test_recurring_child_custom_prefix_and_skip() -> None:
    account = _account(recurring_invoice_number_prefix="REC-", invoice_number_counter=5)
    choice = _next(account, recurring=True, is_taken=_taken("REC-0005"))
    assert choice == NumberChoice("REC-0006", {"invoice_number_counter": 6})


def test_recurring_prefix_default_r_when_missing() -> None:
    account = _account(invoice_number_counter=5)
    del account["recurring_invoice_number_prefix"]
    assert _next(account, recurring=True).number == "R0005"


# --- counter after insert ------------------------------------------------------------------------


def test_counter_increments_with_custom_number() -> None:
    sim = _Sim(_account())
    assert sim.create(custom="MY-1") == "MY-1"
    assert sim.account["invoice_number_counter"] == 2
    assert sim.create() == "0002"


def test_counter_after_insert_unshared_quote() -> None:
    account = _account(share_counter=False, quote_number_counter=4)
    update = counter_after_insert(account, is_quote=True, amount=0.0, custom_number_given=False)
    assert update == {"quote_number_counter": 5}


def test_negative_amount_with_credit_counter_off() -> None:
    update = counter_after_insert(_account(), is_quote=False, amount=-5.0, custom_number_given=False)
    assert update == {}


def test_negative_amount_with_credit_counter_on() -> None:
    account = _account(credit_number_counter=3)
    update = counter_after_insert(account, is_quote=False, amount=-0.01, custom_number_given=False)
    assert update == {"credit_number_counter": 4}


def test_zero_amount_counts() -> None:
    update = counter_after_insert(_account(), is_quote=False, amount=0.0, custom_number_given=True)
    assert update == {"invoice_number_counter": 2}


def test_recurring_template_does_not_bump() -> None:
    update = counter_after_insert(
        _account(), is_quote=False, amount=10.0, custom_number_given=False, is_recurring=True
    )
    assert update == {}


def test_pattern_without_counter_does_not_bump_account() -> None:
    account = _account(invoice_number_pattern="{$idNumber}-{$clientCounter}")
    assert counter_after_insert(account, is_quote=False, amount=1.0, custom_number_given=False) == {}


def test_pattern_with_counter_bumps_account() -> None:
    account = _account(invoice_number_pattern="{$year}{$counter}", invoice_number_counter=8)
    update = counter_after_insert(account, is_quote=False, amount=1.0, custom_number_given=False)
    assert update == {"invoice_number_counter": 9}


def test_client_counter_bumped() -> None:
    account = _account(invoice_number_pattern="{$idNumber}-{$clientCounter}")
    client = _client(invoice_number_counter=5)
    assert client_counter_after_insert(account, client, is_quote=False, amount=1.0) == {
        "invoice_number_counter": 6
    }


def test_client_counter_unshared_quote_bumped() -> None:
    account = _account(share_counter=False, invoice_number_pattern="{$clientCounter}")
    client = _client(quote_number_counter=2)
    assert client_counter_after_insert(account, client, is_quote=True, amount=1.0) == {
        "quote_number_counter": 3
    }


def test_client_counter_not_bumped_without_placeholder_or_negative() -> None:
    client = _client(invoice_number_counter=5)
    assert client_counter_after_insert(_account(), client, is_quote=False, amount=1.0) == {}
    account = _account(invoice_number_pattern="{$clientCounter}")
    assert client_counter_after_insert(account, client, is_quote=False, amount=-1.0) == {}


def test_client_counter_sequence() -> None:
    account = _account(invoice_number_pattern="{$idNumber}-{$clientCounter}")
    client = _client(invoice_number_counter=1)
    numbers = []
    for _ in range(2):
        numbers.append(_next(account, client=client).number)
        client.update(client_counter_after_insert(account, client, is_quote=False, amount=1.0))
        account.update(counter_after_insert(account, is_quote=False, amount=1.0, custom_number_given=False))
    assert numbers == ["C-42-0001", "C-42-0002"]
    assert account["invoice_number_counter"] == 1
    assert client["invoice_number_counter"] == 3
