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
//   --cli-runs 5             runs of each `pulumi preview` in the side-by-side with the real CLI (0 skips it)
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
// Then, with the real Pulumi CLI (bench/cli.ts; built if it must be, skipped with one line when neither a
// `pulumi` nor Go is there): `pulumi preview` of the no-change stacks of the six routes against an empty
// TypeScript program's, --cli-runs times each, taking turns; where the time goes; refresh's GETs.
//
// Figures per phase: wall time (first RPC sent → last RPC answered), requests by method (the
// emulator's log), 429s received (log entries answered 429), retries (requests beyond the expected
// logical ones, and host log lines mentioning "retry"), the host's peak RSS (VmHWM; reset through
// /proc/<pid>/clear_refs at the start of each phase where the kernel allows, so it is that phase's
// peak), and the emulator's peak of requests in flight.
process.env.TS_NODE_TRANSPILE_ONLY ??= "true"; // inherited by the host; its shim transpiles only anyway

// The code, one concern per file: args.ts (flags), workload.ts (the routes), phases.ts (one N,
// measured), targets.ts (pure: pass/fail per target), report.ts (log, results.md, results.json).
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { alertRouteProvider, CONFIG_KEYS, readSettings } from "../providers/incident-io";
import { serializeProvider } from "../dev/host";
import { parseArgs } from "./args";
import { measureCli } from "./cli";
import { runSize } from "./phases";
import { cliMarkdown, fmtS, log, markdown, resultsJson } from "./report";
import { cliTargets, sizeResult, type SizeResult } from "./targets";
import { NO_PULUMI_MESSAGE } from "../dev/pulumi-cli";

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
        results.push(sizeResult(await runSize(n, opts, providerText, settings, config, apiKey)));
        log(`N=${n}: finished in ${fmtS(Date.now() - t)} s`);
    }

    let cliSection = "";
    let cliResult: { measurement: Awaited<ReturnType<typeof measureCli>>; targets: ReturnType<typeof cliTargets> } | undefined;
    if (opts.cliRuns > 0) {
        log(`with the real Pulumi CLI: pulumi preview of the routes against an empty program, ${opts.cliRuns} runs each …`);
        const measurement = await measureCli(opts.cliRuns, opts.latencyMs);
        if (!measurement) log(`with the real Pulumi CLI: skipped. ${NO_PULUMI_MESSAGE}`);
        cliResult = { measurement, targets: measurement ? cliTargets(measurement) : [] };
        cliSection = cliMarkdown(measurement, cliResult.targets, NO_PULUMI_MESSAGE);
    }

    const md = markdown(results, opts, settings, command) + (cliSection ? `\n${cliSection}` : "");
    const json = {
        ...resultsJson(results, opts, settings, command, Buffer.byteLength(providerText), Date.now() - started),
        cli: cliResult,
    };
    const cliPass = (cliResult?.targets ?? []).every((t) => t.pass);
    json.pass = json.pass && cliPass;
    const pass = json.pass;
    fs.mkdirSync(opts.outDir, { recursive: true });
    fs.writeFileSync(path.join(opts.outDir, "results.json"), JSON.stringify(json, null, 2) + "\n");
    fs.writeFileSync(path.join(opts.outDir, "results.md"), md);
    process.stdout.write("\n" + md + "\n");
    log(`wrote ${path.join(opts.outDir, "results.json")} and results.md; total ${fmtS(Date.now() - started)} s`);
    log(
        pass
            ? "ALL TARGETS PASS"
            : `FAILED: ${[
                  ...results.flatMap((r) => r.targets.filter((t) => !t.pass).map((t) => `N=${r.n} ${t.name}`)),
                  ...(cliResult?.targets ?? []).filter((t) => !t.pass).map((t) => `CLI ${t.name}`),
              ].join("; ")}`,
    );
    process.exitCode = pass ? 0 : 1;
}

main().catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(2);
});
