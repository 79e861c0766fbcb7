// `npm run demo [-- --dir <folder>]`: the main job (docs/runbooks.md, "First adoption of the live routes", then
// a dashboard edit and a refresh) against an incident.io emulator on 127.0.0.1 seeded like the company's
// organisation, with the real Pulumi CLI and a file backend in a git-ignored folder (.demo/, fresh each run).
// Each command is printed as `$ <command>` and run as printed, its output streamed; after each, what the
// emulator was asked. Any command that fails, or an answer that is not what the step must give (a new
// route on adoption, a write during a preview or refresh), stops the demo with exit 1.
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { IncidentIoEmulator } from "../emulator";
import { PROJECT_ROOT } from "../paths";
import { findOrBuildPulumi, NO_PULUMI_MESSAGE } from "../pulumi-cli";
import { CliWorkspace, ROUTES_PROJECT } from "../pulumi-cli/workspace";
import { LIVE_ROUTE_IDS, seedWorkspace } from "../seed/workspace";
import { API_KEY_ENV, CONFIG_KEYS } from "../../providers/incident-io";
import { parseFlags, UsageError } from "../../scripts/cli";
import { shellWord } from "../../scripts/shellWord";
import { commandLine, requestSummary, type DemoCommand } from "./transcript";

const USAGE = "usage: npm run demo [-- --dir <folder inside the checkout, default .demo>]";
const STACK = "production";
/** Written into the demo's folder, so a re-run removes only a folder the demo made. */
const MARKER = ".made-by-npm-run-demo";
/** Unmanaged routes of other teams besides the six (the tests seed 120; a dozen keeps the transcript readable). */
const OTHER_ROUTES = 12;

export class DemoFailure extends Error {}

export interface DemoIo {
    out: (text: string) => void;
    err: (text: string) => void;
}

const processIo: DemoIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** The demo's folder: inside the checkout (the project there resolves modules from its node_modules). */
export function demoFolder(dir: string): string {
    const absolute = path.resolve(PROJECT_ROOT, dir);
    const relative = path.relative(PROJECT_ROOT, absolute);
    if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative))
        throw new UsageError(
            `--dir must be a folder inside the checkout (${PROJECT_ROOT}) other than the checkout itself, got ${JSON.stringify(dir)}`,
        );
    return absolute;
}

/** Removes a previous run's folder; refuses one the demo did not make (nothing is removed then). */
function freshFolder(folder: string): void {
    if (fs.existsSync(folder)) {
        if (!fs.existsSync(path.join(folder, MARKER)) && fs.readdirSync(folder).length > 0)
            throw new UsageError(
                `${folder} exists and was not made by npm run demo: nothing was removed. Remove it yourself, or pass another folder: npm run demo -- --dir <folder>`,
            );
        fs.rmSync(folder, { recursive: true, force: true });
    }
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, MARKER), "npm run demo removes this folder at its next run\n");
}

/** Runs one command as printed (from the checkout, output streamed); resolves with its exit code. */
function execute(command: DemoCommand, env: NodeJS.ProcessEnv, io: DemoIo): Promise<number> {
    const [file, ...args] = command.words;
    return new Promise((resolve, reject) => {
        const child = spawn(file, args, { cwd: PROJECT_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
        child.stdout.on("data", (chunk: Buffer) => io.out(chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => io.err(chunk.toString()));
        child.on("error", (error) => reject(new DemoFailure(`${file} could not be started (${error.message}); is it on PATH?`)));
        child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
        child.stdin.end(command.stdinFromEnv ? (env[command.stdinFromEnv] ?? "") : "");
    });
}

export async function runDemo(argv: string[], io: DemoIo = processIo): Promise<number> {
    let folder: string;
    try {
        const flags = parseFlags(argv, ["dir"]);
        folder = demoFolder(typeof flags.dir === "string" ? flags.dir : ".demo");
        freshFolder(folder);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.err(`${error.message}\n${USAGE}\n`);
        return 2;
    }
    const rel = (p: string) => path.relative(PROJECT_ROOT, p);
    const say = (text: string) => io.out(`${text}\n`);

    say("npm run demo: the main job against an incident.io emulator, without any account.");
    say(
        `Not emulated: the AWS part (the Secrets Manager secret holding the Alertmanager token) and the Kubernetes part ` +
            `(ExternalSecret, Alertmanager configuration). The demo runs the routes-only project ${rel(ROUTES_PROJECT)} ` +
            `(the routes of stack/routes.ts through the real AlertRoute), stack ${STACK}.`,
    );
    const cli = findOrBuildPulumi((line) => io.err(`${line}\n`));
    if (!cli) {
        io.err(`${NO_PULUMI_MESSAGE}\n`);
        return 1;
    }
    say(`Pulumi CLI: ${cli.pulumi} (${cli.version}${cli.source === "built" ? ", built here from dev/pulumi-cli/go.mod" : ", from PATH"})`);

    // A random key for this run: the emulator's only key, never printed.
    const apiKey = `demo-${crypto.randomBytes(12).toString("hex")}`;
    const emulator = await IncidentIoEmulator.start({ apiKey });
    try {
        seedWorkspace(emulator, { otherRoutes: OTHER_ROUTES });
        // Before any stack existed, someone changed a managed route in the dashboard: adoption shows it and writes it back.
        const drifted = emulator.editInUi(LIVE_ROUTE_IDS.unroutedAlerts, (r) => {
            r.escalation_config.auto_cancel_escalations = false;
        });
        say(
            `incident.io emulator on ${emulator.url}: the company's alert sources, attributes and escalation paths, the six ` +
                `routes made in the dashboard and ${OTHER_ROUTES} routes of other teams no stack manages. One managed route ` +
                `differs from stack/routes.ts: "${drifted.name}" has auto-cancel of escalations turned off.`,
        );

        const project = path.join(folder, "project");
        const workspace = new CliWorkspace(cli, { [API_KEY_ENV]: apiKey }, folder, project);
        const env = workspace.env();
        say(`Everything the demo writes is in ${rel(folder)}/ (removed at the next run). The commands run from the checkout with:`);
        if (cli.pathPrefix.length > 0) say(`$ export PATH=${cli.pathPrefix.map(shellWord).join(":")}:"$PATH"`);
        for (const name of [
            "PULUMI_HOME",
            "PULUMI_BACKEND_URL",
            "PULUMI_CONFIG_PASSPHRASE",
            "PULUMI_SKIP_UPDATE_CHECK",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION",
            "PULUMI_NODEJS_TRANSPILE_ONLY",
        ])
            say(`$ export ${name}=${shellWord(env[name] ?? "")}`);
        say(`(${API_KEY_ENV} holds the emulator's API key: random for this run, not printed.)`);

        const projectDir = rel(project);
        const backups = rel(path.join(folder, "backups"));
        const pulumi = (...args: string[]): DemoCommand => ({ words: ["pulumi", "-C", projectDir, ...args] });
        const npmRun = (script: string, ...args: string[]): DemoCommand => ({ words: ["npm", "run", script, "--", ...args] });
        const writesOf = () => emulator.requests.filter((r) => r.method !== "GET");

        /** Prints and runs one command, then what the emulator was asked; stops the demo on failure. */
        const step = async (note: string, command: DemoCommand): Promise<void> => {
            say(note ? `\n# ${note}` : "");
            say(commandLine(command));
            emulator.resetLog();
            const code = await execute(command, env, io).catch((error: unknown) => {
                throw error instanceof DemoFailure ? new DemoFailure(`${commandLine(command).slice(2)}: ${error.message}`) : error;
            });
            await emulator.settled();
            say(`# incident.io emulator: ${requestSummary(emulator.requests)}`);
            if (code !== 0) throw new DemoFailure(`${commandLine(command).slice(2)} exited ${code}; the demo stopped there.`);
        };
        const mustNotWrite = (what: string) => {
            const writes = writesOf();
            if (writes.length > 0)
                throw new DemoFailure(`${what} wrote to incident.io: ${writes.map((w) => `${w.method} ${w.path}`).join(", ")}`);
        };

        await step("A stack of the routes-only project, with the emulator's URL and key", pulumi("stack", "init", STACK));
        await step("", pulumi("config", "set", "--stack", STACK, CONFIG_KEYS.baseUrl, emulator.url));
        await step("", { ...pulumi("config", "set", "--stack", STACK, "--secret", CONFIG_KEYS.apiKey), stdinFromEnv: API_KEY_ENV });
        await step(
            "Every id the stack needs and the live routes to adopt, written into the stack file",
            npmRun("discover-config", "--stack", STACK, "--base-url", emulator.url, "--write", "--project-dir", projectDir),
        );
        await step("Back up every live route, one file each", npmRun("backup-routes", "--base-url", emulator.url, "--out", backups));
        await step("Each backed-up route against its definition", npmRun("import-routes", backups, "--project-dir", projectDir));

        const routesBefore = emulator.routes().length;
        await step(
            "What adoption does: each route to adopt is read, and what adopting it changes is printed",
            pulumi("preview", "--stack", STACK, "--suppress-outputs"),
        );
        mustNotWrite("pulumi preview");
        await step(
            "Adopt: the live routes come under the stack with their ids; no route is created",
            pulumi("up", "--stack", STACK, "--yes", "--suppress-outputs"),
        );
        const created = emulator.count("POST", "/v2/alert_routes");
        if (created !== 0 || emulator.routes().length !== routesBefore)
            throw new DemoFailure(`pulumi up created ${created} route(s) instead of adopting the live ones`);
        say(`# Adopted: ${routesBefore} routes in incident.io before and after, 0 created.`);

        // The dashboard lets a route claimed as managed by code be edited only once that marker is removed.
        emulator.removeClaimInUi("alert_route", LIVE_ROUTE_IDS.productionWarnings);
        const edited = emulator.editInUi(LIVE_ROUTE_IDS.productionWarnings, (r) => {
            r.enabled = false;
        });
        say(
            `\n# A dashboard edit, made by the demo in the emulator as a user would click it: the "managed by code" marker of "${edited.name}" ` +
                `(${edited.id}) removed, then the route disabled (enabled: true → false; incident.io's version is now ${edited.version}).`,
        );

        await step(
            "Refresh: the state takes the live route; the edited field is shown",
            pulumi("refresh", "--stack", STACK, "--yes", "--suppress-outputs"),
        );
        mustNotWrite("pulumi refresh");
        await step(
            "What the next up writes back: the definition (enabled: true)",
            pulumi("preview", "--stack", STACK, "--diff", "--suppress-outputs"),
        );
        mustNotWrite("pulumi preview --diff");

        say(
            // Not a command to paste: the emulator stops with the demo, and an `up --yes` is not a line to hand out.
            `\n# Done. An \`up\` of ${STACK} would now enable "${edited.name}" again and mark it as managed by code again (one GET, ` +
                `one PUT, one POST /v2/managed_resources); to keep it disabled, set it in stack/routes.ts instead. The emulator stops ` +
                `with the demo; ${rel(folder)}/ stays until the next run.`,
        );
        return 0;
    } catch (error) {
        if (!(error instanceof DemoFailure)) throw error;
        io.err(`\nnpm run demo failed: ${error.message}\nWhat it wrote so far is in ${rel(folder)}/.\n`);
        return 1;
    } finally {
        await emulator.close();
    }
}

if (require.main === module) {
    runDemo(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`npm run demo failed: ${(error as Error).stack ?? String(error)}\n`);
            process.exit(1);
        },
    );
}
