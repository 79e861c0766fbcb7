// For the tests of scripts/: a ScriptIo that keeps what a script printed, and a project root of their own.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { PROJECT_ROOT } from "../../dev/paths";
import type { ScriptIo } from "../../scripts/cli";

export interface CapturingIo extends ScriptIo {
    /** Everything printed so far. */
    out: () => { stdout: string; stderr: string };
}

/** `key`: the INCIDENT_IO_TOKEN the script sees (null: none); `env`: more of its environment. */
export function capturingIo(
    cwd: string,
    opts: { key: string | null; isTTY?: boolean; env?: Record<string, string | undefined> },
): CapturingIo {
    let stdout = "";
    let stderr = "";
    return {
        log: (s) => (stdout += s),
        error: (s) => (stderr += s),
        isTTY: opts.isTTY ?? false,
        env: { ...(opts.key === null ? {} : { INCIDENT_IO_TOKEN: opts.key }), ...opts.env },
        cwd,
        out: () => ({ stdout, stderr }),
    };
}

/**
 * A project root of its own in a temporary folder (the folder of Pulumi.yaml, where the scripts write
 * backups/ and read Pulumi.<stack>.yaml), holding copies of the committed stack files named.
 */
export function scratchProject(prefix: string, stacks: readonly string[] = ["production", "staging"]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: alert-routing\nruntime: nodejs\n");
    for (const stack of stacks) fs.copyFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
    return dir;
}
