"""The record pages: searchable, paginated lists and a detail page per record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiohttp import web

from sandbox.dashboard.cells import Cell, Column, Section, slug
from sandbox.dashboard.company import Company, Row, company_of
from sandbox.dashboard.curl import curl_command
from sandbox.dashboard.pages import error_page, page
from sandbox.dashboard.sections import SECTIONS
from sandbox.dashboard.statuses import ordered
from sandbox.namespaces import TOKEN_HEADER

PAGE_SIZE = 20
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Table:
    """Rows of cells under their columns, ready for the ``table`` macro of ``_macros.html``."""

    columns: Sequence[Column]
    rows: list[list[Cell]]
    empty: str


@dataclass(frozen=True)
class Pager:
    """Where a list page is in its results, with the links to the neighbouring pages."""

    number: int
    pages: int
    total: int
    previous: str | None
    next: str | None


def table(company: Company, columns: Sequence[Column], rows: list[Row], empty: str) -> Table:
    """The cells of ``rows`` under ``columns``."""
    return Table(columns, [[column.value(company, row) for column in columns] for row in rows], empty)


def no_company(request: web.Request) -> web.Response:
    """The page shown when the data holds no company to show (it was replaced or emptied)."""
    return error_page(
        request,
        404,
        "No demo company",
        "The sandbox's data holds no account to show. Reset the demo to bring the seeded company back.",
    )


def paginate(request: web.Request, total: int, size: int = PAGE_SIZE) -> tuple[slice, Pager]:
    """The slice of results for ``?page=`` and the pager around it."""
    pages = max(1, -(-total // size))
    raw = request.query.get("page", "1")
    number = min(max(int(raw) if raw.isascii() and raw.isdigit() else 1, 1), pages)

    def link(target: int) -> str:
        return str(request.rel_url.update_query(page=str(target)))

    pager = Pager(
        number,
        pages,
        total,
        link(number - 1) if number > 1 else None,
        link(number + 1) if number < pages else None,
    )
    return slice((number - 1) * size, number * size), pager


def list_handler(section: Section) -> Handler:
    """The list page of a section: ``?q=`` searches, ``?status=`` filters, ``?page=`` pages."""

    async def handler(request: web.Request) -> web.StreamResponse:
        company = company_of(request)
        if company is None:
            return no_company(request)
        rows = company.listed(section.resource, **section.filters)
        statuses = [section.status(company, row) for row in rows]
        choices = [(label, slug(label)) for label in ordered({s.label for s in statuses})]
        query = request.query.get("q", "").strip()
        wanted = request.query.get("status", "")
        found = [
            row
            for row, status in zip(rows, statuses, strict=True)
            if (not wanted or status.key == wanted)
            and (not query or query.casefold() in section.search(company, row).casefold())
        ]
        window, pager = paginate(request, len(found))
        empty = "Nothing matches these filters." if (query or wanted) else f"No {section.title.lower()} yet."
        return page(
            request,
            "list.html",
            section=section.slug,
            company=company.name,
            title=section.title,
            table=table(company, section.columns, found[window], empty),
            query=query,
            status=wanted,
            choices=choices,
            pager=pager,
        )

    handler.__name__ = f"list_{section.slug}"
    handler.__doc__ = f"``GET /{section.slug}``: the demo company's {section.title.lower()}."
    return handler


def api_curl(company: Company, path: str) -> str:
    """``curl`` for ``GET`` of an API path with the demo token."""
    return curl_command("GET", company.base_url + path, {TOKEN_HEADER: company.runtime.settings.token})


def detail_handler(section: Section) -> Handler:
    """The page of one record: its facts, related records and the API's JSON of it."""

    async def handler(request: web.Request) -> web.StreamResponse:
        company = company_of(request)
        if company is None:
            return no_company(request)
        record = company.find(section.resource, request.match_info["id"])
        if record is None:
            return error_page(request, 404, "Not found", f"There is no {section.singular} with this id.")
        row = company.show(section.transformer, record)
        related = []
        for each in section.related:
            columns: Sequence[Column] = each.columns
            if each.section:
                columns = [c for c in SECTIONS[each.section].columns if c.key not in each.hide]
            related.append((each.title, table(company, columns, each.rows(company, row), "None.")))
        return page(
            request,
            "detail.html",
            section=section.slug,
            section_title=section.title,
            company=company.name,
            title=section.label(company, row),
            kind=section.singular,
            status=section.status(company, row),
            facts=[(label, cell) for label, cell in section.facts(company, row) if cell.text],
            related=related,
            api_path=section.api_path(row["id"]),
            api_json=row,
            curl=api_curl(company, section.api_path(row["id"])),
        )

    handler.__name__ = f"get_{section.singular}"
    handler.__doc__ = f"``GET /{section.slug}/{{id}}``: one {section.singular} of the demo company."
    return handler
