/** @odoo-module **/
import { Component, onMounted, onPatched, onWillUnmount, useRef } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { createMap, drawSiteLayers, loadLeaflet } from "./site_map";

/** The map of the application's boundary on its form (a JSON field computed on the server). */
export class KiSiteMapField extends Component {
    static template = "kawasan_industri_verif.SiteMapField";
    static props = { ...standardFieldProps };

    setup() {
        this.mapRef = useRef("map");
        this.map = null;
        this.drawn = null;
        onMounted(() => this.draw());
        onPatched(() => this.draw());
        onWillUnmount(() => this.map && this.map.remove());
    }

    get data() {
        const raw = this.props.record.data[this.props.name];
        return raw ? JSON.parse(raw) : null;
    }

    async draw() {
        const raw = this.props.record.data[this.props.name];
        if (!raw || raw === this.drawn || !this.mapRef.el) {
            return;
        }
        this.drawn = raw;
        const L = await loadLeaflet();
        if (!this.mapRef.el) {
            return;
        }
        if (this.map) {
            this.map.remove();
        }
        const data = JSON.parse(raw);
        this.map = createMap(L, this.mapRef.el, data.tiles);
        drawSiteLayers(L, this.map, data, { overlap: _t("Overlap"), area: _t("Measured area") });
    }
}

registry.category("fields").add("ki_site_map", { component: KiSiteMapField });
