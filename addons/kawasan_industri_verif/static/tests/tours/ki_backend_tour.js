/** @odoo-module **/
// One tour per office step: the officer opens the file, presses the step's button, answers
// the wizard or the confirmation, and sees the file in the next state.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

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

function pickRecipient(name) {
    return [
        {
            content: "Type a recipient",
            trigger: `.modal .o_field_widget[name=recipient_ids] input`,
            run: `edit ${name}`,
        },
        {
            content: "Choose them",
            trigger: `.ui-autocomplete .dropdown-item:contains("${name}")`,
            run: "click",
        },
    ];
}

const STEPS = {
    ki_tour_receive: () => [
        press("Receive and Register"),
        confirmDialog(),
        expectState("Head of Office Disposition"),
    ],
    ki_tour_dispose_to_kabid: () => [
        press("Dispose to Division Head"),
        {
            content: "Tick the first instruction",
            trigger: ".modal .o_field_widget[name=instruction_ids] input[type=checkbox]",
            run: "click",
        },
        confirmDialog(),
        expectState("Division Head Disposition"),
    ],
    ki_tour_dispose_to_team: () => [
        press("Dispose to Technical Team"),
        ...pickRecipient("Test Verifier"),
        confirmDialog(),
        expectState("Technical Verification"),
    ],
    ki_tour_submit_draft: () => [
        press("Submit Decision Draft"),
        {
            content: "Propose an approval",
            trigger: ".modal .o_field_widget[name=decision] input[data-value=approve]",
            run: "click",
        },
        {
            content: "Give the reasons",
            trigger: ".modal .o_field_widget[name=decision_reason] textarea",
            run: "edit Memenuhi seluruh persyaratan teknis.",
        },
        confirmDialog(),
        expectState("Division Head Review"),
    ],
    ki_tour_kabid_approve: () => [
        press("Approve for Signature"),
        confirmDialog(),
        expectState("Head of Office Review"),
    ],
    ki_tour_kadis_sign: () => [
        press("Sign"),
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
    ],
    ki_tour_number_and_publish: () => [
        press("Publish the Letter"),
        confirmDialog(),
        expectState("Letter Published"),
    ],
};

for (const [name, steps] of Object.entries(STEPS)) {
    tours.add(name, { steps });
}
