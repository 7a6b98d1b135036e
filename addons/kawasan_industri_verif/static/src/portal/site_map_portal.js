/** @odoo-module **/
import { _t } from "@web/core/l10n/translation";
import publicWidget from "@web/legacy/js/public/public_widget";
import { createMap, loadLeaflet, popup } from "../site_map/site_map";

/** The applicant's own boundary on their application page (nothing of other estates). */
publicWidget.registry.KiPortalSiteMap = publicWidget.Widget.extend({
    selector: ".o_ki_portal_site_map",

    async start() {
        await this._super(...arguments);
        const L = await loadLeaflet();
        const geometry = JSON.parse(this.el.dataset.geometry);
        const tiles = JSON.parse(this.el.dataset.tiles || "{}");
        this.map = createMap(L, this.el, tiles);
        const layer = L.geoJSON(geometry, {
            style: { color: "#0d47a1", weight: 3, fillColor: "#42a5f5", fillOpacity: 0.3 },
        }).addTo(this.map);
        layer.bindPopup(popup([this.el.dataset.name, `${_t("Measured area")}: ${this.el.dataset.area} ha`]));
        this.map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
    },

    destroy() {
        if (this.map) {
            this.map.remove();
        }
        this._super(...arguments);
    },
});
