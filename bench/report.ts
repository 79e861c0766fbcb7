// The benchmark's report: the progress log, results.md (tables) and results.json.
import type { ProviderSettings } from "../providers/incident-io";
import type { BenchOptions } from "./args";
import type { CliMeasurement, PreviewTiming } from "./cli";
import { median, type SizeResult, type Target } from "./targets";

export function log(line: string): void {
    process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

const MiB = 1024 * 1024;
export const fmtS = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
export const fmtMiB = (b: number | null) => (b === null ? "n/a" : (b / MiB).toFixed(1));

export function markdown(results: SizeResult[], opts: BenchOptions, settings: ProviderSettings, command: string): string {
    const lines: string[] = [];
    lines.push(`Benchmark of the AlertRoute provider through the real dynamic-provider host against the emulator`);
    lines.push(
        `(latency ${opts.latencyMs} ms per request, API limit 1,200 requests / sliding 60 s enforced; provider maxConcurrency ${settings.maxConcurrency}, ` +
            `requestsPerMinute ${settings.requestsPerMinute}, claimManaged ${settings.claimManaged}; engine-side ${opts.rpcConcurrency === 0 ? "unbounded" : opts.rpcConcurrency} resource steps in flight). Command: \`${command}\`.`,
    );
    lines.push("");
    lines.push(
        "| N | phase | RPCs per route | wall (s) | API requests (by method) | expected | key checks (GET /v1/identity, apart) | 429s | retries (extra req / log lines) | host peak RSS (MiB) | peak in flight |",
    );
    lines.push("|---:|---|---|---:|---|---:|---:|---:|---|---:|---:|");
    for (const r of results) {
        for (const p of r.phases) {
            const by =
                Object.entries(p.requests.byMethod)
                    .map(([m, k]) => `${k} ${m}`)
                    .join(", ") || "—";
            lines.push(
                `| ${r.n} | ${p.phase} | ${p.rpcs} | ${fmtS(p.wallMs)} | ${p.requests.total}${p.requests.total ? ` (${by})` : ""} | ${p.expectedRequests} | ${p.keyChecks} | ${p.status429} | ${p.extraRequests} / ${p.retryLogLines} | ${fmtMiB(p.hostPeakMemoryBytes)} | ${p.emulatorPeakConcurrency} |`,
            );
        }
    }
    lines.push("");
    lines.push(
        "| N | refresh (s) | baseline: sequential GET loop (s) | refresh / baseline | refresh floor (s) | limit 1.25 × floor (s) | `__provider` bytes / resource | state bytes / resource (avg) | host peak RSS (MiB) | most requests in any 60 s (limit 1,200) |",
    );
    lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of results) {
        const refresh = r.phases.find((p) => p.phase === "refresh");
        lines.push(
            `| ${r.n} | ${refresh ? fmtS(refresh.wallMs) : "n/a"} | ${fmtS(r.baseline.wallMs)} | ${r.refreshOverBaseline.toFixed(2)} | ${fmtS(r.refreshFloorMs)} | ${fmtS(r.refreshLimitMs)} | ${r.providerBytesPerResource} | ${r.stateBytesPerResourceAvg} | ${fmtMiB(r.hostPeakMemoryBytes)} | ${r.peakRequestsPer60s} |`,
        );
    }
    lines.push("");
    lines.push("| N | target | expected | actual | result |");
    lines.push("|---:|---|---|---|---|");
    for (const r of results) {
        for (const t of r.targets)
            lines.push(`| ${r.n} | ${t.name} | ${t.expected} | ${t.actual.replace(/\|/g, "\\|")} | ${t.pass ? "PASS" : "**FAIL**"} |`);
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

/** results.json: the run's options, the provider's settings and every N's figures and targets. */
export function resultsJson(
    results: SizeResult[],
    opts: BenchOptions,
    settings: ProviderSettings,
    command: string,
    providerBytes: number,
    totalWallMs: number,
) {
    const pass = results.every((r) => r.targets.every((t) => t.pass));
    return {
        generatedAt: new Date().toISOString(),
        command,
        node: process.version,
        totalWallMs,
        options: { ...opts, rpcConcurrency: opts.rpcConcurrency === 0 ? "unbounded" : opts.rpcConcurrency },
        emulator: {
            latencyMs: opts.latencyMs,
            rateLimitPerMinute: 1200,
            window: "sliding 60 s per key, never reset within an N; fresh emulator per N",
        },
        provider: {
            maxConcurrency: settings.maxConcurrency,
            requestsPerMinute: settings.requestsPerMinute,
            claimManaged: settings.claimManaged,
            maxRetries: settings.maxRetries,
            requestTimeoutMs: settings.requestTimeoutMs,
            providerBytesPerResource: providerBytes,
        },
        results,
        pass,
    };
}

/** results.md's section on the real CLI: medians per series, where the time goes, refresh's GETs, the targets. */
export function cliMarkdown(m: CliMeasurement | undefined, targets: Target[], skipped?: string): string {
    if (!m) return `## With the real Pulumi CLI\n\nSkipped: ${skipped ?? "no CLI"}\n`;
    const ms = (v: number | null) => (v === null || Number.isNaN(v) ? "—" : fmtS(v));
    const med = (runs: PreviewTiming[], pick: (t: PreviewTiming) => number | null) => {
        const values = runs.map(pick).filter((v): v is number => v !== null);
        return values.length > 0 ? median(values) : null;
    };
    const empty = median(m.empty.runs.map((r) => r.totalMs));
    const lines: string[] = [];
    lines.push("## With the real Pulumi CLI");
    lines.push("");
    lines.push(
        `\`pulumi preview\` (CLI ${m.cli}, file backend, PULUMI_NODEJS_TRANSPILE_ONLY=true) of the routes-only project test/e2e/project ` +
            "after an `up` against the emulator (no change), of an empty TypeScript program (its own Pulumi.yaml; same CLI, environment " +
            'and backend), and of that program with only `import "@pulumi/pulumi"` (what any program that declares a resource loads; not a ' +
            "target, it shows where the time goes; same CLI, environment " +
            `and backend), taking turns, ${m.empty.runs.length} runs each; medians. Times in s from the CLI's start (bench/cliTiming.js in each ` +
            "Node.js process: when it started, when it printed its port, when it exited).",
    );
    lines.push("");
    lines.push(
        "| preview of | routes | total | runs | × empty | language host ready | program start → exit | TypeScript load | ts-node compile (files) | provider host start → ready |",
    );
    lines.push("|---|---:|---:|---|---:|---:|---|---:|---|---|");
    for (const s of [m.empty, m.sdkImport, ...m.routes]) {
        const total = median(s.runs.map((r) => r.totalMs));
        lines.push(
            `| ${s.name} | ${s.routes} | ${fmtS(total)} | ${s.runs.map((r) => fmtS(r.totalMs)).join(", ")} | ${(total / empty).toFixed(2)} | ` +
                `${ms(med(s.runs, (r) => r.languageHostReadyMs))} | ${ms(med(s.runs, (r) => r.programStartMs))} → ${ms(med(s.runs, (r) => r.programExitMs))} | ` +
                `${ms(med(s.runs, (r) => r.typescriptLoadMs))} | ${ms(med(s.runs, (r) => r.transpileMs))} (${med(s.runs, (r) => r.transpiledFiles) ?? 0}) | ` +
                `${s.routes === 0 ? "—" : `${ms(med(s.runs, (r) => r.providerHostStartMs))} → ${ms(med(s.runs, (r) => r.providerHostReadyMs))}`} |`,
        );
    }
    lines.push("");
    lines.push("| refresh of | routes | GETs, `pulumi refresh --yes` | GETs, `--skip-preview` | writes |");
    lines.push("|---|---:|---:|---:|---:|");
    for (const r of m.refresh) lines.push(`| ${r.stack} | ${r.routes} | ${r.getsWithPreview} | ${r.getsSkipPreview} | ${r.writes} |`);
    lines.push("");
    lines.push("| target | expected | actual | result |");
    lines.push("|---|---|---|---|");
    for (const t of targets)
        lines.push(`| ${t.name} | ${t.expected} | ${t.actual.replace(/\|/g, "\\|")} | ${t.pass ? "PASS" : "**FAIL**"} |`);
    return lines.join("\n") + "\n";
}
