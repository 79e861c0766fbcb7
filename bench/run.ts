// Benchmark of the AlertRoute dynamic provider at scale (issue 4, "Benchmark").
//
//   npm run bench                                   # N = 6, 100, 500; latency 20 ms
//   npm run bench -- --sizes 6,100 --latency 20     # a quicker run
//   TS_NODE_TRANSPILE_ONLY=true npm run bench       # skips type-checking at start-up (same figures)
//
// Flags:
//   --sizes 6,100,500        route counts, one independent run each
//   --latency 20             emulator latency per request, ms
//   --rpc-concurrency 32     RPCs the "engine" keeps in flight (0 = unbounded)
//   --max-concurrency <n>    set incident-io:maxConcurrency (default: the provider's default, 8)
//   --claim-managed true     set incident-io:claimManaged (default true, the provider's default)
//   --out <dir>              where results.json and results.md go (default: bench/, next to this file)
//
// Environment:
//   BENCH_API_KEY            the API key the emulator accepts and the host is configured with
//                            (default: a random bench-key-<hex>); removed from the environment once
//                            read, so the host and other children never inherit it
//
// What it does, for each N:
//   * a FRESH emulator (127.0.0.1, latency, API limit enforced: 1,200 requests per sliding 60 s per
//     key) and a FRESH real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, cwd = the
//     project root, env without INCIDENT_IO_TOKEN; the key and base URL arrive by Configure as
//     `incident-io:apiKey` (as an engine secret) and `incident-io:baseUrl`). One N never counts
//     against another's rate-limit window (the real API would let a minute pass between runs).
//   * Within one N the emulator's window is never reset: phases run back to back exactly as
//     consecutive `pulumi up` / `refresh` / `up` / `destroy` would against the real API, and the
//     same host (thus the same provider limiter) serves every phase.
//   * Phases, RPCs as the engine issues them, with up to --rpc-concurrency resource steps in flight
//     (the engine runs independent steps in parallel, bounded by `pulumi up --parallel`):
//       create   Check(olds {}, news) → Create(checked)                       per route
//       preview  Check(olds = stored inputs, news) → Diff(stored outputs, checked)  (expect DIFF_NONE)
//       refresh  Read(id, stored outputs, stored inputs)
//       update   Check → Diff (expect DIFF_SOME) → Update(id, stored outputs, checked), changed spec
//       delete   Delete(id, stored outputs, oldInputs)
//   * Baseline: what the old backup script does — a plain sequential loop of one `fetch` GET
//     /v2/alert_routes/{id} per route against the same emulator (same routes, same latency),
//     right after the refresh phase. It respects no limit; so that its unthrottled requests do not
//     eat the provider's share of the window (they would, with one shared key), the emulator's
//     limit is switched off for the baseline only and switched back on afterwards (a baseline of
//     500 GETs in ~11 s is under 1,200/min on its own, so it would not have been limited anyway).
//
// Figures per phase: wall time (first RPC sent → last RPC answered), requests by method (the
// emulator's log), 429s received (log entries answered 429), retries (requests beyond the expected
// logical ones, and host log lines mentioning "retry"), the host's peak RSS (VmHWM; reset through
// /proc/<pid>/clear_refs at the start of each phase where the kernel allows, so it is that phase's
// peak), and the emulator's peak of requests in flight.
process.env.TS_NODE_TRANSPILE_ONLY ??= "true"; // inherited by the host; its shim transpiles only anyway

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { alertRouteProvider, API_KEY_ENV, CONFIG_KEYS, INCIDENT_IO_ID, readSettings, type ProviderSettings } from "../providers/incident-io";
import { IncidentIoEmulator, type RequestLogEntry } from "../dev/emulator";
import { ALERTMANAGER, CHECKLY, ESCALATION_PATH, SEVERITY_ATTRIBUTE } from "../test/fixtures/routes";
import { DynamicProviderHost, serializeProvider, urnFor } from "../dev/host";
import { PROJECT_ROOT } from "../dev/paths";

// ------------------------------------------------------------------ options

interface Options {
    sizes: number[];
    latencyMs: number;
    rpcConcurrency: number; // 0 = unbounded
    maxConcurrency?: number;
    claimManaged: boolean;
    /** Directory that receives results.json and results.md. */
    outDir: string;
}

function parseArgs(argv: string[]): Options {
    const opts: Options = { sizes: [6, 100, 500], latencyMs: 20, rpcConcurrency: 32, claimManaged: true, outDir: __dirname };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split("=", 2) as [string, string | undefined];
        const value = () => {
            const v = inline ?? argv[++i];
            if (v === undefined) throw new Error(`${flag} needs a value`);
            return v;
        };
        const int = (v: string, min: number) => {
            const n = Number(v);
            if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got "${v}"`);
            return n;
        };
        switch (flag) {
            case "--sizes":
                opts.sizes = value().split(",").filter((s) => s.trim() !== "").map((s) => int(s.trim(), 1));
                break;
            case "--latency":
                opts.latencyMs = int(value(), 0);
                break;
            case "--rpc-concurrency":
                opts.rpcConcurrency = int(value(), 0);
                break;
            case "--max-concurrency":
                opts.maxConcurrency = int(value(), 1);
                break;
            case "--claim-managed": {
                const v = value();
                if (v !== "true" && v !== "false") throw new Error(`--claim-managed must be true or false, got "${v}"`);
                opts.claimManaged = v === "true";
                break;
            }
            case "--out":
                opts.outDir = path.resolve(value());
                break;
            case "--help":
            case "-h":
                console.log("usage: npm run bench -- [--sizes 6,100,500] [--latency 20] [--rpc-concurrency 32] [--max-concurrency 8] [--claim-managed true] [--out <dir>]   (env BENCH_API_KEY: the API key to use)");
                process.exit(0);
            // eslint-disable-next-line no-fallthrough
            default:
                throw new Error(`unknown flag ${flag}`);
        }
    }
    if (opts.sizes.length === 0) throw new Error("--sizes is empty");
    return opts;
}

// ------------------------------------------------------------------ route specs

function ulid(tag: string): string {
    const id = `01JB${tag}`.padEnd(26, "0");
    if (!INCIDENT_IO_ID.test(id)) throw new Error(`bad bench id ${id}`);
    return id;
}

const SOURCES = [ALERTMANAGER, CHECKLY, ulid("GRAFANA"), ulid("SENTRY")];
const SOURCE_TYPES = ["alertmanager", "checkly", "grafana", "sentry"];
const TEAM_ATTRIBUTE = ulid("TEAMATTR");
const ESCALATION_PATHS = [ESCALATION_PATH, ...[1, 2, 3, 4].map((k) => ulid(`ESCPATH${k}`))];
const PEOPLE = [1, 2, 3].map((k) => ulid(`PERSN${k}`));
const TEAMS = ["payments", "search", "platform", "identity", "data", "mobile", "web"];

/** Program inputs for route i (as a user writes them; some rely on the provider's defaults).
 * `rev` 1 is the changed spec used by the update phase. */
function routeInputs(i: number, rev: 0 | 1): Record<string, unknown> {
    const team = TEAMS[i % TEAMS.length];
    const severities = ["critical", ...(i % 2 === 1 ? ["warning"] : []), ...(rev === 1 ? ["error"] : [])];
    const sourceCount = 1 + (i % 3);
    const alert_sources = Array.from({ length: sourceCount }, (_, k) => {
        const id = SOURCES[(i + k) % SOURCES.length];
        if (k === 0) {
            return {
                alert_source_id: id,
                condition_groups: [
                    {
                        conditions: [
                            { subject: `alert.attributes.${SEVERITY_ATTRIBUTE}`, operation: "one_of", param_bindings: [{ array_value: severities.map((literal) => ({ literal })) }] },
                            { subject: `alert.attributes.${TEAM_ATTRIBUTE}`, operation: "is", param_bindings: [{ value: { literal: team } }] },
                        ],
                    },
                ],
            };
        }
        return k === 1
            ? { alert_source_id: id, condition_groups: [{ conditions: [{ subject: "alert.title", operation: "contains", param_bindings: [{ value: { literal: team } }] }] }] }
            : { alert_source_id: id, condition_groups: [] };
    });
    const spec: Record<string, unknown> = {
        name: `${team} alerts #${String(i).padStart(4, "0")}`,
        alert_sources,
        escalation_config: {
            auto_cancel_escalations: (i % 2 === 0) !== (rev === 1),
            escalation_targets: [
                { escalation_paths: { array_value: [{ literal: ESCALATION_PATHS[i % ESCALATION_PATHS.length] }] } },
                ...(i % 4 === 1 ? [{ users: { array_value: [{ literal: PEOPLE[i % PEOPLE.length] }] } }] : []),
            ],
        },
        channel_config: [
            {
                condition_groups: [],
                slack_targets: {
                    binding: { array_value: [{ literal: `C0${team.toUpperCase()}${i % 10}` }] },
                    channel_visibility: i % 6 === 5 ? "private" : "public",
                },
            },
        ],
    };
    if (i % 4 !== 0) {
        spec.condition_groups = [{ conditions: [{ subject: "alert.title", operation: "does_not_contain", param_bindings: [{ value: { literal: "[test]" } }] }] }];
    }
    if (i % 3 !== 0) {
        spec.expressions = [
            { label: "Team", reference: "team", root_reference: "alert", operations: [{ operation_type: "navigate", navigate: { reference: `alert.attributes.${TEAM_ATTRIBUTE}` } }] },
            { label: "Region", reference: "region", root_reference: "alert", operations: [{ operation_type: "navigate", navigate: { reference: "alert.attributes.region" } }] },
        ];
    }
    if (i % 5 === 0) {
        spec.incident_config = {
            enabled: true,
            auto_decline_enabled: false,
            condition_groups: [],
            grouping_keys: [{ reference: `alert.attributes.${TEAM_ATTRIBUTE}` }],
            grouping_window_seconds: 600,
            defer_time_seconds: 0,
        };
        spec.incident_template = { name: { autogenerated: true }, summary: { autogenerated: true } };
    } else if (i % 5 !== 4) {
        spec.incident_config = { enabled: false, auto_decline_enabled: false, condition_groups: [], grouping_keys: [], grouping_window_seconds: 0, defer_time_seconds: 0 };
        spec.enabled = true;
        spec.is_private = false;
    } // i % 5 === 4: incident_config, incident_template, enabled, is_private left to the defaults
    return spec;
}

// ------------------------------------------------------------------ helpers

function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

/** Runs fn over items with at most `limit` in flight (0 = all at once). Never rejects; returns errors. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>, onDone: () => void): Promise<Error[]> {
    const errors: Error[] = [];
    let next = 0;
    const width = limit <= 0 ? items.length : Math.min(limit, items.length);
    await Promise.all(
        Array.from({ length: width }, async () => {
            while (next < items.length) {
                const item = items[next++];
                try {
                    await fn(item);
                } catch (e) {
                    errors.push(e instanceof Error ? e : new Error(String(e)));
                }
                onDone();
            }
        }),
    );
    return errors;
}

function log(line: string): void {
    process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

const MiB = 1024 * 1024;
const fmtS = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const fmtMiB = (b: number | null) => (b === null ? "n/a" : (b / MiB).toFixed(1));

/** VmHWM reset (Linux ≥ 4.0, same user): makes the next reading that phase's peak. */
function resetPeak(pid: number): boolean {
    try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
        return true;
    } catch {
        return false;
    }
}

// ------------------------------------------------------------------ results

type PhaseName = "create" | "preview" | "refresh" | "update" | "delete";

interface PhaseResult {
    phase: PhaseName;
    rpcs: string;
    wallMs: number;
    requests: { total: number; byMethod: Record<string, number>; byEndpoint: Record<string, number> };
    expectedRequests: number;
    status429: number;
    /** Requests beyond the expected logical ones. */
    extraRequests: number;
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

interface Target {
    name: string;
    expected: string;
    actual: string;
    pass: boolean;
}

interface SizeResult {
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

// ------------------------------------------------------------------ one N

interface RouteState {
    i: number;
    urn: string;
    id?: string;
    inputs?: Record<string, any>;
    outputs?: Record<string, any>;
}

async function runSize(n: number, opts: Options, providerText: string, settings: ProviderSettings, config: Record<string, string>, apiKey: string): Promise<SizeResult> {
    const emu = await IncidentIoEmulator.start({ apiKey, latencyMs: opts.latencyMs, rateLimitPerMinute: 1200 });
    SOURCES.forEach((id, k) => emu.addAlertSource({ id, name: `bench ${SOURCE_TYPES[k]}`, source_type: SOURCE_TYPES[k] }));
    const env: NodeJS.ProcessEnv = {};
    delete process.env[API_KEY_ENV]; // the host inherits process.env: it must not see a key there
    const host = await DynamicProviderHost.start({ cwd: PROJECT_ROOT, env, rpcTimeoutMs: 15 * 60_000 });
    const phases: PhaseResult[] = [];
    const arrivals: number[] = []; // every provider request's arrival time (not the baseline's)
    const claim = settings.claimManaged ? 1 : 0;
    let overallPeak: number | null = null;
    const notePeak = (b: number | null) => {
        if (b !== null) overallPeak = Math.max(overallPeak ?? 0, b);
    };
    try {
        await host.configure({ ...config, [CONFIG_KEYS.baseUrl]: emu.url }, { secretKeys: [CONFIG_KEYS.apiKey] });
        notePeak(host.peakMemoryBytes());
        log(`N=${n}: emulator ${emu.url} (latency ${opts.latencyMs} ms, 1200/min), host pid ${host.pid}, maxConcurrency ${settings.maxConcurrency}, claimManaged ${settings.claimManaged}`);

        const routes: RouteState[] = Array.from({ length: n }, (_, i) => ({ i, urn: urnFor(`bench-route-${i}`) }));
        const program = (r: RouteState, rev: 0 | 1) => ({ ...routeInputs(r.i, rev), __provider: providerText });

        const phase = async (
            name: PhaseName,
            rpcs: string,
            expectedRequests: number,
            items: RouteState[],
            step: (r: RouteState, diffs: Record<string, number>) => Promise<void>,
        ): Promise<PhaseResult> => {
            emu.resetLog(); // clears the log and peakConcurrency only, never the rate-limit window
            const logStart = host.logs.length;
            const perPhase = resetPeak(host.pid);
            const diffs: Record<string, number> = {};
            let done = 0;
            const started = Date.now();
            log(`N=${n}: ${name} (${rpcs}) × ${items.length} …`);
            const ticker = setInterval(() => {
                log(`N=${n}: ${name} ${done}/${items.length} steps, ${emu.requests.length} API requests, ${fmtS(Date.now() - started)} s`);
            }, 10_000);
            let errors: Error[];
            try {
                errors = await pool(items, opts.rpcConcurrency, (r) => step(r, diffs), () => void done++);
            } finally {
                clearInterval(ticker);
            }
            const wallMs = Date.now() - started;
            await sleep(250); // let the host's stderr lines of this phase arrive
            const reqs: RequestLogEntry[] = emu.requests.slice();
            arrivals.push(...reqs.map((r) => r.at));
            const byMethod: Record<string, number> = {};
            const byEndpoint: Record<string, number> = {};
            const non2xx: Record<string, number> = {};
            for (const r of reqs) {
                byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
                const ep = `${r.method} ${r.path.replace(/\/v2\/alert_routes\/[^/]+$/, "/v2/alert_routes/{id}")}`;
                byEndpoint[ep] = (byEndpoint[ep] ?? 0) + 1;
                if (r.status < 200 || r.status >= 300) non2xx[String(r.status)] = (non2xx[String(r.status)] ?? 0) + 1;
            }
            const phaseLogs = host.logs.slice(logStart);
            let peak: number | null = null;
            try {
                peak = host.peakMemoryBytes();
            } catch {
                peak = null;
            }
            notePeak(peak);
            const result: PhaseResult = {
                phase: name,
                rpcs,
                wallMs,
                requests: { total: reqs.length, byMethod, byEndpoint },
                expectedRequests,
                status429: reqs.filter((r) => r.status === 429).length,
                extraRequests: Math.max(0, reqs.length - expectedRequests),
                retryLogLines: phaseLogs.filter((l) => /retry/i.test(l)).length,
                non2xx,
                hostPeakMemoryBytes: peak,
                peakMemoryIsPerPhase: perPhase,
                emulatorPeakConcurrency: emu.peakConcurrency,
                rpcErrors: errors.length,
                rpcErrorSamples: [...new Set(errors.map((e) => e.message))].slice(0, 5),
                ...(Object.keys(diffs).length > 0 ? { diffs } : {}),
            };
            log(
                `N=${n}: ${name} done in ${fmtS(wallMs)} s: ${reqs.length} requests ${JSON.stringify(byMethod)} (expected ${expectedRequests}), ` +
                    `429s ${result.status429}, retry log lines ${result.retryLogLines}, host peak ${fmtMiB(peak)} MiB, RPC errors ${errors.length}` +
                    (errors.length > 0 ? `: ${result.rpcErrorSamples.join(" | ")}` : ""),
            );
            phases.push(result);
            return result;
        };

        // create: Check → Create
        await phase("create", "Check+Create", n * (1 + claim), routes, async (r) => {
            const news = program(r, 0);
            const checked = await checkOrThrow(host, r.urn, {}, news);
            const created = await host.create(r.urn, checked);
            r.id = created.id;
            r.inputs = checked;
            r.outputs = created.properties;
        });
        const live = () => routes.filter((r) => r.id !== undefined);
        const afterCreate = emu.routes().length;

        // preview with no change: Check → Diff
        await phase("preview", "Check+Diff", 0, live(), async (r, diffs) => {
            const checked = await checkOrThrow(host, r.urn, r.inputs!, program(r, 0));
            const d = await host.diff(r.id!, r.urn, r.outputs!, checked, { oldInputs: r.inputs });
            diffs[d.changes] = (diffs[d.changes] ?? 0) + 1;
        });

        // refresh: Read
        await phase("refresh", "Read", live().length, live(), async (r) => {
            const read = await host.read(r.id!, r.urn, r.outputs!, r.inputs);
            if (read.id !== r.id) throw new Error(`Read of ${r.id} answered id "${read.id}" (route gone?)`);
            r.outputs = read.properties;
            r.inputs = read.inputs ?? r.inputs; // the engine stores the inputs Read returns
        });
        const refresh = phases[phases.length - 1];

        // baseline: the old backup script's sequential GET loop
        const ids = live().map((r) => r.id!);
        emu.resetLog();
        const limit = emu.rateLimitPerMinute;
        emu.rateLimitPerMinute = undefined;
        log(`N=${n}: baseline (sequential fetch GET × ${ids.length}) …`);
        const bStart = Date.now();
        for (const id of ids) {
            const res = await fetch(`${emu.url}/v2/alert_routes/${encodeURIComponent(id)}`, {
                headers: { authorization: `Bearer ${apiKey}`, accept: "application/json" },
            });
            await res.arrayBuffer();
        }
        const bWall = Date.now() - bStart;
        emu.rateLimitPerMinute = limit;
        const baseline = {
            wallMs: bWall,
            requests: emu.requests.length,
            status429: emu.requests.filter((r) => r.status === 429).length,
            non2xx: emu.requests.filter((r) => r.status < 200 || r.status >= 300).length,
        };
        log(`N=${n}: baseline done in ${fmtS(bWall)} s (${baseline.requests} GETs, ${baseline.non2xx} non-2xx)`);

        // update: Check → Diff → Update with a changed spec
        // The claim is made once on create and recorded in the outputs, so an update is GET + PUT.
        await phase("update", "Check+Diff+Update", live().length * 2, live(), async (r, diffs) => {
            const checked = await checkOrThrow(host, r.urn, r.inputs!, program(r, 1));
            const d = await host.diff(r.id!, r.urn, r.outputs!, checked, { oldInputs: r.inputs });
            diffs[d.changes] = (diffs[d.changes] ?? 0) + 1;
            if (d.changes === "none") return; // the engine would skip the update
            const updated = await host.update(r.id!, r.urn, r.outputs!, checked, { oldInputs: r.inputs });
            r.inputs = checked;
            r.outputs = updated.properties;
        });
        const versions = live().map((r) => emu.route(r.id!)?.version);
        const updatedInEmulator = versions.filter((v) => v === 2).length;
        const stateBytes = live().map((r) => Buffer.byteLength(JSON.stringify({ inputs: r.inputs, outputs: r.outputs })));
        const providerInState = live().every((r) => r.outputs?.__provider === providerText && r.inputs?.__provider === providerText);
        const managed = emu.managedResources().length;

        // delete: Delete
        const toDelete = live();
        await phase("delete", "Delete", toDelete.length, toDelete, async (r) => {
            await host.delete(r.id!, r.urn, r.outputs!, { oldInputs: r.inputs });
            r.id = undefined;
        });
        const leftOver = emu.routes().length;

        // -------------------------------------------------------------- targets
        const get = (p: PhaseName) => phases.find((x) => x.phase === p)!;
        const floorMs = Math.max((n / 20) * 1000, (n * opts.latencyMs) / settings.maxConcurrency);
        const limitMs = 1.25 * floorMs;
        const providerBytes = Buffer.byteLength(providerText);
        const all429 = phases.reduce((s, p) => s + p.status429, 0);
        const methods = (p: PhaseResult) => JSON.stringify(p.requests.byEndpoint);
        const c = get("create");
        const u = get("update");
        const pv = get("preview");
        const targets: Target[] = [
            {
                name: "create: 1 request per route (+ managed claim)",
                expected: `${n * (1 + claim)} (${n} POST /v2/alert_routes${claim ? ` + ${n} POST /v2/managed_resources` : ""})`,
                actual: `${c.requests.total} ${methods(c)}`,
                pass: c.requests.total === n * (1 + claim) && (c.requests.byEndpoint["POST /v2/alert_routes"] ?? 0) === n && afterCreate === n,
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
                actual: `${u.requests.total} ${methods(u)}; diffs ${JSON.stringify(u.diffs ?? {})}; ${updatedInEmulator}/${n} routes at version 2`,
                pass: u.requests.total === n * 2 && (u.requests.byMethod.GET ?? 0) === n && (u.requests.byMethod.PUT ?? 0) === n && updatedInEmulator === n,
            },
            {
                name: "delete: 1 request per route, nothing left (sanity)",
                expected: `${n} DELETE, 0 routes left`,
                actual: `${get("delete").requests.total} ${methods(get("delete"))}, ${leftOver} left`,
                pass: get("delete").requests.total === n && leftOver === 0,
            },
            {
                name: "no 429 received in any phase",
                expected: "0",
                actual: String(all429),
                pass: all429 === 0,
            },
            {
                name: "refresh ≤ 1.25 × max(N/20 s, N × latency / maxConcurrency)",
                expected: `≤ ${fmtS(limitMs)} s (floor ${fmtS(floorMs)} s, maxConcurrency ${settings.maxConcurrency})`,
                actual: `${fmtS(refresh.wallMs)} s (${(refresh.wallMs / floorMs).toFixed(2)} × floor)`,
                pass: refresh.wallMs <= limitMs,
            },
            {
                name: "__provider ≤ 16 KB per resource",
                expected: "≤ 16384 bytes",
                actual: `${providerBytes} bytes${providerInState ? " (in every resource's inputs and outputs)" : " (NOT found intact in every resource's state!)"}`,
                pass: providerBytes <= 16 * 1024 && providerInState,
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
                actual: String(managed),
                pass: managed === (claim ? n : 0),
            },
            {
                name: "host peak memory reported",
                expected: "a VmHWM figure",
                actual: `${fmtMiB(overallPeak)} MiB`,
                pass: overallPeak !== null,
            },
            {
                name: "API key never in host logs or __provider",
                expected: "0 hits",
                actual: String(host.logs.filter((l) => l.includes(apiKey)).length + (providerText.includes(apiKey) ? 1 : 0)),
                pass: !host.logs.some((l) => l.includes(apiKey)) && !providerText.includes(apiKey),
            },
        ];
        return {
            n,
            phases,
            baseline,
            refreshOverBaseline: refresh.wallMs / Math.max(1, baseline.wallMs),
            refreshFloorMs: floorMs,
            refreshLimitMs: limitMs,
            providerBytesPerResource: providerBytes,
            stateBytesPerResourceAvg: Math.round(stateBytes.reduce((a, b) => a + b, 0) / Math.max(1, stateBytes.length)),
            hostPeakMemoryBytes: overallPeak,
            peakRequestsPer60s: peakInWindow(arrivals, 60_000),
            hostLogLines: host.logs.length,
            targets,
        };
    } finally {
        await host.stop();
        await emu.close();
    }
}

/** The most timestamps falling in any window [t, t + windowMs). */
function peakInWindow(times: number[], windowMs: number): number {
    const t = [...times].sort((a, b) => a - b);
    let best = 0;
    for (let lo = 0, hi = 0; hi < t.length; hi++) {
        while (t[hi] - t[lo] >= windowMs) lo++;
        best = Math.max(best, hi - lo + 1);
    }
    return best;
}

/** Check, failing loudly on check failures (a bench spec bug or a provider bug). */
async function checkOrThrow(host: DynamicProviderHost, urn: string, olds: object, news: object): Promise<Record<string, any>> {
    const checked = await host.check(urn, olds, news);
    if (checked.failures.length > 0) {
        throw new Error(`Check failed for ${urn}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
    return checked.inputs;
}

// ------------------------------------------------------------------ report

function markdown(results: SizeResult[], opts: Options, settings: ProviderSettings, command: string): string {
    const lines: string[] = [];
    lines.push(`Benchmark of the AlertRoute provider through the real dynamic-provider host against the emulator`);
    lines.push(
        `(latency ${opts.latencyMs} ms per request, API limit 1,200 requests / sliding 60 s enforced; provider maxConcurrency ${settings.maxConcurrency}, ` +
            `requestsPerMinute ${settings.requestsPerMinute}, claimManaged ${settings.claimManaged}; engine-side ${opts.rpcConcurrency === 0 ? "unbounded" : opts.rpcConcurrency} resource steps in flight). Command: \`${command}\`.`,
    );
    lines.push("");
    lines.push("| N | phase | RPCs per route | wall (s) | API requests (by method) | expected | 429s | retries (extra req / log lines) | host peak RSS (MiB) | peak in flight |");
    lines.push("|---:|---|---|---:|---|---:|---:|---|---:|---:|");
    for (const r of results) {
        for (const p of r.phases) {
            const by = Object.entries(p.requests.byMethod).map(([m, k]) => `${k} ${m}`).join(", ") || "—";
            lines.push(
                `| ${r.n} | ${p.phase} | ${p.rpcs} | ${fmtS(p.wallMs)} | ${p.requests.total}${p.requests.total ? ` (${by})` : ""} | ${p.expectedRequests} | ${p.status429} | ${p.extraRequests} / ${p.retryLogLines} | ${fmtMiB(p.hostPeakMemoryBytes)} | ${p.emulatorPeakConcurrency} |`,
            );
        }
    }
    lines.push("");
    lines.push("| N | refresh (s) | baseline: sequential GET loop (s) | refresh / baseline | refresh floor (s) | limit 1.25 × floor (s) | `__provider` bytes / resource | state bytes / resource (avg) | host peak RSS (MiB) | most requests in any 60 s (limit 1,200) |");
    lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of results) {
        const refresh = r.phases.find((p) => p.phase === "refresh")!;
        lines.push(
            `| ${r.n} | ${fmtS(refresh.wallMs)} | ${fmtS(r.baseline.wallMs)} | ${r.refreshOverBaseline.toFixed(2)} | ${fmtS(r.refreshFloorMs)} | ${fmtS(r.refreshLimitMs)} | ${r.providerBytesPerResource} | ${r.stateBytesPerResourceAvg} | ${fmtMiB(r.hostPeakMemoryBytes)} | ${r.peakRequestsPer60s} |`,
        );
    }
    lines.push("");
    lines.push("| N | target | expected | actual | result |");
    lines.push("|---:|---|---|---|---|");
    for (const r of results) {
        for (const t of r.targets) lines.push(`| ${r.n} | ${t.name} | ${t.expected} | ${t.actual.replace(/\|/g, "\\|")} | ${t.pass ? "PASS" : "**FAIL**"} |`);
    }
    lines.push("");
    lines.push(
        "Notes: each N runs on a fresh emulator and a fresh host; within an N the phases run back to back on one host and the emulator's " +
            "rate-limit window is never reset. Wall time is from the first RPC sent to the last answered. Host peak RSS is VmHWM, reset at the " +
            "start of each phase (per-phase peak; the summary column is the maximum). The baseline is a plain sequential `fetch` loop, one GET " +
            "per route, run right after refresh with the emulator's limit switched off so it does not consume the provider's window.",
    );
    return lines.join("\n") + "\n";
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
    const opts = parseArgs(process.argv.slice(2));
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
    const apiKey = process.env.BENCH_API_KEY || `bench-key-${crypto.randomBytes(12).toString("hex")}`;
    delete process.env.BENCH_API_KEY; // children (the host) inherit process.env: keep the key out of it

    const config: Record<string, string> = {
        [CONFIG_KEYS.apiKey]: apiKey,
        [CONFIG_KEYS.baseUrl]: "http://127.0.0.1:1", // replaced by each N's emulator URL
        [CONFIG_KEYS.claimManaged]: String(opts.claimManaged),
    };
    if (opts.maxConcurrency !== undefined) config[CONFIG_KEYS.maxConcurrency] = String(opts.maxConcurrency);
    const settings = readSettings((k) => config[k], {});

    log("serializing alertRouteProvider as the SDK does …");
    const providerText = await serializeProvider(alertRouteProvider);
    log(`__provider: ${Buffer.byteLength(providerText)} bytes`);

    const results: SizeResult[] = [];
    const started = Date.now();
    for (const n of opts.sizes) {
        const t = Date.now();
        results.push(await runSize(n, opts, providerText, settings, config, apiKey));
        log(`N=${n}: finished in ${fmtS(Date.now() - t)} s`);
    }

    const md = markdown(results, opts, settings, command);
    const pass = results.every((r) => r.targets.every((t) => t.pass));
    const json = {
        generatedAt: new Date().toISOString(),
        command,
        node: process.version,
        totalWallMs: Date.now() - started,
        options: { ...opts, rpcConcurrency: opts.rpcConcurrency === 0 ? "unbounded" : opts.rpcConcurrency },
        emulator: { latencyMs: opts.latencyMs, rateLimitPerMinute: 1200, window: "sliding 60 s per key, never reset within an N; fresh emulator per N" },
        provider: {
            maxConcurrency: settings.maxConcurrency,
            requestsPerMinute: settings.requestsPerMinute,
            claimManaged: settings.claimManaged,
            maxRetries: settings.maxRetries,
            requestTimeoutMs: settings.requestTimeoutMs,
            providerBytesPerResource: Buffer.byteLength(providerText),
        },
        results,
        pass,
    };
    fs.mkdirSync(opts.outDir, { recursive: true });
    fs.writeFileSync(path.join(opts.outDir, "results.json"), JSON.stringify(json, null, 2) + "\n");
    fs.writeFileSync(path.join(opts.outDir, "results.md"), md);
    process.stdout.write("\n" + md + "\n");
    log(`wrote ${path.join(opts.outDir, "results.json")} and results.md; total ${fmtS(Date.now() - started)} s`);
    log(pass ? "ALL TARGETS PASS" : `FAILED: ${results.flatMap((r) => r.targets.filter((t) => !t.pass).map((t) => `N=${r.n} ${t.name}`)).join("; ")}`);
    process.exitCode = pass ? 0 : 1;
}

main().catch((e) => {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    process.exit(2);
});
