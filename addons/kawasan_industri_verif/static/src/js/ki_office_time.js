/** @odoo-module **/
// The portal chatter writes the messages' times in the browser's zone. On the addon's pages
// (they carry data-ki-office-tz) it writes them in the office's zone instead, like every
// time the server writes there, whatever the visitor's browser says.

import { registry } from "@web/core/registry";

export const kiOfficeTimeService = {
    start() {
        const zone = document.querySelector("[data-ki-office-tz]")?.dataset.kiOfficeTz;
        if (zone && luxon.DateTime.local().setZone(zone).isValid) {
            luxon.Settings.defaultZone = zone;
        }
    },
};

registry.category("services").add("ki_office_time", kiOfficeTimeService);
