// Sliding 60-second window, per API key.
const WINDOW_MS = 60_000;

export class SlidingWindowLimiter {
    private readonly hits = new Map<string, number[]>();

    /**
     * Records a request for `key` if it fits in the window and returns undefined;
     * otherwise returns how many whole seconds (>= 1) until a slot frees up.
     */
    take(key: string, limit: number, now = Date.now()): number | undefined {
        if (limit <= 0) return WINDOW_MS / 1000;
        const kept = (this.hits.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
        this.hits.set(key, kept);
        if (kept.length < limit) {
            kept.push(now);
            return undefined;
        }
        const freesAt = kept[kept.length - limit] + WINDOW_MS;
        return Math.max(1, Math.ceil((freesAt - now) / 1000));
    }

    reset(): void {
        this.hits.clear();
    }
}
