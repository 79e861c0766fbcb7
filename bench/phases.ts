// The benchmark's measurement of one N: a fresh emulator and a fresh real dynamic-provider host,
// the phases as the engine drives them (create, preview, refresh, baseline, update; delete in a second host), and
// what each phase cost. Measures only; bench/targets.ts judges the figures.
import * as fs from "node:fs";

import { API_KEY_ENV, CONFIG_KEYS, type ProviderSettings } from "../providers/incident-io";
import { IncidentIoEmulator, type RequestLogEntry } from "../dev/emulator";
import { DynamicProviderHost, urnFor } from "../dev/host";
import { PROJECT_ROOT } from "../dev/paths";
import type { BenchOptions } from "./args";
import { fmtMiB, fmtS, log } from "./report";
import type { PhaseName, PhaseResult, SizeMeasurement } from "./targets";
import { routeInputs, SOURCE_TYPES, SOURCES } from "./workload";

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

/** VmHWM reset (Linux ≥ 4.0, same user): makes the next reading that phase's peak. */
function resetPeak(pid: number): boolean {
    try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
        return true;
    } catch {
        return false;
    }
}

interface RouteState {
    i: number;
    urn: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

export async function runSize(
    n: number,
    opts: BenchOptions,
    providerText: string,
    settings: ProviderSettings,
    config: Record<string, string>,
    apiKey: string,
): Promise<SizeMeasurement> {
    const emu = await IncidentIoEmulator.start({ apiKey, latencyMs: opts.latencyMs, rateLimitPerMinute: 1200 });
    SOURCES.forEach((id, k) => emu.addAlertSource({ id, name: `bench ${SOURCE_TYPES[k]}`, source_type: SOURCE_TYPES[k] }));
    const env: NodeJS.ProcessEnv = {};
    delete process.env[API_KEY_ENV]; // the host inherits process.env: it must not see a key there
    const startHost = () => DynamicProviderHost.start({ cwd: PROJECT_ROOT, env, rpcTimeoutMs: 15 * 60_000 });
    let host = await startHost();
    /** The log lines of the hosts stopped before `host` (the delete phase runs in a host of its own). */
    const earlierLogs: string[] = [];
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
        log(
            `N=${n}: emulator ${emu.url} (latency ${opts.latencyMs} ms, 1200/min), host pid ${host.pid}, maxConcurrency ${settings.maxConcurrency}, claimManaged ${settings.claimManaged}`,
        );

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
                errors = await pool(
                    items,
                    opts.rpcConcurrency,
                    (r) => step(r, diffs),
                    () => void done++,
                );
            } finally {
                clearInterval(ticker);
            }
            const wallMs = Date.now() - started;
            await sleep(250); // let the host's stderr lines of this phase arrive
            // The key check (GET /v1/identity) is once per host process, not per route: counted apart.
            const isKeyCheck = (r: RequestLogEntry) => r.path === "/v1/identity";
            const reqs: RequestLogEntry[] = emu.requests.filter((r) => !isKeyCheck(r));
            const keyChecks = emu.requests.length - reqs.length;
            arrivals.push(...emu.requests.map((r) => r.at));
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
                keyChecks,
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
                `N=${n}: ${name} done in ${fmtS(wallMs)} s: ${reqs.length} requests ${JSON.stringify(byMethod)} (expected ${expectedRequests}) + ${keyChecks} key check(s), ` +
                    `429s ${result.status429}, retry log lines ${result.retryLogLines}, host peak ${fmtMiB(peak)} MiB, RPC errors ${errors.length}` +
                    (errors.length > 0 ? `: ${result.rpcErrorSamples.join(" | ")}` : ""),
            );
            phases.push(result);
            return result;
        };

        // create: Check → Create
        await phase("create", "Check+Create", n * (1 + claim) + 1, routes, async (r) => {
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

        // delete: Delete, in a host process of its own, as `pulumi destroy` is a run of its own. (In one run the provider
        // never deletes an id a resource of the stack holds: a diffed or adopted one. providers/core/resourceHandlers.ts)
        earlierLogs.push(...host.logs);
        await host.stop();
        host = await startHost();
        await host.configure({ ...config, [CONFIG_KEYS.baseUrl]: emu.url }, { secretKeys: [CONFIG_KEYS.apiKey] });
        const toDelete = live();
        await phase("delete", "Delete", toDelete.length, toDelete, async (r) => {
            await host.delete(r.id!, r.urn, r.outputs!, { oldInputs: r.inputs });
            r.id = undefined;
        });
        const leftOver = emu.routes().length;

        return {
            n,
            latencyMs: opts.latencyMs,
            maxConcurrency: settings.maxConcurrency,
            claim: settings.claimManaged,
            phases,
            baseline,
            afterCreate,
            updatedInEmulator,
            leftOver,
            managed,
            providerBytes: Buffer.byteLength(providerText),
            providerInState,
            stateBytesPerResourceAvg: Math.round(stateBytes.reduce((a, b) => a + b, 0) / Math.max(1, stateBytes.length)),
            hostPeakMemoryBytes: overallPeak,
            peakRequestsPer60s: peakInWindow(arrivals, 60_000),
            hostLogLines: earlierLogs.length + host.logs.length,
            apiKeyInHostLogs: [...earlierLogs, ...host.logs].filter((l) => l.includes(apiKey)).length,
            apiKeyInProvider: providerText.includes(apiKey),
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
async function checkOrThrow(host: DynamicProviderHost, urn: string, olds: object, news: object): Promise<Record<string, unknown>> {
    const checked = await host.check(urn, olds, news);
    if (checked.failures.length > 0) {
        throw new Error(`Check failed for ${urn}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    }
    return checked.inputs;
}
