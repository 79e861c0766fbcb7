// A ScriptIo that keeps what a script printed, for the tests of scripts/.
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
