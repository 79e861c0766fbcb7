// Shared by the fault matrix (test/provider/faults.test.ts) and the soak (test/provider/soak.test.ts): the catalogue
// of faults as emulator injections, a seeded PRNG, a bounded pool, and what a user reads out of
// the provider's "may have succeeded" error.
import type { Fault } from "../../dev/emulator";

/** The faults of the matrix, in the order of the issue. */
export const FAULT_NAMES = [
    "429 Retry-After in seconds",
    "429 Retry-After as HTTP date",
    "429 only in the body",
    "500",
    "502",
    "503",
    "reset after processing",
    "reset before processing",
    "slower than the timeout",
    "malformed JSON",
    "401",
    "403",
    "404",
    "422 validation error",
    "409 version rejected",
    "422 version rejected",
    "UI edit between read and write",
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

/** Faults a client should survive by retrying (or by reading back), and the ambiguous ones. */
export const TRANSIENT_FAULTS = [
    "429 Retry-After in seconds",
    "429 Retry-After as HTTP date",
    "429 only in the body",
    "500",
    "502",
    "503",
    "reset after processing",
    "reset before processing",
    "slower than the timeout",
    "malformed JSON",
] as const satisfies readonly FaultName[];

/** The request a fault is aimed at. `path` is matched exactly (anchored). */
export interface FaultTarget {
    method: "GET" | "POST" | "PUT" | "DELETE";
    path: string;
}

export interface FaultTiming {
    /** Delay of the "slower than the timeout" answer; must exceed the client's request timeout. */
    slowMs: number;
    /** Retry-After the 429s ask for. */
    retryAfterSeconds: number;
}

export const DEFAULT_TIMING: FaultTiming = { slowMs: 1_000, retryAfterSeconds: 1 };

function envelope(status: number, type: string, error: { code: string; message: string; field?: string }): unknown {
    return {
        type,
        status,
        request_id: `req-fault-${status}`,
        errors: [{ code: error.code, message: error.message, ...(error.field ? { source: { field: error.field } } : {}) }],
    };
}

/** The emulator injection for a named fault aimed at one request (`times` consecutive matches). */
export function faultFor(name: FaultName, target: FaultTarget, times = 1, timing: FaultTiming = DEFAULT_TIMING): Fault {
    const match = { method: target.method, path: new RegExp(`^${escapeRegExp(target.path)}$`), times };
    switch (name) {
        case "429 Retry-After in seconds":
            return { ...match, kind: "rate-limit", retryAfter: "seconds", seconds: timing.retryAfterSeconds };
        case "429 Retry-After as HTTP date":
            return { ...match, kind: "rate-limit", retryAfter: "http-date", seconds: timing.retryAfterSeconds };
        case "429 only in the body":
            return { ...match, kind: "rate-limit", retryAfter: "body-only", seconds: timing.retryAfterSeconds };
        case "500":
        case "502":
        case "503":
        case "401":
        case "403":
        case "404":
            return { ...match, kind: "status", status: Number(name) };
        case "reset after processing":
            return { ...match, kind: "reset-after-processing" };
        case "reset before processing":
            return { ...match, kind: "reset-before-processing" };
        case "slower than the timeout":
            // The server acts at once and answers late: the worst case for the client.
            return { ...match, kind: "delay", ms: timing.slowMs, process: true };
        case "malformed JSON":
            return { ...match, kind: "malformed-json", process: true };
        case "422 validation error":
            return {
                ...match,
                kind: "status",
                status: 422,
                body: envelope(422, "validation_error", {
                    code: "invalid_value",
                    message: "must be at most 255 characters",
                    field: "name",
                }),
            };
        case "409 version rejected":
            return {
                ...match,
                kind: "status",
                status: 409,
                body: envelope(409, "conflict", {
                    code: "conflict",
                    message: "version is not the next version of this alert route",
                    field: "version",
                }),
            };
        case "422 version rejected":
            return {
                ...match,
                kind: "status",
                status: 422,
                body: envelope(422, "validation_error", {
                    code: "invalid_value",
                    message: "version must be exactly one greater than the current version",
                    field: "version",
                }),
            };
        case "UI edit between read and write":
            // The emulator edits the route named in the path (name + " (edited in UI)", version + 1),
            // then handles the request.
            return { ...match, kind: "ui-edit" };
    }
}

export const UI_EDIT_SUFFIX = " (edited in UI)";

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** mulberry32: a small deterministic PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Runs `work` for every item, at most `concurrency` at a time; rejects with the first error after all settle. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const errors: unknown[] = [];
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            try {
                await work(items[index], index);
            } catch (error) {
                errors.push(error);
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    if (errors.length > 0) {
        const first = errors[0] as Error;
        first.message = `${errors.length} of ${items.length} failed; first: ${first.message}`;
        throw first;
    }
}

/** The ids an ambiguous-create error says now exist with the route's (source's, attribute's) name ([] when none). */
export function idsNamedInAmbiguousCreate(message: string): string[] | undefined {
    if (!/may have succeeded/.test(message)) return undefined;
    const listed = /(?:route|source|attribute)\(s\) with that name: ([0-9A-Za-z, ]+)\./.exec(message);
    if (listed)
        return listed[1]
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
    // "none right now, may still be in progress": the user looks the route up again (undefined).
    return undefined;
}

/** Count of the client's retry log lines ("retry 2/3 in 180ms"). */
export function retriesLogged(logs: readonly string[]): number {
    return logs.filter((l) => /\bretry \d+\/\d+ in \d+ms/.test(l)).length;
}
