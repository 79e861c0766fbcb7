// A client-side limiter shared by everything in the process that talks to incident.io: a token
// bucket that keeps the request rate under the API's per-key limit (1,200 a minute by default),
// a bound on requests in flight, and a shared pause when the API answers 429.

export interface LimiterOptions {
    /** The API's limit for the key. */
    requestsPerMinute: number;
    /** Requests in flight at once. */
    maxConcurrency: number;
    /** Share of the limit we allow ourselves, leaving room for clock skew and other clients. */
    headroom?: number;
}

export class RequestLimiter {
    private readonly ratePerMs: number;
    private readonly burst: number;
    private tokens: number;
    private refilledAt = Date.now();
    private pausedUntil = 0;
    private inFlight = 0;
    private readonly waiting: Array<() => void> = [];
    private readonly maxConcurrency: number;

    constructor(opts: LimiterOptions) {
        const allowedPerMinute = opts.requestsPerMinute * (opts.headroom ?? 0.95);
        this.ratePerMs = allowedPerMinute / 60_000;
        // The burst counts against the minute too: burst + rate × 60 s stays well under the limit.
        this.burst = Math.max(1, Math.floor((opts.requestsPerMinute - allowedPerMinute) / 2));
        this.tokens = this.burst;
        this.maxConcurrency = Math.max(1, opts.maxConcurrency);
    }

    /** Runs `fn` when a slot and a token are free. With a `deadline` (epoch ms), gives up queueing
     * with a `LimiterDeadlineError` (nothing was sent) when no turn comes by then. */
    async run<T>(fn: () => Promise<T>, deadline = Infinity): Promise<T> {
        await this.acquireSlot(deadline);
        try {
            await this.acquireToken(deadline);
            return await fn();
        } finally {
            this.releaseSlot();
        }
    }

    /** Holds every request of the process until `at` (epoch ms), e.g. after a 429. Callers bound
     * `at` (incident-io:maxRetryWaitSeconds): a pause parks every operation of the process. */
    pauseUntil(at: number): void {
        this.pausedUntil = Math.max(this.pausedUntil, at);
    }

    private async acquireSlot(deadline: number): Promise<void> {
        if (this.inFlight < this.maxConcurrency) {
            this.inFlight++;
            return;
        }
        await new Promise<void>((resolve, reject) => {
            const waiter = () => {
                clearTimeout(timer);
                resolve();
            };
            // Out of the queue at the deadline, so a released slot is never handed to a quitter.
            const timer = Number.isFinite(deadline)
                ? setTimeout(
                      () => {
                          const index = this.waiting.indexOf(waiter);
                          if (index >= 0) this.waiting.splice(index, 1);
                          reject(new LimiterDeadlineError("waiting for a free request slot"));
                      },
                      clampDelay(deadline - Date.now()),
                  )
                : undefined;
            this.waiting.push(waiter);
        });
    }

    private releaseSlot(): void {
        const next = this.waiting.shift();
        if (next)
            next(); // hand the slot over: inFlight stays the same
        else this.inFlight--;
    }

    private async acquireToken(deadline: number): Promise<void> {
        for (;;) {
            const now = Date.now();
            const paused = now < this.pausedUntil;
            let wait = this.pausedUntil - now;
            if (!paused) {
                this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.ratePerMs);
                this.refilledAt = now;
                if (this.tokens >= 1) {
                    this.tokens -= 1;
                    return;
                }
                wait = Math.ceil((1 - this.tokens) / this.ratePerMs);
            }
            if (now + wait > deadline) {
                throw new LimiterDeadlineError(paused ? "the process was paused after a 429" : "waiting for the rate limit");
            }
            await sleep(wait);
        }
    }
}

/** Queueing in the limiter outlasted the operation's deadline; the request was never sent. */
export class LimiterDeadlineError extends Error {
    readonly code = "LIMITER_DEADLINE";
    constructor(readonly waitingFor: string) {
        super(`the operation's deadline passed while ${waitingFor}`);
        this.name = "LimiterDeadlineError";
    }
}

/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer delay fires at once, so a wait
 * that long would turn into a busy loop. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function clampDelay(ms: number): number {
    return Math.min(MAX_TIMER_MS, Math.max(0, ms));
}

/** setTimeout that never overflows: waits longer than a timer can hold are slept in parts. */
export async function sleep(ms: number): Promise<void> {
    let left = Math.max(0, ms);
    do {
        const part = clampDelay(left);
        await new Promise((resolve) => setTimeout(resolve, part));
        left -= part;
    } while (left > 0);
}
