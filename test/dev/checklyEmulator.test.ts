// The Checkly emulator itself: it must answer as Checkly does, or the provider's tests prove nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ChecklyEmulator, type ChannelV1 } from "../../dev/checkly-emulator";
import { CHECK_A, CHECKLY_TEST_ACCOUNT, CHECKLY_TEST_KEY, incidentIoChannel } from "../support/checkly";

const URL_A = "https://api.incident.io/v2/alert_events/checkly/01HZ7GE7CASMF15RWV1QFCMKTQ";

async function call(emu: ChecklyEmulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${emu.url}${path}`, {
        method,
        headers: {
            authorization: `Bearer ${CHECKLY_TEST_KEY}`,
            "x-checkly-account": CHECKLY_TEST_ACCOUNT,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

describe("Checkly emulator", () => {
    let emu: ChecklyEmulator;
    before(async () => (emu = await ChecklyEmulator.start({ apiKey: CHECKLY_TEST_KEY, accountId: CHECKLY_TEST_ACCOUNT })));
    after(() => emu.close());

    test("POST answers 201 with its own id, the headers in clear and the fields it adds", async () => {
        const created = await call(emu, "POST", "/v1/alert-channels", incidentIoChannel("incident.io (Staging)", URL_A, "tok-1"));
        assert.equal(created.status, 201);
        const channel = created.body as ChannelV1;
        assert.ok(Number.isInteger(channel.id) && channel.id > 1000);
        assert.deepEqual(channel.config.headers, [{ key: "Authorization", value: "Bearer tok-1", locked: true }]);
        assert.equal(channel.config.webhookSecret, null);
        assert.deepEqual(channel.subscriptions, []);
        assert.equal(typeof channel.created_at, "string");
        assert.equal(channel.updated_at, null);
        const read = await call(emu, "GET", `/v1/alert-channels/${channel.id}`);
        assert.deepEqual(read.body, channel);
    });

    test("PUT with subscriptions keeps their ids; PUT without them clears them (the worst case assumed)", async () => {
        const channel = emu.seedChannel(incidentIoChannel("incident.io (Production)", URL_A, "tok-2"));
        emu.subscribeInUi(channel.id, { checkId: CHECK_A, activated: true });
        const withSubs = await call(emu, "PUT", `/v1/alert-channels/${channel.id}`, {
            ...incidentIoChannel("incident.io (Production)", URL_A, "tok-3"),
            subscriptions: [{ checkId: CHECK_A, activated: true }],
        });
        assert.equal(withSubs.status, 200);
        assert.deepEqual((withSubs.body as ChannelV1).subscriptions, emu.channel(channel.id)!.subscriptions);
        assert.equal(emu.channel(channel.id)!.subscriptions.length, 1);
        await call(emu, "PUT", `/v1/alert-channels/${channel.id}`, incidentIoChannel("incident.io (Production)", URL_A, "tok-3"));
        assert.deepEqual(emu.channel(channel.id)!.subscriptions, []);
    });

    test("404 is Checkly's envelope; DELETE answers 204", async () => {
        const channel = emu.seedChannel(incidentIoChannel("gone", URL_A, "tok-4"));
        assert.equal((await call(emu, "DELETE", `/v1/alert-channels/${channel.id}`)).status, 204);
        const missing = await call(emu, "GET", `/v1/alert-channels/${channel.id}`);
        assert.deepEqual(missing, { ...missing, status: 404, body: { statusCode: 404, error: "Not Found", message: "Not Found" } });
    });

    test("auth: a wrong key or a missing account header is 401", async () => {
        assert.equal((await call(emu, "GET", "/v1/alert-channels", undefined, { authorization: "Bearer nope" })).status, 401);
        assert.equal((await call(emu, "GET", "/v1/alert-channels", undefined, { "x-checkly-account": "other" })).status, 401);
    });

    test("bad payloads are 400 with a message", async () => {
        const bad = await call(emu, "POST", "/v1/alert-channels", { ...incidentIoChannel("x", URL_A, "t"), sslExpiryThreshold: 31 });
        assert.equal(bad.status, 400);
        assert.match((bad.body as { message: string }).message, /sslExpiryThreshold/);
    });

    test("list pages by limit with the total in Content-Range", async () => {
        const list = await call(emu, "GET", "/v1/alert-channels?limit=1&page=1");
        assert.equal((list.body as unknown[]).length, 1);
        assert.match(list.headers.get("content-range") ?? "", /^0-0\/\d+$/);
    });

    test("faults: an injected 503 is answered once, then the endpoint again", async () => {
        emu.inject({ method: "GET", path: "/v1/alert-channels", kind: "status", status: 503 });
        assert.equal((await call(emu, "GET", "/v1/alert-channels")).status, 503);
        assert.equal((await call(emu, "GET", "/v1/alert-channels")).status, 200);
    });
});
