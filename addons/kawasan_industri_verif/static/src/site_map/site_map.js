/** @odoo-module **/
/**
 * Drawing of the estate maps with Leaflet (vendored in static/lib/leaflet, loaded when a
 * map is first shown). Tiles come from the tile server of the settings; without one the
 * shapes are drawn on a plain background, so the map needs no internet.
 */
import { loadCSS, loadJS } from "@web/core/assets";

const LEAFLET = "/kawasan_industri_verif/static/lib/leaflet";
export const STATE_COLORS = {
    draft: "#9e9e9e",
    submitted: "#1e88e5",
    kadis_disposition: "#1e88e5",
    kabid_disposition: "#1e88e5",
    verification: "#f9a825",
    returned: "#fb8c00",
    kabid_review: "#8e24aa",
    kadis_review: "#8e24aa",
    numbering: "#3949ab",
    delivered: "#2e7d32",
    done: "#2e7d32",
    cancelled: "#616161",
};

export async function loadLeaflet() {
    await Promise.all([loadCSS(`${LEAFLET}/leaflet.css`), loadJS(`${LEAFLET}/leaflet.js`)]);
    return window.L;
}

/** A Leaflet map in `element`, with the background tiles when a server is set. */
export function createMap(L, element, tiles) {
    const map = L.map(element, { scrollWheelZoom: false, attributionControl: true });
    // a view first: Leaflet cannot place shapes on a map that has none yet
    map.setView([-2.5, 118], 5); // Indonesia
    if (tiles && tiles.url) {
        L.tileLayer(tiles.url, { maxZoom: 19, attribution: tiles.attribution || "" }).addTo(map);
    }
    return map;
}

function escapeText(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
}

/** A popup's HTML from lines of plain text (escaped here). */
export function popup(lines) {
    return lines
        .filter((line) => line)
        .map((line, index) => (index ? escapeText(line) : `<b>${escapeText(line)}</b>`))
        .join("<br/>");
}

/**
 * The map of one file: its boundary, the estates around it (overlapping ones in red) and
 * the inspection photos (green inside the boundary, red outside). `labels` gives the
 * translated words of the popups.
 */
export function drawSiteLayers(L, map, data, labels) {
    const bounds = L.latLngBounds([]);
    for (const other of data.neighbors || []) {
        const overlapping = other.overlap_ha > 0;
        const layer = L.geoJSON(other.geometry, {
            style: {
                color: overlapping ? "#c62828" : "#546e7a",
                weight: overlapping ? 2 : 1,
                fillOpacity: overlapping ? 0.35 : 0.15,
                dashArray: "4 3",
            },
        }).addTo(map);
        if (overlapping) {
            bounds.extend(layer.getBounds());
        }
        layer.bindPopup(
            popup([
                other.name,
                other.company,
                other.state,
                overlapping ? `${labels.overlap}: ${other.overlap_ha} ha` : "",
            ])
        );
    }
    if (data.own) {
        const own = L.geoJSON(data.own.geometry, {
            style: { color: "#0d47a1", weight: 3, fillColor: "#42a5f5", fillOpacity: 0.3 },
        }).addTo(map);
        own.bindPopup(popup([data.own.name, `${labels.area}: ${data.own.area_ha} ha`]));
        bounds.extend(own.getBounds());
    }
    for (const photo of data.photos || []) {
        const inside = photo.position === "inside";
        L.circleMarker([photo.lat, photo.lon], {
            radius: 7,
            color: "#ffffff",
            weight: 2,
            fillColor: inside ? "#2e7d32" : "#c62828",
            fillOpacity: 1,
        })
            .addTo(map)
            .bindPopup(popup([photo.label, photo.position_label, photo.taken_at]));
        bounds.extend([photo.lat, photo.lon]);
    }
    map.invalidateSize();
    if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
}
