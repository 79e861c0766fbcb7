// What `npm run demo` prints around the commands it runs: the command line as a user would type it
// (each word shell-quoted, so every printed line is safe to paste) and the emulator's request log
// summed up by endpoint. Pure functions, so the wording is tested without running a CLI.
import { shellWord } from "../../scripts/shellWord";

/** One command of the transcript: its words, and the environment variable piped into its stdin, if any. */
export interface DemoCommand {
    words: string[];
    /** `printenv <name> | <command>`: a secret reaches the command without appearing on the line. */
    stdinFromEnv?: string;
}

/** `$ <command>`, as it can be pasted into a POSIX shell. */
export function commandLine(command: DemoCommand): string {
    const words = command.words.map(shellWord).join(" ");
    return `$ ${command.stdinFromEnv ? `printenv ${shellWord(command.stdinFromEnv)} | ` : ""}${words}`;
}

/** An id segment of an incident.io path (ULIDs, Slack-style ids), replaced by `{id}` when requests are summed up. */
const ID_SEGMENT = /^[0-9A-Z]{20,}$/;

/** `/v2/alert_routes/01J0...` → `/v2/alert_routes/{id}`. */
export function pathTemplate(path: string): string {
    return path
        .split("/")
        .map((segment) => (ID_SEGMENT.test(segment) ? "{id}" : segment))
        .join("/");
}

/**
 * The request log as `METHOD path (count)` by endpoint, in the order first seen, then the count of the one
 * request the main job must never send on adoption: a new route (`POST /v2/alert_routes`), 0 included.
 */
export function requestSummary(requests: ReadonlyArray<{ method: string; path: string }>): string {
    const counts = new Map<string, number>();
    for (const { method, path } of requests) {
        const key = `${method} ${pathTemplate(path)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const creates = requests.filter((r) => r.method === "POST" && r.path === "/v2/alert_routes").length;
    const all = [...counts].map(([key, n]) => `${key} (${n})`).join(", ");
    return `${requests.length} request(s)${all ? `: ${all}` : ""}; new routes (POST /v2/alert_routes): ${creates}`;
}
