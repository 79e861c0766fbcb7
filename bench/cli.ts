// The side-by-side with the real Pulumi CLI (issue 15, "Performance, with the real CLI"): `pulumi preview` of
// the no-change stacks holding the six routes (production's five, staging's one; the routes-only project
// test/e2e/project, after an `up` against the emulator) against `pulumi preview` of an empty TypeScript
// program (its own Pulumi.yaml, same CLI, same environment, same backend), taking turns, `runs` times each;
// where the time goes, from bench/cliTiming.js inside each Node.js process; and what a refresh asks
// incident.io, with and without `--skip-preview`.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { IncidentIoEmulator } from "../dev/emulator";
import { BUILD_DIR, findOrBuildPulumi, type PulumiCli } from "../dev/pulumi-cli";
import { CliWorkspace } from "../dev/pulumi-cli/workspace";
import { LIVE_IDS } from "../dev/seed/workspace";
import { CONFIG_KEYS } from "../providers/incident-io";
import { idsRequiredBy, routesOwnedBy, type Environment } from "../stack/routes";
import { log } from "./report";

const TIMING_HOOK = path.join(__dirname, "cliTiming.js");
const EMPTY_STACK = "empty";
const EMPTY_PROGRAM = "// An empty program: what every `pulumi preview` costs before any resource.\nexport {};\n";
const SDK_IMPORT_PROGRAM = '// Only the SDK, as any program that declares a resource loads it.\nimport "@pulumi/pulumi";\n';

/** One `pulumi preview`, from spawn to exit, and what its Node.js processes reported (ms from spawn). */
export interface PreviewTiming {
    totalMs: number;
    /** The language host printed its port (serving). */
    languageHostReadyMs: number | null;
    programStartMs: number | null;
    programExitMs: number | null;
    /** In the program: loading the TypeScript compiler, and ts-node's compile of each file. */
    typescriptLoadMs: number;
    transpileMs: number;
    transpiledFiles: number;
    /** The dynamic-provider host: process start, and when it printed its port. */
    providerHostStartMs: number | null;
    providerHostReadyMs: number | null;
}

export interface PreviewSeries {
    /** "empty program", or the stack of the routes. */
    name: string;
    routes: number;
    runs: PreviewTiming[];
}

export interface RefreshCount {
    stack: Environment;
    routes: number;
    /** GET /v2/alert_routes/{id} during `pulumi refresh --yes` (which previews first). */
    getsWithPreview: number;
    /** The same with `--skip-preview`. */
    getsSkipPreview: number;
    /** Requests other than GET in both refreshes. */
    writes: number;
}

export interface CliMeasurement {
    cli: string;
    empty: PreviewSeries;
    /**
     * A second baseline, for where the time goes (not a target): the empty program plus `import "@pulumi/pulumi"`,
     * which every program that declares a resource pays (the SDK's index loads its Automation API too).
     */
    sdkImport: PreviewSeries;
    routes: PreviewSeries[];
    /** API requests during the timed previews of the routes (a no-change preview asks nothing). */
    previewRequests: number;
    /** `pulumi preview --json` change summaries of the routes stacks before timing: only "same" when nothing changes. */
    changeSummaries: Record<string, Record<string, number>>;
    refresh: RefreshCount[];
}

interface TimingEvent {
    pid: number;
    role: string;
    event: "start" | "ready" | "exit";
    at: number;
    typescriptLoadMs?: number;
    transpileMs?: number;
    transpiledFiles?: number;
}

/** The timeline of one preview from the hook's lines (pure). */
export function previewTiming(spawnedAt: number, exitedAt: number, lines: string[]): PreviewTiming {
    const events = lines.filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as TimingEvent);
    const first = (role: string, event: TimingEvent["event"]) => {
        const found = events.filter((e) => e.role === role && e.event === event).map((e) => e.at - spawnedAt);
        return found.length > 0 ? Math.min(...found) : null;
    };
    const programExit = events.find((e) => e.role === "program" && e.event === "exit");
    return {
        totalMs: exitedAt - spawnedAt,
        languageHostReadyMs: first("languageHost", "ready"),
        programStartMs: first("program", "start"),
        programExitMs: first("program", "exit"),
        typescriptLoadMs: programExit?.typescriptLoadMs ?? 0,
        transpileMs: programExit?.transpileMs ?? 0,
        transpiledFiles: programExit?.transpiledFiles ?? 0,
        providerHostStartMs: first("providerHost", "start"),
        providerHostReadyMs: first("providerHost", "ready"),
    };
}

/** A program of its own beside the checkout's node_modules (the language host resolves @pulumi/pulumi from it). */
function baselineProject(name: string, program: string): string {
    const projects = path.join(BUILD_DIR, "projects");
    fs.mkdirSync(projects, { recursive: true });
    const dir = fs.mkdtempSync(path.join(projects, `${name}-`));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`);
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: `bench-${name}`, private: true, main: "index.ts" })}\n`);
    fs.writeFileSync(path.join(dir, "index.ts"), program);
    return dir;
}

export async function measureCli(runs: number, latencyMs: number): Promise<CliMeasurement | undefined> {
    const cli: PulumiCli | undefined = findOrBuildPulumi(log);
    if (!cli) return undefined;
    const apiKey = `bench-cli-${crypto.randomBytes(12).toString("hex")}`;
    const emulator = await IncidentIoEmulator.start({ apiKey, latencyMs });
    const workspace = new CliWorkspace(cli);
    const empty = baselineProject("empty", EMPTY_PROGRAM);
    const sdkImport = baselineProject("sdk-import", SDK_IMPORT_PROGRAM);
    try {
        const stacks: Environment[] = ["production", "staging"];
        for (const stack of stacks) {
            await workspace.ok(["stack", "init", stack]);
            const ids = idsRequiredBy(stack).map(
                (ref) =>
                    `--plaintext=alert-routing:${ref.group}.${ref.name}=${(LIVE_IDS[stack][ref.group] as Record<string, string>)[ref.name]}`,
            );
            await workspace.ok([
                "config",
                "set-all",
                "--stack",
                stack,
                "--path",
                `--plaintext=${CONFIG_KEYS.baseUrl}=${emulator.url}`,
                ...ids,
            ]);
            // The key on stdin: never on a command line.
            const setKey = await workspace.run(["config", "set", "--stack", stack, "--secret", CONFIG_KEYS.apiKey], { stdin: apiKey });
            if (setKey.code !== 0) throw new Error(`pulumi config set ${CONFIG_KEYS.apiKey} exited ${setKey.code}:\n${setKey.output}`);
            await workspace.ok(["up", "--stack", stack, "--yes", "--skip-preview"]);
        }
        for (const dir of [empty, sdkImport]) {
            await workspace.ok(["stack", "init", EMPTY_STACK], { cwd: dir });
            await workspace.ok(["up", "--stack", EMPTY_STACK, "--yes", "--skip-preview"], { cwd: dir });
        }

        const changeSummaries: CliMeasurement["changeSummaries"] = {};
        for (const stack of stacks) {
            const preview = await workspace.ok(["preview", "--stack", stack, "--json"]);
            changeSummaries[stack] = (JSON.parse(preview.stdout) as { changeSummary?: Record<string, number> }).changeSummary ?? {};
        }

        const series: Array<PreviewSeries & { dir?: string }> = [
            { name: "empty program", routes: 0, runs: [], dir: empty },
            { name: 'empty program + `import "@pulumi/pulumi"`', routes: 0, runs: [], dir: sdkImport },
            ...stacks.map((stack) => ({ name: stack, routes: routesOwnedBy(stack).length, runs: [] })),
        ];
        const timingFile = path.join(workspace.root, "timing.jsonl");
        const nodeOptions = [process.env.NODE_OPTIONS ?? "", `--require ${JSON.stringify(TIMING_HOOK)}`].join(" ").trim();
        emulator.resetLog();
        for (let i = 1; i <= runs; i++) {
            // Taking turns, so a change in the machine's load touches every series alike.
            for (const s of series) {
                fs.writeFileSync(timingFile, "");
                const spawnedAt = Date.now();
                await workspace.ok(["preview", "--stack", s.dir ? EMPTY_STACK : s.name], {
                    cwd: s.dir,
                    env: { NODE_OPTIONS: nodeOptions, BENCH_TIMING_FILE: timingFile },
                });
                s.runs.push(previewTiming(spawnedAt, Date.now(), fs.readFileSync(timingFile, "utf8").split("\n")));
                log(`pulumi preview, ${s.name}, run ${i}/${runs}: ${s.runs[s.runs.length - 1].totalMs} ms`);
            }
        }
        const previewRequests = emulator.requests.length;

        const refresh: RefreshCount[] = [];
        for (const stack of stacks) {
            const gets = () => emulator.count("GET", "/v2/alert_routes/");
            emulator.resetLog();
            await workspace.ok(["refresh", "--stack", stack, "--yes"]);
            const getsWithPreview = gets();
            const writesWithPreview = emulator.requests.filter((r) => r.method !== "GET").length;
            emulator.resetLog();
            await workspace.ok(["refresh", "--stack", stack, "--yes", "--skip-preview"]);
            refresh.push({
                stack,
                routes: routesOwnedBy(stack).length,
                getsWithPreview,
                getsSkipPreview: gets(),
                writes: writesWithPreview + emulator.requests.filter((r) => r.method !== "GET").length,
            });
        }
        return {
            cli: `${cli.version} (${cli.source === "built" ? "built from dev/pulumi-cli/go.mod" : "from PATH"})`,
            empty: { name: series[0].name, routes: 0, runs: series[0].runs },
            sdkImport: { name: series[1].name, routes: 0, runs: series[1].runs },
            routes: series.slice(2).map(({ name, routes, runs }) => ({ name, routes, runs })),
            previewRequests,
            changeSummaries,
            refresh,
        };
    } finally {
        workspace.dispose();
        for (const dir of [empty, sdkImport]) fs.rmSync(dir, { recursive: true, force: true });
        await emulator.close();
    }
}
