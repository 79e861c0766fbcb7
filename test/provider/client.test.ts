// Pure parts of the client: retry rules, Retry-After parsing, backoff, limiter, errors, settings.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { IncidentIoApiError, redact } from "../../providers/incident-io/client/errors";
import { processLimiter } from "../../providers/incident-io/client/client";
import { RequestLimiter } from "../../providers/incident-io/client/limiter";
import { backoffMs, DEFAULT_RETRY_POLICY, mayRetry, neverSent, retryAfterMs, type Method } from "../../providers/incident-io/client/retry";
import { readSettings } from "../../providers/incident-io/settings";

describe("retry rules", () => {
    const table: Array<[Method, { status?: number; neverSent?: boolean }, boolean]> = [
        ["GET", { status: 429 }, true],
        ["GET", { status: 500 }, true],
        ["GET", { status: 502 }, true],
        ["GET", { status: 503 }, true],
        ["GET", { status: 504 }, true],
        ["GET", { status: 404 }, false],
        ["GET", { status: 401 }, false],
        ["GET", {}, true], // network error or timeout
        ["PUT", { status: 503 }, true],
        ["PUT", { status: 422 }, false],
        ["PUT", {}, true],
        ["DELETE", { status: 500 }, true],
        ["DELETE", {}, true],
        ["POST", { status: 429 }, true], // rejected before processing
        ["POST", { status: 500 }, false], // may have been created
        ["POST", { status: 503 }, false],
        ["POST", {}, false], // reset or timeout after sending
        ["POST", { neverSent: true }, true], // connection refused
    ];
    for (const [method, failure, expected] of table) {
        test(`${method} ${JSON.stringify(failure)} → ${expected ? "retry" : "fail"}`, () => {
            assert.equal(mayRetry(method, failure), expected);
        });
    }

    test("only errors raised before sending count as never sent", () => {
        assert.equal(neverSent(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })), true);
        assert.equal(neverSent(new Error("wrapped", { cause: Object.assign(new Error("x"), { code: "UND_ERR_CONNECT_TIMEOUT" }) })), true);
        assert.equal(neverSent(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" })), false);
        assert.equal(neverSent(Object.assign(new Error("reset"), { code: "ECONNRESET" })), false);
    });
});

describe("Retry-After", () => {
    const now = Date.parse("2026-11-26T12:00:00Z");
    const table: Array<[string, string | undefined, unknown, number | undefined]> = [
        ["seconds", "3", undefined, 3000],
        ["fractional seconds", "1.5", undefined, 1500],
        ["HTTP date", "Thu, 26 Nov 2026 12:00:04 GMT", undefined, 4000],
        ["date in the past", "Thu, 26 Nov 2026 11:59:00 GMT", undefined, 0],
        ["body only", undefined, { rate_limit: { retry_after: "Thu, 26 Nov 2026 12:00:02 GMT" } }, 2000],
        ["header wins over body", "1", { rate_limit: { retry_after: "Thu, 26 Nov 2026 12:00:09 GMT" } }, 1000],
        ["garbage", "soon", undefined, undefined],
        // The API reference's own example writes the date with "UTC", in the body and the header.
        ["HTTP date in UTC, as documented", "Thu, 26 Nov 2026 12:00:05 UTC", undefined, 5000],
        [
            "the documented 429 body",
            undefined,
            {
                type: "too_many_requests",
                status: 429,
                rate_limit: { name: "api_key_name", limit: 1200, remaining: 0, retry_after: "Thu, 26 Nov 2026 12:00:07 UTC" },
            },
            7000,
        ],
        ["nothing", undefined, { type: "too_many_requests" }, undefined],
    ];
    for (const [what, header, body, expected] of table) {
        test(what, () => assert.equal(retryAfterMs(header, body, now), expected));
    }
});

test("backoff is jittered, exponential and capped", () => {
    assert.equal(
        backoffMs(DEFAULT_RETRY_POLICY, 0, () => 0.999),
        499,
    );
    assert.equal(
        backoffMs(DEFAULT_RETRY_POLICY, 3, () => 0.5),
        2000,
    );
    assert.equal(
        backoffMs(DEFAULT_RETRY_POLICY, 20, () => 0.5),
        10_000,
    );
    assert.equal(
        backoffMs(DEFAULT_RETRY_POLICY, 2, () => 0),
        0,
    );
});

test("the limiter never runs more than maxConcurrency requests at once", async () => {
    const limiter = new RequestLimiter({ requestsPerMinute: 600_000, maxConcurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
        Array.from({ length: 20 }, () =>
            limiter.run(async () => {
                peak = Math.max(peak, ++inFlight);
                await new Promise((r) => setImmediate(r));
                inFlight--;
            }),
        ),
    );
    assert.equal(peak, 3);
});

test("the process shares one limiter while the limits stay the same", () => {
    const first = processLimiter({ requestsPerMinute: 1200, maxConcurrency: 8 });
    assert.equal(processLimiter({ requestsPerMinute: 1200, maxConcurrency: 8 }), first);
    assert.equal(processLimiter(), first, "the defaults are the same limits");
    assert.notEqual(processLimiter({ requestsPerMinute: 600, maxConcurrency: 8 }), first);
});

test("the limiter's burst plus a minute of its rate stays under the API limit", () => {
    // Private fields, read to check the arithmetic the limiter runs on.
    const limiter = new RequestLimiter({ requestsPerMinute: 1200, maxConcurrency: 8 }) as unknown as { burst: number; ratePerMs: number };
    assert.ok(limiter.burst + limiter.ratePerMs * 60_000 <= 1200 * 0.98, `${limiter.burst} + ${limiter.ratePerMs * 60_000}`);
});

test("errors carry method, path, status, request_id and the API's fields; 401/403 name the scopes", () => {
    const e = new IncidentIoApiError({
        method: "PUT",
        path: "/v2/alert_routes/01X",
        kind: "http",
        status: 422,
        requestId: "req-1",
        errors: [{ code: "invalid_value", message: "must be one greater", source: { field: "version" } }],
    });
    assert.equal(e.message, "incident.io PUT /v2/alert_routes/01X 422 (request_id req-1): version: must be one greater");
    assert.equal(e.isVersionRejected, true);
    assert.equal(
        new IncidentIoApiError({
            method: "PUT",
            path: "/x",
            kind: "http",
            status: 422,
            errors: [{ source: { field: "name" }, message: "required" }],
        }).isVersionRejected,
        false,
    );
    assert.equal(
        new IncidentIoApiError({ method: "PUT", path: "/x", kind: "http", status: 409, errors: [{ message: "version conflict" }] })
            .isVersionRejected,
        true,
    );
    assert.match(
        new IncidentIoApiError({ method: "GET", path: "/x", kind: "http", status: 403 }).message,
        /"View data" and "Create and manage on-call resources"/,
    );
    assert.equal(redact("Bearer sk_live_123456 rejected", ["sk_live_123456"]), "Bearer [redacted] rejected");
});

describe("settings", () => {
    const read = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) => readSettings((k) => values[k], env);

    test("defaults", () => {
        assert.deepEqual(read({}), {
            baseUrl: "https://api.incident.io",
            apiKey: undefined,
            apiKeyFromConfig: false,
            onConflict: "fail",
            claimManaged: true,
            requestTimeoutMs: 30_000,
            maxRetries: 5,
            requestsPerMinute: 1200,
            maxConcurrency: 8,
            maxRetryWaitMs: 60_000,
            operationTimeoutMs: 300_000,
            maxResponseBytes: 10 * 1024 * 1024,
        });
    });

    test("config wins over INCIDENT_IO_TOKEN, which is the fallback", () => {
        assert.equal(read({ "incident-io:apiKey": "from-config" }, { INCIDENT_IO_TOKEN: "from-env" }).apiKey, "from-config");
        assert.equal(read({}, { INCIDENT_IO_TOKEN: "from-env" }).apiKey, "from-env");
        // Which one is in use decides what a key message offers (the stack's key only, or either).
        assert.equal(read({ "incident-io:apiKey": "from-config" }, { INCIDENT_IO_TOKEN: "from-env" }).apiKeyFromConfig, true);
        assert.equal(read({}, { INCIDENT_IO_TOKEN: "from-env" }).apiKeyFromConfig, false);
    });

    test("every bad key is named at once, with the fix", () => {
        assert.throws(
            () =>
                read({
                    "incident-io:onConflict": "yes",
                    "incident-io:claimManaged": "maybe",
                    "incident-io:maxRetries": "-1",
                    "incident-io:baseUrl": "api.incident.io",
                }),
            (e: Error) =>
                /incident-io:onConflict must be "fail" or "overwrite"/.test(e.message) &&
                /incident-io:claimManaged must be true or false/.test(e.message) &&
                /incident-io:maxRetries must be a number ≥ 0.*pulumi config set --stack <stack> 'incident-io:maxRetries' 5/.test(
                    e.message,
                ) &&
                /incident-io:baseUrl must be a URL/.test(e.message),
        );
    });
});
