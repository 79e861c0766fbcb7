// incident.io's compatibility promise (docs.incident.io API reference, "backwards-compatible
// changes"): "a different format or length of ids" may ship without notice. Ids that are safe
// tokens (letters, digits, `_`, `-`, at most 128 characters) pass wherever ids are checked; only a
// value that could name another path or cannot be an id is refused, with the field named.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";

import type { AlertSourceResponse, IncidentIoClient } from "../../providers/incident-io";
import { validateAttribute, validateSource } from "../../providers/incident-io/validateSource";
import type { ImportedRoute } from "../../scripts/backups";
import { badId } from "../../scripts/restore";
import { ATTRIBUTES_DIR, backupCatalogue, SOURCES_DIR } from "../../scripts/sourceBackups";

/** Ids in formats incident.io does not use today but may move to. */
const NEW_FORMATS = ["src_2f6c1d0e-9a7b-4c3d-8e1f-0a1b2c3d4e5f", "01KHSNW67SZJ", "a-1", "X".repeat(128)];
/** Values that cannot be an id, or would name another path. */
const NOT_IDS = ["../alert_routes/01FCNDV6P870EA6S7TK1DSYDG0", "a/b", "two words", "", "X".repeat(129)];

const source = { name: "Alertmanager", source_type: "alertmanager" };
const attribute = { name: "Team", type: "String", array: false };

describe("adoptId of sources and attributes: any safe id passes, what cannot be an id is refused", () => {
    for (const id of NEW_FORMATS) {
        test(`source adoptId ${JSON.stringify(id.slice(0, 40))} passes`, () => {
            assert.deepEqual(
                validateSource({ ...source, adoptId: id }).filter((f) => f.property === "adoptId"),
                [],
            );
        });
        test(`attribute adoptId ${JSON.stringify(id.slice(0, 40))} passes`, () => {
            assert.deepEqual(
                validateAttribute({ ...attribute, adoptId: id }).filter((f) => f.property === "adoptId"),
                [],
            );
        });
    }
    for (const id of NOT_IDS) {
        test(`adoptId ${JSON.stringify(id.slice(0, 40))} is refused, naming adoptId and today's format`, () => {
            for (const failures of [validateSource({ ...source, adoptId: id }), validateAttribute({ ...attribute, adoptId: id })]) {
                const f = failures.find((x) => x.property === "adoptId");
                assert.ok(f, JSON.stringify(failures));
                assert.match(f.reason, /incident.io ids look like 01FCNDV6P870EA6S7TK1DSYDG0/);
                assert.match(f.reason, /discover-config/);
            }
        });
    }
});

describe("restore: a backed-up id in a new format is sent; one that names another path is not", () => {
    const route = (id: string) => ({ id }) as ImportedRoute;
    for (const id of NEW_FORMATS) test(`${JSON.stringify(id.slice(0, 40))} is sent`, () => assert.equal(badId(route(id)), undefined));
    for (const id of NOT_IDS.slice(0, 4))
        test(`${JSON.stringify(id)} is not sent`, () => assert.match(badId(route(id)) ?? "", /nothing was sent for it/));
});

describe("source and attribute backups: ids in a new format are saved; an unsafe one is named and the others still saved", () => {
    test("files per id, the unsafe one refused by name", async () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "id-formats-"));
        const sources = [
            { id: NEW_FORMATS[0], name: "new format" },
            { id: "../escape", name: "path" },
            { id: NEW_FORMATS[1], name: "short" },
        ] as AlertSourceResponse[];
        const client = {
            listAlertSources: async () => sources,
            listAlertAttributes: async () => [{ id: "attr_new-format", name: "Team" }],
        } as unknown as IncidentIoClient;
        const written: string[] = [];
        const outcome = await backupCatalogue(client, out, (file, text) => {
            written.push(path.relative(out, file));
            fs.writeFileSync(file, text);
        });
        assert.deepEqual(
            written.sort(),
            [
                path.join(ATTRIBUTES_DIR, "attr_new-format.json"),
                path.join(SOURCES_DIR, `${NEW_FORMATS[1]}.json`),
                path.join(SOURCES_DIR, `${NEW_FORMATS[0]}.json`),
            ].sort(),
        );
        assert.deepEqual({ sources: outcome.sources, attributes: outcome.attributes }, { sources: 2, attributes: 1 });
        assert.equal(outcome.problems.length, 1);
        assert.match(outcome.problems[0], /alert sources: the list gave "\.\.\/escape", which is not an id of letters, digits, _ and -/);
        assert.ok(!fs.existsSync(path.join(out, "escape.json")));
        fs.rmSync(out, { recursive: true, force: true });
    });
});
