"""Clerks and leaders: their queues, one step with its form, claim, release, complete and
reassign; the diagram of a dossier with its current step."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from api.web import forms
from api.web.pages import Page, Posted, UserPage, WebRoute, text_field
from engine.errors import FormInvalid, NotAllowed
from engine.service import next_steps, queries, work
from engine.service.diagrams import without_code
from engine.service.next_steps import first_to_take
from engine.service.permissions import may_handle, may_read_queues
from engine.service.views import pages, tasks

router = APIRouter(route_class=WebRoute, include_in_schema=False)
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PAGE_SIZE = 50


def _can_claim(page: Page) -> Any:
    def check(task: queries.TaskView) -> bool:
        return may_handle(page.me, task.unit, task.department)
    return check


def _queue(page: Page, scope: str, heading: str, procedure: str | None,
           offset: int, q: str = "") -> HTMLResponse:
    user = page.me
    if not may_read_queues(user):
        raise NotAllowed(page.t("error_role"))
    catalogue = queries.procedures(page.office, user)
    known = {p.key for p in catalogue}
    chosen = procedure if procedure in known else None
    items = queries.task_page(page.office, user, scope=scope, procedure=chosen,
                              q=q, limit=PAGE_SIZE, offset=offset)
    counts = Counter(t.deadline_status for t in items.items if t.deadline_status)
    order = ("overdue", "due_today", "due_tomorrow")
    done = page.request.query_params.get("completed", "")
    notice = page.t("notice_completed") if done.isdigit() else ""
    # After a completion: the dossier's next step, when this user may take it now.
    following = page.request.query_params.get("next", "")
    offer = next_steps.offered(page.office, user, int(following)) \
        if notice and following.isdigit() and len(following) < 10 else None
    return page.render("queue.html", heading=heading, notice=notice, offer=offer, items=items,
                       procedures=catalogue,
                       procedure=chosen, q=q, departments=tasks.departments(page.office),
                       counts=[(s, counts[s]) for s in order if counts[s]],
                       can_claim=_can_claim(page))


@router.get("/viec-cua-toi", response_class=HTMLResponse)
def mine(page: UserPage, procedure: str | None = None, q: str = "",
         offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> HTMLResponse:
    return _queue(page, "mine", "nav_mine", procedure, offset, q)


@router.get("/ho-so-phong", response_class=HTMLResponse)
def department(page: UserPage, procedure: str | None = None, q: str = "",
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> HTMLResponse:
    return _queue(page, "department", "nav_department", procedure, offset, q)


def _item_page(page: Page, item_id: int, *, values: dict[str, Any] | None = None,
               errors: dict[str, str] | None = None, error: str = "",
               status: int = 200) -> HTMLResponse:
    view = pages.step_page_view(page.office, page.me, item_id)
    detail = view.detail
    form = detail.form or {}
    done = page.request.query_params.get("done", "")
    return page.render(
        "item.html", status=status, task=detail.task, dossier=detail.dossier, mine=view.mine,
        fields=forms.fields(detail.form, values, errors),
        form_title=form.get("title"), form_description=form.get("description"),
        can_claim=view.can_claim, can_release=view.can_release, desk_check=view.desk_check,
        members=view.members, error=error, sheet=view.sheet, results=view.results,
        labels=view.labels, departments=view.departments,
        current_steps=view.diagram.current_steps, done_steps=view.diagram.done_steps,
        notice=page.t(done) if done in ("notice_claimed", "notice_assigned") else "")


@router.get("/buoc/{item_id}", response_class=HTMLResponse)
def item(item_id: ItemId, page: UserPage) -> HTMLResponse:
    return _item_page(page, item_id)


@router.post("/buoc/{item_id}/nhan")
def claim(item_id: ItemId, page: UserPage, _form: Posted) -> Response:
    work.claim(page.office, item_id, page.me)
    return page.redirect(f"/buoc/{item_id}?done=notice_claimed")


@router.post("/buoc/{item_id}/tra-lai")
def release(item_id: ItemId, page: UserPage, _form: Posted) -> Response:
    released = work.release(page.office, item_id, page.me)
    return page.redirect(f"/ho-so-phong?released={released.id}")


@router.post("/buoc/{item_id}/giao")
def reassign(item_id: ItemId, page: UserPage, form: Posted) -> Response:
    work.reassign(page.office, item_id, page.me, text_field(form, "username", 64))
    return page.redirect(f"/buoc/{item_id}?done=notice_assigned")


@router.post("/buoc/{item_id}/hoan-thanh")
def complete(item_id: ItemId, page: UserPage, form: Posted) -> Response:
    user = page.me
    detail = queries.task_detail(page.office, user, item_id)
    # Refused before the form is judged.
    if not may_handle(user, detail.task.unit, detail.task.department):
        raise NotAllowed(page.t("error_role"))
    reading, bounds = forms.read(detail.form, form)
    messages = {name: page.t(key, bound=bounds.get(name)) for name, key in
                reading.errors.items()}
    if reading.ok:
        try:
            completed = work.complete(page.office, item_id, user, reading.data)
        except FormInvalid as exc:
            field = exc.field.split(".")[0]
            key = "form_required" if not reading.data.get(field) else "form_invalid"
            messages = {field: page.t(key, bound=None)}
            if page.lang == "en" or field not in reading.values:
                messages[field] = f"{messages[field]} ({exc.text(page.lang)})"
        else:
            following = first_to_take(completed)
            then = f"&next={following.id}" if following else ""
            return page.redirect(f"/viec-cua-toi?completed={item_id}{then}")
    return _item_page(page, item_id, values=reading.values, errors=messages,
                      error=page.t("form_has_errors", count=len(messages)), status=422)


@router.get("/so-do/ho-so/{code}.bpmn")
def dossier_diagram(code: Annotated[str, Path(pattern=r"^[A-Za-z0-9.\-]{1,48}$")],
                    page: UserPage) -> Response:
    """The dossier's diagram without the code its scripts and conditions hold."""
    _name, xml = pages.dossier_version_xml(page.office, page.me, code)
    return Response(without_code(xml), media_type="application/xml",
                    headers={"Cache-Control": "private, max-age=300"})

