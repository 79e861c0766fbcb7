// ChecklyAlertChannel as `pulumi up` / `refresh` run it: serialized as the SDK serializes it, in the
// real dynamic-provider host over gRPC, configured for both APIs, against both emulators: the
// incident.io emulator holds each stack's Checkly source (its URL and token), the Checkly emulator
// each stack's live channel, made in the UI, with its subscriptions. As stack/program.ts wires it:
// the stack's Checkly AlertSource is adopted in the same host, and the channel's URL and Bearer
// token are that resource's alert_events_url and secret_token outputs (no other read of the source).
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { ChecklyEmulator, type ChannelV1 } from "../../dev/checkly-emulator";
import { IncidentIoEmulator, type AlertSourcePayload } from "../../dev/emulator";
import { DynamicProviderHost, serializeProvider, urnFor, type HostProperties } from "../../dev/host";
import { CHANNEL_SECRET_OUTPUTS, CHECKLY_ALERT_CHANNEL_TYPE, checklyAlertChannelProvider } from "../../providers/checkly";
import { ALERT_SOURCE_TYPE, alertSourceProvider } from "../../providers/incident-io";
import { checklyChannelArgs, CHECKLY_CHANNEL_NAMES } from "../../stack/checklyChannel";
import type { Environment } from "../../stack/routes";
import { sourcesOwnedBy } from "../../stack/sources";
import { CHECK_A, CHECK_B, CHECKLY_TEST_ACCOUNT } from "../support/checkly";
import { LIVE_IDS } from "../../dev/seed/workspace";

const INCIDENT_KEY = `canary-incident-key-${crypto.randomBytes(6).toString("hex")}`;
const CHECKLY_KEY = `canary-checkly-key-${crypto.randomBytes(6).toString("hex")}`;
const tokenCanary = (label: string) => `canary-source-token-${label}-${crypto.randomBytes(6).toString("hex")}`;

/** Every string in a value with its path, outside the properties that Pulumi keeps secret. */
function outsideSecrets(props: HostProperties): string {
    const { __provider, ...rest } = props;
    for (const key of CHANNEL_SECRET_OUTPUTS) delete rest[key];
    return JSON.stringify(rest) + String(__provider);
}

describe("ChecklyAlertChannel in the real dynamic-provider host, against both emulators", { timeout: 180_000 }, () => {
    let incident: IncidentIoEmulator;
    let checkly: ChecklyEmulator;
    let host: DynamicProviderHost;
    let providerText: string;
    const tokens: Record<Environment, string> = { production: tokenCanary("prod"), staging: tokenCanary("staging") };
    const liveIds: Partial<Record<Environment, string>> = {};
    const transcript: string[] = [];
    /** Request counts per phase, printed at the end (the closing figures). */
    const figures: string[] = [];

    let sourceProviderText: string;

    /** The stack's Checkly source row, as incident.io holds it (so adopting it writes nothing). */
    const checklySourceSpec = (environment: Environment) =>
        sourcesOwnedBy(environment)
            .find((r) => r.key === "checkly")!
            .spec({}) as unknown as AlertSourcePayload;

    /** What the stack does for the source: adopt its AlertSource (Check, Create) in the same host and
     * take the alert_events_url and secret_token outputs. `id` defaults to the stack's configured one. */
    async function sourceOf(environment: Environment, id: string = LIVE_IDS[environment].alertSources.checkly) {
        const urn = urnFor(`source-checkly-${environment}-${id}`, ALERT_SOURCE_TYPE);
        const news = { ...checklySourceSpec(environment), adoptId: id, __provider: sourceProviderText };
        const checked = await host.check(urn, {}, news);
        assert.deepEqual(checked.failures, []);
        const created = await host.create(urn, checked.inputs);
        assert.equal(created.id, id);
        return { url: String(created.properties.alert_events_url), token: String(created.properties.secret_token) };
    }

    const news = (environment: Environment, source: { url: string; token: string }, adopt = true) => ({
        ...checklyChannelArgs(environment, source, adopt ? liveIds[environment] : undefined),
        pulumiProject: "alert-routing",
        pulumiStack: environment,
        __provider: providerText,
    });

    before(async () => {
        incident = await IncidentIoEmulator.start({ apiKey: INCIDENT_KEY });
        checkly = await ChecklyEmulator.start({ apiKey: CHECKLY_KEY, accountId: CHECKLY_TEST_ACCOUNT });
        providerText = await serializeProvider(checklyAlertChannelProvider);
        sourceProviderText = await serializeProvider(alertSourceProvider);
        host = await DynamicProviderHost.start({ env: { CHECKLY_API_KEY: "", CHECKLY_ACCOUNT_ID: "", INCIDENT_IO_TOKEN: "" } });
        await host.configure(
            {
                "incident-io:apiKey": INCIDENT_KEY,
                "incident-io:baseUrl": incident.url,
                "checkly:apiKey": CHECKLY_KEY,
                "checkly:accountId": CHECKLY_TEST_ACCOUNT,
                "checkly:baseUrl": checkly.url,
                "checkly:requestTimeoutSeconds": "2",
                "checkly:maxRetries": "3",
            },
            { secretKeys: ["incident-io:apiKey", "checkly:apiKey"] },
        );
        for (const environment of ["production", "staging"] as const) {
            const id = LIVE_IDS[environment].alertSources.checkly;
            incident.addAlertSource({ id, ...checklySourceSpec(environment), secret_token: tokens[environment] });
            // The channel someone made in Checkly's UI: the same payload, and checks subscribed.
            const { adoptId: _a, adoptIdConfigKey: _k, ...payload } = checklyChannelArgs(environment, await sourceOf(environment));
            const channel = checkly.seedChannel(payload as Record<string, unknown>);
            checkly.subscribeInUi(channel.id, { checkId: CHECK_A, activated: true });
            checkly.subscribeInUi(channel.id, { checkId: CHECK_B, activated: environment === "production" });
            liveIds[environment] = String(channel.id);
        }
    });

    after(async () => {
        for (const line of figures) console.log(`checkly figures: ${line}`);
        await host?.stop();
        await checkly?.close();
        await incident?.close();
        // Nothing the host printed holds a token or a key.
        const printed = [...(host?.logs ?? []), ...transcript].join("\n");
        for (const secret of [...Object.values(tokens), INCIDENT_KEY, CHECKLY_KEY])
            assert.ok(!printed.includes(secret), "a canary in the host's output");
    });

    test("__provider is the shared shim: no handler code, no key, no token", () => {
        assert.ok(providerText.length < 8 * 1024, `__provider is ${providerText.length} bytes`);
        assert.match(providerText, /providers\/checkly\/handlers/);
        for (const secret of [...Object.values(tokens), CHECKLY_KEY]) assert.ok(!providerText.includes(secret));
        assert.doesNotMatch(providerText, /class ChecklyClient|undici/);
    });

    for (const environment of ["production", "staging"] as const) {
        test(`${environment}: adopting the live channel writes nothing when it matches, and keeps its subscriptions`, async () => {
            const urn = urnFor(`checkly-channel-${environment}`, CHECKLY_ALERT_CHANNEL_TYPE);
            const before = checkly.channel(liveIds[environment]!)!;
            checkly.resetLog();
            incident.resetLog();
            const source = await sourceOf(environment);
            assert.equal(source.url, `https://api.incident.io/v2/alert_events/checkly/${LIVE_IDS[environment].alertSources.checkly}`);
            assert.equal(source.token, tokens[environment], "the source's secret_token output");
            const sourceRequests = incident.requests.map((r) => `${r.method} ${r.path}`);
            // The source matches its row: no write to it (the POST is incident.io's managed-by-Pulumi claim).
            assert.deepEqual(
                incident.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/v2/alert_sources")),
                [],
                sourceRequests.join(", "),
            );
            const checked = await host.check(urn, {}, news(environment, source));
            assert.deepEqual(checked.failures, []);
            const created = await host.create(urn, checked.inputs);
            assert.equal(created.id, liveIds[environment]);
            assert.equal(checkly.writes().length, 0, "0 writes: the live channel matches");
            figures.push(
                `${environment} first up (adoption): incident.io ${sourceRequests.length} requests (${sourceRequests.join(", ")}), Checkly ${checkly.count()} (${checkly.requests.map((r) => r.method).join(", ")}), 0 writes`,
            );
            assert.deepEqual(
                checkly.requests.map((r) => r.method),
                ["GET", "GET"],
                "check's adoption preview and create's read",
            );
            assert.deepEqual(checkly.channel(created.id), before, "the channel, subscriptions included, is untouched");
            const adopting = `adopting "${CHECKLY_CHANNEL_NAMES[environment]}" (${created.id}) writes nothing`;
            assert.ok((await host.loggedSince(0, adopting)).includes(adopting));
            // The token is in the outputs Pulumi keeps secret, and nowhere else.
            assert.ok(JSON.stringify(created.properties.config).includes(tokens[environment]));
            assert.ok(!outsideSecrets(created.properties).includes(tokens[environment]), "the token outside config/channel");
            transcript.push(JSON.stringify(checked.failures));
        });
    }

    test("a re-created source (new URL and token) reaches the channel in one PUT; subscriptions kept; refresh sees no drift", async () => {
        const environment = "production";
        const urn = urnFor("checkly-channel-production", CHECKLY_ALERT_CHANNEL_TYPE);
        const id = liveIds[environment]!;
        const first = await sourceOf(environment);
        const checked = await host.check(urn, {}, news(environment, first));
        const created = await host.create(urn, checked.inputs);

        // The Checkly source is re-created in incident.io: a new id (so a new URL) and a new token. The
        // stack's config then names the new id (alert-routing:alertSources.checkly), whose AlertSource
        // the next up adopts: its outputs are the channel's new URL and token.
        const newToken = tokenCanary("rotated");
        tokens.production = newToken; // the after() hook checks the new canary too
        const newId = "01KZZZZZZZZZZZZZZZZZZZZZZZ";
        incident.addAlertSource({ id: newId, ...checklySourceSpec(environment), secret_token: newToken });
        const next = await sourceOf(environment, newId);
        assert.equal(next.token, newToken);
        assert.notEqual(next.url, first.url);

        const subscriptionsBefore = checkly.channel(id)!.subscriptions;
        const again = await host.check(urn, checked.inputs, news(environment, next, false));
        assert.deepEqual(again.failures, []);
        assert.equal((await host.diff(id, urn, created.properties, again.inputs)).changes, "some");
        checkly.resetLog();
        const updated = await host.update(id, urn, created.properties, again.inputs);
        assert.deepEqual(
            checkly.requests.map((r) => r.method),
            ["GET", "PUT"],
            "one PUT",
        );
        const live: ChannelV1 = checkly.channel(id)!;
        assert.equal(live.config.url, next.url);
        assert.deepEqual(live.config.headers, [{ key: "Authorization", value: `Bearer ${newToken}`, locked: true }]);
        assert.deepEqual(live.subscriptions, subscriptionsBefore, "the subscriptions made in the UI are kept, ids and all");
        assert.ok(!outsideSecrets(updated.properties).includes(newToken));
        figures.push(`production re-created source (new URL + token): Checkly ${checkly.requests.map((r) => r.method).join(", ")} (1 PUT)`);

        // pulumi refresh: one GET, no drift; the preview after it: no change, no request.
        checkly.resetLog();
        const refreshed = await host.read(id, urn, updated.properties, again.inputs);
        assert.equal(checkly.count(), 1);
        assert.equal((refreshed.inputs as { config?: { url?: string } }).config?.url, next.url, "refresh keeps the definition");
        assert.equal((await host.diff(id, urn, refreshed.properties, again.inputs)).changes, "none");
        assert.equal(checkly.count(), 1, "a preview with no change makes no request");
    });

    test("a token rotated on the same source: refresh reads it from the source, and it reaches the channel in one PUT", async () => {
        const environment = "staging";
        const sourceId = LIVE_IDS[environment].alertSources.checkly;
        const urn = urnFor("checkly-channel-staging-rotated", CHECKLY_ALERT_CHANNEL_TYPE);
        const id = liveIds[environment]!;
        const sourceUrn = urnFor("source-checkly-staging-rotated", ALERT_SOURCE_TYPE);
        const sourceNews = { ...checklySourceSpec(environment), adoptId: sourceId, __provider: sourceProviderText };
        const sourceChecked = await host.check(sourceUrn, {}, sourceNews);
        const source = await host.create(sourceUrn, sourceChecked.inputs);
        const first = { url: String(source.properties.alert_events_url), token: String(source.properties.secret_token) };
        const checked = await host.check(urn, {}, news(environment, first));
        const created = await host.create(urn, checked.inputs);
        const subscriptionsBefore = checkly.channel(id)!.subscriptions;

        // The token is rotated in incident.io (same source, same URL): `pulumi refresh` reads it back.
        const rotated = tokenCanary("staging-rotated");
        tokens.staging = rotated;
        incident.addAlertSource({ id: sourceId, ...checklySourceSpec(environment), secret_token: rotated });
        const refreshed = await host.read(sourceId, sourceUrn, source.properties, sourceChecked.inputs);
        assert.equal(refreshed.properties.secret_token, rotated);
        const next = { url: String(refreshed.properties.alert_events_url), token: rotated };
        assert.equal(next.url, first.url);

        const again = await host.check(urn, checked.inputs, news(environment, next, false));
        assert.equal((await host.diff(id, urn, created.properties, again.inputs)).changes, "some");
        checkly.resetLog();
        const updated = await host.update(id, urn, created.properties, again.inputs);
        assert.deepEqual(
            checkly.requests.map((r) => r.method),
            ["GET", "PUT"],
            "one PUT",
        );
        const live = checkly.channel(id)!;
        assert.deepEqual(live.config.headers, [{ key: "Authorization", value: `Bearer ${rotated}`, locked: true }]);
        assert.deepEqual(live.subscriptions, subscriptionsBefore, "subscriptions kept");
        assert.ok(!outsideSecrets(updated.properties).includes(rotated));
        figures.push(`staging rotated token (same source): Checkly ${checkly.requests.map((r) => r.method).join(", ")} (1 PUT)`);
    });

    test("a channel edited in the UI is not overwritten without a refresh (only Checkly's own 404 means gone)", async () => {
        const environment = "staging";
        const urn = urnFor("checkly-channel-staging", CHECKLY_ALERT_CHANNEL_TYPE);
        const id = liveIds[environment]!;
        const checked = await host.check(urn, {}, news(environment, await sourceOf(environment)));
        const created = await host.create(urn, checked.inputs);
        checkly.editInUi(id, (c) => void (c.sendDegraded = true));
        const changed = await host.check(urn, checked.inputs, {
            ...news(environment, await sourceOf(environment), false),
            sslExpiry: true,
        });
        await assert.rejects(host.update(id, urn, created.properties, changed.inputs), (e: Error) => {
            assert.match(e.message, /changed outside Pulumi.*changed: sendDegraded.*pulumi refresh/s);
            transcript.push(e.message);
            return true;
        });
        assert.equal(checkly.channel(id)!.sendDegraded, true, "the UI edit is intact");
        // A gateway's 404 (no Checkly envelope) during refresh does not drop the channel.
        checkly.inject({ method: "GET", path: `/v1/alert-channels/${id}`, kind: "status", status: 404, body: "<html>Not Found</html>" });
        await assert.rejects(host.read(id, urn, created.properties, checked.inputs), /without Checkly's error envelope/);
    });

    test("without adoptId, a channel next to the live one is refused with 0 writes, naming it and the adopt command; with no twin it is one POST", async () => {
        const environment = "production";
        const urn = urnFor("checkly-channel-production-twin", CHECKLY_ALERT_CHANNEL_TYPE);
        const checked = await host.check(urn, {}, news(environment, await sourceOf(environment), false));
        assert.deepEqual(checked.failures, []);
        const before = checkly.channels().length;
        checkly.resetLog();
        await assert.rejects(host.create(urn, checked.inputs), (e: Error) => {
            assert.match(e.message, /Checkly alert channel "incident\.io \(Production\)" was not created: Checkly already has 1 channel/);
            assert.ok(
                e.message.includes(
                    `pulumi config set --stack production --path 'alert-routing:adopt.checklyChannel' ${liveIds.production}`,
                ),
                e.message,
            );
            assert.ok(e.message.includes("pulumi up --stack production"), e.message);
            transcript.push(e.message);
            return true;
        });
        assert.deepEqual(
            checkly.requests.map((r) => r.method),
            ["GET"],
            "one list, no write",
        );
        assert.equal(checkly.channels().length, before, "no second channel");

        // A channel of its own (a new source, another name): created with one list and one POST.
        const sourceId = "01KYYYYYYYYYYYYYYYYYYYYYYY";
        incident.addAlertSource({ id: sourceId, ...checklySourceSpec(environment), secret_token: tokens.production });
        const source = await sourceOf(environment, sourceId);
        const args = news(environment, source, false);
        const own = { ...args, config: { ...(args.config as Record<string, unknown>), name: "incident.io (Preview)" } };
        const ownUrn = urnFor("checkly-channel-preview", CHECKLY_ALERT_CHANNEL_TYPE);
        const ownChecked = await host.check(ownUrn, {}, own);
        checkly.resetLog();
        const created = await host.create(ownUrn, ownChecked.inputs);
        assert.deepEqual(
            checkly.requests.map((r) => r.method),
            ["GET", "POST"],
        );
        assert.equal(checkly.channel(created.id)!.config.url, source.url);
        assert.ok(!outsideSecrets(created.properties).includes(tokens.production));
        figures.push(
            `create without adoptId next to the live channel: Checkly ${checkly.count("GET")} GET, 0 writes (refused); own channel: GET, POST`,
        );
    });

    test("bad Checkly config is refused with 0 requests, naming each key and its command", async () => {
        const bad = await DynamicProviderHost.start({ env: { CHECKLY_API_KEY: "", CHECKLY_ACCOUNT_ID: "" } });
        try {
            await bad.configure({ "checkly:baseUrl": checkly.url });
            const urn = urnFor("checkly-channel-bad", CHECKLY_ALERT_CHANNEL_TYPE);
            checkly.resetLog();
            const checked = await bad.check(urn, {}, news("staging", await sourceOf("staging")));
            await assert.rejects(bad.create(urn, checked.inputs), (e: Error) => {
                assert.match(e.message, /checkly:apiKey is not set.*pulumi config set --stack staging --secret 'checkly:apiKey'/s);
                assert.match(e.message, /checkly:accountId is not set.*pulumi config set --stack staging 'checkly:accountId'/s);
                transcript.push(e.message);
                return true;
            });
            assert.equal(checkly.count(), 0, "nothing reached Checkly");
        } finally {
            await bad.stop();
        }
        // A base URL that would send the key over the internet in clear: refused before any request.
        const insecure = await DynamicProviderHost.start({ env: { CHECKLY_API_KEY: "", CHECKLY_ACCOUNT_ID: "" } });
        try {
            await insecure.configure(
                {
                    "checkly:baseUrl": "http://checkly.example.com",
                    "checkly:apiKey": CHECKLY_KEY,
                    "checkly:accountId": CHECKLY_TEST_ACCOUNT,
                },
                { secretKeys: ["checkly:apiKey"] },
            );
            const urn = urnFor("checkly-channel-insecure", CHECKLY_ALERT_CHANNEL_TYPE);
            const checked = await insecure.check(urn, {}, news("staging", await sourceOf("staging")));
            await assert.rejects(insecure.create(urn, checked.inputs), (e: Error) => {
                assert.match(e.message, /checkly:baseUrl must use https/);
                assert.ok(!e.message.includes(CHECKLY_KEY));
                return true;
            });
            assert.equal(checkly.count(), 0);
        } finally {
            await insecure.stop();
        }
    });
});
