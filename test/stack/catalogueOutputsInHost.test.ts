// A stack's first adoption as stack/program.ts wires it, through the real dynamic-provider host
// against the emulator seeded with the company's workspace: the attributes first, then the sources
// (their templates bind the attribute ids the attribute resources returned), then the routes, built
// from the ids the source and attribute resources returned, and the Alertmanager config and token
// from the Alertmanager source's outputs, through the program's own checks. Nothing is written to a
// source, an attribute or a route (every definition matches), and no token leaves the secret output.
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { after, before, describe, it } from "node:test";

import * as YAML from "yaml";

import {
    ALERT_ATTRIBUTE_TYPE,
    ALERT_ROUTE_TYPE,
    ALERT_SOURCE_TYPE,
    alertAttributeProvider,
    alertRouteProvider,
    alertSourceProvider,
} from "../../providers/incident-io";
import { alertmanagerConfigYaml, INCIDENT_IO_RECEIVER } from "../../stack/alertmanagerConfig";
import { checkedAlertEventsUrl, checkedToken } from "../../stack/alertSourceToken";
import { ENVIRONMENTS, routeDefinitions, type RouteIds } from "../../stack/routes";
import { attributesOwnedBy, sourcesOwnedBy, type AttributeIds } from "../../stack/sources";
import { tokenFilePath } from "../../stack/tokenPath";
import { IncidentIoEmulator } from "../../dev/emulator";
import { type DynamicProviderHost, serializeProvider, urnFor } from "../../dev/host";
import { LIVE_IDS, LIVE_ROUTE_IDS, SOURCE_TOKEN_CANARY, seedWorkspace } from "../../dev/seed/workspace";
import { hostFor } from "../support/handlers";

const API_KEY = `canary-key-${crypto.randomBytes(8).toString("hex")}`;
type Request = { method: string; path: string };
const WRITES = (r: Request) => r.method !== "GET" && !r.path.startsWith("/v2/managed_resources") && !r.path.endsWith("/actions/validate");

for (const environment of ENVIRONMENTS) {
    describe(
        `${environment}: routes and Alertmanager built from the source and attribute resources' outputs, in the real host`,
        { timeout: 180_000 },
        () => {
            let emulator: IncidentIoEmulator;
            let host: DynamicProviderHost;

            before(async () => {
                emulator = await IncidentIoEmulator.start({ apiKey: API_KEY });
                seedWorkspace(emulator, { otherRoutes: 0, otherEscalationPaths: 0 });
                host = await hostFor(emulator, API_KEY);
            });
            after(async () => {
                await host?.stop();
                await emulator?.close();
            });

            it("adopts attributes, sources and routes with 0 writes; routes name the adopted ids; Alertmanager posts to the source's URL with its token", async (t) => {
                const providers = {
                    attribute: await serializeProvider(alertAttributeProvider),
                    source: await serializeProvider(alertSourceProvider),
                    route: await serializeProvider(alertRouteProvider),
                };
                const owner = { pulumiProject: "alert-routing", pulumiStack: environment };
                const phases: Record<string, number> = {};
                let keyChecks = 0;
                /** incident.io requests of the phase just run; the host's one key check (GET /v1/identity, once per process) apart. */
                const apiRequests = () => {
                    keyChecks += emulator.count("GET", "/v1/identity");
                    return emulator.requests.filter((r) => r.path.startsWith("/v2/")).length;
                };
                /** Plays preview (Check of each) then up (Create of each); returns what Create returned, by key. */
                const adopt = async (phase: string, items: Array<{ key: string; type: string; news: Record<string, unknown> }>) => {
                    emulator.resetLog();
                    const checked: Record<string, unknown>[] = [];
                    for (const item of items) {
                        const result = await host.check(urnFor(`${phase}-${item.key}`, item.type), {}, { ...item.news, ...owner });
                        assert.deepEqual(result.failures, [], `${phase} ${item.key}`);
                        checked.push(result.inputs);
                    }
                    phases[`${phase} preview`] = apiRequests();
                    emulator.resetLog();
                    const created: Record<string, { id: string; properties: Record<string, unknown> }> = {};
                    for (const [i, item] of items.entries())
                        created[item.key] = await host.create(urnFor(`${phase}-${item.key}`, item.type), checked[i]);
                    phases[`${phase} up`] = apiRequests();
                    assert.deepEqual(
                        emulator.requests.filter(WRITES).map((r) => `${r.method} ${r.path}`),
                        [],
                        `${phase}: adoption writes nothing`,
                    );
                    return created;
                };

                // The attributes, then the sources with the attribute ids those returned.
                const attributes = await adopt(
                    "attribute",
                    attributesOwnedBy(environment).map((row) => ({
                        key: row.key,
                        type: ALERT_ATTRIBUTE_TYPE,
                        news: {
                            ...row.spec,
                            adoptId: (LIVE_IDS[environment].alertAttributes as Record<string, string>)[row.key],
                            adoptIdConfigKey: `alert-routing:alertAttributes.${row.key}`,
                            __provider: providers.attribute,
                        },
                    })),
                );
                const attributeIds: AttributeIds = Object.fromEntries(Object.entries(attributes).map(([key, a]) => [key, a.id]));
                const sources = await adopt(
                    "source",
                    sourcesOwnedBy(environment).map((row) => ({
                        key: row.key,
                        type: ALERT_SOURCE_TYPE,
                        news: {
                            ...row.spec(attributeIds),
                            adoptId: (LIVE_IDS[environment].alertSources as Record<string, string>)[row.key],
                            adoptIdConfigKey: `alert-routing:alertSources.${row.key}`,
                            __provider: providers.source,
                        },
                    })),
                );

                // The routes, with the source and attribute ids the resources returned (the rest from config).
                const ids: RouteIds = {
                    ...LIVE_IDS[environment],
                    alertSources: Object.fromEntries(Object.entries(sources).map(([key, s]) => [key, s.id])),
                    alertAttributes: attributeIds,
                };
                const definitions = routeDefinitions(environment, ids);
                const routes = await adopt(
                    "route",
                    definitions.map((d) => ({
                        key: d.key,
                        type: ALERT_ROUTE_TYPE,
                        news: { ...d.spec, adoptId: LIVE_ROUTE_IDS[d.key], __provider: providers.route },
                    })),
                );
                const sourceIds = new Set(Object.values(sources).map((s) => s.id));
                const attributeIdSet = new Set(Object.values(attributeIds));
                for (const d of definitions) {
                    const live = emulator.route(routes[d.key].id)!;
                    assert.equal(live.id, LIVE_ROUTE_IDS[d.key], `${d.key}: the live route adopted`);
                    for (const s of live.alert_sources) {
                        assert.ok(sourceIds.has(s.alert_source_id), `${d.key}: ${s.alert_source_id} is an adopted source`);
                        for (const c of (s.condition_groups ?? []).flatMap((g) => g.conditions ?? [])) {
                            const attribute = /alert\.attributes\.(\w+)/.exec(JSON.stringify(c.subject))?.[1];
                            assert.ok(
                                attribute && attributeIdSet.has(attribute),
                                `${d.key}: condition on ${JSON.stringify(c.subject)} tests an adopted attribute`,
                            );
                        }
                    }
                }

                // Alertmanager: the URL and token are the source's outputs, through the program's checks.
                const alertmanager = sources.alertmanager;
                const answer = { id: alertmanager.id, name: String(alertmanager.properties.name), stack: environment };
                const url = checkedAlertEventsUrl(alertmanager.properties.alert_events_url as string | undefined, answer);
                const token = checkedToken(alertmanager.properties.secret_token as string | undefined, answer);
                const live = emulator.alertSource(alertmanager.id)!;
                assert.equal(url, live.alert_events_url, "the URL incident.io holds for this source");
                assert.equal(token, `${SOURCE_TOKEN_CANARY}-${alertmanager.id}`, "the token incident.io holds for this source");
                const config = YAML.parse(alertmanagerConfigYaml(url));
                const receiver = config.receivers.find((r: { name: string }) => r.name === INCIDENT_IO_RECEIVER);
                assert.deepEqual(receiver.incidentio_configs, [{ send_resolved: true, url, alert_source_token_file: tokenFilePath() }]);
                assert.equal(JSON.stringify(config).includes(SOURCE_TOKEN_CANARY), false, "the config holds a file path, never the token");

                // Nothing the engine prints holds a token or the key.
                await host.stop();
                const logs = host.logs.join("\n");
                assert.equal(logs.includes(SOURCE_TOKEN_CANARY) || logs.includes(API_KEY), false, "a canary in the host's output");
                t.diagnostic(`${environment} requests per phase: ${JSON.stringify(phases)}`);
                // Preview: one GET per adopted resource. Up: one GET each; sources and routes also claim themselves (attributes cannot be).
                const counts = {
                    attribute: Object.keys(attributes).length,
                    source: Object.keys(sources).length,
                    route: definitions.length,
                };
                for (const [kind, n] of Object.entries(counts)) {
                    assert.equal(phases[`${kind} preview`], n, `${kind} preview: one GET each`);
                    assert.equal(phases[`${kind} up`], kind === "attribute" ? n : 2 * n, `${kind} up: a GET (and a claim) each`);
                }
                assert.equal(keyChecks, 1, "the key is checked once");
            });
        },
    );
}
