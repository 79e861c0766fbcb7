// Runs a TypeScript entry point of this project as a child process (plain node + ts-node,
// transpile-only), asynchronously so that servers of the calling process (the emulator) keep
// answering, and collects every line it prints.
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";

import { PROJECT_ROOT } from "../../dev/paths";

export interface ChildRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string[];
    stderr: string[];
}

export function runTs(entry: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ChildRun> {
    const child = spawn(process.execPath, ["--require", "ts-node/register", path.resolve(PROJECT_ROOT, entry), ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", ...opts.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const run: ChildRun = { code: null, signal: null, stdout: [], stderr: [] };
    readline.createInterface({ input: child.stdout! }).on("line", (line) => run.stdout.push(line));
    readline.createInterface({ input: child.stderr! }).on("line", (line) => run.stderr.push(line));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    return new Promise((resolve, reject) => {
        child.once("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        // "close": after exit AND after stdout/stderr were drained, so the lines are complete.
        child.once("close", (code, signal) => {
            clearTimeout(timer);
            run.code = code;
            run.signal = signal;
            resolve(run);
        });
    });
}
