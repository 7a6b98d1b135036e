"""The SOP "Verifikasi Teknis Izin Usaha Kawasan Industri" as one table.

STATES: where a file can stand, with its SOP step, the role holding the file there (who
gets the step's activity), the mail the applicant gets on entering it and what its holder
may edit. TRANSITIONS: from which states, by which role, to which state, with which
outcome on the step record, and which inputs the action takes. The model's methods, the
wizard, the views' buttons, the portal timeline, the escalation and the refusal messages
all read it: changing a role or adding a loop is a row here, plus its data and button.
"""

from typing import NamedTuple

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# --- roles -------------------------------------------------------------------------------
APPLICANT = "applicant"  # a portal user of the file's company
SEKRETARIAT = "sekretariat"
KADIS = "kadis"
KABID = "kabid"
TIM_TEKNIS = "tim_teknis"  # only the verifiers the Kabid named on the file
ADMIN = "admin"
SYSTEM = "system"  # the scheduled action, acting as the superuser: no user plays this role
ROLE_GROUPS = {
    SEKRETARIAT: "kawasan_industri_verif.group_sekretariat",
    KADIS: "kawasan_industri_verif.group_kadis",
    KABID: "kawasan_industri_verif.group_kabid",
    TIM_TEKNIS: "kawasan_industri_verif.group_tim_teknis",
    ADMIN: "kawasan_industri_verif.group_admin",
}
ROLE_LABELS = {
    APPLICANT: _lt("Applicant"),
    SEKRETARIAT: _lt("Secretariat"),
    KADIS: _lt("Head of Office"),
    KABID: _lt("Division Head"),
    TIM_TEKNIS: _lt("Technical Team"),
    ADMIN: _lt("Administrator"),
    SYSTEM: _lt("the scheduled action"),
}
# A late step is escalated to the superior of the role holding it.
SUPERIORS = {SEKRETARIAT: KABID, TIM_TEKNIS: KABID, KABID: KADIS, KADIS: ADMIN}

# --- what a holder may edit outside the transitions -----------------------------------------
APPLICATION = "application"  # the applicant's data and documents
DRAFT = "draft"  # the decision draft


class State(NamedTuple):
    key: str
    label: str  # the selection label
    step: int | None  # the SOP step (1 to 9)
    role: str | None  # who holds the file; None once it is closed
    mail: str | None = None  # xml id of the template mailed to the applicant on entry
    edits: str | None = None  # APPLICATION or DRAFT: what the holder may change

    @property
    def activity(self):
        """xml id of the activity type of an office role's state (mail_act_ki_<key>)."""
        office = self.role not in (None, APPLICANT)
        return f"kawasan_industri_verif.mail_act_ki_{self.key}" if office else None


MAIL = "kawasan_industri_verif.mail_template_ki_"
# fmt: off
STATES = (
    State("draft", "Draft", 1, APPLICANT, edits=APPLICATION),
    State("submitted", "Submitted", 2, SEKRETARIAT, MAIL + "submitted"),
    State("kadis_disposition", "Head of Office Disposition", 3, KADIS),
    State("kabid_disposition", "Division Head Disposition", 4, KABID),
    State("verification", "Technical Verification", 5, TIM_TEKNIS, edits=DRAFT),
    State("returned", "Returned to Applicant", 5, APPLICANT, MAIL + "returned", APPLICATION),
    State("kabid_review", "Division Head Review", 6, KABID, edits=DRAFT),
    State("kadis_review", "Head of Office Review", 7, KADIS, edits=DRAFT),
    State("numbering", "Numbering and Publication", 8, SEKRETARIAT),
    State("delivered", "Letter Published", 9, APPLICANT, MAIL + "published"),
    State("done", "Done", None, None),
    State("cancelled", "Cancelled", None, None),
    # the correction period of a return ended before the applicant resubmitted
    State("lapsed", "Lapsed", None, None, MAIL + "lapsed"),
)
# fmt: on
STATE = {state.key: state for state in STATES}
STATE_SELECTION = [(state.key, state.label) for state in STATES]
CLOSED_STATES = tuple(state.key for state in STATES if not state.role)
# Submitted and not yet published: steps 2 to 8, the returned file included.
IN_PROGRESS_STATES = tuple(state.key for state in STATES if state.step and 1 < state.step < 9)
# The nine SOP steps as the applicant's timeline names them.
STEP_TITLES = {
    1: _lt("Application by the applicant"),
    2: _lt("Receipt and registration"),
    3: _lt("Disposition by the Head of Office"),
    4: _lt("Disposition to the technical team"),
    5: _lt("Technical verification"),
    6: _lt("Review by the Division Head"),
    7: _lt("Review and signature by the Head of Office"),
    8: _lt("Numbering and publication of the letter"),
    9: _lt("Letter received by the applicant"),
}

# --- transitions ---------------------------------------------------------------------------
DISPOSITION = "disposition"  # recipients, instructions, urgency
DECISION = "decision"  # decision, reasons, evaluation summary
PUBLICATION = "publication"  # the scan of a letter signed on paper

OUTCOMES = [
    ("submitted", "Submitted"),
    ("resubmitted", "Resubmitted"),
    ("received", "Received"),
    ("disposed", "Disposed"),
    ("returned", "Returned"),
    ("draft_submitted", "Draft submitted"),
    ("approved", "Approved"),
    ("signed", "Signed"),
    ("published", "Published"),
    ("downloaded", "Downloaded"),
    ("cancelled", "Cancelled"),
    ("lapsed", "Lapsed"),
]


class Transition(NamedTuple):
    action: str  # the public method of ki.permohonan
    sources: tuple[str, ...]
    role: str
    target: str
    outcome: str
    label: str  # the title of its button and of its wizard
    inputs: str | None = None  # DISPOSITION or DECISION
    note_required: bool = False

    @property
    def asks(self):
        """Whether the backend asks for inputs in the wizard before acting."""
        return bool(self.inputs or self.note_required)


# The applicant may withdraw until the decision is signed; the administrator may cancel
# until it is published. A published letter is never cancelled: a correction is a new one.
BEFORE_SIGNATURE = (
    "draft",
    "submitted",
    "kadis_disposition",
    "kabid_disposition",
    "verification",
    "returned",
    "kabid_review",
    "kadis_review",
)
# fmt: off
TRANSITIONS = (
    # action, source states, role, target state, outcome, label[, inputs, note required]
    Transition("action_submit", ("draft",), APPLICANT, "submitted", "submitted", "Submit"),
    Transition("action_submit", ("returned",), APPLICANT, "verification", "resubmitted",
               "Submit"),
    Transition("action_receive", ("submitted",), SEKRETARIAT, "kadis_disposition", "received",
               "Receive and Register"),
    Transition("action_dispose_to_kabid", ("kadis_disposition",), KADIS, "kabid_disposition",
               "disposed", "Dispose to Division Head", DISPOSITION),
    Transition("action_dispose_to_team", ("kabid_disposition",), KABID, "verification",
               "disposed", "Dispose to Technical Team", DISPOSITION),
    Transition("action_submit_draft", ("verification",), TIM_TEKNIS, "kabid_review",
               "draft_submitted", "Submit Decision Draft", DECISION),
    Transition("action_return_to_applicant", ("verification",), TIM_TEKNIS, "returned",
               "returned", "Return to Applicant", note_required=True),
    Transition("action_kabid_approve", ("kabid_review",), KABID, "kadis_review", "approved",
               "Approve for Signature", DECISION),
    Transition("action_kabid_return", ("kabid_review",), KABID, "verification", "returned",
               "Return to Technical Team", note_required=True),
    Transition("action_kadis_sign", ("kadis_review",), KADIS, "numbering", "signed", "Sign",
               DECISION),
    Transition("action_kadis_return", ("kadis_review",), KADIS, "kabid_review", "returned",
               "Return to Division Head", note_required=True),
    Transition("action_number_and_publish", ("numbering",), SEKRETARIAT, "delivered",
               "published", "Publish the Letter", PUBLICATION),
    Transition("action_confirm_download", ("delivered",), APPLICANT, "done", "downloaded",
               "Download the Letter"),
    Transition("action_cancel", BEFORE_SIGNATURE, APPLICANT, "cancelled", "cancelled",
               "Cancel Application"),
    Transition("action_cancel", (*BEFORE_SIGNATURE, "numbering"), ADMIN, "cancelled",
               "cancelled", "Cancel Application", note_required=True),
    Transition("action_lapse", ("returned",), SYSTEM, "lapsed", "lapsed",
               "Close as Lapsed"),
)
# fmt: on
ACTIONS = tuple(dict.fromkeys(transition.action for transition in TRANSITIONS))


def transitions_of(action):
    """The rows of `action`, in table order."""
    return [transition for transition in TRANSITIONS if transition.action == action]
