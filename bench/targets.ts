// The benchmark's targets (issue 4, "Benchmark"): what one N's measurement must show. Pure: the
// measurement goes in, pass/fail comes out; no host, no emulator, no clock
// (test/bench/targets.test.ts is its table).
import type { CliMeasurement } from "./cli";
import { fmtMiB, fmtS } from "./report";

const MIB = 1024 * 1024;
/** The provider host's peak resident memory (VmHWM), any N up to 500: measured 208, 321 and 364 MiB
 * at 6, 100 and 500 routes (bench/results.md), so 512 MiB leaves 40% above the largest; a host
 * past it holds routes it should have let go (a leak), or the SDK grew. A figure, not just "reported". */
export const HOST_PEAK_MEMORY_LIMIT_BYTES = 512 * MIB;

export type PhaseName = "create" | "preview" | "refresh" | "update" | "delete";

export interface PhaseResult {
    phase: PhaseName;
    rpcs: string;
    wallMs: number;
    requests: { total: number; byMethod: Record<string, number>; byEndpoint: Record<string, number> };
    expectedRequests: number;
    status429: number;
    /** Requests beyond the expected logical ones. */
    extraRequests: number;
    /** The key checks (GET /v1/identity) of this phase: once per host process, counted apart from `requests`. */
    keyChecks: number;
    /** Host log lines of this phase mentioning "retry". */
    retryLogLines: number;
    non2xx: Record<string, number>;
    /** VmHWM of the host read at the end of the phase (reset at its start when possible). */
    hostPeakMemoryBytes: number | null;
    peakMemoryIsPerPhase: boolean;
    emulatorPeakConcurrency: number;
    rpcErrors: number;
    rpcErrorSamples: string[];
    /** For preview/update: the Diff answers. */
    diffs?: Record<string, number>;
}

export interface Target {
    name: string;
    expected: string;
    actual: string;
    pass: boolean;
}

export interface SizeResult {
    n: number;
    phases: PhaseResult[];
    baseline: { wallMs: number; requests: number; status429: number; non2xx: number };
    refreshOverBaseline: number;
    refreshFloorMs: number;
    refreshLimitMs: number;
    providerBytesPerResource: number;
    stateBytesPerResourceAvg: number;
    hostPeakMemoryBytes: number | null;
    /** Most provider requests the emulator saw in any sliding 60 s window (the API allows 1,200). */
    peakRequestsPer60s: number;
    hostLogLines: number;
    targets: Target[];
}
/** What one N measured (bench/phases.ts): everything the targets and the report need. */
export interface SizeMeasurement {
    n: number;
    /** Emulator latency per request, ms. */
    latencyMs: number;
    /** The provider's incident-io:maxConcurrency. */
    maxConcurrency: number;
    /** The provider's incident-io:claimManaged. */
    claim: boolean;
    phases: PhaseResult[];
    baseline: SizeResult["baseline"];
    /** Routes in the emulator right after the create phase. */
    afterCreate: number;
    /** Routes at version 2 after the update phase. */
    updatedInEmulator: number;
    /** Routes left in the emulator after the delete phase. */
    leftOver: number;
    /** Managed-resource claims in the emulator after the update phase. */
    managed: number;
    providerBytes: number;
    /** `__provider` found intact in every resource's inputs and outputs. */
    providerInState: boolean;
    stateBytesPerResourceAvg: number;
    hostPeakMemoryBytes: number | null;
    peakRequestsPer60s: number;
    hostLogLines: number;
    /** Host log lines containing the API key. */
    apiKeyInHostLogs: number;
    /** The API key appears in the serialized provider. */
    apiKeyInProvider: boolean;
}

/** The least a refresh of N routes can take: the API's 1,200/min (N/20 s) or latency over the provider's concurrency. */
export function refreshFloorMs(n: number, latencyMs: number, maxConcurrency: number): number {
    return Math.max((n / 20) * 1000, (n * latencyMs) / maxConcurrency);
}

export function targetsFor(m: SizeMeasurement): Target[] {
    const { n, phases } = m;
    const claim = m.claim ? 1 : 0;
    const get = (p: PhaseName) => {
        const found = phases.find((x) => x.phase === p);
        if (!found) throw new Error(`the measurement has no ${p} phase`);
        return found;
    };
    const floorMs = refreshFloorMs(n, m.latencyMs, m.maxConcurrency);
    const limitMs = 1.25 * floorMs;
    const all429 = phases.reduce((s, p) => s + p.status429, 0);
    const methods = (p: PhaseResult) => JSON.stringify(p.requests.byEndpoint);
    const c = get("create");
    const pv = get("preview");
    const refresh = get("refresh");
    const u = get("update");
    const d = get("delete");
    const keyHits = m.apiKeyInHostLogs + (m.apiKeyInProvider ? 1 : 0);
    return [
        {
            // + 1: check lists the live routes once per run, to find a new route that would duplicate a
            // live one by name (providers/core/sameName.ts); the emulator starts empty, so one page.
            name: "create: 1 request per route (+ managed claim), + 1 list of the live routes for the whole run",
            expected: `${n * (1 + claim) + 1} (${n} POST /v2/alert_routes${claim ? ` + ${n} POST /v2/managed_resources` : ""} + 1 GET /v2/alert_routes)`,
            actual: `${c.requests.total} ${methods(c)}`,
            pass:
                c.requests.total === n * (1 + claim) + 1 &&
                (c.requests.byEndpoint["POST /v2/alert_routes"] ?? 0) === n &&
                (c.requests.byEndpoint["GET /v2/alert_routes"] ?? 0) === 1 &&
                m.afterCreate === n,
        },
        {
            name: "preview (no change): 0 API requests, every diff DIFF_NONE",
            expected: `0 requests, ${n} × none`,
            actual: `${pv.requests.total} requests, diffs ${JSON.stringify(pv.diffs ?? {})}`,
            pass: pv.requests.total === 0 && (pv.diffs?.none ?? 0) === n,
        },
        {
            name: "refresh: exactly N requests (GET)",
            expected: `${n} GET`,
            actual: `${refresh.requests.total} ${methods(refresh)}`,
            pass: refresh.requests.total === n && (refresh.requests.byMethod.GET ?? 0) === n,
        },
        {
            name: "update: exactly 2 requests per route (GET + PUT; the claim is not repeated)",
            expected: `${n * 2} (${n} GET + ${n} PUT)`,
            actual: `${u.requests.total} ${methods(u)}; diffs ${JSON.stringify(u.diffs ?? {})}; ${m.updatedInEmulator}/${n} routes at version 2`,
            pass:
                u.requests.total === n * 2 &&
                (u.requests.byMethod.GET ?? 0) === n &&
                (u.requests.byMethod.PUT ?? 0) === n &&
                m.updatedInEmulator === n,
        },
        {
            name: "delete: 1 request per route, nothing left (sanity)",
            expected: `${n} DELETE, 0 routes left`,
            actual: `${d.requests.total} ${methods(d)}, ${m.leftOver} left`,
            pass: d.requests.total === n && m.leftOver === 0,
        },
        {
            name: "the key is checked once per host process (GET /v1/identity, before the first write), never per route",
            expected: "1 in create, 1 in delete (a host of its own, as `pulumi destroy`), 0 in every other phase",
            actual: phases.map((p) => `${p.phase} ${p.keyChecks}`).join(", "),
            pass: c.keyChecks === 1 && d.keyChecks === 1 && phases.every((p) => p === c || p === d || p.keyChecks === 0),
        },
        {
            name: "no 429 received in any phase",
            expected: "0",
            actual: String(all429),
            pass: all429 === 0,
        },
        {
            name: "refresh ≤ 1.25 × max(N/20 s, N × latency / maxConcurrency)",
            expected: `≤ ${fmtS(limitMs)} s (floor ${fmtS(floorMs)} s, maxConcurrency ${m.maxConcurrency})`,
            actual: `${fmtS(refresh.wallMs)} s (${(refresh.wallMs / floorMs).toFixed(2)} × floor)`,
            pass: refresh.wallMs <= limitMs,
        },
        {
            name: "__provider ≤ 16 KB per resource",
            expected: "≤ 16384 bytes",
            actual: `${m.providerBytes} bytes${m.providerInState ? " (in every resource's inputs and outputs)" : " (NOT found intact in every resource's state!)"}`,
            pass: m.providerBytes <= 16 * 1024 && m.providerInState,
        },
        {
            name: "every RPC succeeded",
            expected: "0 errors",
            actual: String(phases.reduce((s, p) => s + p.rpcErrors, 0)),
            pass: phases.every((p) => p.rpcErrors === 0),
        },
        {
            name: "managed claims recorded (sanity)",
            expected: claim ? `${n} claimed routes` : "0 (claimManaged off)",
            actual: String(m.managed),
            pass: m.managed === (claim ? n : 0),
        },
        {
            name: `host peak memory ≤ ${HOST_PEAK_MEMORY_LIMIT_BYTES / MIB} MiB`,
            expected: `a VmHWM figure ≤ ${HOST_PEAK_MEMORY_LIMIT_BYTES / MIB} MiB`,
            actual: `${fmtMiB(m.hostPeakMemoryBytes)} MiB`,
            pass: m.hostPeakMemoryBytes !== null && m.hostPeakMemoryBytes <= HOST_PEAK_MEMORY_LIMIT_BYTES,
        },
        {
            name: "API key never in host logs or __provider",
            expected: "0 hits",
            actual: String(keyHits),
            pass: keyHits === 0,
        },
    ];
}

/** One N's entry in results.json: the measurement's figures and its targets. */
export function sizeResult(m: SizeMeasurement): SizeResult {
    const refresh = m.phases.find((p) => p.phase === "refresh");
    const floorMs = refreshFloorMs(m.n, m.latencyMs, m.maxConcurrency);
    return {
        n: m.n,
        phases: m.phases,
        baseline: m.baseline,
        refreshOverBaseline: (refresh?.wallMs ?? 0) / Math.max(1, m.baseline.wallMs),
        refreshFloorMs: floorMs,
        refreshLimitMs: 1.25 * floorMs,
        providerBytesPerResource: m.providerBytes,
        stateBytesPerResourceAvg: m.stateBytesPerResourceAvg,
        hostPeakMemoryBytes: m.hostPeakMemoryBytes,
        peakRequestsPer60s: m.peakRequestsPer60s,
        hostLogLines: m.hostLogLines,
        targets: targetsFor(m),
    };
}

/** The most a no-change preview of the routes may take, as a multiple of an empty program's preview (issue 15). */
export const CLI_PREVIEW_RATIO_LIMIT = 1.25;

export function median(values: number[]): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The side-by-side with the real CLI (bench/cli.ts): the preview ratio, a no-change preview, and refresh's GETs. */
export function cliTargets(m: CliMeasurement): Target[] {
    const empty = median(m.empty.runs.map((r) => r.totalMs));
    const targets: Target[] = m.routes.map((s) => {
        const routes = median(s.runs.map((r) => r.totalMs));
        const ratio = routes / empty;
        return {
            name: `pulumi preview of ${s.name} (${s.routes} route(s), no change) ≤ ${CLI_PREVIEW_RATIO_LIMIT} × an empty program's (medians of ${s.runs.length} and ${m.empty.runs.length})`,
            expected: `≤ ${CLI_PREVIEW_RATIO_LIMIT.toFixed(2)} ×`,
            actual: `${fmtS(routes)} s / ${fmtS(empty)} s = ${ratio.toFixed(2)} ×`,
            pass: s.runs.length > 0 && m.empty.runs.length > 0 && ratio <= CLI_PREVIEW_RATIO_LIMIT,
        };
    });
    const summaries = Object.entries(m.changeSummaries);
    targets.push({
        name: "pulumi preview of a stack with no change: every resource the same, 0 API requests",
        expected: "only same; 0 requests",
        actual: `${summaries.map(([stack, summary]) => `${stack} ${JSON.stringify(summary)}`).join(", ")}; ${m.previewRequests} requests`,
        pass:
            summaries.length > 0 &&
            summaries.every(([, summary]) => Object.keys(summary).every((k) => k === "same")) &&
            m.previewRequests === 0,
    });
    for (const r of m.refresh) {
        targets.push({
            name: `pulumi refresh of ${r.stack}: 2 GETs per route (its preview reads too), 1 with --skip-preview, no write`,
            expected: `${2 * r.routes} GET; ${r.routes} GET with --skip-preview; 0 writes`,
            actual: `${r.getsWithPreview} GET; ${r.getsSkipPreview} GET with --skip-preview; ${r.writes} writes`,
            pass: r.getsWithPreview === 2 * r.routes && r.getsSkipPreview === r.routes && r.writes === 0,
        });
    }
    return targets;
}
