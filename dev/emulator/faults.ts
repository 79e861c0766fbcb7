// Queue of injected faults. Each request takes the first matching fault (in the order
// injected); a fault applies to `times` matching requests (default 1), then is dropped.
// Generic over the fault type, so the Checkly emulator (dev/checkly-emulator/) queues its own;
// answerWithFault answers each kind the same way in both emulators.
import type { Reply } from "./replies";
import type { Fault, FaultKind } from "./types";

/** What the queue needs of a fault: which requests it matches, and how many times. */
export type FaultMatch = Pick<Fault, "method" | "path" | "times">;

export class FaultQueue<F extends FaultMatch = Fault> {
    private queue: Array<{ fault: F; remaining: number }> = [];

    add(fault: F): void {
        const remaining = fault.times ?? 1;
        if (!(remaining >= 1)) throw new Error(`fault.times must be >= 1 (got ${String(fault.times)})`);
        this.queue.push({ fault, remaining });
    }

    clear(): void {
        this.queue = [];
    }

    get size(): number {
        return this.queue.length;
    }

    /** Removes one use of the first fault matching this request, and returns it. */
    take(method: string, path: string): F | undefined {
        const index = this.queue.findIndex(({ fault }) => matches(fault, method, path));
        if (index < 0) return undefined;
        const entry = this.queue[index];
        entry.remaining -= 1;
        if (entry.remaining <= 0) this.queue.splice(index, 1);
        return entry.fault;
    }
}

function matches(fault: FaultMatch, method: string, path: string): boolean {
    if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
    if (fault.path === undefined) return true;
    if (typeof fault.path === "string") return path.startsWith(fault.path);
    fault.path.lastIndex = 0; // harmless for non-global regexps, needed for /g and /y
    return fault.path.test(path);
}

/** The fault kinds both emulators answer alike; a ui-edit is each emulator's own (it edits its own store). */
export type SharedFault = Exclude<FaultKind, { kind: "ui-edit" }>;

/** What answering a fault needs of the emulator and of the request that took it. */
export interface FaultedRequest {
    /** The request handled as without the fault (auth, rate limit, the endpoint); state changes happen here. */
    process(): Reply | Promise<Reply>;
    /** Sends the reply, unless the client went away. */
    respond(reply: Reply): void | Promise<void>;
    /** Drops the connection without an answer. */
    reset(): void | Promise<void>;
    /** Whether the client went away while the request was held. */
    clientGone(): boolean;
    /** A wait that closing the emulator cancels. */
    sleep(ms: number): Promise<void>;
    /** The emulator's error envelope, for a status fault without a body of its own. */
    errorBody(status: number): unknown;
    /** The emulator's 429, with Retry-After in the form the fault asks for. */
    rateLimited(seconds: number, retryAfter: Extract<FaultKind, { kind: "rate-limit" }>["retryAfter"]): Reply;
    /** The start of a JSON body, cut off. */
    malformedBody: string;
}

/** Answers a request the way the fault says instead of (or besides) handling it as usual. */
export async function answerWithFault(fault: SharedFault, request: FaultedRequest): Promise<void> {
    switch (fault.kind) {
        case "status": {
            const body = fault.body === undefined ? request.errorBody(fault.status) : fault.body;
            return request.respond(
                typeof body === "string"
                    ? { status: fault.status, raw: body, headers: { "content-type": "text/plain", ...fault.headers } }
                    : { status: fault.status, body, headers: fault.headers },
            );
        }
        case "rate-limit":
            return request.respond(request.rateLimited(fault.seconds ?? 1, fault.retryAfter));
        case "reset-before-processing":
            return request.reset();
        case "reset-after-processing":
            await request.process();
            return request.reset();
        case "delay": {
            if (fault.process ?? true) {
                const reply = await request.process();
                await request.sleep(fault.ms);
                return request.respond(reply);
            }
            // Held before processing; if the client gave up meanwhile, nothing is applied.
            await request.sleep(fault.ms);
            if (request.clientGone()) return;
            return request.respond(await request.process());
        }
        case "malformed-json":
            if (fault.process ?? true) await request.process();
            return request.respond({ status: 200, raw: request.malformedBody });
    }
}
