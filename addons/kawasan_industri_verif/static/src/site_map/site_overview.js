/** @odoo-module **/
import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { STATE_COLORS, createMap, loadLeaflet, popup } from "./site_map";

/** The office's map of every estate with a boundary, coloured by the state of its file. */
export class KiSiteOverview extends Component {
    static template = "kawasan_industri_verif.SiteOverview";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.mapRef = useRef("map");
        this.state = useState({ legend: [], count: 0 });
        onWillStart(async () => {
            [this.data] = await Promise.all([
                this.orm.call("ki.permohonan", "get_site_overview_data", []),
                loadLeaflet(),
            ]);
            const used = new Set(this.data.estates.map((estate) => estate.state));
            this.state.legend = Object.entries(this.data.states)
                .filter(([key]) => used.has(key))
                .map(([key, label]) => ({ key, label, color: STATE_COLORS[key] }));
            this.state.count = this.data.estates.length;
        });
        onMounted(() => this.draw());
        onWillUnmount(() => this.map && this.map.remove());
    }

    draw() {
        const L = window.L;
        this.map = createMap(L, this.mapRef.el, this.data.tiles);
        const bounds = L.latLngBounds([]);
        for (const estate of this.data.estates) {
            const color = STATE_COLORS[estate.state] || "#546e7a";
            const layer = L.geoJSON(estate.geometry, {
                style: { color, weight: 2, fillColor: color, fillOpacity: 0.35 },
            }).addTo(this.map);
            const content = document.createElement("div");
            content.innerHTML = popup([
                estate.name,
                estate.company,
                this.data.states[estate.state],
                `${estate.area_ha} ha`,
            ]);
            const link = document.createElement("a");
            link.href = "#";
            link.className = "d-block mt-1";
            link.textContent = _t("Open the application");
            link.addEventListener("click", (event) => {
                event.preventDefault();
                this.action.doAction({
                    type: "ir.actions.act_window",
                    res_model: "ki.permohonan",
                    res_id: estate.id,
                    views: [[false, "form"]],
                });
            });
            content.appendChild(link);
            layer.bindPopup(content);
            bounds.extend(layer.getBounds());
        }
        if (bounds.isValid()) {
            this.map.fitBounds(bounds, { padding: [24, 24] });
        }
    }
}

registry.category("actions").add("ki_site_overview", KiSiteOverview);
