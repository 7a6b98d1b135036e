/** @odoo-module **/
// "Fetch from OSS" on the application form, in the browser (tests/test_oss_portal.py):
// the applicant fetches the NIB data, the inputs fill, the saved form keeps the link.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("ki_oss_prefill", {
    steps: () => [
        { content: "The form offers the OSS lookup", trigger: "#ki_oss_fetch" },
        {
            content: "Clear the KBLI codes, to see them come back from OSS",
            trigger: "#ki_permohonan_form input[name=kbli_codes]",
            run: "clear",
        },
        { content: "Fetch from OSS", trigger: "#ki_oss_fetch", run: "click" },
        {
            content: "OSS answered",
            trigger: "#ki_oss_status.text-success",
            run() {
                const form = document.querySelector("#ki_permohonan_form");
                const value = (name) => form.querySelector(`[name=${name}]`).value;
                if (value("kbli_codes") !== "68111, 41011") {
                    throw new Error(`KBLI not filled: ${value("kbli_codes")}`);
                }
                if (!value("company_address").startsWith("Jl. Industri Raya No. 7")) {
                    throw new Error("company address not filled");
                }
                if (!value("oss_profile_id")) {
                    throw new Error("the NIB data is not kept in the form");
                }
            },
        },
        { content: "Save the draft", trigger: "#ki_save", run: "click" },
        { content: "Saved", trigger: ".ki_message_saved" },
    ],
});
