/** @odoo-module **/
// The applicant's journey on the portal, on a phone (390 px wide), in three tours; the
// office's steps run in the Python test between them (tests/test_portal_tour.py):
//   ki_portal_tour_apply    sign up, apply with every required document, submit, find the
//                           receipt and its verification code;
//   ki_portal_tour_correct  see the document marked invalid, replace it in "what to fix"
//                           at the top of the form, reply, resubmit;
//   ki_portal_tour_receive  download the published letter, answer the satisfaction survey.
// What the applicant must read (a status, a verification, what to fix) is checked to be in
// view, not cut off at the right edge of the phone.

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

/** The element is displayed and its right edge is within the screen's width. */
function inView(selector, what) {
    return {
        content: `${what} is in view`,
        trigger: selector,
        run() {
            const width = document.documentElement.clientWidth;
            if (width > 400) {
                throw new Error(`The tour runs on a phone, not on a ${width} px wide screen`);
            }
            const box = this.anchor.getBoundingClientRect();
            if (!box.width || box.right > width + 1) {
                throw new Error(`${what} is cut off: its right edge is at ${box.right} of ${width} px`);
            }
        },
    };
}

/** The element starts within the first screen height: no need to scroll down for it. */
function onFirstScreen(selector, what) {
    return {
        content: `${what} is on the first screen`,
        trigger: selector,
        run() {
            const top = this.anchor.getBoundingClientRect().top + window.scrollY;
            if (top > window.innerHeight) {
                throw new Error(`${what} starts ${top} px down, below the first screen`);
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
        inView("#ki_receipt #ki_lookup_code", "The verification code of the receipt"),
        inView("#ki_receipt_download", "The receipt's download"),
        inView("#ki_documents .ki_document_status", "The documents' verification"),
        { content: "Back to the list", trigger: ".breadcrumb a[href='/my/permohonan']", run: "click" },
        inView(".ki_permohonan_row .ki_state_badge[data-state=submitted]", "The list's status"),
    ],
});

tours.add("ki_portal_tour_correct", {
    url: "/my/permohonan",
    steps: () => [
        inView(".ki_permohonan_row .ki_state_badge[data-state=returned]", "The list's status"),
        ...openTheApplication(),
        { content: "The file is returned", trigger: ".ki_state_badge[data-state=returned]" },
        inView(
            "#ki_documents .table-danger .ki_verifier_note:contains(kedaluwarsa)",
            "The verifier's note next to the invalid document"
        ),
        { content: "Correct the application", trigger: "#ki_edit", run: "click" },
        onFirstScreen("#ki_fix_first .ki_fix_document[data-code=KKPR]", "What to fix"),
        {
            content: "The invalid document is not asked for twice",
            trigger: "#ki_document_checklist .ki_document_slot[data-code=KKPR]:not(:has(input[type=file]))",
        },
        choosePdf("#ki_fix_first .ki_fix_document[data-code=KKPR] input[type=file]", "kkpr-2026.pdf"),
        {
            content: "Reply to the office",
            trigger: "#ki_fix_first textarea[name=reply]",
            run: "edit KKPR yang masih berlaku sudah kami unggah.",
        },
        { content: "Resubmit", trigger: "#ki_fix_first #ki_resubmit", run: "click" },
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
            ["age_group", "35_44"],
            ["sex", "male"],
            ["education", "bachelor"],
            ["occupation", "private"],
        ].map(([question, answer]) => ({
            content: `About you: ${question}`,
            trigger: `#ki_survey_form select[name=${question}]`,
            run: `select ${answer}`,
        })),
        {
            content: "The cost element has its own answers: free scores 4",
            trigger: "#ki_survey_form label[for=score_cost_4]:contains(Free)",
        },
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
