// A place to run the real Pulumi CLI on the routes-only project (test/e2e/project: the company's routes
// through the real AlertRoute, no AWS or Kubernetes): its own Pulumi home and file backend, a copy of the
// project, and `pulumi` run as a child process (async: an emulator in the caller's process keeps answering).
// The end-to-end tier and `npm run demo` use it.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { PROJECT_ROOT } from "../paths";
import { BUILD_DIR, type PulumiCli } from "./index";

export const ROUTES_PROJECT = path.join(PROJECT_ROOT, "test", "e2e", "project");
/** The file backend's passphrase: these stacks hold only emulator keys. */
export const PASSPHRASE = "local-emulator-only";

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
    /** stdout and stderr as one text, for assertions on what a user sees. */
    output: string;
}

/**
 * With E2E_TRANSCRIPT=<file>, every `pulumi` run appends its command line, folder, exit code and output there,
 * so what the CLI printed in a whole e2e run can be read afterwards (the tests assert on it, then drop it).
 * The stacks hold emulator keys only; the file is the caller's to keep or delete.
 */
function appendToTranscript(args: string[], cwd: string, code: number, output: string): void {
    const file = process.env.E2E_TRANSCRIPT;
    if (!file) return;
    fs.appendFileSync(file, `\n$ (cd ${cwd}) pulumi ${args.join(" ")}   # exit ${code}\n${output}`);
}

/** One Pulumi home, one file backend and one copy of the routes-only project, thrown away by `dispose`. */
export class CliWorkspace {
    readonly root: string;
    /** The project folder `pulumi` runs in (a copy of test/e2e/project whose program imports this repository). */
    readonly project: string;
    readonly backend: string;

    constructor(
        readonly cli: PulumiCli,
        readonly extraEnv: Record<string, string> = {},
        /** Where state and home go (default: a new temporary folder). */
        root?: string,
        /** The project copy's folder, inside the checkout (default: a new one in .pulumi-cli/projects/). */
        project?: string,
    ) {
        this.root = root ?? fs.mkdtempSync(path.join(os.tmpdir(), "alert-routing-e2e-"));
        this.backend = path.join(this.root, "state");
        fs.mkdirSync(this.backend, { recursive: true });
        // A copy of the fixture in the git-ignored .pulumi-cli/projects/, so its stack files (Pulumi.<stack>.yaml)
        // stay out of the checkout and two workspaces never share one. Its index.ts is a link to the fixture's
        // (Node follows it, so the program still imports ../../../stack), and it has no node_modules of its own:
        // modules resolve from the checkout's, and the language host finds no provider plugins to ask for.
        const projects = path.join(BUILD_DIR, "projects");
        fs.mkdirSync(project ?? projects, { recursive: true });
        this.project = project ?? fs.mkdtempSync(path.join(projects, "project-"));
        for (const file of ["Pulumi.yaml", "package.json"]) fs.copyFileSync(path.join(ROUTES_PROJECT, file), path.join(this.project, file));
        fs.symlinkSync(path.join(ROUTES_PROJECT, "index.ts"), path.join(this.project, "index.ts"));
        // The checkout's compiler settings, and with them its ts-node section (transpile only, through
        // dev/cachedTranspiler.js), as the root project has them: Pulumi's language host reads tsconfig.json
        // from the project folder.
        const tsconfig = { extends: path.join(PROJECT_ROOT, "tsconfig.json"), files: ["index.ts"] };
        fs.writeFileSync(path.join(this.project, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
    }

    env(): NodeJS.ProcessEnv {
        return {
            ...process.env,
            PATH: [...this.cli.pathPrefix, process.env.PATH ?? ""].join(path.delimiter),
            PULUMI_HOME: path.join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${this.backend}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            // The program is type-checked by `tsc --noEmit` in `npm test`; here it only has to run.
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            NO_COLOR: "1",
            INCIDENT_IO_TOKEN: "",
            // The demo's scripts and stacks must not reach a real Checkly account with the operator's key.
            CHECKLY_API_KEY: "",
            CHECKLY_ACCOUNT_ID: "",
            ...this.extraEnv,
        };
    }

    /** Runs `pulumi <args>` in `cwd` (default: the project). Never throws on a non-zero exit: the caller asserts. */
    run(args: string[], opts: { cwd?: string; env?: Record<string, string>; stdin?: string } = {}): Promise<CliResult> {
        return new Promise((resolve, reject) => {
            const child = spawn(this.cli.pulumi, [...args, "--color", "never"], {
                cwd: opts.cwd ?? this.project,
                env: { ...this.env(), ...opts.env },
                stdio: ["pipe", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            let output = "";
            child.stdout.on("data", (chunk: Buffer) => {
                stdout += chunk;
                output += chunk;
            });
            child.stderr.on("data", (chunk: Buffer) => {
                stderr += chunk;
                output += chunk;
            });
            child.on("error", reject);
            child.on("close", (code) => {
                appendToTranscript(args, opts.cwd ?? this.project, code ?? -1, output);
                resolve({ code: code ?? -1, stdout, stderr, output });
            });
            // A CLI that exits before reading its input closes the pipe (EPIPE): its exit code tells the caller.
            child.stdin.on("error", () => {});
            child.stdin.end(opts.stdin ?? "");
        });
    }

    /** Like run, but a non-zero exit is an error that shows what the CLI printed. */
    async ok(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
        const result = await this.run(args, opts);
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
        return result;
    }

    dispose(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
        fs.rmSync(this.project, { recursive: true, force: true });
    }
}
