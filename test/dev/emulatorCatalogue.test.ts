// The emulator's list endpoints for alert sources, alert attributes and escalation paths: shapes
// valid per the spec facts, pagination as the spec states it; and the reference regeneration.
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { alertmanagerReference, factsOnly, reachableSchemas } from "../../dev/reference/regenerate";
import { IncidentIoEmulator, validateAgainstSpec } from "../../dev/emulator";
import { seedWorkspace } from "../../dev/seed/workspace";

const KEY = "test-api-key";

describe("emulator: workspace lists", () => {
    let emu: IncidentIoEmulator;
    /** The list answers as the tests read them (each is also checked against the spec). */
    interface ListBody {
        alert_sources: Array<{
            id: string;
            name: string;
            source_type?: unknown;
            secret_token?: unknown;
            alert_events_url?: string;
            email_options?: { email_address: string };
        }>;
        alert_attributes: Array<{ name: string }>;
        escalation_paths: Array<{ id: string }>;
        pagination_meta: { after?: string };
    }
    const get = async (path: string) => {
        const res = await fetch(`${emu.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
        return { status: res.status, body: (await res.json()) as ListBody };
    };

    before(async () => {
        emu = await IncidentIoEmulator.start({ apiKey: KEY });
        seedWorkspace(emu, { otherRoutes: 0 });
    });
    after(async () => {
        await emu.close();
    });

    it("lists every alert source, with type and token (HTTP sources) or email address (email sources), valid per the spec", async () => {
        const { status, body } = await get("/v2/alert_sources");
        assert.equal(status, 200);
        assert.deepEqual(validateAgainstSpec("AlertSourcesListResultV2", body), []);
        assert.equal(body.alert_sources.length, 10);
        const email = body.alert_sources.filter((s) => s.source_type === "email");
        assert.equal(email.length, 2);
        // Email sources receive mail at their own address (AlertSourceV2.alert_events_url: "email sources use the email_address").
        for (const s of email) {
            assert.equal(s.secret_token, undefined);
            assert.match(s.email_options?.email_address ?? "", /@/);
        }
        for (const s of body.alert_sources.filter((s) => s.source_type !== "email")) {
            assert.ok(s.secret_token && s.alert_events_url?.endsWith(`/${s.id}`), s.name);
        }
    });

    it("lists alert attributes, valid per the spec", async () => {
        const { body } = await get("/v2/alert_attributes");
        assert.deepEqual(validateAgainstSpec("AlertAttributesListResultV2", body), []);
        assert.deepEqual(body.alert_attributes.map((a) => a.name).sort(), ["branch", "severity", "team"]);
    });

    it("pages escalation paths 25 at a time, after the last id, and refuses a page_size above the spec's maximum", async () => {
        const first = await get("/v2/escalation_paths");
        assert.deepEqual(validateAgainstSpec("EscalationsListPathsResultV2", first.body), []);
        assert.equal(first.body.escalation_paths.length, 25);
        assert.equal(first.body.pagination_meta.after, first.body.escalation_paths[24].id);
        const second = await get(`/v2/escalation_paths?page_size=25&after=${first.body.pagination_meta.after}`);
        assert.equal(second.body.escalation_paths.length, 7);
        assert.equal(second.body.pagination_meta.after, undefined, "no cursor on the last page");
        const ids = [...first.body.escalation_paths, ...second.body.escalation_paths].map((p) => p.id);
        assert.equal(new Set(ids).size, 32);
        assert.equal((await get("/v2/escalation_paths?page_size=26")).status, 422);
    });
});

describe("dev/reference/regenerate.ts", () => {
    it("keeps facts: drops prose and samples, keeps fields named like them, sorts keys", () => {
        const schema = {
            type: "object",
            description: "prose",
            example: { a: 1 },
            properties: { description: { type: "string", description: "x" }, b: { type: "integer" } },
        } as const;
        assert.equal(
            JSON.stringify(factsOnly(schema as never)),
            JSON.stringify({ properties: { b: { type: "integer" }, description: { type: "string" } }, type: "object" }),
        );
    });

    it("takes every schema a root refers to, and no other", () => {
        const schemas = { A: { $ref: "#/components/schemas/B" }, B: { items: { $ref: "#/components/schemas/C" } }, C: {}, D: {} };
        assert.deepEqual(reachableSchemas(schemas as never, ["A"]), ["A", "B", "C"]);
        assert.throws(() => reachableSchemas(schemas as never, ["E"]), /the spec has no schema E/);
    });

    it("reads the incidentio_config rules from Alertmanager's reference text", () => {
        const md = [
            "### `<receiver>`",
            "```yaml",
            "name: <string>",
            "incidentio_configs:",
            "  [ - <incidentio_config>, ... ]",
            "```",
            "### `<incidentio_config>`",
            "```yaml",
            "# URL and URL_file are mutually exclusive.",
            "url: <string>",
            "url_file: <filepath>",
            "[ timeout: <duration> | default = 0s ]",
            "```",
            "### `<wechat_config>`",
        ].join("\n");
        const facts = alertmanagerReference(md) as {
            incidentio_config: { fields: unknown; mutually_exclusive: unknown };
            receiver: { fields: unknown };
        };
        assert.deepEqual(facts.incidentio_config.fields, { timeout: "<duration>", url: "<string>", url_file: "<filepath>" });
        assert.deepEqual(facts.incidentio_config.mutually_exclusive, [["url", "url_file"]]);
        assert.deepEqual(facts.receiver.fields, ["incidentio_configs", "name"]);
        assert.throws(
            () => alertmanagerReference(md.replace("<incidentio_config>, ...", "<other>, ...")),
            /no longer lists incidentio_configs/,
        );
    });
});
