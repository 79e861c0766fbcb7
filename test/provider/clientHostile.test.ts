// The API client under hostile networks (issue 9). Each reproduction of the issue is a test through
// the handlers against the emulator, or against a raw 127.0.0.1 server in front of it where the
// emulator cannot give the answer (a foreign 404, a redirect, a rewritten or 50 MB answer, a
// proxy). Each asserts the new behaviour and what the emulator holds afterwards: no route lost,
// none duplicated, no form of the key in any message or log line (canaries). No timing
// assertions: short bounds come from config, and outcomes and counts are asserted.
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { after, before, beforeEach, describe, mock, test } from "node:test";
import type { AlertRouteInputs, AlertRouteOutputs } from "../../providers/incident-io/alertRoute";
import { cleanApiKey, secretForms } from "../../providers/incident-io/client/apiKey";
import { parseBaseUrl } from "../../providers/incident-io/client/baseUrl";
import { IncidentIoClient, processLimiter } from "../../providers/incident-io/client/client";
import { IncidentIoApiError, redact } from "../../providers/incident-io/client/errors";
import { LimiterDeadlineError, MAX_TIMER_MS, RequestLimiter, sleep } from "../../providers/incident-io/client/limiter";
import { rateLimitWaitMs } from "../../providers/incident-io/client/retry";
import type { AlertRouteHandlers } from "../../providers/incident-io/handlers";
import { readSettings } from "../../providers/incident-io/settings";
import { IncidentIoEmulator } from "../../dev/emulator";
import { minimalRoute } from "../fixtures/routes";
import { ForwardProxy } from "../support/forwardProxy";
import { Gateway, streamHuge } from "../support/gateway";
import { handlersFor } from "../support/handlers";

/** The key canary: characters that change under URL-encoding, so every echoed form differs. */
const KEY = `canary+key/${crypto.randomBytes(8).toString("hex")}=`;
/** Every form of the key that must never appear: as is, URL-encoded, JSON-escaped, base64. */
const KEY_FORMS = [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1), KEY.slice("canary+key/".length, -1)];

/** Fast limits: these tests measure outcomes, not the limiter (except where they say so). */
const BASE = {
    "incident-io:apiKey": KEY,
    "incident-io:requestsPerMinute": "600000",
    "incident-io:requestTimeoutSeconds": "2",
    "incident-io:maxRetries": "3",
};

function assertNoKey(...texts: Array<string | undefined>): void {
    for (const text of texts) {
        for (const form of KEY_FORMS) assert.ok(!(text ?? "").includes(form), `a form of the key appears in: ${text}`);
    }
}

let emulator: IncidentIoEmulator;

before(async () => {
    emulator = await IncidentIoEmulator.start({ apiKey: KEY });
});
after(async () => emulator?.close());
beforeEach(() => {
    emulator.clearFaults();
    emulator.onBetween = undefined;
    for (const r of emulator.routes()) emulator.deleteInUi(r.id);
    emulator.resetLog();
});

async function checked(handlers: AlertRouteHandlers, name: string, extra: Record<string, unknown> = {}): Promise<AlertRouteInputs> {
    const { inputs, failures } = await handlers.check({}, { ...minimalRoute(name), ...extra });
    assert.deepEqual(failures ?? [], []);
    return inputs!;
}

/** A route created without faults, and its outputs as the stack holds them. */
async function existing(name: string): Promise<{ id: string; outs: AlertRouteOutputs; inputs: AlertRouteInputs }> {
    const { handlers } = await handlersFor(emulator, BASE);
    const inputs = await checked(handlers, name);
    const { id, outs } = await handlers.create(inputs);
    emulator.resetLog();
    return { id, outs: outs!, inputs };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
    try {
        await promise;
    } catch (error) {
        return error as Error;
    }
    assert.fail("expected an error");
}

// ------------------------------------------------------------------ pure parts

describe("baseUrl is parsed, not pattern-matched", () => {
    const accepted: Array<[string, string]> = [
        ["https://api.incident.io", "https://api.incident.io"],
        ["https://api.incident.io/", "https://api.incident.io"],
        ["  https://api.incident.io  ", "https://api.incident.io"],
        ["HTTPS://API.INCIDENT.IO:443", "https://api.incident.io"],
        ["https://incident-proxy.example.com:8443", "https://incident-proxy.example.com:8443"],
        ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
        ["http://localhost:3000/", "http://localhost:3000"],
        ["http://[::1]:9000", "http://[::1]:9000"],
    ];
    for (const [raw, origin] of accepted) test(`accepts ${JSON.stringify(raw)}`, () => assert.equal(parseBaseUrl(raw), origin));

    const rejected: Array<[string, RegExp]> = [
        ["https://api.incident.io/v2", /without a path.*use https:\/\/api\.incident\.io/],
        ["https://api.incident.io/v2/alert_routes", /without a path/],
        ["https://app.incident.io", /app\.incident\.io, which is not incident\.io's API/],
        ["https://api.incident.io?region=eu", /must not have a query/],
        ["https://api.incident.io/?", /must not have a query/],
        ["https://api.incident.io#top", /must not have a fragment/],
        ["http://api.incident.io", /must use https: over http the API key would travel in clear text/],
        ["http://10.0.0.5:8080", /must use https/],
        ["https://user:hunter2@api.incident.io", /must not contain credentials/],
        ["ftp://api.incident.io", /must be an https URL/],
        ["api.incident.io", /must be a URL such as https:\/\/api\.incident\.io/],
        ["https://api.incident.io/\nv2", /spaces or control characters/],
        ["", /empty value/],
    ];
    for (const [raw, why] of rejected) {
        test(`rejects ${JSON.stringify(raw)}, naming the key and the fix`, () => {
            assert.throws(
                () => parseBaseUrl(raw),
                (e: Error) => {
                    assert.match(e.message, /^incident-io:baseUrl /);
                    assert.match(e.message, why);
                    // The stack is not known to a bare parse: a placeholder, never a command without --stack.
                    assert.ok(
                        e.message.endsWith("pulumi config set --stack <stack> 'incident-io:baseUrl' https://api.incident.io"),
                        e.message,
                    );
                    assert.ok(!e.message.includes("hunter2"), "credentials are not repeated");
                    return true;
                },
            );
        });
    }

    test("the key named is the caller's (the stack config uses its own)", () => {
        assert.throws(
            () => parseBaseUrl("http://example.com", "alert-routing:incidentIoBaseUrl"),
            /alert-routing:incidentIoBaseUrl must use https.*pulumi config set --stack <stack> 'alert-routing:incidentIoBaseUrl'/,
        );
    });

    test("settings report a bad baseUrl with every other bad key, before any call", () => {
        assert.throws(
            () =>
                readSettings(
                    (k) => ({ "incident-io:baseUrl": "https://api.incident.io/v2", "incident-io:maxRetryWaitSeconds": "forever" })[k],
                    {},
                ),
            (e: Error) =>
                /incident-io:baseUrl must be the API's origin without a path/.test(e.message) &&
                /incident-io:maxRetryWaitSeconds must be a number from 0 to 86400/.test(e.message),
        );
    });
});

describe("keys are cleaned where they are read", () => {
    test("trimmed; empty is unset", () => {
        assert.equal(cleanApiKey(`  ${KEY}\n`), KEY);
        assert.equal(cleanApiKey(" \t\n"), undefined);
        assert.equal(cleanApiKey(undefined), undefined);
    });

    for (const [where, raw] of [
        ["a line break inside", `${KEY.slice(0, 10)}\n${KEY.slice(10)}`],
        ["a tab inside", `${KEY.slice(0, 10)}\t${KEY.slice(10)}`],
        ["a NUL", `${KEY}\u0000x`],
        ["a C1 control", `${KEY}\u0085x`],
    ] as const) {
        test(`${where}: refused with how to set the key, without repeating it`, () => {
            assert.throws(
                () => cleanApiKey(raw, "incident-io:apiKey"),
                (e: Error) => {
                    assert.match(e.message, /incident-io:apiKey contains a control character/);
                    assert.ok(
                        e.message.includes(
                            "`pulumi config set --stack <stack> --secret 'incident-io:apiKey'` (it asks for the value without echo)",
                        ),
                        e.message,
                    );
                    assert.ok(!e.message.includes(KEY.slice(0, 10)) && !e.message.includes(KEY.slice(10)), e.message);
                    return true;
                },
            );
        });
    }

    test("settings: config key and INCIDENT_IO_TOKEN are trimmed, and a control character names its source", () => {
        assert.equal(readSettings((k) => ({ "incident-io:apiKey": `  ${KEY}\n` })[k], {}).apiKey, KEY);
        assert.equal(readSettings(() => undefined, { INCIDENT_IO_TOKEN: `${KEY}\r\n` }).apiKey, KEY);
        assert.throws(
            () => readSettings(() => undefined, { INCIDENT_IO_TOKEN: `a${KEY}\nb` }),
            (e: Error) => /INCIDENT_IO_TOKEN contains a control character/.test(e.message) && !e.message.includes(KEY),
        );
    });

    test("redaction covers the padded, trimmed, URL-encoded and JSON-escaped forms", () => {
        const padded = `  ${KEY}\n`;
        const echoed = [padded, KEY, encodeURIComponent(padded), encodeURIComponent(KEY), JSON.stringify(padded), JSON.stringify(KEY)].join(
            " | ",
        );
        const out = redact(echoed, secretForms(padded));
        assertNoKey(out);
        assert.equal(out.split("[redacted]").length - 1, 6);
    });
});

describe("bounded waits, pure parts", () => {
    const now = Date.parse("2026-11-26T12:00:00Z");
    const table: Array<[string, string | undefined, unknown, number]> = [
        ["Retry-After 0 waits the 1 s floor", "0", undefined, 1000],
        ["a date in the past waits the floor", "Thu, 26 Nov 2026 11:59:00 GMT", undefined, 1000],
        ["a date 300 ms ahead (rounded by the second) waits the floor", new Date(now + 300).toUTCString(), undefined, 1000],
        ["no hint: the backoff, at least the floor", undefined, undefined, 1000],
        ["Retry-After 999999 is kept as asked (the caller bounds it)", "999999", undefined, 999_999_000],
        ["body date", undefined, { rate_limit: { retry_after: "Thu, 26 Nov 2026 12:00:05 GMT" } }, 5000],
    ];
    for (const [what, header, body, expected] of table) test(what, () => assert.equal(rateLimitWaitMs(header, body, 200, now), expected));

    test("sleep never hands a Node timer more than it can hold (2^31-1 ms)", async () => {
        const delays: number[] = [];
        const fake = mock.method(globalThis, "setTimeout", ((fn: () => void, ms: number) => {
            delays.push(ms);
            queueMicrotask(fn);
            return 0 as unknown as NodeJS.Timeout;
        }) as unknown as typeof setTimeout);
        try {
            await sleep(30 * 24 * 3600 * 1000); // 30 days: beyond the 24.8-day overflow
        } finally {
            fake.mock.restore();
        }
        assert.ok(delays.length >= 2, `split into parts: ${delays}`);
        assert.ok(
            delays.every((d) => d <= MAX_TIMER_MS),
            `every part fits a timer: ${delays}`,
        );
        assert.equal(
            delays.reduce((a, b) => a + b, 0),
            30 * 24 * 3600 * 1000,
            "and together they wait the whole time",
        );
    });

    test("a request queued in the limiter gives up at its deadline and leaves no slot taken", async () => {
        const limiter = new RequestLimiter({ requestsPerMinute: 600_000, maxConcurrency: 1 });
        let release!: () => void;
        const holding = limiter.run(() => new Promise<void>((r) => (release = r)));
        await assert.rejects(
            limiter.run(async () => "never", Date.now() + 20),
            LimiterDeadlineError,
        );
        release();
        await holding;
        assert.equal(await limiter.run(async () => "next"), "next", "the slot was released");
        assert.equal((limiter as unknown as { inFlight: number }).inFlight, 0);
    });

    test("a request that would wait out a 429 pause past its deadline gives up at once", async () => {
        const limiter = new RequestLimiter({ requestsPerMinute: 600_000, maxConcurrency: 4 });
        limiter.pauseUntil(Date.now() + 3_600_000);
        await assert.rejects(
            limiter.run(async () => "never", Date.now() + 1000),
            /paused after a 429/,
        );
    });

    test("settings: defaults and bounds of the new keys", () => {
        const s = readSettings(() => undefined, {});
        assert.equal(s.maxRetryWaitMs, 60_000);
        assert.equal(s.operationTimeoutMs, 300_000);
        assert.equal(s.maxResponseBytes, 10 * 1024 * 1024);
        for (const [key, value] of [
            ["incident-io:maxRetryWaitSeconds", "-1"],
            ["incident-io:maxRetryWaitSeconds", "999999999"],
            ["incident-io:operationTimeoutSeconds", "0"],
            ["incident-io:operationTimeoutSeconds", "Infinity"],
            ["incident-io:maxResponseMegabytes", "lots"],
            ["incident-io:requestTimeoutSeconds", "3000000"],
        ]) {
            assert.throws(
                () => readSettings((k) => (k === key ? value : undefined), {}),
                new RegExp(`${key} must be a number from .* got "${value}": pulumi config set --stack <stack> '${key}' `),
            );
        }
    });
});

describe("only the API's own 404 means gone (error classification)", () => {
    const error = (status: number, errorType?: string, location?: string) =>
        new IncidentIoApiError({
            method: "GET",
            path: "/v2/alert_routes/01X",
            url: "https://api.incident.io/v2/alert_routes/01X",
            kind: "http",
            status,
            errorType,
            location,
        });
    test("a 404 with the not_found envelope is not found", () => assert.equal(error(404, "not_found").isNotFound, true));
    for (const [what, e] of [
        ["a 404 without an envelope", error(404)],
        ["a 404 with another type", error(404, "bad_request")],
        ["a 410", error(410)],
        ["a redirect", error(301, undefined, "https://app.incident.io/login")],
    ] as const) {
        test(`${what} is not, and names the URL and the status`, () => {
            assert.equal(e.isNotFound, false);
            assert.match(e.message, new RegExp(`GET https://api\\.incident\\.io/v2/alert_routes/01X ${e.status}`));
            assert.match(e.message, /incident-io:baseUrl/);
        });
    }
});

// ------------------------------------------------------------------ reproductions, through the handlers

describe("reproduction: a 429 asking for 999999 s", () => {
    for (const retryAfter of ["seconds", "http-date", "body-only"] as const) {
        test(`(${retryAfter}) fails the create at once, creates nothing, and does not park the process`, async () => {
            const { handlers, logs } = await handlersFor(emulator, BASE);
            const inputs = await checked(handlers, `rate-limited ${retryAfter}`);
            emulator.inject({ method: "POST", path: /^\/v2\/alert_routes$/, kind: "rate-limit", retryAfter, seconds: 999_999 });
            const e = await failure(handlers.create(inputs));
            // An HTTP date holds whole seconds: the emulator rounds up, a date may read one second more.
            assert.match(
                e.message,
                /the API asked to wait (99999\d|1000000) s before retrying, more than incident-io:maxRetryWaitSeconds \(60 s\)/,
            );
            assert.match(e.message, /pulumi config set --stack <stack> 'incident-io:maxRetryWaitSeconds' (99999\d|1000000)/);
            assert.doesNotMatch(e.message, /may have succeeded/, "a 429 was not applied");
            assert.equal(emulator.count("POST", "/v2/alert_routes"), 1, "not retried");
            assert.equal(emulator.routes().length, 0, "nothing created");
            const limiter = processLimiter({ requestsPerMinute: 600_000, maxConcurrency: 8 }) as unknown as { pausedUntil: number };
            assert.ok(limiter.pausedUntil <= Date.now(), "the process-wide limiter is not paused");
            // The next operation goes through at once.
            const { id } = await handlers.create(inputs);
            assert.deepEqual(
                emulator.routes().map((r) => r.id),
                [id],
            );
            assertNoKey(e.message, ...logs);
        });
    }

    test("a wait within the bound is sat out, at least 1 s even when the API says 0", async () => {
        const { id, outs } = await existing("rate-limited, short");
        const { handlers, logs } = await handlersFor(emulator, { ...BASE, "incident-io:maxRetryWaitSeconds": "1" });
        emulator.inject({
            method: "GET",
            path: new RegExp(`^/v2/alert_routes/${id}$`),
            kind: "rate-limit",
            retryAfter: "seconds",
            seconds: 0,
        });
        const read = await handlers.read(id, outs);
        assert.equal(read.id, id);
        assert.deepEqual(
            logs.filter((l) => /429/.test(l)).map((l) => /in (\d+)ms/.exec(l)?.[1]),
            ["1000"],
            "the floor",
        );
        assert.equal(emulator.count("GET", `/v2/alert_routes/${id}`), 2);
    });

    test("maxRetryWaitSeconds bounds a read as well: 2 s asked, 1 s allowed", async () => {
        const { id, outs } = await existing("rate-limited, bounded read");
        const { handlers } = await handlersFor(emulator, { ...BASE, "incident-io:maxRetryWaitSeconds": "1" });
        emulator.inject({
            method: "GET",
            path: new RegExp(`^/v2/alert_routes/${id}$`),
            kind: "rate-limit",
            retryAfter: "seconds",
            seconds: 2,
        });
        const e = await failure(handlers.read(id, outs));
        assert.match(e.message, /asked to wait 2 s .*maxRetryWaitSeconds \(1 s\)/);
        assert.ok(emulator.route(id), "the route is still there (and still in the stack: read failed, it did not say gone)");
    });
});

describe("reproduction: an operation's deadline covers its retries and its time queued", () => {
    test("503 after 503: the PUT stops at operationTimeoutSeconds, and the route is settled by reading it back", async () => {
        const { id, outs, inputs } = await existing("deadline, retries");
        const { handlers } = await handlersFor(emulator, {
            ...BASE,
            "incident-io:maxRetries": "1000",
            "incident-io:operationTimeoutSeconds": "0.4",
        });
        emulator.inject({ method: "PUT", path: new RegExp(`^/v2/alert_routes/${id}$`), kind: "status", status: 503, times: 1000 });
        const e = await failure(handlers.update(id, outs, { ...inputs, enabled: false }));
        assert.match(e.message, /ran out of time.*incident-io:operationTimeoutSeconds \(0\.4 s\)/);
        assert.match(e.message, /pulumi config set --stack <stack> 'incident-io:operationTimeoutSeconds' 1/);
        const puts = emulator.count("PUT", `/v2/alert_routes/${id}`);
        assert.ok(puts >= 1 && puts < 1000, `stopped retrying (${puts} PUTs)`);
        assert.equal(emulator.count("GET", `/v2/alert_routes/${id}`), 2, "read before the PUT, and read back after it ran out of time");
        assert.deepEqual(
            emulator.routes().map((r) => [r.id, r.version]),
            [[id, 1]],
            "untouched, not lost",
        );
    });

    test("time queued in the limiter counts: a second request with no turn before the deadline is never sent", async () => {
        const { id, outs } = await existing("deadline, queued");
        // One request a minute: the first takes the only token, the second would wait ~a minute.
        const slow = {
            ...BASE,
            "incident-io:requestsPerMinute": "1",
            "incident-io:maxConcurrency": "1",
            "incident-io:operationTimeoutSeconds": "0.5",
        };
        const { handlers } = await handlersFor(emulator, slow);
        await handlers.read(id, outs);
        const e = await failure(handlers.read(id, outs));
        assert.match(
            e.message,
            /ran out of time.*no turn to send before incident-io:operationTimeoutSeconds \(0\.5 s\) passed: waiting for the rate limit/,
        );
        assert.equal(emulator.count("GET", `/v2/alert_routes/${id}`), 1, "the second request was never sent");
        assert.ok(emulator.route(id));
    });
});

describe("reproduction: a pagination cursor that does not advance", () => {
    test("after an ambiguous POST, listing stops on the repeated cursor; exactly one route exists", async () => {
        const { handlers, logs } = await handlersFor(emulator, BASE);
        const inputs = await checked(handlers, "stuck cursor");
        emulator.resetLog(); // check's one list of live routes (same-name look-up) is not the listing under test
        emulator.inject({ method: "POST", path: /^\/v2\/alert_routes$/, kind: "reset-after-processing" });
        const stuck = {
            alert_routes: [{ id: "01STUCK00000000000000000000", name: "other", enabled: true }],
            pagination_meta: { after: "01STUCK00000000000000000000", page_size: 50 },
        };
        emulator.inject({ method: "GET", path: /^\/v2\/alert_routes$/, kind: "status", status: 200, body: stuck, times: 1000 });
        const e = await failure(handlers.create(inputs));
        assert.match(e.message, /may have succeeded/);
        assert.match(e.message, /Look for the route in incident\.io/, "the listing failed, so the user is told to look");
        assert.equal(emulator.count("GET", "/v2/alert_routes"), 2, "the second page repeated the cursor: stop");
        assert.equal(emulator.routes().length, 1, "the POST landed once and was not repeated");
        assertNoKey(e.message, ...logs);
    });

    test("the client says which cursor repeated; a cursor that always advances stops at maxPages", async () => {
        const client = new IncidentIoClient({
            baseUrl: emulator.url,
            apiKey: KEY,
            limiter: new RequestLimiter({ requestsPerMinute: 600_000, maxConcurrency: 4 }),
            maxPages: 5,
            log: () => {},
        });
        emulator.inject({
            method: "GET",
            path: /^\/v2\/alert_routes$/,
            kind: "status",
            status: 200,
            body: { alert_routes: [{ id: "A", name: "a", enabled: true }], pagination_meta: { after: "A" } },
            times: 2,
        });
        await assert.rejects(client.listAlertRoutes(), /the pagination cursor "A" came back a second time; listing stopped after 2 pages/);
        emulator.clearFaults();
        emulator.resetLog();
        let page = 0;
        emulator.onBetween = (r) => {
            if (r.method === "GET" && r.path === "/v2/alert_routes") page++;
        };
        for (let i = 1; i <= 10; i++) {
            emulator.inject({
                method: "GET",
                path: /^\/v2\/alert_routes$/,
                kind: "status",
                status: 200,
                body: { alert_routes: [{ id: `P${i}`, name: "p", enabled: true }], pagination_meta: { after: `P${i}` } },
            });
        }
        await assert.rejects(client.listAlertRoutes(), /more than 5 pages of 50; listing stopped after 5 pages \(5 entries read\)/);
        assert.equal(emulator.count("GET", "/v2/alert_routes"), 5);
        assert.equal(page, 0, "every page came from the injected answers");
    });
});

describe("reproduction: a baseUrl with a path, and 404s that are not the API's", () => {
    test("https://.../v2 (here: the emulator's URL + /v2) fails refresh and destroy with the key named; nothing dropped, nothing sent", async () => {
        const { id, outs, inputs } = await existing("base url with a path");
        const { handlers } = await handlersFor(emulator, { ...BASE, "incident-io:baseUrl": `${emulator.url}/v2` });
        for (const op of [() => handlers.read(id, outs), () => handlers.delete(id, outs), () => handlers.create(inputs)]) {
            const e = await failure(op());
            assert.match(
                e.message,
                /incident-io:baseUrl must be the API's origin without a path.*pulumi config set --stack <stack> 'incident-io:baseUrl'/s,
            );
            assertNoKey(e.message);
        }
        assert.equal(emulator.requests.length, 0, "no request was sent");
        assert.deepEqual(
            emulator.routes().map((r) => r.id),
            [id],
            "the route is neither lost nor duplicated",
        );
    });

    const foreign: Array<[string, number, Record<string, string>, string, RegExp]> = [
        ["an HTML 404 page", 404, { "content-type": "text/html" }, "<html><body>Not Found</body></html>", /answered with|404/],
        ["a JSON 404 that is not the API's envelope", 404, { "content-type": "application/json" }, '{"message":"no such path"}', /404/],
        ["a 410", 410, { "content-type": "text/plain" }, "gone", /410/],
        ["a redirect", 302, { location: "https://app.incident.io/login" }, "", /302.*redirect to https:\/\/app\.incident\.io\/login/],
    ];
    for (const [what, status, headers, body, pattern] of foreign) {
        test(`${what}: read is an error naming the URL (not "gone"), delete is not "done"; the route stays, once`, async () => {
            const { id, outs, inputs } = await existing(`foreign ${status} ${what}`);
            const gateway = await Gateway.start(emulator.url);
            try {
                gateway.intercept = (req, res) => {
                    if (!req.url.startsWith(`/v2/alert_routes/${id}`)) return false;
                    res.writeHead(status, headers);
                    res.end(body);
                    return true;
                };
                const { handlers, logs } = await handlersFor(gateway, BASE);
                const readError = await failure(handlers.read(id, outs));
                assert.match(readError.message, new RegExp(`GET ${gateway.url.replace(/[.]/g, "\\.")}/v2/alert_routes/${id} ${status}`));
                assert.match(readError.message, pattern);
                assert.match(readError.message, /incident-io:baseUrl/);
                const deleteError = await failure(handlers.delete(id, outs));
                assert.match(
                    deleteError.message,
                    new RegExp(`DELETE ${gateway.url.replace(/[.]/g, "\\.")}/v2/alert_routes/${id} ${status}`),
                );
                const updateError = await failure(handlers.update(id, outs, { ...inputs, enabled: false }));
                assert.doesNotMatch(updateError.message, /deleted outside Pulumi/, "not taken for a deletion either");
                assertNoKey(readError.message, deleteError.message, updateError.message, ...logs);
                assert.deepEqual(
                    emulator.routes().map((r) => [r.id, r.version]),
                    [[id, 1]],
                    "the route is there, once, untouched",
                );
                // Only the key check (GET /v1/identity, before delete's write) passes the gateway.
                assert.equal(emulator.count("GET", "/v2/"), 0, "none of it reached the API");
            } finally {
                await gateway.close();
            }
        });
    }

    test("the API's own 404 still means gone (read drops, delete is done)", async () => {
        const { id, outs } = await existing("really gone");
        emulator.deleteInUi(id);
        const { handlers } = await handlersFor(emulator, BASE);
        assert.deepEqual(await handlers.read(id, outs), {});
        await handlers.delete(id, outs);
    });
});

describe("reproduction: keys with whitespace, newlines and characters HTTP refuses", () => {
    test("a padded key authenticates, and an answer echoing it in any form shows none of it", async () => {
        const padded = `  ${KEY}\n`;
        const gateway = await Gateway.start(emulator.url);
        try {
            gateway.intercept = (req, res) => {
                if (req.method !== "PUT") return false;
                const sent = String(req.headers.authorization).replace(/^Bearer /, "");
                res.writeHead(422, { "content-type": "application/json" });
                res.end(
                    JSON.stringify({
                        type: "validation_error",
                        status: 422,
                        request_id: `req ${encodeURIComponent(padded)}`,
                        errors: [
                            {
                                code: "invalid",
                                message: `key ${sent} / ${encodeURIComponent(sent)} / ${padded} / ${JSON.stringify(padded)}`,
                                source: { field: KEY },
                            },
                        ],
                    }),
                );
                return true;
            };
            const { handlers, logs } = await handlersFor(gateway, { ...BASE, "incident-io:apiKey": padded });
            const inputs = await checked(handlers, "padded key");
            const { id, outs } = await handlers.create(inputs);
            assert.equal(gateway.seen[0].headers.authorization, `Bearer ${KEY}`, "sent trimmed");
            const e = await failure(handlers.update(id, outs!, { ...inputs, enabled: false }));
            assert.match(e.message, /422/);
            assertNoKey(e.message, ...logs);
            assert.deepEqual(
                emulator.routes().map((r) => [r.id, r.version]),
                [[id, 1]],
            );
        } finally {
            await gateway.close();
        }
    });

    test("a key ending in a newline is trimmed: create works, once", async () => {
        const { handlers } = await handlersFor(emulator, { ...BASE, "incident-io:apiKey": `${KEY}\n` });
        const { id } = await handlers.create(await checked(handlers, "newline key"));
        assert.deepEqual(
            emulator.routes().map((r) => r.id),
            [id],
        );
        assert.equal(emulator.count("POST", "/v2/alert_routes"), 1);
    });

    test("a line break inside the key: a config error naming how to set it, nothing sent", async () => {
        const { handlers, logs } = await handlersFor(emulator, { ...BASE, "incident-io:apiKey": `${KEY.slice(0, 12)}\n${KEY.slice(12)}` });
        const e = await failure(handlers.create(await checked(handlers, "broken key")));
        assert.match(
            e.message,
            /incident-io:apiKey contains a control character.*`pulumi config set --stack <stack> --secret 'incident-io:apiKey'` \(it asks/s,
        );
        assert.doesNotMatch(e.message, /may have succeeded|network error/);
        assert.ok(!e.message.includes(KEY.slice(0, 12)) && !e.message.includes(KEY.slice(12)));
        assert.equal(emulator.requests.length, 0);
        assert.equal(logs.length, 0, "no retries");
    });

    test('a key undici refuses in a header (a character beyond latin-1): "never sent", not "may have succeeded"', async () => {
        const odd = `${KEY}\u20ac`;
        const { handlers, logs } = await handlersFor(emulator, { ...BASE, "incident-io:apiKey": odd });
        // Checked by a host with a good key: check's own list of live routes is not what this test is about.
        const inputs = await checked((await handlersFor(emulator, BASE)).handlers, "unsendable key");
        emulator.resetLog();
        const e = await failure(handlers.create(inputs));
        // The key check is the first request: it is refused the same way, and nothing is written.
        assert.match(e.message, /GET \/v1\/identity was not sent: invalid authorization header.*Nothing was sent.*Nothing was written/s);
        assert.match(
            e.message,
            /`pulumi config set --stack <stack> --secret 'incident-io:apiKey'` \(it asks for the value without echo\), or INCIDENT_IO_TOKEN in the environment: `read -rs INCIDENT_IO_TOKEN && export INCIDENT_IO_TOKEN`/,
        );
        assert.doesNotMatch(e.message, /may have succeeded/);
        assert.equal(emulator.requests.length, 0, "nothing reached the API");
        assert.equal(logs.length, 0, "and it was not retried");
        assert.equal(emulator.routes().length, 0);
        assertNoKey(e.message);
    });
});

describe("reproduction: HTTPS_PROXY / HTTP_PROXY / NO_PROXY", () => {
    const NAMES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];
    /** Runs `fn` with exactly these proxy variables set (the rest unset), then restores the environment. */
    async function withProxyEnv(vars: Record<string, string>, fn: () => Promise<void>): Promise<void> {
        const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
        for (const n of NAMES) delete process.env[n];
        Object.assign(process.env, vars);
        try {
            await fn();
        } finally {
            for (const n of NAMES) {
                if (saved[n] === undefined) delete process.env[n];
                else process.env[n] = saved[n];
            }
        }
    }

    let proxy: ForwardProxy;
    before(async () => (proxy = await ForwardProxy.start()));
    after(async () => proxy?.close());
    beforeEach(() => {
        proxy.connects.length = 0;
        proxy.requests.length = 0;
        proxy.sent = "";
        proxy.refuseWith = undefined;
    });

    for (const variable of ["HTTP_PROXY", "http_proxy"]) {
        test(`${variable}: every request of create, read, update and delete passes through the proxy`, async () => {
            await withProxyEnv({ [variable]: proxy.url }, async () => {
                const { handlers } = await handlersFor(emulator, BASE);
                const inputs = await checked(handlers, `via ${variable}`);
                const { id, outs } = await handlers.create(inputs);
                await handlers.read(id, outs!);
                const updated = await handlers.update(id, outs!, { ...inputs, enabled: false });
                await handlers.delete(id, updated.outs!);
            });
            const target = emulator.url.replace("http://", "");
            assert.ok(
                proxy.connects.length >= 1 && proxy.connects.every((c) => c === target),
                `tunnels to the emulator: ${proxy.connects}`,
            );
            const atEmulator = emulator.requests.map((r) => `${r.method} ${r.path}`);
            // The update claims no second time: the outputs record the claim (issue 8).
            // Check's one list of live routes (the same-name look-up) goes through the proxy too.
            assert.equal(atEmulator.length, 7, "list, POST, claim, GET, GET, PUT, DELETE");
            assert.equal(atEmulator[0], "GET /v2/alert_routes");
            assert.deepEqual(proxy.requests, atEmulator, "each request the API saw came through the proxy");
            assert.equal(emulator.routes().length, 0);
        });
    }

    test("NO_PROXY naming the host: direct, nothing through the proxy", async () => {
        await withProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: "localhost,127.0.0.1" }, async () => {
            const { handlers } = await handlersFor(emulator, BASE);
            const { id } = await handlers.create(await checked(handlers, "no proxy"));
            assert.deepEqual(
                emulator.routes().map((r) => r.id),
                [id],
            );
        });
        assert.equal(proxy.connects.length, 0);
        assert.equal(emulator.count("POST", "/v2/alert_routes"), 1);
    });

    test("HTTPS_PROXY carries https://api.incident.io: a refusing proxy sees only the CONNECT, never the key", async () => {
        proxy.refuseWith = 403;
        let message = "";
        await withProxyEnv({ HTTPS_PROXY: proxy.url }, async () => {
            const { handlers, logs } = await handlersFor(emulator, {
                ...BASE,
                "incident-io:baseUrl": "https://api.incident.io",
                "incident-io:maxRetries": "0",
            });
            const e = await failure(handlers.read("01KHSNW67SZJ1KGWEMA9C0GPT7", { version: 1 } as AlertRouteOutputs));
            message = e.message;
            assertNoKey(message, ...logs);
        });
        assert.deepEqual(proxy.connects, ["api.incident.io:443"], "the request went to the proxy, not out directly");
        assert.match(message, /GET \/v2\/alert_routes\/01KHSNW67SZJ1KGWEMA9C0GPT7/);
        assertNoKey(proxy.sent);
        assert.equal(emulator.requests.length, 0);
    });

    test("the environment is restored for the rest of the suite", () => {
        for (const n of NAMES) assert.ok(process.env[n] === undefined || !process.env[n]!.includes(proxy.url), n);
    });
});

describe("reproduction: answers that are not what was asked, and answers too big to read", () => {
    test("a PUT answered 200 with another version, not applied: read back, nothing stored, route untouched", async () => {
        const { id, outs, inputs } = await existing("lying PUT, not applied");
        const lie = { alert_route: { ...emulator.route(id)!, version: 7 } };
        emulator.inject({ method: "PUT", path: new RegExp(`^/v2/alert_routes/${id}$`), kind: "status", status: 200, body: lie });
        const { handlers, logs } = await handlersFor(emulator, BASE);
        const e = await failure(handlers.update(id, outs, { ...inputs, enabled: false }));
        assert.match(
            e.message,
            new RegExp(`the answer is route "${id}" at version 7, not ${id} at version 2 as asked; it was not trusted`),
        );
        assert.equal(emulator.count("GET", `/v2/alert_routes/${id}`), 2, "read before, and read back after the answer");
        assert.deepEqual(
            emulator.routes().map((r) => [r.id, r.version, r.enabled]),
            [[id, 1, true]],
            "untouched",
        );
        assertNoKey(e.message, ...logs);
    });

    for (const [what, rewrite] of [
        ["another version", (r: Record<string, unknown>) => ({ ...r, version: 99 })],
        ["another id", (r: Record<string, unknown>) => ({ ...r, id: "01OTHER0000000000000000000" })],
    ] as const) {
        test(`a PUT applied but answered with ${what}: the stack records what a read-back shows`, async () => {
            const { id, outs, inputs } = await existing(`lying PUT, applied, ${what}`);
            const gateway = await Gateway.start(emulator.url);
            try {
                gateway.intercept = async (req, res, forward) => {
                    if (req.method !== "PUT") return false;
                    const real = await forward();
                    const body = JSON.parse(real.body) as { alert_route: Record<string, unknown> };
                    res.writeHead(200, { "content-type": "application/json" });
                    res.end(JSON.stringify({ alert_route: rewrite(body.alert_route) }));
                    return true;
                };
                const { handlers } = await handlersFor(gateway, BASE);
                const { outs: updated } = await handlers.update(id, outs, { ...inputs, enabled: false });
                const held = emulator.route(id)!;
                assert.equal(held.version, 2);
                assert.equal(held.enabled, false);
                assert.equal(updated!.version, 2, "the version the API holds, not the answer's");
                assert.equal(updated!.route.enabled, false);
                assert.deepEqual(
                    emulator.routes().map((r) => r.id),
                    [id],
                );
                assert.equal(emulator.count("PUT"), 1, "written once");
            } finally {
                await gateway.close();
            }
        });
    }

    test("a GET answered with another route is not stored by refresh", async () => {
        const { id, outs } = await existing("GET answered with another route");
        emulator.inject({
            method: "GET",
            path: new RegExp(`^/v2/alert_routes/${id}$`),
            kind: "status",
            status: 200,
            body: { alert_route: { ...emulator.route(id)!, id: "01OTHER0000000000000000000" } },
        });
        const { handlers } = await handlersFor(emulator, BASE);
        await assert.rejects(handlers.read(id, outs), /the answer is route "01OTHER0000000000000000000" at version 1, not 01\w+ as asked/);
        assert.ok(emulator.route(id));
    });

    for (const declareLength of [false, true]) {
        test(`a 50 MB answer to a GET (${declareLength ? "declared" : "streamed"}) is an error, read no further; refresh keeps the route`, async () => {
            const { id, outs } = await existing(`huge answer ${declareLength}`);
            const gateway = await Gateway.start(emulator.url);
            let sent: Promise<{ written: number; finished: boolean }> | undefined;
            try {
                gateway.intercept = (req, res) => {
                    if (req.method !== "GET") return false;
                    sent = streamHuge(res, 50 * 1024 * 1024, { declareLength });
                    return true;
                };
                const { handlers, logs } = await handlersFor(gateway, BASE);
                const e = await failure(handlers.read(id, outs));
                assert.match(
                    e.message,
                    /answered with a body over the size cap: the answer \(200\) (declares 50 MB|ran past 10(\.\d)? MB), more than 10 MB; the rest was not read/,
                );
                assert.match(e.message, /pulumi config set --stack <stack> 'incident-io:maxResponseMegabytes' 40/);
                assert.equal(gateway.seen.filter((r) => r.method === "GET").length, 1, "not retried");
                const stream = await sent!;
                assert.equal(stream.finished, false, `the server could not finish: the client hung up after ${stream.written} bytes`);
                assert.ok(stream.written < 50 * 1024 * 1024);
                assertNoKey(e.message, ...logs);
                assert.deepEqual(
                    emulator.routes().map((r) => r.id),
                    [id],
                );
            } finally {
                await gateway.close();
            }
        });
    }

    test("a PUT applied but answered with 50 MB: settled by reading the route back", async () => {
        const { id, outs, inputs } = await existing("huge PUT answer");
        const gateway = await Gateway.start(emulator.url);
        try {
            gateway.intercept = async (req, res, forward) => {
                if (req.method !== "PUT") return false;
                await forward();
                void streamHuge(res, 50 * 1024 * 1024);
                return true;
            };
            const { handlers } = await handlersFor(gateway, { ...BASE, "incident-io:maxResponseMegabytes": "1" });
            const { outs: updated } = await handlers.update(id, outs, { ...inputs, enabled: false });
            assert.equal(updated!.version, 2);
            assert.deepEqual(
                emulator.routes().map((r) => [r.id, r.version, r.enabled]),
                [[id, 2, false]],
            );
            assert.equal(emulator.count("PUT"), 1);
        } finally {
            await gateway.close();
        }
    });
});
