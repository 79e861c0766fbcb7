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

    /** Runs `fn` when a slot and a token are free. */
    async run<T>(fn: () => Promise<T>): Promise<T> {
        await this.acquireSlot();
        try {
            await this.acquireToken();
            return await fn();
        } finally {
            this.releaseSlot();
        }
    }

    /** Holds every request of the process until `at` (epoch ms), e.g. after a 429. */
    pauseUntil(at: number): void {
        this.pausedUntil = Math.max(this.pausedUntil, at);
    }

    private async acquireSlot(): Promise<void> {
        if (this.inFlight < this.maxConcurrency) {
            this.inFlight++;
            return;
        }
        await new Promise<void>((resolve) => this.waiting.push(resolve));
    }

    private releaseSlot(): void {
        const next = this.waiting.shift();
        if (next) next(); // hand the slot over: inFlight stays the same
        else this.inFlight--;
    }

    private async acquireToken(): Promise<void> {
        for (;;) {
            const now = Date.now();
            if (now < this.pausedUntil) {
                await sleep(this.pausedUntil - now);
                continue;
            }
            this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.ratePerMs);
            this.refilledAt = now;
            if (this.tokens >= 1) {
                this.tokens -= 1;
                return;
            }
            await sleep(Math.ceil((1 - this.tokens) / this.ratePerMs));
        }
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
