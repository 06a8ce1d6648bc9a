"""``AdminClient``: one method per admin route, calls routed through the table, errors as ``AdminError``."""

from __future__ import annotations

import inspect
import socket

import pytest

from sandbox import AdminClient, SandboxServer
from sandbox.admin import ADMIN_ROUTES
from sandbox.client import AdminError


def test_every_admin_route_has_a_client_method() -> None:
    names = [route.name for route in ADMIN_ROUTES]
    missing = [name for name in names if not callable(getattr(AdminClient, name, None))]
    assert missing == [], (
        "admin routes without an AdminClient method (add one to sandbox/client.py, named after the "
        f"route, calling self._call({missing[0] if missing else ''!r}, ...)): {', '.join(missing)}"
    )


def test_every_client_method_calls_its_own_route() -> None:
    public = {
        name
        for name, member in inspect.getmembers(AdminClient, inspect.isfunction)
        if not name.startswith("_") and name != "close"  # close() ends the kept connections
    }
    routed = {route.name for route in ADMIN_ROUTES}
    assert public - routed == set()
    for name in sorted(public):
        source = inspect.getsource(getattr(AdminClient, name))
        assert f'self._call("{name}"' in source, name


def test_calls_go_to_the_route_the_table_names(server: SandboxServer) -> None:
    client = AdminClient(server.url + "/")
    assert client.reset(dataset="demo", seed=1) == {"reset": True, "fixtures": "demo", "seed": 1}
    health = client.health()
    assert (health["status"], health["fixtures"], health["seed"]) == ("ok", "demo", 1)
    assert client.list_requests() == {"requests": [], "total": 0, "dropped": 0}
    assert client.count_requests({"method": "GET"}) == 0
    verdict = client.verify_requests({"path": "/api/v1/clients"}, count=0)
    assert (verdict["pass"], verdict["count"]) == (True, 0)
    assert client.save_snapshot("client-test")["name"] == "client-test"
    assert client.delete_snapshot("client-test") == {"deleted": "client-test"}
    assert client.list_errors() == {"errors": [], "total": 0, "dropped": 0}
    assert client.clear_errors() == {"cleared": True}


def test_an_error_answer_raises_admin_error(server: SandboxServer) -> None:
    client = AdminClient(server.url)
    with pytest.raises(AdminError) as caught:
        client.reset(dataset="no-such-dataset")
    assert caught.value.status == 400
    assert isinstance(caught.value.body, dict)
    assert "no-such-dataset" in caught.value.body["error"]
    assert str(caught.value).startswith("admin API answered 400: ")
    with pytest.raises(AdminError) as missing:
        client.get_fault(999)
    assert missing.value.status == 404
    assert missing.value.body == {"error": missing.value.body["error"]}


def test_a_missing_attachment_raises_404(server: SandboxServer) -> None:
    client = AdminClient(server.url)
    client.reset()
    with pytest.raises(AdminError) as caught:
        client.get_attachment(1, 0)
    assert caught.value.status == 404


def test_calls_share_one_kept_connection_and_close_ends_it(server: SandboxServer) -> None:
    """A suite resets before every test: the client keeps its connection instead of opening one per call."""
    with AdminClient(server.url) as client:
        assert client.reset()["reset"] is True
        assert client.health()["status"] == "ok"
        assert client.list_errors()["errors"] == []
        assert len(client._opened) == 1
        client.close()
        assert client._opened == []
        assert client.health()["status"] == "ok"  # a closed client opens a new connection on its next call
        assert len(client._opened) == 1
    assert client._opened == []


def test_a_connection_the_server_closed_is_replaced(server: SandboxServer) -> None:
    client = AdminClient(server.url)
    assert client.health()["status"] == "ok"
    first = client._opened[0]
    first.sock.shutdown(socket.SHUT_RDWR)  # as if the server had dropped the idle connection
    assert client.health()["status"] == "ok"
    assert client._opened != [first]
    client.close()
