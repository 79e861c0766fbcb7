// When to retry a request and how long to wait: pure functions, table-tested.

export interface RetryPolicy {
    /** Retries after the first attempt. */
    maxRetries: number;
    baseDelayMs: number;
    maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 20_000 };

/** Full-jitter exponential backoff: a random wait in [0, min(max, base × 2^retry)). */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
    return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/**
 * How long a 429 asks us to wait, in ms: the `Retry-After` header as seconds or as an HTTP date,
 * else the body's `rate_limit.retry_after` (an HTTP date). Undefined when neither says.
 */
export function retryAfterMs(header: string | undefined, body: unknown, now: number = Date.now()): number | undefined {
    const fromHeader = parseRetryAfter(header, now);
    if (fromHeader !== undefined) return fromHeader;
    const bodyDate = (body as { rate_limit?: { retry_after?: unknown } } | undefined)?.rate_limit?.retry_after;
    return typeof bodyDate === "string" ? parseRetryAfter(bodyDate, now) : undefined;
}

/** HTTP dates have one-second precision, so a 429 is never retried sooner than this. */
export const RATE_LIMIT_FLOOR_MS = 1_000;

/** How long to wait after a 429: what the API asks (or the backoff when it says nothing), at least 1 s. */
export function rateLimitWaitMs(header: string | undefined, body: unknown, fallbackMs: number, now: number = Date.now()): number {
    return Math.max(RATE_LIMIT_FLOOR_MS, retryAfterMs(header, body, now) ?? fallbackMs);
}

function parseRetryAfter(value: string | undefined, now: number): number | undefined {
    if (!value) return undefined;
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** Statuses worth another try: rate limiting and server-side failures. */
export function isRetryableStatus(status: number): boolean {
    return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * Whether a failed attempt may be repeated. GET, PUT (guarded by `version`) and DELETE (404 counts
 * as done) are safe to repeat. A POST is repeated only when it provably never reached the server
 * (connection refused, 429), since a repeated create would duplicate the route.
 */
export function mayRetry(method: Method, failure: { status?: number; neverSent?: boolean }): boolean {
    if (method !== "POST") return failure.status === undefined || isRetryableStatus(failure.status);
    return failure.status === 429 || (failure.status === undefined && failure.neverSent === true);
}

/** Network error codes raised before any byte of the request left this machine. */
/** One link of an error chain as undici and Node build them: any of these may be absent. */
export interface ErrorLink {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: unknown;
}

/** The error and its causes, outermost first. */
export function* causeChain(error: unknown): Generator<ErrorLink> {
    for (let e = error; e !== null && typeof e === "object"; e = (e as ErrorLink).cause) yield e as ErrorLink;
}

const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/** undici refused to build the request (e.g. a header with a character HTTP does not allow). It is
 * raised before anything is written to a socket, and repeating it gives the same answer. */
export function isArgumentError(error: unknown): boolean {
    for (const e of causeChain(error)) {
        if (e.code === "UND_ERR_INVALID_ARG") return true;
    }
    return false;
}

export function neverSent(error: unknown): boolean {
    if (isArgumentError(error)) return true;
    for (const e of causeChain(error)) {
        if (typeof e.code === "string" && NEVER_SENT_CODES.has(e.code)) return true;
    }
    return false;
}
