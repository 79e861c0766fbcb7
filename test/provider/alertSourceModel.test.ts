// The AlertSource model (providers/incident-io/alertSourceModel.ts), as named tables: what incident.io
// reads back differently but means the same (re-encoded rich-text literals, expressions and bindings
// in its own order, read-only fields, server defaults) compares the same; every real change is named.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { fromSourceResponse, sameSource, sourceChangedFields, sourceUpdatePayload } from "../../providers/incident-io/alertSourceModel";
import type { AlertSourceResponse, AlertSourceSpec } from "../../providers/incident-io/types";
import { sourcesOwnedBy } from "../../stack/sources";

const ATTRIBUTES = { severity: "01J0SEVER1TY00000000000000", branch: "01J0BRANCH0000000000000000" };
const TOKEN = "canary-model-token-41c9";

/** Production's Alertmanager source: two expressions, one attribute binding, rich-text literals. */
const definition = (): AlertSourceSpec =>
    structuredClone(
        sourcesOwnedBy("production")
            .find((r) => r.key === "alertmanager")!
            .spec(ATTRIBUTES),
    );

/** A rich-text literal as the API stores it: the same document, keys in another order, spaced. */
function reEncoded(literal: string): string {
    const reorder = (v: unknown): unknown =>
        Array.isArray(v)
            ? v.map(reorder)
            : v && typeof v === "object"
              ? Object.fromEntries(
                    Object.entries(v)
                        .reverse()
                        .map(([k, x]) => [k, reorder(x)]),
                )
              : v;
    return JSON.stringify(reorder(JSON.parse(literal)), null, 1);
}

describe("AlertSource model: the same by meaning", () => {
    const cases: Array<{ name: string; live: (d: AlertSourceSpec) => AlertSourceSpec | AlertSourceResponse }> = [
        { name: "identical", live: (d) => d },
        {
            name: "title and description literals re-encoded (terraform-provider-incident #242, #295, #347)",
            live: (d) => {
                d.template.title = { literal: reEncoded(d.template.title.literal!) };
                d.template.description = { literal: reEncoded(d.template.description.literal!) };
                return d;
            },
        },
        {
            name: "expressions in the API's own order (terraform-provider-incident #193)",
            live: (d) => ((d.template.expressions = [...d.template.expressions!].reverse()), d),
        },
        {
            name: "attribute bindings in another order",
            live: (d) => {
                d.template.attributes = [
                    { alert_attribute_id: ATTRIBUTES.branch, binding: { value: { reference: 'expressions["alertname"]' } } },
                    ...d.template.attributes!,
                ];
                return d;
            },
        },
        {
            name: "is_private and owning_team_ids left to the server's defaults",
            live: (d) => ((d.owning_team_ids = []), delete d.template.is_private, d),
        },
        {
            name: "an answer with its read-only fields (id, secret_token, alert_events_url)",
            live: (d) =>
                ({
                    ...d,
                    id: "01KHSNW67SZJ1KGWEMA9C0GPT7",
                    secret_token: TOKEN,
                    alert_events_url: "https://api.incident.io/v2/alert_events/alertmanager/01KHSNW67SZJ1KGWEMA9C0GPT7",
                }) as unknown as AlertSourceResponse,
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const planned = definition();
            // The attribute-bindings case adds one to both sides, in opposite orders.
            if (c.name.startsWith("attribute bindings"))
                planned.template.attributes = [
                    ...planned.template.attributes!,
                    { alert_attribute_id: ATTRIBUTES.branch, binding: { value: { reference: 'expressions["alertname"]' } } },
                ];
            const live = fromSourceResponse(c.live(definition()));
            assert.deepEqual(sourceChangedFields(planned, live), []);
            assert.equal(sameSource(planned, live), true);
            assert.equal(JSON.stringify(live).includes(TOKEN), false, "the token never enters the live form");
            // Kept in the planned spelling, so outputs show what was written.
            const kept = fromSourceResponse(c.live(definition()), planned).template;
            for (const key of ["title", "description", "expressions", "attributes"] as const)
                assert.deepEqual(kept[key], planned.template[key], key);
        });
    }
});

describe("AlertSource model: real changes are named", () => {
    const cases: Array<{ name: string; edit: (d: AlertSourceSpec) => void; changed: string[] }> = [
        {
            name: "the title shows another payload field",
            edit: (d) => (d.template.title = { literal: d.template.title.literal!.replace("payload.title", "payload.summary") }),
            changed: ["template"],
        },
        {
            name: "a plain-text literal is text: its spacing counts",
            edit: (d) => (d.template.title = { literal: " Title " }),
            changed: ["template"],
        },
        { name: "an expression removed", edit: (d) => void d.template.expressions!.pop(), changed: ["template"] },
        { name: "the severity binding removed", edit: (d) => (d.template.attributes = []), changed: ["template"] },
        { name: "another source type", edit: (d) => (d.source_type = "http"), changed: ["source_type"] },
        {
            name: "renamed and owned by a team",
            edit: (d) => ((d.name = "AM"), (d.owning_team_ids = ["01J0TEAM000000000000000000"])),
            changed: ["name", "owning_team_ids"],
        },
    ];
    for (const c of cases) {
        it(`${c.name} → ${c.changed.join(", ")}`, () => {
            const live = definition();
            c.edit(live);
            assert.deepEqual(sourceChangedFields(definition(), fromSourceResponse(live)), c.changed);
        });
    }

    it("an update never carries source_type (AlertSourcesUpdatePayloadV2 has none)", () => {
        const payload = sourceUpdatePayload(definition());
        assert.equal("source_type" in payload, false);
        assert.equal(payload.name, "Alertmanager (Production)");
    });
});
