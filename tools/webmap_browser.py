#!/usr/bin/env python3
"""The web map in a real browser, driven over the Chrome DevTools protocol (no synthetic hooks).

    tools/webmap_browser.py BASE_URL --store STORE --siteplan BIN --out DIR

Starts headless Chromium, opens the page, and checks, printing one "ok"/"FAIL" line each:
- every layer loaded and drew as many features as its /layers/<name>.geojson has;
- real mouse clicks (Input.dispatchMouseEvent) on a building, on a block (inside a lot, off its
  building) and on empty ground each fill the query panel with what is there;
- the utility filter shows exactly the water segments; the search flies to an id;
- a works event recorded in the store (siteplan works record) reaches a second page without a
  reload, within WEBMAP_LIVE_BOUND_S seconds (default 10; tools/bench_live.sh sets 2 on a
  release build);
- screenshots: DIR/webmap.png (desktop, 1400 x 1000) and DIR/webmap-phone.png (375 x 800, a
  filter on).
Exits 1 when a check fails. Python's standard library only: a minimal WebSocket client.
"""
import argparse, base64, datetime, json, os, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request

# How long a second page may take to show an event: WEBMAP_LIVE_BOUND_S, default 10 s.
LIVE_BOUND_S = float(os.environ.get("WEBMAP_LIVE_BOUND_S", "10"))

# --- a minimal WebSocket client (RFC 6455), enough for the DevTools protocol -------------------

class WebSocket:
    def __init__(self, url):
        assert url.startswith("ws://"), url
        host_port, _, path = url[5:].partition("/")
        host, _, port = host_port.partition(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, host_port, key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("the DevTools socket closed during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError("DevTools refused the WebSocket: %r" % head[:200])
        self.buffer = head.split(b"\r\n\r\n", 1)[1]

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("the DevTools socket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                raise RuntimeError("the DevTools socket closed")
            if opcode in (0, 1, 2):
                message += payload
                if b0 & 0x80:
                    return message.decode()


class Page:
    """One browser tab: send a DevTools command and wait for its answer."""
    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self.ws.receive())
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError("%s: %s" % (method, answer["error"]))
                return answer.get("result", {})

    def eval(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError("page script failed: %s" % result["exceptionDetails"].get("exception", {}).get("description", result["exceptionDetails"]))
        return result["result"].get("value")

    def status(self):
        return self.eval("(() => { const s = document.getElementById('status'); return s ? Object.assign({}, s.dataset) : {}; })()")

    def wait(self, predicate, seconds, what):
        end = time.time() + seconds
        while time.time() < end:
            s = self.status()
            if predicate(s):
                return s
            time.sleep(0.05)
        raise RuntimeError("timed out after %.0f s waiting for %s (status: %s)" % (seconds, what, self.status()))

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left" if kind != "mouseMoved" else "none", clickCount=1)

    def screen_point(self, lon, lat):
        """Where (lon, lat) is on the screen, in CSS pixels of the viewport."""
        return self.eval("(() => { const p = map.latLngToContainerPoint([%r, %r]); const r = document.getElementById('map').getBoundingClientRect();"
                         " return [p.x + r.left, p.y + r.top]; })()" % (lat, lon))

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


# --- geometry helpers (lon/lat order, as GeoJSON) ----------------------------------------------

def centroid(ring):
    ring = ring[:-1]
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)

def inside(point, ring):
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--store", required=True)
    parser.add_argument("--siteplan", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--user", help="sign in through the page's form as this editor")
    parser.add_argument("--password")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(("ok    " if ok else "FAIL  ") + name + ("" if ok or not detail else "  (%s)" % detail), flush=True)

    token = None
    if args.user:
        request = urllib.request.Request(base + "/api/login", data=json.dumps({"name": args.user, "password": args.password}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as r:
            token = json.load(r)["token"]

    def get_json(path):
        request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token} if token else {})
        with urllib.request.urlopen(request) as r:
            return json.load(r)

    layers = {l["name"]: get_json("/layers/%s.geojson" % l["name"])["features"] for l in get_json("/layers")}

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        print("webmap_browser: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    profile = tempfile.mkdtemp(prefix="webmap-profile-")
    chrome = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                               "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        endpoint = None
        start = time.time()
        while time.time() - start < 30:
            line = chrome.stderr.readline()
            if "DevTools listening on " in line:
                endpoint = line.split("DevTools listening on ", 1)[1].strip()
                break
            if not line and chrome.poll() is not None:
                break
        if not endpoint:
            print("webmap_browser: chromium did not start its DevTools endpoint", file=sys.stderr)
            return 1
        http = "http://" + endpoint[len("ws://"):].split("/", 1)[0]

        def new_page(width, height, mobile=False):
            request = urllib.request.Request(http + "/json/new?about:blank", method="PUT")
            with urllib.request.urlopen(request) as r:
                target = json.load(r)
            page = Page(target["webSocketDebuggerUrl"])
            page.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
            page.call("Page.enable")
            page.call("Runtime.enable")
            page.call("Page.navigate", url=base + "/")
            page.wait(lambda s: s.get("ready") in ("true", "error"), 60, "the page to load")
            return page

        started = time.time()
        page = new_page(1400, 1000)
        if args.user:
            # Signs in as a person would: the form, typed, the button clicked.
            s = page.status()
            check("with accounts on, the page asks to sign in first", s.get("signIn") == "needed", str(s))
            for field, text in (("name", args.user), ("password", args.password)):
                x, y = page.eval("(() => { const r = document.querySelector('#login input[name=%s]').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()" % field)
                page.click(x, y)
                page.call("Input.insertText", text=text)
            x, y = page.eval("(() => { const r = document.querySelector('#login button').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
            page.click(x, y)
            page.wait(lambda s: s.get("version") is not None, 60, "the layers after signing in")
            check("signed in through the form as %s" % args.user, page.status().get("user") == args.user)
        s = page.status()
        banner = page.eval("document.getElementById('banner').style.display === 'block' ? document.getElementById('banner').textContent : ''")
        check("page ready (%.1f s)" % (time.time() - started), s.get("ready") == "true" and not banner, s.get("error", "") + banner)
        for name, features in layers.items():
            key = "".join(w if i == 0 else w.capitalize() for i, w in enumerate(name.split("_")))
            drawn = page.eval("document.querySelectorAll('path.layer-%s').length" % name)
            check("layer %s: %d features loaded and drawn" % (name, len(features)),
                  s.get(key) == str(len(features)) and drawn == len(features), "loaded=%s drawn=%s" % (s.get(key), drawn))

        def real_click(lon, lat, what):
            # The previous popup would cover the point: closed first, as a user would.
            page.eval("void map.closePopup()")
            # A popup pans the map to show itself: wait until the map stands still.
            last, still = None, 0
            for _ in range(100):
                centre = page.eval("(() => { const c = map.getCenter(); return [c.lat, c.lng, map.getZoom()]; })()")
                still = still + 1 if centre == last else 0
                if still >= 4:
                    break
                last = centre
                time.sleep(0.1)
            x, y = page.screen_point(lon, lat)
            page.eval("delete document.getElementById('status').dataset.queryStatus")
            if os.environ.get("WEBMAP_DEBUG"):
                print("click", what, x, y, page.eval("(() => { const e = document.elementFromPoint(%r, %r); return e ? e.outerHTML.slice(0, 200) : null; })()" % (x, y)), file=sys.stderr)
            page.click(x, y)
            return page.wait(lambda s: s.get("queryStatus") is not None, 10, "the query after a click on " + what)

        # A building with no household marker on top of it.
        housed = {f["properties"].get("building_id") for f in layers.get("households", [])}
        building = next(f for f in layers["buildings"] if f["id"] not in housed)
        lon, lat = centroid(building["geometry"]["coordinates"][0])
        s = real_click(lon, lat, "a building")
        popup = page.eval("(document.querySelector('.leaflet-popup-content') || {}).textContent || ''")
        check("a click on building %s queries it and opens its popup" % building["id"],
              s.get("queryStatus") == "200" and s.get("queryBuildingId") == building["id"] and building["id"] in popup,
              "status=%s building=%s popup=%r" % (s.get("queryStatus"), s.get("queryBuildingId"), popup[:60]))
        panel = page.eval("document.getElementById('query').textContent")
        check("the query panel names the building", building["id"] in panel, panel[:80])

        # A block: a point inside the building's lot, near a lot corner, off the building.
        lot = next(f for f in layers["lots"] if f["id"] == building["properties"]["lot_id"])
        ring = lot["geometry"]["coordinates"][0]
        cx, cy = centroid(ring)
        target = None
        for vertex in ring[:-1]:
            point = (vertex[0] + 0.12 * (cx - vertex[0]), vertex[1] + 0.12 * (cy - vertex[1]))
            if inside(point, ring) and not inside(point, building["geometry"]["coordinates"][0]):
                target = point
                break
        s = real_click(target[0], target[1], "a block")
        check("a click on block %s (off the building) queries the block and lot" % building["properties"]["block_id"],
              s.get("queryStatus") == "200" and s.get("queryBlockId") == building["properties"]["block_id"] and s.get("queryBuildingId") == "",
              "status=%s block=%s building=%s" % (s.get("queryStatus"), s.get("queryBlockId"), s.get("queryBuildingId")))

        # Empty ground: just outside the parcels' bounding box, still on the screen.
        xs = [p[0] for f in layers["parcels"] for p in f["geometry"]["coordinates"][0]]
        ys = [p[1] for f in layers["parcels"] for p in f["geometry"]["coordinates"][0]]
        s = real_click(min(xs) - 0.01 * (max(xs) - min(xs)), (min(ys) + max(ys)) / 2, "empty ground")
        check("a click on empty ground queries it (no parcel there)", s.get("queryStatus") == "200" and s.get("queryParcelId") == "",
              "status=%s parcel=%s" % (s.get("queryStatus"), s.get("queryParcelId")))
        page.screenshot(os.path.join(args.out, "webmap.png"))
        check("desktop screenshot saved", os.path.getsize(os.path.join(args.out, "webmap.png")) > 10000)

        # The utility filter: only water segments stay drawn; the legend follows.
        water = sum(1 for f in layers["network"] if f["properties"]["utility"] == "water")
        page.eval("(() => { const s = document.getElementById('f-utility'); s.value = 'water'; s.dispatchEvent(new Event('change')); })()")
        s = page.status()
        legend = page.eval("document.getElementById('legend').textContent")
        check("filter utility=water: %d of %d segments shown" % (water, len(layers["network"])), s.get("shownNetwork") == str(water), "shown=%s" % s.get("shownNetwork"))
        page.eval("(() => { const s = document.getElementById('f-utility'); s.value = ''; s.dispatchEvent(new Event('change')); })()")
        check("filter off: every segment shown again", page.status().get("shownNetwork") == str(len(layers["network"])))
        # Hiding a layer takes it out of the legend.
        page.eval("(() => { map.removeLayer(drawn.lots); })()")
        legend = page.eval("document.getElementById('legend').textContent")
        check("the legend follows the visible layers (lots hidden)", " lot (" not in legend and "lot (" not in legend.split("parcel")[0], legend[:120])

        def button(selector):
            # Scrolled into view first, as a person scrolls the panel to reach it.
            return page.eval("(() => { const e = document.querySelector(%s); e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()" % json.dumps(selector))

        # The measure tool: three real clicks, geodesic length and area from the server (PROJ),
        # checked against a spherical estimate here (they agree within 0.5 %).
        page.eval("void map.closePopup(), void drawn.lots.addTo(map), void map.fitBounds(drawn.parcels.getBounds(), { animate: false })")
        page.click(*button("#measure-btn"))
        ring = [(min(xs) + 0.3 * (max(xs) - min(xs)), min(ys) + 0.3 * (max(ys) - min(ys))),
                (min(xs) + 0.6 * (max(xs) - min(xs)), min(ys) + 0.3 * (max(ys) - min(ys))),
                (min(xs) + 0.6 * (max(xs) - min(xs)), min(ys) + 0.6 * (max(ys) - min(ys)))]
        if os.environ.get("WEBMAP_DEBUG"):
            print("measuring:", page.eval("measuring"), page.eval("document.getElementById('measure-btn').textContent"), button("#measure-btn"), file=sys.stderr)
        for lon, lat in ring:
            x, y = page.screen_point(lon, lat)
            if os.environ.get("WEBMAP_DEBUG"):
                print("measure click", x, y, page.eval("(() => { const e = document.elementFromPoint(%r, %r); return e ? e.outerHTML.slice(0, 120) : null; })()" % (x, y)), file=sys.stderr)
            page.click(x, y)
            time.sleep(0.2)
        s = page.wait(lambda s: s.get("measureArea") is not None, 10, "the measured area")
        import math
        R = 6371008.8
        def dist(a, b):
            p1, p2 = math.radians(a[1]), math.radians(b[1])
            h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[0] - a[0]) / 2) ** 2
            return 2 * R * math.asin(math.sqrt(h))
        # The points the page placed (pixels snap them slightly), read back from the page.
        placed = page.eval("measurePoints.map(p => [p.lng, p.lat])")
        length = sum(dist(placed[i], placed[i + 1]) for i in range(len(placed) - 1))
        lat0 = math.radians(sum(p[1] for p in placed) / len(placed))
        local = [(math.radians(p[0]) * R * math.cos(lat0), math.radians(p[1]) * R) for p in placed]
        area = abs(sum(local[i][0] * local[(i + 1) % 3][1] - local[(i + 1) % 3][0] * local[i][1] for i in range(3))) / 2
        check("measure: %.1f m and %.0f m² (geodesic), against %.1f m and %.0f m² (sphere)" % (float(s["measureLength"]), float(s["measureArea"]), length, area),
              abs(float(s["measureLength"]) / length - 1) < 0.005 and abs(float(s["measureArea"]) / area - 1) < 0.01)
        page.click(*button("#measure-btn"))

        # Search by id: typed into the box, Enter.
        wanted = layers["network"][-1]["id"]
        page.eval("document.getElementById('search').focus()")
        page.call("Input.insertText", text=wanted)
        for kind in ("keyDown", "keyUp"):
            page.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13)
        s = page.wait(lambda s: s.get("foundId") is not None, 10, "the search")
        check("search flies to %s" % wanted, s.get("foundId") == wanted, "found=%s" % s.get("foundId"))

        # The diff view: revision 1 → 2, drawn and counted as /api/diff answers.
        if page.eval("document.getElementById('diff-box').style.display") == "block":
            page.eval("void map.closePopup()")
            page.click(*button("#diff-show"))
            s = page.wait(lambda s: s.get("diffShown") is not None, 20, "the diff")
            diff = get_json("/api/diff?a=1&b=2")["features"]
            counts = {c: sum(1 for f in diff if f["properties"]["change"] == c) for c in ("added", "removed", "moved", "changed")}
            shown = {c: int(s.get("diff" + c.capitalize(), "-1")) for c in counts}
            drawn_changes = page.eval("document.querySelectorAll('path.layer-changes').length")
            check("the diff 1 → 2 shows %s" % ", ".join("%d %s" % (n, c) for c, n in counts.items()),
                  shown == counts and drawn_changes == len(diff) and counts["added"] > 0, "shown=%s drawn=%s" % (shown, drawn_changes))
            # With a filter on: a picture for the docs.
            page.eval("(() => { const s = document.getElementById('f-utility'); s.value = 'water'; s.dispatchEvent(new Event('change')); })()")
            page.eval("void map.setView(drawn.parcels.getLayers()[1].getBounds().getCenter(), 17, { animate: false })")
            time.sleep(0.5)
            page.screenshot(os.path.join(args.out, "webmap-diff.png"))
            check("diff screenshot saved (docs/webmap-diff.png is one)", os.path.getsize(os.path.join(args.out, "webmap-diff.png")) > 10000)
            page.eval("(() => { const s = document.getElementById('f-utility'); s.value = ''; s.dispatchEvent(new Event('change')); })()")
        else:
            check("the diff view is offered with two revisions", False, "no diff box")

        # Live: a second page, an event recorded in the store, the second page redraws.
        second = new_page(1000, 800)
        second.wait(lambda s: s.get("version") is not None, 60, "the second page's layers")
        before = second.status().get("version")
        following = {"planned": "under_construction", "under_construction": "laid", "laid": "commissioned"}
        segment, now_status = next((f["id"], f["properties"]["status"]) for f in layers["network"] if f["properties"]["status"] in following)
        new_status = following[now_status]
        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        subprocess.run([args.siteplan, "works", "record", segment, new_status, "--date", today, "--store", args.store,
                        "--note", "webmap_browser"], check=True, stdout=subprocess.DEVNULL)
        recorded = time.time()
        try:
            s = second.wait(lambda s: s.get("version") not in (None, before), LIVE_BOUND_S, "the second page to redraw")
            seen = time.time() - recorded
            status = second.eval("features.network.find(f => f.id === %s).properties.status" % json.dumps(segment))
            # Liveness here, with a generous bound (a debug build on a shared machine); the
            # 2 s target is measured on a release build by tools/bench_live.sh.
            check("an event (%s %s → %s) recorded in the store reaches a second page without a reload (%.2f s)" % (segment, now_status, new_status, seen),
                  seen <= LIVE_BOUND_S and status == new_status,
                  "status=%s" % status)
        except RuntimeError as error:
            check("an event recorded in the store reaches a second page", False, str(error))

        # Works recorded from the page: a real click on a building, its popup's form, record.
        if args.user:
            target = next(f for f in layers["buildings"] if f["id"] not in housed and f["id"] != building["id"]
                          and any(s["properties"].get("building_id") == f["id"] and s["properties"]["status"] in ("planned", "under_construction", "laid")
                                  for s in layers["service_lines"]))
            line = next(s for s in layers["service_lines"] if s["properties"].get("building_id") == target["id"] and s["properties"]["status"] in ("planned", "under_construction", "laid"))
            following = {"planned": "under_construction", "under_construction": "laid", "laid": "commissioned"}
            new_line_status = following[line["properties"]["status"]]
            chart_before = second.status().get("chartLast")
            version_before = second.status().get("version")
            # Navigates there first, as a user would (the search flew elsewhere).
            tx, ty = centroid(target["geometry"]["coordinates"][0])
            page.eval("void map.closePopup(), void map.setView([%r, %r], 18, { animate: false })" % (ty, tx))
            real_click(tx, ty, "the building to record works on")
            page.wait(lambda s: page.eval("!!document.querySelector('.leaflet-popup form.record')"), 10, "the record form in the popup")
            # A wrong one first: a date in the future, refused in the page, nothing written.
            page.eval("(() => { const f = document.querySelector('.leaflet-popup form.record'); f.date.removeAttribute('max'); f.date.value = '2999-01-01'; })()")
            page.eval("delete document.getElementById('status').dataset.recordStatus")
            x, y = page.eval("(() => { const r = document.querySelector('.leaflet-popup form.record button').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
            page.click(x, y)
            s = page.wait(lambda s: s.get("recordStatus") is not None, 15, "the refusal")
            answer = page.eval("document.querySelector('.leaflet-popup form.record .answer').textContent")
            check("a date in the future is refused in the page (422): %s" % answer[:70], s.get("recordStatus") == "422" and "future" in answer)
            page.eval("(() => { const f = document.querySelector('.leaflet-popup form.record'); f.date.value = new Date().toISOString().slice(0, 10); })()")
            page.eval("delete document.getElementById('status').dataset.recordStatus")
            # Then the right one.
            page.eval("(() => { const f = document.querySelector('.leaflet-popup form.record'); f.asset_id.value = %s; f.status.value = %s; f.note.value = 'from the browser check'; })()"
                      % (json.dumps(line["id"]), json.dumps(new_line_status)))
            x, y = page.eval("(() => { const r = document.querySelector('.leaflet-popup form.record button').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
            page.click(x, y)
            s = page.wait(lambda s: s.get("recordStatus") is not None, 15, "the answer to the record form")
            answer = page.eval("document.querySelector('.leaflet-popup form.record .answer').textContent")
            check("an editor records %s %s from the popup (201)" % (line["id"], new_line_status), s.get("recordStatus") == "201", "%s %s" % (s.get("recordStatus"), answer))
            recorded = time.time()
            try:
                second.wait(lambda s: s.get("version") not in (None, version_before), LIVE_BOUND_S, "the second page after the web event")
                seen = time.time() - recorded
                status = second.eval("features.service_lines.find(f => f.id === %s).properties.status" % json.dumps(line["id"]))
                check("the second page shows it without a reload (%.2f s)" % seen, status == new_line_status, "status=%s" % status)
                second.wait(lambda s: s.get("chartLast") not in (None, ""), 10, "the chart")
                check("the second page's progress chart is drawn from the works history (%s → %s %%)" % (chart_before, second.status().get("chartLast")),
                      second.status().get("chartPoints") not in (None, "0"))
            except RuntimeError as error:
                check("the second page shows the web event", False, str(error))
        # A phone, with a filter on.
        phone = new_page(375, 800, mobile=True)
        phone.eval("(() => { const s = document.getElementById('f-status'); s.value = 'planned'; s.dispatchEvent(new Event('change')); })()")
        fits = phone.eval("document.documentElement.scrollWidth <= 375 && document.getElementById('map').getBoundingClientRect().width >= 370")
        check("on a 375 x 800 screen the map takes the width and nothing scrolls sideways", fits is True)
        phone.screenshot(os.path.join(args.out, "webmap-phone.png"))
    finally:
        chrome.terminate()
        try:
            chrome.wait(10)
        except subprocess.TimeoutExpired:
            chrome.kill()
        shutil.rmtree(profile, ignore_errors=True)
    print("webmap_browser: %d passed, %d failed" % (sum(results), len(results) - sum(results)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
