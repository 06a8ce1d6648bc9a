"""``/api/v1/projects`` (ProjectApiController).

``POST`` always creates (an ``id`` or ``public_id`` in the body is ignored) and needs ``name`` and
``client_id``; ``PUT`` and ``DELETE`` go through ``UpdateProjectRequest``, so both need ``name``,
even for ``?action=archive``.
"""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.models import projects as rules
from sandbox.models.php import truthy
from sandbox.models.trash import delete_entity
from sandbox.transform.projects import PROJECT

PROJECTS = Resource(segment="projects", entity="project", table="projects", transformer=PROJECT)

list_projects = list_handler(PROJECTS, "ProjectApiController")
get_project = show_handler(PROJECTS, "ProjectApiController")


async def create_project(request: web.Request) -> web.Response:
    """``POST /api/v1/projects`` (ProjectApiController@store)."""
    call = get_call(request)
    rules.validate_project_input(call.input, creating=True)
    with call.write() as env:
        project = rules.new_project(env, call.input)
    return item_response(call, PROJECT, project, created=True)


async def update_project(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/projects/{id}`` (ProjectApiController@update), including ``?action=``."""
    call = get_call(request)
    project = entity_or_forbidden(call, PROJECTS)
    action = truthy(call.input.get("action"))
    rules.validate_project_input(call.input, creating=False, saving=not action)
    if action:
        return run_action(call, PROJECTS, project)
    with call.write() as env:
        project = rules.update_project(env, project, call.input)
    return item_response(call, PROJECT, project)


async def delete_project(request: web.Request) -> web.Response:
    """``DELETE /api/v1/projects/{id}`` (ProjectApiController@destroy)."""
    call = get_call(request)
    project = entity_or_forbidden(call, PROJECTS)
    rules.validate_project_input(call.input, creating=False, saving=False)
    with call.write() as env:
        project = delete_entity(env, "projects", project)
    return item_response(call, PROJECT, project)


ROUTES: list[ApiRoute] = resource_routes(
    "projects",
    {
        "index": list_projects,
        "store": create_project,
        "show": get_project,
        "update": update_project,
        "destroy": delete_project,
    },
)
