/** @odoo-module **/
// The applicant's journey on the portal, in three tours; the office's steps run in the
// Python test between them (tests/test_portal_tour.py):
//   ki_portal_tour_apply    sign up, apply with every required document, submit;
//   ki_portal_tour_correct  see the document marked invalid, replace it, reply, resubmit;
//   ki_portal_tour_receive  download the published letter, answer the satisfaction survey.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

export const SIGNUP_LOGIN = "direksi@kawasan-baru.example.co.id";
const PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/** Put a small PDF in the file inputs matching `selector`, as if the user had chosen it. */
function choosePdf(selector, filename) {
    return {
        content: `Choose a PDF for ${selector}`,
        trigger: selector,
        run() {
            for (const input of document.querySelectorAll(selector)) {
                const transfer = new DataTransfer();
                transfer.items.add(new File([PDF], filename, { type: "application/pdf" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            }
        },
    };
}

function fill(name, value) {
    return { content: `Fill ${name}`, trigger: `#ki_permohonan_form [name=${name}]`, run: `edit ${value}` };
}

function openTheApplication() {
    return [
        {
            content: "Open the application from the list",
            trigger: "a.ki_permohonan_link",
            run: "click",
        },
        { content: "The application page is shown", trigger: "#ki_permohonan_page" },
    ];
}

tours.add("ki_portal_tour_apply", {
    url: "/web/signup",
    steps: () => [
        { content: "Sign up: e-mail", trigger: "form input[name=login]", run: `edit ${SIGNUP_LOGIN}` },
        { content: "Sign up: name", trigger: "form input[name=name]", run: "edit Rudi Hartono" },
        { content: "Sign up: password", trigger: "form input[name=password]", run: `edit ${SIGNUP_LOGIN}` },
        {
            content: "Sign up: confirm the password",
            trigger: "form input[name=confirm_password]",
            run: `edit ${SIGNUP_LOGIN}`,
        },
        { content: "Sign up", trigger: "form button[type=submit]", run: "click" },
        {
            content: "The portal home shows the applications card",
            trigger: ".o_portal_index_card a[href='/my/permohonan']",
            run: "click",
        },
        { content: "Start a new application", trigger: "#ki_new_permohonan", run: "click" },
        {
            content: "A new applicant names their company",
            trigger: "#ki_permohonan_form input[name=company_name]",
            run: "edit PT Kawasan Industri Baru Sejahtera",
        },
        fill("application_letter_number", "045/DIR-KIU/XI/2026"),
        {
            content: "Give the date of the application letter",
            trigger: "#ki_permohonan_form input[name=application_letter_date]",
            run() {
                this.anchor.value = "2026-11-20";
            },
        },
        fill("nib", "9120009876543"),
        fill("npwp", "02.345.678.9-012.000"),
        {
            content: "The person in charge is prefilled from the account",
            trigger: "#ki_permohonan_form input[name=pic_name]:value(Rudi Hartono)",
        },
        fill("pic_position", "Direktur Utama"),
        fill("estate_name", "Kawasan Industri Baru Tahap I"),
        {
            content: "Choose the province",
            trigger: "#ki_permohonan_form select[name=province_id]",
            run: "selectByLabel Jawa Tengah",
        },
        fill("regency", "Kabupaten Batang"),
        fill("street", "Jl. Raya Pantura Km. 12"),
        fill("area_ha", "150"),
        fill("share_industrial", "65"),
        fill("share_green", "15"),
        fill("share_road", "12"),
        fill("share_other", "8"),
        choosePdf("#ki_permohonan_form input[type=file][data-required='1']", "dokumen.pdf"),
        { content: "Submit the application", trigger: "#ki_submit", run: "click" },
        { content: "The office has received it", trigger: ".ki_message_submitted" },
        { content: "The file is now submitted", trigger: ".ki_state_badge[data-state=submitted]" },
        {
            content: "The Secretariat holds it now",
            trigger: "#ki_timeline .ki_step_current[data-step='2']",
        },
    ],
});

tours.add("ki_portal_tour_correct", {
    url: "/my/permohonan",
    steps: () => [
        ...openTheApplication(),
        { content: "The file is returned", trigger: ".ki_state_badge[data-state=returned]" },
        {
            content: "The verifier's note is shown next to the invalid document",
            trigger: "#ki_documents .table-danger .ki_verifier_note:contains(kedaluwarsa)",
        },
        { content: "Correct the application", trigger: "#ki_edit", run: "click" },
        choosePdf(".ki_document_slot.list-group-item-danger input[type=file]", "kkpr-2026.pdf"),
        {
            content: "Reply to the office",
            trigger: "#ki_permohonan_form textarea[name=reply]",
            run: "edit KKPR yang masih berlaku sudah kami unggah.",
        },
        { content: "Resubmit", trigger: "#ki_submit", run: "click" },
        { content: "Sent back to the office", trigger: ".ki_message_submitted" },
        {
            content: "The technical team has it again",
            trigger: ".ki_state_badge[data-state=verification]",
        },
    ],
});

tours.add("ki_portal_tour_receive", {
    url: "/my/permohonan",
    steps: () => [
        ...openTheApplication(),
        { content: "The letter is published", trigger: ".ki_state_badge[data-state=delivered]" },
        {
            content: "Download the letter",
            trigger: "#ki_download_letter",
            async run() {
                const response = await fetch(this.anchor.href);
                const type = response.headers.get("Content-Type");
                if (!response.ok || type !== "application/pdf") {
                    throw new Error(`The letter did not download as a PDF (${response.status} ${type})`);
                }
                window.location.reload();
            },
        },
        { content: "The file is closed", trigger: ".ki_state_badge[data-state=done]" },
        { content: "Rate the service", trigger: "#ki_rate", run: "click" },
        ...[
            ["score_requirements", 4],
            ["score_procedure", 4],
            ["score_time", 3],
            ["score_cost", 4],
            ["score_product", 4],
            ["score_competence", 4],
            ["score_behaviour", 4],
            ["score_complaints", 3],
            ["score_facilities", 3],
        ].map(([element, score]) => ({
            content: `Answer ${element}`,
            trigger: `#ki_survey_form input[name=${element}][value='${score}']`,
            run: "click",
        })),
        {
            content: "Suggest something",
            trigger: "#ki_survey_form textarea[name=comment]",
            run: "edit Prosesnya jelas dan cepat.",
        },
        { content: "Send the answers", trigger: "#ki_survey_submit", run: "click" },
        { content: "Thanked for the rating", trigger: ".ki_message_rated" },
        { content: "No second survey is offered", trigger: "#ki_actions:not(:has(#ki_rate))" },
    ],
});
