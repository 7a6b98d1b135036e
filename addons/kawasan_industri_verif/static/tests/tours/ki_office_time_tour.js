/** @odoo-module **/
// On the application's portal page, the browser writes times in the office's zone
// (tests/test_office_time.py opens it as a user whose zone is UTC, in a UTC browser).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("ki_portal_office_time", {
    steps: () => [
        {
            content: "The page is the application's, with the office's zone",
            trigger: "#ki_permohonan_page [data-ki-office-tz='Asia/Jakarta']:not(:visible)",
        },
        {
            content: "Times in the browser are the office's",
            trigger: "#discussion",
            run() {
                const zone = luxon.Settings.defaultZone.name;
                if (zone !== "Asia/Jakarta") {
                    throw new Error(`The browser writes times in ${zone}, not in Asia/Jakarta`);
                }
                const submitted = luxon.DateTime.fromSQL("2026-12-01 23:27:00", { zone: "utc" });
                const shown = submitted.setZone("default").toFormat("dd/MM HH:mm");
                if (shown !== "02/12 06:27") {
                    throw new Error(`23:27 UTC is written ${shown}`);
                }
            },
        },
    ],
});
