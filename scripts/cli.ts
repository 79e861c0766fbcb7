// What the operator scripts that talk to incident.io share: arguments, the key, the client.
import * as path from "node:path";
import * as readline from "node:readline";

import * as fs from "node:fs";

import {
    API_KEY_ENV,
    DEFAULT_BASE_URL,
    escapeControl,
    exportSecretCommand,
    IncidentIoClient,
    parseBaseUrl,
    shellQuote,
    type RetryPolicy,
    type SettingFix,
} from "../providers/incident-io";

/** The checkout the scripts belong to: where Pulumi.<stack>.yaml and stack/routes.ts are. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

export interface ScriptIo {
    log: (text: string) => void;
    error: (text: string) => void;
    /** stderr is a terminal: show progress. */
    isTTY: boolean;
    env: NodeJS.ProcessEnv;
    /** Where relative paths start (npm runs scripts in the project root; INIT_CWD is where it was started). */
    cwd: string;
    /** Asks a yes/no question on the terminal; absent when stdin is not a terminal (nothing to ask on). */
    confirm?: (question: string) => Promise<boolean>;
}

export const processIo = (): ScriptIo => ({
    log: (s) => process.stdout.write(s),
    error: (s) => process.stderr.write(s),
    isTTY: !!process.stderr.isTTY,
    env: process.env,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    confirm: process.stdin.isTTY ? askOnTerminal : undefined,
});

/** The question on stderr (stdout may be piped to a file), the answer from stdin; only y or yes is yes. */
function askOnTerminal(question: string): Promise<boolean> {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    return new Promise((resolve) => {
        rl.question(question, (answer) => {
            rl.close();
            resolve(/^\s*y(es)?\s*$/i.test(answer));
        });
        rl.on("close", () => resolve(false));
    });
}

/** For tests: a faster retry policy. Everything else is the provider's client as is. */
export interface ClientOverrides {
    retry?: RetryPolicy;
}

export class UsageError extends Error {}

/** `--name value` flags and bare switches; anything else is a usage error. */
export function parseFlags(argv: string[], valued: string[], switches: string[] = []): Record<string, string | true> {
    const flags: Record<string, string | true> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [name, inline] = arg.startsWith("--") ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
        if (name !== undefined && switches.includes(name) && inline === undefined) flags[name] = true;
        else if (name !== undefined && valued.includes(name)) {
            const value = inline ?? argv[++i];
            if (value === undefined || value === "" || (inline === undefined && value.startsWith("--")))
                throw new UsageError(`--${name} needs a value`);
            flags[name] = value;
        } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
    return flags;
}

/** The project a script serves: the nearest folder from `cwd` upwards that holds Pulumi.yaml (where
 * `pulumi` itself looks), else this checkout. Run from a subdirectory, a script still writes
 * `backups/` at the project root, never beside the caller. */
export function projectRoot(cwd: string): string {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return PROJECT_DIR;
    }
}

/** `npm run <script> -- <every flag given>`, each value quoted: the "run again" line repeats exactly what was run. */
export function rerunCommand(script: string, flags: Record<string, string | true>, positional: string[] = []): string {
    const words = [
        ...positional.map(shellQuote),
        ...Object.entries(flags).map(([name, value]) => (value === true ? `--${name}` : `--${name} ${shellQuote(value)}`)),
    ];
    return `npm run ${script}${words.length ? ` -- ${words.join(" ")}` : ""}`;
}

/** What the client's messages tell a script's operator: the script's own flags, not the provider's config keys. */
export function scriptFixes(rerun: string): SettingFix {
    const secret = (env: string) => `\`${exportSecretCommand(env)}\` (paste the key, then Enter)`;
    return {
        // clientFor names the flag itself (`--base-url`); the client's own messages name the provider's key.
        set: (key, value) =>
            key === "--base-url" || key.endsWith(":baseUrl")
                ? `--base-url ${shellQuote(value)}`
                : key.endsWith(":apiKey")
                  ? secret(API_KEY_ENV)
                  : `run again later (the scripts use the default ${key}): ${rerun}`,
        setSecret: (_key, env) => secret(env),
        showBaseUrl: () => "the --base-url given, default https://api.incident.io",
    };
}

/** The client, or the reason it cannot be made (before any request). `rerun` is the command that runs the script again. */
export function clientFor(
    flags: Record<string, string | true>,
    io: ScriptIo,
    overrides: ClientOverrides = {},
    rerun = "npm run <script>",
): IncidentIoClient {
    const baseUrl = typeof flags["base-url"] === "string" ? flags["base-url"] : DEFAULT_BASE_URL;
    const fixes = scriptFixes(rerun);
    try {
        parseBaseUrl(baseUrl, "--base-url", undefined, fixes);
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    if (!io.env[API_KEY_ENV]) {
        throw new UsageError(
            `${API_KEY_ENV} is not set: nothing was read. Export an incident.io API key with the scope "View data" first: ` +
                `\`${exportSecretCommand(API_KEY_ENV)}\`, then paste the key and press Enter (incident.io → Settings → API keys)`,
        );
    }
    return new IncidentIoClient({
        baseUrl,
        apiKey: () => io.env[API_KEY_ENV] ?? "",
        retry: overrides.retry,
        log: (line) => io.error(`${line}\n`),
        fixes,
    });
}

/** JSON with object keys sorted at every level, indented, newline-terminated: the same data gives the same bytes. */
export function stableJson(value: unknown): string {
    const sort = (v: unknown): unknown =>
        Array.isArray(v)
            ? v.map(sort)
            : v && typeof v === "object"
              ? Object.fromEntries(
                    Object.keys(v)
                        .sort()
                        .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
                )
              : v;
    return `${JSON.stringify(sort(value), null, 2)}\n`;
}

/** A plain-text table, columns padded to their widest cell. Every cell is shown text (API names, file names): its
 * control characters are escaped. */
export function table(header: string[], unsafeRows: string[][]): string {
    const rows = unsafeRows.map((row) => row.map((cell) => escapeControl(cell ?? "")));
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}

/** Runs a script's `main` as the npm script does, then exits at once: the client's keep-alive
 * sockets would otherwise hold the process open for 10 s more. */
export function runAsScript(name: string, main: (argv: string[]) => Promise<number>): void {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`${name} failed: ${(error as Error).message}
`);
            process.exitCode = 1;
        },
    );
}
