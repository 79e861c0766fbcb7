// Queue of injected faults. Each request takes the first matching fault (in the order
// injected); a fault applies to `times` matching requests (default 1), then is dropped.
// Generic over the fault type, so the Checkly emulator (dev/checkly-emulator/) queues its own.
import type { Fault } from "./types";

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
