/** @odoo-module **/
// One tour per office step, each from the login page: the officer signs in, lands on their
// task list (the app's home), opens the file and presses the step's button, answers the
// wizard or the confirmation, and sees the file in the next state. The step's button must
// be reached in at most three clicks after signing in: officerTour() refuses a longer path.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// the estate of the file the Python test moves through the steps (tests/test_backend_tour.py)
export const TOUR_ESTATE = "Kawasan Industri Tur Kantor";
const MAX_CLICKS_TO_THE_BUTTON = 3;

function signIn(login) {
    // the test users' password: their login, padded to 8 characters (Odoo's new_test_user)
    const password = login.padEnd(8, "x");
    return [
        { content: "Sign in: login", trigger: ".oe_login_form input[name=login]", run: `edit ${login}` },
        {
            content: "Sign in: password",
            trigger: ".oe_login_form input[name=password]",
            run: `edit ${password}`,
        },
        { content: "Sign in", trigger: ".oe_login_form button[type=submit]", run: "click" },
        {
            content: "The home is the officer's task list",
            trigger: ".o_last_breadcrumb_item:contains(My Tasks)",
        },
    ];
}

function openTheFile() {
    return {
        content: "Open the file from the task list",
        trigger: `.o_list_view .o_data_row:contains(${TOUR_ESTATE}) .o_data_cell[name=name]`,
        run: "click",
    };
}

function press(label) {
    return {
        content: `Press "${label}"`,
        trigger: `.o_form_view .o_statusbar_buttons button:contains("${label}")`,
        run: "click",
    };
}

function confirmDialog() {
    return { content: "Confirm", trigger: ".modal-footer .btn-primary", run: "click" };
}

function expectState(label) {
    return {
        content: `The file is now "${label}"`,
        trigger: `.o_statusbar_status .o_arrow_button_current:contains("${label}")`,
    };
}

/**
 * A tour: sign in, then `before` (the clicks that lead to the step's button), the button
 * itself, then `after` (the wizard or the confirmation, and the check of the new state).
 */
function officerTour(login, before, button, after) {
    const clicks = before.filter((step) => step.run === "click").length + 1;
    if (clicks > MAX_CLICKS_TO_THE_BUTTON) {
        throw new Error(`${button}: ${clicks} clicks after signing in, at most ${MAX_CLICKS_TO_THE_BUTTON}`);
    }
    return () => [...signIn(login), ...before, press(button), ...after];
}

const STEPS = {
    ki_tour_receive: officerTour("t_sekretariat", [openTheFile()], "Receive and Register", [
        confirmDialog(),
        expectState("Head of Office Disposition"),
    ]),
    ki_tour_dispose_to_kabid: officerTour("t_kadis", [openTheFile()], "Dispose to Division Head", [
        {
            content: "The Division Head is proposed",
            trigger: ".modal .o_field_widget[name=recipient_ids] .o_tag:contains(Test Kabid)",
        },
        {
            content: "Mark it urgent",
            trigger: ".modal .o_field_widget[name=urgency] input[data-value=segera]",
            run: "click",
        },
        confirmDialog(),
        expectState("Division Head Disposition"),
    ]),
    ki_tour_dispose_to_team: officerTour("t_kabid", [openTheFile()], "Dispose to Technical Team", [
        {
            content: "The Head of Office's urgency is the default",
            trigger: ".modal .o_field_widget[name=urgency] input[data-value=segera]:checked",
        },
        {
            content: "Type a verifier",
            trigger: ".modal .o_field_widget[name=recipient_ids] input",
            run: "edit Test Verifier",
        },
        {
            content: "Choose them",
            trigger: ".ui-autocomplete .dropdown-item:contains(Test Verifier)",
            run: "click",
        },
        confirmDialog(),
        expectState("Technical Verification"),
    ]),
    ki_tour_submit_draft: officerTour(
        "t_verifier",
        [
            openTheFile(),
            {
                content: "The documents come first, the first one to check beside them",
                trigger: ".o_ki_document_review .o_ki_document_preview iframe[src*=pdfjs]",
            },
            {
                content: "Mark every document valid in one click",
                trigger: "button[name=action_mark_documents_valid]",
                run: "click",
            },
            {
                content: "Nothing is left to check",
                trigger: ".o_ki_document_review:not(:has(.o_data_row:contains(Pending)))",
            },
        ],
        "Submit Decision Draft",
        [
            {
                content: "The documents are all valid: an approval is proposed, with its reasons",
                trigger: ".modal .o_field_widget[name=decision] input[data-value=approve]:checked",
            },
            {
                content: "Nothing stands in the way",
                trigger: ".modal .o_ki_decision_check:not(:has(.alert-warning:visible))",
            },
            confirmDialog(),
            expectState("Division Head Review"),
        ]
    ),
    ki_tour_kabid_approve: officerTour("t_kabid", [openTheFile()], "Approve for Signature", [
        confirmDialog(),
        expectState("Head of Office Review"),
    ]),
    ki_tour_kadis_sign: officerTour("t_kadis", [openTheFile()], "Sign", [
        {
            content: "Type the passphrase of the office certificate",
            trigger: ".o_ki_sign_dialog #ki_sign_secret",
            run: "edit Kunci-Kadis-7391-rahasia",
        },
        {
            content: "Sign",
            trigger: ".modal-footer .o_ki_sign_button:enabled",
            run: "click",
        },
        expectState("Numbering and Publication"),
    ]),
    ki_tour_number_and_publish: officerTour("t_sekretariat", [openTheFile()], "Publish the Letter", [
        confirmDialog(),
        expectState("Letter Published"),
    ]),
};

for (const [name, steps] of Object.entries(STEPS)) {
    tours.add(name, { url: "/web/login", steps });
}
