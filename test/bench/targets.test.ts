// The benchmark's targets as a pure table: a measurement goes in, the failing targets come out.
// The wall times are inputs here, not measured: no timing is asserted.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { CliMeasurement, PreviewTiming } from "../../bench/cli";
import {
    cliTargets,
    HOST_PEAK_MEMORY_LIMIT_BYTES,
    median,
    refreshFloorMs,
    sizeResult,
    targetsFor,
    type PhaseName,
    type PhaseResult,
    type SizeMeasurement,
} from "../../bench/targets";

function phase(name: PhaseName, byEndpoint: Record<string, number>, extra: Partial<PhaseResult> = {}): PhaseResult {
    const byMethod: Record<string, number> = {};
    for (const [endpoint, count] of Object.entries(byEndpoint)) {
        const method = endpoint.split(" ")[0];
        byMethod[method] = (byMethod[method] ?? 0) + count;
    }
    const total = Object.values(byEndpoint).reduce((a, b) => a + b, 0);
    return {
        phase: name,
        rpcs: name,
        wallMs: 1000,
        requests: { total, byMethod, byEndpoint },
        expectedRequests: total,
        status429: 0,
        extraRequests: 0,
        keyChecks: 0,
        retryLogLines: 0,
        non2xx: {},
        hostPeakMemoryBytes: 100 * 1024 * 1024,
        peakMemoryIsPerPhase: true,
        emulatorPeakConcurrency: 8,
        rpcErrors: 0,
        rpcErrorSamples: [],
        ...extra,
    };
}

/** What a run that meets every target measures for N routes. */
function passing(n: number, opts: { claim?: boolean; latencyMs?: number; maxConcurrency?: number } = {}): SizeMeasurement {
    const claim = opts.claim ?? true;
    const latencyMs = opts.latencyMs ?? 20;
    const maxConcurrency = opts.maxConcurrency ?? 8;
    return {
        n,
        latencyMs,
        maxConcurrency,
        claim,
        phases: [
            phase(
                "create",
                { "GET /v2/alert_routes": 1, "POST /v2/alert_routes": n, ...(claim ? { "POST /v2/managed_resources": n } : {}) },
                { keyChecks: 1 },
            ),
            phase("preview", {}, { diffs: { none: n } }),
            phase("refresh", { "GET /v2/alert_routes/{id}": n }, { wallMs: refreshFloorMs(n, latencyMs, maxConcurrency) }),
            phase("update", { "GET /v2/alert_routes/{id}": n, "PUT /v2/alert_routes/{id}": n }, { diffs: { some: n } }),
            phase("delete", { "DELETE /v2/alert_routes/{id}": n }, { keyChecks: 1 }),
        ],
        baseline: { wallMs: 2000, requests: n, status429: 0, non2xx: 0 },
        afterCreate: n,
        updatedInEmulator: n,
        leftOver: 0,
        managed: claim ? n : 0,
        providerBytes: 9000,
        providerInState: true,
        stateBytesPerResourceAvg: 12000,
        hostPeakMemoryBytes: 120 * 1024 * 1024,
        peakRequestsPer60s: 3 * n,
        hostLogLines: 0,
        apiKeyInHostLogs: 0,
        apiKeyInProvider: false,
    };
}

function withPhase(m: SizeMeasurement, name: PhaseName, change: (p: PhaseResult) => PhaseResult): SizeMeasurement {
    return { ...m, phases: m.phases.map((p) => (p.phase === name ? change(p) : p)) };
}

const failing = (m: SizeMeasurement) =>
    targetsFor(m)
        .filter((t) => !t.pass)
        .map((t) => t.name.split(":")[0].split(" ")[0]);

const N = 100;
const REFRESH_LIMIT_MS = 1.25 * refreshFloorMs(N, 20, 8); // 6,250 ms: N/20 s dominates at 20 ms latency

const cases: Array<{ name: string; measurement: SizeMeasurement; fails: string[] }> = [
    { name: "N = 6, every target met", measurement: passing(6), fails: [] },
    { name: "N = 100, every target met", measurement: passing(100), fails: [] },
    { name: "N = 500, every target met", measurement: passing(500), fails: [] },
    { name: "claimManaged off: one POST per route, no claims", measurement: passing(N, { claim: false }), fails: [] },
    {
        name: "claimManaged on but no claim was posted",
        measurement: {
            ...withPhase(passing(N), "create", () =>
                phase("create", { "GET /v2/alert_routes": 1, "POST /v2/alert_routes": N }, { keyChecks: 1 }),
            ),
            managed: 0,
        },
        fails: ["create", "managed"],
    },
    {
        name: "create: the live routes listed once per route instead of once per run",
        measurement: withPhase(passing(N), "create", () =>
            phase("create", { "GET /v2/alert_routes": N, "POST /v2/alert_routes": N, "POST /v2/managed_resources": N }, { keyChecks: 1 }),
        ),
        fails: ["create"],
    },
    {
        name: "create: a route missing from the emulator afterwards",
        measurement: { ...passing(N), afterCreate: N - 1 },
        fails: ["create"],
    },
    {
        name: "preview sent one request",
        measurement: withPhase(passing(N), "preview", (p) => phase("preview", { "GET /v2/alert_routes/{id}": 1 }, { diffs: p.diffs })),
        fails: ["preview"],
    },
    {
        name: "preview: one diff DIFF_SOME",
        measurement: withPhase(passing(N), "preview", (p) => ({ ...p, diffs: { none: N - 1, some: 1 } })),
        fails: ["preview"],
    },
    {
        name: "refresh with N + 1 requests",
        measurement: withPhase(passing(N), "refresh", (p) =>
            phase("refresh", { "GET /v2/alert_routes/{id}": N + 1 }, { wallMs: p.wallMs }),
        ),
        fails: ["refresh"],
    },
    {
        name: "update with an extra GET (not exactly 2 per route)",
        measurement: withPhase(passing(N), "update", (p) =>
            phase("update", { "GET /v2/alert_routes/{id}": N + 1, "PUT /v2/alert_routes/{id}": N }, { diffs: p.diffs }),
        ),
        fails: ["update"],
    },
    {
        name: "update: a route not at version 2",
        measurement: { ...passing(N), updatedInEmulator: N - 1 },
        fails: ["update"],
    },
    {
        name: "the key checked per route instead of once",
        measurement: withPhase(passing(N), "create", (p) => ({ ...p, keyChecks: N })),
        fails: ["the"],
    },
    {
        name: "the key checked again in the update of the same host",
        measurement: withPhase(passing(N), "update", (p) => ({ ...p, keyChecks: 1 })),
        fails: ["the"],
    },
    {
        name: "no key check in the delete phase's own host",
        measurement: withPhase(passing(N), "delete", (p) => ({ ...p, keyChecks: 0 })),
        fails: ["the"],
    },
    {
        name: "no key check before the first write",
        measurement: withPhase(passing(N), "create", (p) => ({ ...p, keyChecks: 0 })),
        fails: ["the"],
    },
    {
        name: "delete left a route behind",
        measurement: { ...passing(N), leftOver: 1 },
        fails: ["delete"],
    },
    {
        name: "one 429 in refresh",
        measurement: withPhase(passing(N), "refresh", (p) => ({ ...p, status429: 1 })),
        fails: ["no"],
    },
    {
        name: "refresh wall exactly 1.25 × floor",
        measurement: withPhase(passing(N), "refresh", (p) => ({ ...p, wallMs: REFRESH_LIMIT_MS })),
        fails: [],
    },
    {
        name: "refresh wall 1 ms over 1.25 × floor",
        measurement: withPhase(passing(N), "refresh", (p) => ({ ...p, wallMs: REFRESH_LIMIT_MS + 1 })),
        fails: ["refresh"],
    },
    {
        name: "refresh floor from latency: 1,000 ms × 100 / 8 = 12.5 s, so 15 s passes",
        measurement: withPhase(passing(N, { latencyMs: 1000 }), "refresh", (p) => ({ ...p, wallMs: 15_000 })),
        fails: [],
    },
    { name: "__provider of 16,384 bytes", measurement: { ...passing(N), providerBytes: 16_384 }, fails: [] },
    { name: "__provider of 16,385 bytes", measurement: { ...passing(N), providerBytes: 16_385 }, fails: ["__provider"] },
    { name: "__provider not intact in the state", measurement: { ...passing(N), providerInState: false }, fails: ["__provider"] },
    {
        name: "an RPC failed",
        measurement: withPhase(passing(N), "update", (p) => ({ ...p, rpcErrors: 1, rpcErrorSamples: ["boom"] })),
        fails: ["every"],
    },
    { name: "issue 16 item 16: no peak memory figure", measurement: { ...passing(N), hostPeakMemoryBytes: null }, fails: ["host"] },
    {
        name: "issue 16 item 16: host peak memory of exactly 512 MiB passes",
        measurement: { ...passing(N), hostPeakMemoryBytes: HOST_PEAK_MEMORY_LIMIT_BYTES },
        fails: [],
    },
    {
        name: "issue 16 item 16: host peak memory 1 byte over 512 MiB fails",
        measurement: { ...passing(N), hostPeakMemoryBytes: HOST_PEAK_MEMORY_LIMIT_BYTES + 1 },
        fails: ["host"],
    },
    {
        name: "issue 16 item 16: host peak memory of 4 GiB (any figure used to pass) fails",
        measurement: { ...passing(N), hostPeakMemoryBytes: 4 * 1024 ** 3 },
        fails: ["host"],
    },
    { name: "the API key in a host log line", measurement: { ...passing(N), apiKeyInHostLogs: 1 }, fails: ["API"] },
    { name: "the API key in __provider", measurement: { ...passing(N), apiKeyInProvider: true }, fails: ["API"] },
];

describe("bench targets", () => {
    for (const c of cases) {
        it(c.name, () => {
            const targets = targetsFor(c.measurement);
            assert.equal(targets.length, 13, "every target is judged");
            assert.deepEqual(failing(c.measurement), c.fails);
        });
    }

    it("refresh floor: the API's 1,200/min or latency over concurrency, whichever is longer", () => {
        const table: Array<[n: number, latencyMs: number, maxConcurrency: number, floorMs: number]> = [
            [6, 20, 8, 300],
            [100, 20, 8, 5000],
            [500, 20, 8, 25_000],
            [100, 1000, 8, 12_500],
            [100, 400, 8, 5000],
        ];
        for (const [n, latencyMs, maxConcurrency, floorMs] of table)
            assert.equal(refreshFloorMs(n, latencyMs, maxConcurrency), floorMs, `${n} ${latencyMs} ${maxConcurrency}`);
    });

    it("results.json's entry carries the floor, the limit and the refresh/baseline ratio", () => {
        const result = sizeResult(passing(N));
        assert.equal(result.refreshFloorMs, 5000);
        assert.equal(result.refreshLimitMs, 6250);
        assert.equal(result.refreshOverBaseline, 5000 / 2000);
        assert.equal(result.targets.length, 13);
        assert.ok(result.targets.every((t) => t.pass));
    });
});

/** A preview that took `totalMs` (the breakdown does not enter the targets). */
const run = (totalMs: number): PreviewTiming => ({
    totalMs,
    languageHostReadyMs: 100,
    programStartMs: 200,
    programExitMs: totalMs - 100,
    typescriptLoadMs: 300,
    transpileMs: 50,
    transpiledFiles: 10,
    providerHostStartMs: null,
    providerHostReadyMs: null,
});

/** A side-by-side that meets every target: routes' previews at 1.2 × the empty program's. */
function cliPassing(): CliMeasurement {
    return {
        cli: "v3.248.0 (built)",
        empty: { name: "empty program", routes: 0, runs: [10_000, 9_000, 11_000, 10_000, 30_000].map(run) },
        sdkImport: { name: "empty program + SDK", routes: 0, runs: [11_000, 11_000, 11_000, 11_000, 11_000].map(run) },
        routes: [
            { name: "production", routes: 5, runs: [12_000, 11_000, 13_000, 12_000, 40_000].map(run) },
            { name: "staging", routes: 1, runs: [11_000, 11_000, 11_000, 11_000, 11_000].map(run) },
        ],
        previewRequests: 0,
        changeSummaries: { production: { same: 7 }, staging: { same: 3 } },
        refresh: [
            { stack: "production", routes: 5, getsWithPreview: 10, getsSkipPreview: 5, writes: 0 },
            { stack: "staging", routes: 1, getsWithPreview: 2, getsSkipPreview: 1, writes: 0 },
        ],
    };
}

describe("bench targets with the real CLI", () => {
    const failingCli = (m: CliMeasurement) =>
        cliTargets(m)
            .filter((t) => !t.pass)
            .map((t) => t.name.split(" ").slice(0, 4).join(" "));
    const cases: Array<{ name: string; change: (m: CliMeasurement) => void; fails: string[] }> = [
        { name: "all within target", change: () => {}, fails: [] },
        {
            name: "a preview of the routes over 1.25 × the empty program's fails (medians: one slow run does not decide)",
            change: (m) => (m.routes[0].runs = [13_000, 13_000, 13_000, 1_000, 1_000].map(run)),
            fails: ["pulumi preview of production"],
        },
        {
            name: "exactly 1.25 × passes",
            change: (m) => (m.routes[1].runs = [12_500].map(run)),
            fails: [],
        },
        {
            name: "no runs at all fails rather than passing on NaN",
            change: (m) => (m.empty.runs = []),
            fails: ["pulumi preview of production", "pulumi preview of staging"],
        },
        {
            name: "a no-change preview that changes something, or asks incident.io, fails",
            change: (m) => (m.changeSummaries.production = { same: 6, update: 1 }),
            fails: ["pulumi preview of a"],
        },
        {
            name: "a preview that sent a request fails",
            change: (m) => (m.previewRequests = 1),
            fails: ["pulumi preview of a"],
        },
        {
            name: "a refresh with 1 GET per route (no preview read) does not match the documented 2",
            change: (m) => (m.refresh[0].getsWithPreview = 5),
            fails: ["pulumi refresh of production:"],
        },
        {
            name: "--skip-preview reading twice fails",
            change: (m) => (m.refresh[1].getsSkipPreview = 2),
            fails: ["pulumi refresh of staging:"],
        },
        {
            name: "a refresh that writes fails",
            change: (m) => (m.refresh[1].writes = 1),
            fails: ["pulumi refresh of staging:"],
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const m = cliPassing();
            c.change(m);
            assert.equal(cliTargets(m).length, 5, "every target is judged");
            assert.deepEqual(failingCli(m), c.fails);
        });
    }

    it("median: the middle value, or the mean of the two middle ones", () => {
        assert.equal(median([3, 1, 2]), 2);
        assert.equal(median([4, 1, 3, 2]), 2.5);
        assert.ok(Number.isNaN(median([])));
    });
});
