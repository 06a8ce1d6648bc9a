"""The ``ninja-sandbox`` command: ``serve`` runs the sandbox with flags or ``SANDBOX_*`` variables."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Sequence

from aiohttp import web

from sandbox import __version__
from sandbox.app import create_app
from sandbox.keys import runtime_key
from sandbox.seed import DatasetError
from sandbox.settings import SETTING_SPECS, Settings
from sandbox.store import StorageFailure


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ninja-sandbox", description="A local sandbox of the Invoice Ninja v4 API."
    )
    parser.add_argument("--version", action="version", version=f"ninja-sandbox {__version__}")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="serve the API, the admin API and the demo")
    for spec in SETTING_SPECS:
        if spec.kind is bool:
            serve.add_argument(spec.flag, dest=spec.name, action="store_true", default=None, help=spec.help)
        else:
            serve.add_argument(
                spec.flag, dest=spec.name, type=spec.kind, default=None, help=f"{spec.help} (env {spec.env})"
            )
    coverage = commands.add_parser("coverage", help="print COVERAGE.md: every v4 route and its state here")
    coverage.add_argument(
        "--fidelity", default="FIDELITY.md", help="the FIDELITY.md whose entries mark routes that differ"
    )
    return parser


def _print_coverage(fidelity: str) -> int:
    from pathlib import Path

    from sandbox.api import api_routes
    from sandbox.api.coverage import coverage_markdown

    path = Path(fidelity)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    sys.stdout.write(coverage_markdown(api_routes(), text))
    return 0


def settings_from(args: argparse.Namespace) -> Settings:
    """Flags win over ``SANDBOX_*`` variables, which win over the defaults."""
    base = Settings.from_env()
    changes = {
        spec.name: getattr(args, spec.name)
        for spec in SETTING_SPECS
        if getattr(args, spec.name, None) is not None
    }
    return base.replace(**changes)


def settle_heap() -> None:
    """Move what start-up built out of the cyclic collector's reach, so its full passes stay short."""
    gc.collect()
    gc.freeze()


async def _serve(settings: Settings) -> int:
    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    try:
        await runner.setup()
    except (StorageFailure, DatasetError) as exc:
        print(f"ninja-sandbox: {exc}", file=sys.stderr)
        return 2
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError as exc:
        print(
            f"ninja-sandbox: cannot listen on {settings.host}:{settings.port}: {exc.strerror}",
            file=sys.stderr,
        )
        await runner.cleanup()
        return 2
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    port = sockets[0].getsockname()[1] if sockets else settings.port
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "") else settings.host
    settle_heap()
    runtime = app[runtime_key]
    users = runtime.store.all("users")
    login = next((u for u in users if u.get("account_id") == 1), None)
    print(
        f"ninja-sandbox {__version__} serving http://{host}:{port}/api/v1/ "
        f"token={settings.token} data={settings.data}"
        + (f" login={login['email']}/password" if login else ""),
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "coverage":
        return _print_coverage(args.fidelity)
    if args.command != "serve":
        parser.print_help()
        return 0 if args.command is None else 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stdout
    )
    return asyncio.run(_serve(settings_from(args)))
