import Foundation
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

/// The web map's page: Leaflet without base tiles (the plan is the map), one overlay per
/// layer with the same colours as the SVG map (`MapStyle`), layer toggles, a legend, a popup
/// with each feature's attributes, and a click anywhere asks `/query`.
///
/// When every layer has loaded, `<div id="status">` carries `data-ready="true"` and, per
/// layer, `data-<layer>` (features loaded) and `data-drawn-<layer>` (SVG paths in the DOM),
/// which `tools/webmap_check.sh` reads from headless Chromium; `/?click=LON,LAT` clicks the
/// map there once it is drawn and writes the answer to `data-query-*`.
enum WebMapPage {
    static func html(data: WebMapData) -> String {
        let style = JSONWriter.write(.object(JSONObject([
            ("drawOrder", .array(MapStyle.drawOrder.map { .string($0) })),
            ("buildingPalette", .array(MapStyle.buildingPalette.map { .string($0) })),
            ("networkStatus", .object(JSONObject(MapStyle.networkStatus.map { ($0.status, .string($0.colour)) }))),
            ("exclusionKinds", .object(JSONObject(MapStyle.exclusionKinds.map { ($0.kind, .string($0.colour)) }))),
            ("parcel", .string(MapStyle.parcelStroke)), ("block", .string(MapStyle.blockFill)), ("lot", .string(MapStyle.lotStroke)),
            ("street", .string(MapStyle.streetCasing)), ("connected", .string(MapStyle.connectedColour)),
            ("notConnected", .string(MapStyle.notConnectedColour)),
        ])))
        let title = "\(data.scenario.name) — web map"
        let subtitle = "as of \(data.scenario.asOf ?? "unknown date") · layout seed \(data.seed) · planning CRS \(data.scenario.frame.crs)"
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(xml(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="stylesheet" href="/static/leaflet/leaflet.css">
        <script src="/static/leaflet/leaflet.js"></script>
        <style>
          html, body { margin: 0; height: 100%; font-family: "DejaVu Sans", Arial, sans-serif; }
          #top { height: 54px; padding: 6px 14px; box-sizing: border-box; border-bottom: 1px solid #ccc; }
          #top h1 { font-size: 19px; margin: 0; color: #1d3557; }
          #top p { font-size: 13px; margin: 2px 0 0; color: #555; }
          #map { position: absolute; top: 54px; bottom: 0; left: 0; right: 320px; background: #fbfaf6; }
          #side { position: absolute; top: 54px; bottom: 0; right: 0; width: 320px; overflow: auto; padding: 10px 14px;
                  box-sizing: border-box; border-left: 1px solid #ccc; font-size: 13px; }
          #side h2 { font-size: 15px; margin: 10px 0 6px; }
          .swatch { display: inline-block; width: 22px; height: 12px; margin-right: 8px; vertical-align: middle; border: 1px solid #333; }
          table.attrs { border-collapse: collapse; font-size: 12px; }
          table.attrs td { padding: 1px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
          table.attrs td:first-child { color: #555; }
          #query pre { white-space: pre-wrap; font-size: 12px; background: #f5f5f5; padding: 6px; }
          .error { color: #b00020; }
        </style>
        </head>
        <body>
        <div id="top"><h1>\(xml(title))</h1><p>\(xml(subtitle)) · click the map to query a point</p></div>
        <div id="map"></div>
        <div id="side">
          <h2>Legend</h2><div id="legend"></div>
          <h2>Query</h2><div id="query">Click anywhere on the map: the parcel, block, lot and building there.</div>
          <div id="status" data-ready="false"></div>
        </div>
        <script>
        "use strict";
        const STYLE = \(style);
        const status = document.getElementById("status");
        const map = L.map("map", { zoomSnap: 0.25, preferCanvas: false });
        const control = L.control.layers(null, {}, { collapsed: false }).addTo(map);
        L.control.scale({ metric: true, imperial: false }).addTo(map);
        const typeColours = {};
        function typeColour(t) {
          if (!(t in typeColours)) typeColours[t] = STYLE.buildingPalette[Object.keys(typeColours).length % STYLE.buildingPalette.length];
          return typeColours[t];
        }
        function styleFor(name, p) {
          switch (name) {
            case "parcels": return { color: STYLE.parcel, weight: 3, dashArray: "10 5", fill: false };
            case "blocks": return { stroke: false, fillColor: STYLE.block, fillOpacity: 1 };
            case "lots": return { color: STYLE.lot, weight: 1, fill: false };
            case "exclusions": { const c = STYLE.exclusionKinds[p.kind] || STYLE.exclusionKinds.exclusion; return { color: c, weight: 1, fillColor: c, fillOpacity: 0.5 }; }
            case "streets": return { color: STYLE.street, weight: 5, opacity: 0.9 };
            case "network": case "service_lines": return { color: STYLE.networkStatus[p.status] || "#555", weight: name === "network" ? 4 : 2, dashArray: p.status === "planned" ? "6 4" : null };
            case "buildings": {
              const s = { color: "#333", weight: 1, fillColor: typeColour(p.type), fillOpacity: 0.95 };
              if (typeof p.connected_all === "boolean") { s.color = p.connected_all ? STYLE.connected : STYLE.notConnected; s.weight = 2; }
              return s;
            }
            case "households": return { color: "#fff", weight: 1, fillColor: "\(MapStyle.householdColour)", fillOpacity: 1 };
            default: return { color: "#444", weight: 2, fillOpacity: 0.3 };
          }
        }
        function esc(v) { return String(v).replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c])); }
        function table(obj) {
          return "<table class='attrs'>" + Object.keys(obj).map(k => "<tr><td>" + esc(k) + "</td><td>" + esc(obj[k] === null ? "" : typeof obj[k] === "object" ? JSON.stringify(obj[k]) : obj[k]) + "</td></tr>").join("") + "</table>";
        }
        function legendRow(colour, label, line) {
          const style = line ? "background:" + colour + ";height:4px;border:none" : "background:" + colour;
          return "<div><span class='swatch' style='" + style + "'></span>" + esc(label) + "</div>";
        }
        function buildLegend(counts, features) {
          let html = "";
          if (counts.parcels !== undefined) html += "<div><span class='swatch' style='background:none;border:2px dashed " + STYLE.parcel + "'></span>parcel (" + counts.parcels + ")</div>";
          if (counts.blocks !== undefined) html += legendRow(STYLE.block, "block (" + counts.blocks + ")");
          if (counts.lots !== undefined) html += "<div><span class='swatch' style='background:none;border-color:" + STYLE.lot + "'></span>lot (" + counts.lots + ")</div>";
          if (counts.streets !== undefined) html += legendRow(STYLE.street, "street centreline (" + counts.streets + ")", true);
          for (const [kind, colour] of Object.entries(STYLE.exclusionKinds)) {
            const n = (features.exclusions || []).filter(f => (f.properties.kind || "exclusion") === kind).length;
            if (n) html += legendRow(colour, kind.replace(/_/g, " ") + " (" + n + ")");
          }
          const labelOf = type => { const f = (features.buildings || []).find(f => f.properties.type === type); return f && f.properties.label || type; };
          for (const [type, colour] of Object.entries(typeColours)) {
            const list = (features.buildings || []).filter(f => f.properties.type === type);
            let label = labelOf(type);
            if (Object.keys(typeColours).some(t => t !== type && labelOf(t) === label)) label += " (" + type + ")";
            html += legendRow(colour, label + " (" + list.length + ")");
          }
          const flags = (features.buildings || []).map(f => f.properties.connected_all).filter(v => typeof v === "boolean");
          if (flags.length) {
            const outline = (colour, label) => "<div><span class='swatch' style='background:#fff;border:2px solid " + colour + "'></span>" + esc(label) + "</div>";
            html += outline(STYLE.connected, "building connected to every utility (" + flags.filter(v => v).length + ")");
            html += outline(STYLE.notConnected, "building not yet connected (" + flags.filter(v => !v).length + ")");
          }
          for (const name of ["network", "service_lines"]) {
            for (const [st, colour] of Object.entries(STYLE.networkStatus)) {
              const n = (features[name] || []).filter(f => f.properties.status === st).length;
              if (n) html += legendRow(colour, name.replace("_", " ") + ": " + st.replace(/_/g, " ") + " (" + n + ")", true);
            }
          }
          for (const name of Object.keys(counts)) {
            if (!["parcels", "blocks", "lots", "streets", "exclusions", "buildings", "network", "service_lines"].includes(name)) {
              html += legendRow(name === "households" ? "\(MapStyle.householdColour)" : "#c4c8cc", name.replace(/_/g, " ") + " (" + counts[name] + ")");
            }
          }
          document.getElementById("legend").innerHTML = html;
        }
        let clickMarker = null;
        map.on("click", async (e) => {
          const at = e.latlng.lng.toFixed(7) + "," + e.latlng.lat.toFixed(7);
          if (clickMarker) clickMarker.remove();
          clickMarker = L.circleMarker(e.latlng, { radius: 6, color: "#d62828", weight: 2, fillOpacity: 0.2, interactive: false }).addTo(map);
          const box = document.getElementById("query");
          try {
            const r = await fetch("/query?at=" + encodeURIComponent(at));
            const body = await r.json();
            box.innerHTML = r.ok ? "<b>at " + esc(at) + "</b>" + table(body) : "<span class='error'>" + esc(body.error) + "</span>";
            status.dataset.queryStatus = r.status;
            status.dataset.queryParcelId = body.parcel_id || "";
            status.dataset.queryBuildingId = body.building_id || "";
          } catch (err) { box.innerHTML = "<span class='error'>" + esc(err) + "</span>"; }
        });
        async function main() {
          const index = await (await fetch("/layers")).json();
          const order = STYLE.drawOrder.filter(n => index.some(l => l.name === n)).concat(index.map(l => l.name).filter(n => !STYLE.drawOrder.includes(n)));
          const counts = {}, features = {};
          let bounds = null;
          for (const name of order) {
            const fc = await (await fetch("/layers/" + name + ".geojson")).json();
            features[name] = fc.features;
            const layer = L.geoJSON(fc, {
              style: f => Object.assign({ className: "layer-" + name }, styleFor(name, f.properties)),
              pointToLayer: (f, ll) => L.circleMarker(ll, Object.assign({ className: "layer-" + name, radius: 4 }, styleFor(name, f.properties))),
              onEachFeature: (f, l) => l.bindPopup("<b>" + esc(name) + " " + esc(f.id) + "</b>" + table(f.properties), { maxWidth: 360 })
            }).addTo(map);
            control.addOverlay(layer, name + " (" + fc.features.length + ")");
            counts[name] = layer.getLayers().length;
            if (name === "parcels" && fc.features.length) bounds = layer.getBounds();
            else if (!bounds && fc.features.length) bounds = layer.getBounds();
          }
          if (bounds) map.fitBounds(bounds.pad(0.03)); else map.setView([0, 0], 2);
          buildLegend(counts, features);
          for (const name of order) {
            status.dataset[name.replace(/_([a-z])/g, (m, c) => c.toUpperCase())] = counts[name];
            status.setAttribute("data-drawn-" + name.replace(/_/g, "-"), document.querySelectorAll("path.layer-" + name).length);
          }
          status.dataset.layers = order.join(",");
          // ?click=LON,LAT clicks the map there once drawn (what tools/webmap_check.sh does).
          const click = new URLSearchParams(location.search).get("click");
          if (click) {
            const [lon, lat] = click.split(",").map(Number);
            map.fire("click", { latlng: L.latLng(lat, lon) });
            await new Promise(resolve => { const t = setInterval(() => { if (status.dataset.queryStatus) { clearInterval(t); resolve(); } }, 20); });
          }
          status.dataset.ready = "true";
        }
        main().catch(err => { status.dataset.ready = "error"; status.dataset.error = String(err); document.getElementById("query").innerHTML = "<span class='error'>" + esc(err) + "</span>"; });
        </script>
        </body>
        </html>

        """
    }

    static func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
