/// The server's HTTP API as an OpenAPI 3.1 document, served at `/api/openapi.json`. Written by
/// hand beside the routes (WebMapServer, Workbench); `SiteServerTests` checks that every route
/// it lists answers, and that every API route is listed.
enum OpenAPIDocument {
    static let json = """
    {
      "openapi": "3.1.0",
      "info": {
        "title": "siteplan web map and workbench",
        "version": "1",
        "description": "The plan's layers, point queries, progress and the works history of the plan of record. Without accounts (siteplan serve) every GET is open and nothing can be written. With accounts (siteplan serve --store S --auth) every route but /, /static, /api/login, /api/session and this document needs a session: viewers read, editors record works events, admins manage users. Send the session cookie from POST /api/login, with X-CSRF-Token on writes, or Authorization: Bearer TOKEN. Coordinates are WGS84 longitude, latitude (in that order)."
      },
      "components": {
        "securitySchemes": {
          "bearer": {"type": "http", "scheme": "bearer", "description": "the token of POST /api/login"},
          "cookie": {"type": "apiKey", "in": "cookie", "name": "siteplan_session", "description": "set by POST /api/login; writes also need the X-CSRF-Token header"}
        },
        "schemas": {
          "Error": {"type": "object", "required": ["error", "status"], "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
          "WorksEvent": {"type": "object", "required": ["asset_id", "status", "date"], "properties": {
            "asset_id": {"type": "string", "description": "a network segment or service line id of the plan of record"},
            "status": {"type": "string", "enum": ["planned", "under_construction", "laid", "commissioned"]},
            "date": {"type": "string", "format": "date", "description": "the day the status was reached; not in the future; default today (UTC)"},
            "note": {"type": "string", "maxLength": 2000},
            "photo": {"type": "string", "description": "a photo reference (file name or URL), kept in the note"},
            "recorded_by": {"type": "string", "readOnly": true},
            "row": {"type": "string", "readOnly": true, "description": "where the store keeps it, e.g. works_events fid 12"}}},
          "Login": {"type": "object", "required": ["name", "password"], "properties": {"name": {"type": "string"}, "password": {"type": "string", "format": "password"}}},
          "Session": {"type": "object", "properties": {"token": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string", "enum": ["viewer", "editor", "admin"]}, "csrf": {"type": "string"}, "expires": {"type": "string", "format": "date-time"}}},
          "FeatureCollection": {"type": "object", "description": "RFC 7946 GeoJSON"}
        },
        "responses": {
          "Unauthorized": {"description": "no session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Forbidden": {"description": "a role too low, or a wrong CSRF token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      },
      "security": [{"bearer": []}, {"cookie": []}],
      "paths": {
        "/api/login": {"post": {"summary": "Sign in", "security": [], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Login"}}}},
          "responses": {"200": {"description": "signed in; also sets the session cookie (HttpOnly, SameSite=Strict)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}},
                        "401": {"$ref": "#/components/responses/Unauthorized"}, "429": {"description": "too many failed log-ins; see Retry-After"}}}},
        "/api/logout": {"post": {"summary": "Sign out", "responses": {"204": {"description": "signed out"}}}},
        "/api/session": {"get": {"summary": "The current session and its CSRF token", "security": [], "responses": {"200": {"description": "signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        "/api/layers": {"get": {"summary": "The layers, in drawing order", "responses": {"200": {"description": "[{name, count, url}]; ETag, 304 on If-None-Match"}, "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        "/api/layers/{name}": {"get": {"summary": "One layer", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": {"description": "the layer; ETag, 304 on If-None-Match", "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}}}, "404": {"description": "no such layer"}}}},
        "/api/features/{id}": {"get": {"summary": "A feature of any layer by its id (building, lot, segment, family, …)", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": {"description": "a GeoJSON Feature with its layer's name"}, "404": {"description": "no feature has this id"}}}},
        "/api/query": {"get": {"summary": "What is at a point: parcel, block, lot, building", "parameters": [{"name": "at", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^ *[-+]?[0-9]*\\\\.?[0-9]+ *, *[-+]?[0-9]*\\\\.?[0-9]+ *$"}, "description": "LON,LAT in WGS84 degrees, plain decimal numbers"}],
          "responses": {"200": {"description": "as siteplan query --format json"}, "400": {"description": "not a position"}}}},
        "/api/progress": {"get": {"summary": "Works progress and connections (as siteplan progress --format json)", "responses": {"200": {"description": "progress"}}}},
        "/api/progress/history": {"get": {"summary": "Works complete and dwellings fully connected on each day of the works history (with --store)", "responses": {"200": {"description": "[{date, works_complete_pct, dwellings, dwellings_fully_connected, buildings_fully_connected}]"}}}},
        "/api/revisions": {
          "get": {"summary": "The adopted revisions (with --store)", "responses": {"200": {"description": "[{number, author, adopted_at, message, scenario, seed}]"}}},
          "post": {"summary": "Adopt the current proposal as the next revision (admins)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}, "base": {"type": "integer", "description": "the revision the proposal was reviewed on; refused when no longer the latest"}}}}}},
            "responses": {"201": {"description": "adopted: {number, author, adopted_at, message}"}, "403": {"$ref": "#/components/responses/Forbidden"}, "409": {"description": "refused: the base is no longer the latest revision"}}}},
        "/api/diff": {"get": {"summary": "What changed between two revisions, for a map (with --store)", "parameters": [{"name": "a", "in": "query", "schema": {"type": "integer"}, "description": "default: the one before b"}, {"name": "b", "in": "query", "schema": {"type": "integer"}, "description": "default: the latest"}],
          "responses": {"200": {"description": "features with change (added, removed, moved, changed), layer, moved_m, changed_keys", "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}}}, "404": {"description": "no such revision, or fewer than two"}}}},
        "/api/measure": {"get": {"summary": "Geodesic length, area and perimeter of a clicked path (WGS84 ellipsoid)", "parameters": [{"name": "path", "in": "query", "required": true, "schema": {"type": "string"}, "description": "LON,LAT;LON,LAT;… (2 to 1000 points)"}],
          "responses": {"200": {"description": "{points, length_m, area_m2, area_ha, perimeter_m, method}"}, "400": {"description": "not a path"}}}},
        "/api/works/events": {
          "get": {"summary": "The works history, of one asset or all", "parameters": [{"name": "asset_id", "in": "query", "required": false, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "events in the order recorded", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/WorksEvent"}}}}}, "404": {"description": "no revision ever had this id"}}},
          "post": {"summary": "Record a works event (editors, admins)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WorksEvent"}}}},
            "responses": {"201": {"description": "stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WorksEvent"}}}},
                          "400": {"description": "a malformed body"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                          "422": {"description": "refused, nothing written: an unknown id, a date in the future, a wrong transition"}}}},
        "/api/users": {
          "get": {"summary": "The accounts (admins)", "responses": {"200": {"description": "[{name, role, created_at, created_by}]"}, "403": {"$ref": "#/components/responses/Forbidden"}}},
          "post": {"summary": "Add an account or change its role and password (admins)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "role", "password"], "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": ["viewer", "editor", "admin"]}, "password": {"type": "string", "minLength": 8}}}}}},
            "responses": {"201": {"description": "saved"}, "403": {"$ref": "#/components/responses/Forbidden"}}}},
        "/events": {"get": {"summary": "Server-sent events: version when the plan changed, failed when a reload failed", "responses": {"200": {"description": "text/event-stream"}}}}
      }
    }
    """
}
