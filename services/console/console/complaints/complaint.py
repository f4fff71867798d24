"""A complaint (投诉单) worked from one page: its facts, classification and four SLA clocks;
its timeline, with the warranty claim and parts lot news the service heard about it; who owns
it and who handles it; acknowledging, answering, promising a date, pausing the clocks; the
investigation (evidence, findings, root cause); the rectification list (整改) with owners and
due dates; resolution, the customer's feedback, closing, reopening; merging a duplicate;
follow-up visits (回访).

Every step is the same: a form of the API's own fields, posted to one view that calls the
step's client function (STEPS) and goes back to the page; a refusal shows the page again with
that form as typed and the service's words beside the field it names. Which step a complaint
may take, and who may take it, is the complaints service's rule: the page leaves out only what
the user's role can never do, and what its status makes pointless (a merged complaint is worked
on as its original), and shows the service's refusal for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import abort, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.complaints import bp, client, names
from console.pages import go_to
from console.problems import field_messages, for_the_top, translated

PAGE = "complaints/complaint.html"
# Who works complaints (the service's WORKERS), and who hands one to another owner (SUPERVISORS).
WORKERS = ("complaints_agent", "service_advisor", "service_manager")
SUPERVISORS = ("service_manager",)


@dataclass(frozen=True)
class Step:
    call: Callable[[str, Mapping, str], dict] | None  # None: its view calls the client itself
    fields: tuple[str, ...]
    done: object  # what the page says once it is taken
    section: str  # the part of the page it is in, to land on


STEPS: Mapping[str, Step] = {
    "assign": Step(client.assign, ("department", "handler", "note"), _l("The complaint is assigned."), "ownership"),
    "owner": Step(client.change_owner, ("owner", "reason"), _l("The complaint has a new owner."), "ownership"),
    "acknowledge": Step(client.acknowledge, ("note",), _l("The acknowledgement is recorded."), "contact"),
    "respond": Step(client.respond, ("summary",), _l("The answer to the customer is recorded."), "contact"),
    "promise": Step(client.promise, ("promised_resolution_on", "reason"), _l("The promised date is recorded."),
                    "contact"),
    "pause": Step(client.pause, ("waiting_for", "reason"), _l("The clocks are paused."), "contact"),
    "resume": Step(client.resume, ("reason",), _l("The clocks run again."), "contact"),
    "evidence": Step(client.add_evidence, ("kind", "reference", "note"), _l("The evidence is added."),
                     "investigation"),
    "investigate": Step(client.investigate, ("findings", "root_cause"), _l("The investigation is recorded."),
                        "investigation"),
    "action": Step(client.plan_action, ("kind", "description", "owner", "due_on"),
                   _l("The action is on the rectification list."), "actions"),
    "resolve": Step(client.resolve, ("resolution",), _l("The complaint is resolved: record the customer's feedback."),
                    "closing"),
    "feedback": Step(client.record_feedback, ("told", "accepted", "satisfaction", "comment"),
                     _l("The customer's feedback is recorded."), "closing"),
    "close": Step(client.close, ("note", "reason"), _l("The complaint is closed."), "closing"),
    "reopen": Step(client.reopen, ("reason",), _l("The complaint is reopened."), "closing"),
    "follow_up": Step(client.record_follow_up, ("visited_on", "visited_by", "note", "satisfaction"),
                      _l("The follow-up is recorded."), "follow-ups"),
}
ACTION_DONE = Step(None, ("done_on", "note"), _l("The action is marked done."), "actions")
MERGE = Step(client.merge_duplicate, ("duplicate_id", "reason"), _l("The duplicate is merged into this complaint."),
             "merge")


@bp.get("/<complaint_id>")
def complaint(complaint_id: str):
    """The complaint, by its id or its number (TS-20261206-0001)."""
    return _page(client.complaint(complaint_id), done=forms.text(request.args, "done"))


@bp.post("/<complaint_id>/steps/<step>")
def take_step(complaint_id: str, step: str):
    """One step of the work (STEPS), as typed into its form."""
    chosen = STEPS.get(step) or abort(404)
    return _take(complaint_id, step, chosen, lambda body, key: chosen.call(complaint_id, body, key))


@bp.post("/<complaint_id>/actions/<action_id>/done")
def action_done(complaint_id: str, action_id: str):
    """An action of the rectification list done (also after the complaint is closed)."""
    return _take(complaint_id, f"done-{action_id}", ACTION_DONE,
                 lambda body, key: client.complete_action(complaint_id, action_id, body, key))


@bp.post("/<complaint_id>/duplicates")
def merge(complaint_id: str):
    """A duplicate, named by the number the desk reads out, merged into this complaint."""
    form = request.form
    number = forms.text(form, "duplicate_id")
    if number:
        try:
            number = client.complaint(number)["id"]
        except ApiProblem as refused:
            return _refused(complaint_id, "merge", form, refused, {"duplicate_id": [translated(refused)]})
    named = {"duplicate_id": number} if number else {}  # the service's id for the number typed
    return _take(complaint_id, "merge", MERGE, lambda body, key: MERGE.call(complaint_id, {**body, **named}, key))


def _take(complaint_id: str, step: str, chosen: Step, call: Callable[[dict, str], dict]):
    form = request.form
    body = {name: value for name, value in forms.api_body({name: forms.text(form, name) for name in chosen.fields})
            .items() if value is not None}  # an empty field is one not given: the service keeps or asks for it
    try:
        done = call(body, forms.idempotency_key(form))
    except ApiProblem as refused:
        return _refused(complaint_id, step, form, refused)
    return go_to(url_for("complaints.complaint", complaint_id=done.get("id", complaint_id),
                         done=step.split("-")[0], _anchor=chosen.section))


def _refused(complaint_id: str, step: str, form, problem: ApiProblem, errors: dict | None = None):
    """The page again, the refused step's form as typed (with a fresh key: the corrected form is
    a new request) and the service's words beside the field they name, else on top of the form."""
    kept = MultiDict(form)
    kept["idempotency_key"] = forms.new_key()
    errors = field_messages(problem) if errors is None else errors
    return _page(client.complaint(complaint_id), step=step, typed=kept, step_errors=errors,
                 step_message=for_the_top(problem, errors))


def _page(found: dict, *, done: str = "", step: str = "", typed=None, step_errors=None, step_message=None) -> str:
    done_step = STEPS.get(done) or {"done": ACTION_DONE, "merge": MERGE}.get(done)
    return render_template(
        PAGE, complaint=found, done=str(done_step.done) if done_step else "",
        done_section=done_step.section if done_step else "", step=step, typed=typed or MultiDict(),
        step_errors=step_errors or {}, step_message=step_message, names=names, new_key=forms.new_key,
        workers=WORKERS, supervisors=SUPERVISORS,
        timeline=_newest_first(found.get("timeline") or []),
        today=forms.dealer_today(current_app.config["CONSOLE"].timezone).isoformat(),
    )


def _newest_first(timeline: list[dict]) -> list[dict]:
    """The handler reads what happened last first; entries of one moment (received, then
    classified) keep the service's order between them, turned round too."""
    ordered = sorted(enumerate(timeline), key=lambda pair: (pair[1]["at"], pair[0]), reverse=True)
    return [entry for _, entry in ordered]
