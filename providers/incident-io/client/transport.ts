// One logical request to a JSON API over undici, with every quality the project's clients share:
// the process-wide limiter, bounded retries (retry.ts decides which), per-attempt and per-operation
// deadlines, a size cap on answers, proxies from the environment, no redirects followed, and every
// string an answer or an error carries scrubbed of the key and the caller's secrets. What differs
// between APIs (incident.io's, Checkly's: names, auth headers, error envelope, the settings messages
// name) is the `ServiceProfile`.
import { EnvHttpProxyAgent, request } from "undici";
import { secretForms } from "./apiKey";
import { redact, type ApiError, type ApiErrorArgs, type ApiErrorDetail } from "./errors";
import { LimiterDeadlineError, type RequestLimiter, sleep } from "./limiter";
import {
    backoffMs,
    causeChain,
    isArgumentError,
    isRetryableStatus,
    mayRetry,
    neverSent,
    rateLimitWaitMs,
    type Method,
    type RetryPolicy,
} from "./retry";
import { stackSettingFix, type SettingFix } from "./settingFix";

/** What one API's requests and errors look like. */
export interface ServiceProfile {
    /** In log lines: "incident.io", "Checkly". */
    service: string;
    /** The namespace of the settings messages name: "incident-io" → `incident-io:operationTimeoutSeconds`. */
    configPrefix: string;
    /** The base URL an operator should have, named when an answer looks like someone else's. */
    defaultBaseUrl: string;
    /** Said when undici refuses to build the request (a key with a character HTTP forbids): where the key is set. */
    keyHint: string;
    /** The cleaned key, or an Error that says how to set it (before anything is queued or sent). */
    requireKey(raw: string): string;
    /** The headers that authenticate a request. */
    authHeaders(key: string): Record<string, string>;
    /** The API's error envelope, every string already scrubbed with `clean`. */
    envelope(
        body: unknown,
        clean: (text: unknown) => string | undefined,
    ): { errorType?: string; requestId?: string; errors: ApiErrorDetail[] };
    /** The API's error for a failed request. */
    error(args: ApiErrorArgs): ApiError;
}

export interface TransportOptions {
    profile: ServiceProfile;
    /** An origin already checked by parseBaseUrl. */
    baseUrl: string;
    /** Read at call time, so nothing holds the key longer than a request. */
    apiKey: () => string;
    /** More secrets to scrub from answers and errors, read at call time (e.g. a webhook's token). */
    secrets?: () => string[];
    limiter: RequestLimiter;
    retry: RetryPolicy;
    connectTimeoutMs: number;
    requestTimeoutMs: number;
    maxRetryWaitMs: number;
    operationTimeoutMs: number;
    maxResponseBytes: number;
    log: (line: string) => void;
    /** How messages say to change a setting (default: `pulumi config set --stack <stack> ...`). */
    fixes?: SettingFix;
}

interface Answer {
    status: number;
    retryAfter?: string;
    location?: string;
    text: string;
}

export class ApiTransport {
    private readonly profile: ServiceProfile;
    private readonly fixes: SettingFix;
    private readonly baseUrl: string;
    private readonly apiKey: () => string;
    private readonly secrets: () => string[];
    private readonly limiter: RequestLimiter;
    private readonly retry: RetryPolicy;
    private readonly requestTimeoutMs: number;
    private readonly maxRetryWaitMs: number;
    private readonly operationTimeoutMs: number;
    private readonly maxResponseBytes: number;
    private readonly agent: EnvHttpProxyAgent;
    private readonly log: (line: string) => void;

    constructor(opts: TransportOptions) {
        this.profile = opts.profile;
        this.fixes = opts.fixes ?? stackSettingFix(undefined);
        this.baseUrl = opts.baseUrl;
        this.apiKey = opts.apiKey;
        this.secrets = opts.secrets ?? (() => []);
        this.limiter = opts.limiter;
        this.retry = opts.retry;
        this.requestTimeoutMs = opts.requestTimeoutMs;
        this.maxRetryWaitMs = opts.maxRetryWaitMs;
        this.operationTimeoutMs = opts.operationTimeoutMs;
        this.maxResponseBytes = opts.maxResponseBytes;
        // Proxies like every other CLI: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and lowercase), read by
        // undici's EnvHttpProxyAgent, which gives the direct and the proxied agents the same options.
        this.agent = new EnvHttpProxyAgent({ connect: { timeout: opts.connectTimeoutMs }, keepAliveTimeout: 10_000 });
        this.log = opts.log;
    }

    /** A setting's full key, as messages name it. */
    private key(name: string): string {
        return `${this.profile.configPrefix}:${name}`;
    }

    /** The command that sets one of the profile's settings, naming the stack (or the script's flag). */
    private fix(name: string, value: number): string {
        return this.fixes.set(this.key(name), String(value));
    }

    /** One logical request: limited, timed out, retried as `mayRetry` allows, all within the
     * operation's deadline. */
    async send<T>(method: Method, path: string, payload?: unknown): Promise<T | undefined> {
        // Refused here, before the limiter: a missing or unusable key never becomes a "network error".
        const key = this.requireKey();
        const policy = this.retry;
        const url = `${this.baseUrl}${path}`;
        const deadline = Date.now() + this.operationTimeoutMs;
        // An earlier attempt of this write got no usable answer and may have been applied.
        let earlierMaybeApplied = false;
        let lastFailure = "";
        const outOfTime = (attempts: number, detail?: string) =>
            this.profile.error({
                method,
                path,
                kind: "deadline",
                detail:
                    `${detail ?? `no answer within ${this.key("operationTimeoutSeconds")} (${this.operationTimeoutMs / 1000} s), retries and time queued included`}` +
                    `${lastFailure ? ` (last: ${lastFailure})` : ""}. Run the command again; if the API is slow, raise the bound: ` +
                    this.fix("operationTimeoutSeconds", Math.ceil((this.operationTimeoutMs * 2) / 1000)),
                maybeApplied: earlierMaybeApplied,
                attempts,
            });

        for (let attempt = 1; ; attempt++) {
            const canRetry = attempt <= policy.maxRetries;
            if (Date.now() >= deadline) throw outOfTime(attempt - 1);
            let answer: Answer;
            let timeoutMs = this.requestTimeoutMs;
            try {
                answer = await this.limiter.run(() => {
                    timeoutMs = Math.max(1, Math.min(this.requestTimeoutMs, deadline - Date.now()));
                    return this.attempt(method, url, payload, key, timeoutMs);
                }, deadline);
            } catch (error) {
                if (error instanceof LimiterDeadlineError) {
                    throw outOfTime(
                        attempt - 1,
                        `no turn to send before ${this.key("operationTimeoutSeconds")} (${this.operationTimeoutMs / 1000} s) passed: ${error.waitingFor}`,
                    );
                }
                if (error instanceof ResponseTooLargeError) {
                    throw this.profile.error({
                        method,
                        path,
                        kind: "too-large",
                        status: error.status,
                        detail:
                            `${error.describe()}, more than ${formatBytes(this.maxResponseBytes)}; the rest was not read. ` +
                            `Check that ${this.key("baseUrl")} is ${this.profile.defaultBaseUrl} (${this.fixes.showBaseUrl()}), or raise the cap: ` +
                            this.fix("maxResponseMegabytes", Math.ceil((this.maxResponseBytes * 4) / 1024 / 1024)),
                        // The server answered: whatever it did with a write, it did.
                        maybeApplied: method !== "GET",
                        attempts: attempt,
                    });
                }
                if (isArgumentError(error)) {
                    // undici refused to build the request: nothing was sent, and a retry would be refused alike.
                    throw this.profile.error({
                        method,
                        path,
                        kind: "not-sent",
                        detail: `${this.redact(describe(error))}. Nothing was sent. ` + this.profile.keyHint,
                        maybeApplied: earlierMaybeApplied,
                        attempts: attempt,
                    });
                }
                const timedOut = isTimeout(error);
                const failure = { neverSent: neverSent(error) };
                const thisMaybeApplied = method !== "GET" && !failure.neverSent;
                lastFailure = timedOut ? "timed out" : errorCode(error);
                if (canRetry && mayRetry(method, failure)) {
                    earlierMaybeApplied ||= thisMaybeApplied;
                    await this.backoff(method, path, lastFailure, attempt, deadline, outOfTime);
                    continue;
                }
                throw this.profile.error({
                    method,
                    path,
                    kind: timedOut ? "timeout" : "network",
                    detail: timedOut ? `no complete answer within ${timeoutMs / 1000} s` : this.redact(describe(error)),
                    maybeApplied: earlierMaybeApplied || thisMaybeApplied,
                    attempts: attempt,
                });
            }

            const body = parseJson(answer.text);
            if (answer.status >= 200 && answer.status < 300) {
                if (answer.status === 204 || answer.text.trim() === "") return undefined;
                if (body !== undefined) return body as T;
                lastFailure = "malformed body";
                if (canRetry && mayRetry(method, {})) {
                    earlierMaybeApplied ||= method !== "GET";
                    await this.backoff(method, path, lastFailure, attempt, deadline, outOfTime);
                    continue;
                }
                throw this.profile.error({
                    method,
                    path,
                    kind: "malformed",
                    status: answer.status,
                    maybeApplied: method !== "GET",
                    attempts: attempt,
                });
            }

            // Every string the API sends back is scrubbed: a proxy or the API may echo the key anywhere.
            const clean = (text: unknown) => (typeof text === "string" ? this.redact(text) : undefined);
            const envelope = this.profile.envelope(body, clean);
            if (canRetry && isRetryableStatus(answer.status) && mayRetry(method, { status: answer.status })) {
                lastFailure = String(answer.status);
                if (answer.status === 429) {
                    const wait = rateLimitWaitMs(answer.retryAfter, body, backoffMs(policy, attempt - 1));
                    const seconds = Math.ceil(wait / 1000);
                    if (wait > this.maxRetryWaitMs) {
                        // Sitting it out would park every operation of the process (the pause is shared).
                        throw this.profile.error({
                            method,
                            path,
                            kind: "http",
                            status: 429,
                            requestId: envelope.requestId,
                            detail:
                                `the API asked to wait ${seconds} s before retrying, more than ${this.key("maxRetryWaitSeconds")} (${this.maxRetryWaitMs / 1000} s), ` +
                                "so it was not retried. Run the command again after that time, or let the provider wait that long: " +
                                this.fix("maxRetryWaitSeconds", seconds),
                            maybeApplied: earlierMaybeApplied,
                            attempts: attempt,
                        });
                    }
                    if (Date.now() + wait > deadline) {
                        throw outOfTime(
                            attempt,
                            `the API asked to wait ${seconds} s, past ${this.key("operationTimeoutSeconds")} (${this.operationTimeoutMs / 1000} s)`,
                        );
                    }
                    // Everyone in the process waits: the limit is per key, not per request.
                    const jitter = Math.max(0, Math.min(Math.floor(Math.random() * 250), this.maxRetryWaitMs - wait));
                    this.limiter.pauseUntil(Date.now() + wait + jitter);
                    this.log(
                        `${this.profile.service}: ${method} ${path} 429 rate limited, retry ${attempt}/${policy.maxRetries} in ${wait}ms`,
                    );
                } else {
                    earlierMaybeApplied ||= method !== "GET" && answer.status >= 500;
                    await this.backoff(method, path, lastFailure, attempt, deadline, outOfTime);
                }
                continue;
            }
            throw this.profile.error({
                method,
                path,
                url,
                kind: "http",
                status: answer.status,
                errorType: envelope.errorType,
                location: clean(answer.location),
                requestId: envelope.requestId,
                errors: envelope.errors,
                detail: body === undefined && answer.text ? this.redact(answer.text.slice(0, 200)) : undefined,
                // A 5xx (often a gateway's) can follow a write the server did apply.
                maybeApplied: earlierMaybeApplied || (method !== "GET" && answer.status >= 500),
                attempts: attempt,
            });
        }
    }

    private async attempt(method: Method, url: string, payload: unknown, key: string, timeoutMs: number): Promise<Answer> {
        const signal = AbortSignal.timeout(timeoutMs);
        const res = await request(url, {
            method,
            dispatcher: this.agent,
            signal,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
            headers: {
                ...this.profile.authHeaders(key),
                accept: "application/json",
                "user-agent": "alert-routing-pulumi",
                ...(payload === undefined ? {} : { "content-type": "application/json" }),
            },
            body: payload === undefined ? undefined : JSON.stringify(payload),
        });
        const text = await readCapped(res, this.maxResponseBytes);
        return { status: res.statusCode, retryAfter: header(res.headers["retry-after"]), location: header(res.headers.location), text };
    }

    private async backoff(
        method: Method,
        path: string,
        reason: string,
        attempt: number,
        deadline: number,
        outOfTime: (attempts: number, detail?: string) => Error,
    ): Promise<void> {
        const wait = backoffMs(this.retry, attempt - 1);
        if (Date.now() + wait >= deadline) throw outOfTime(attempt);
        this.log(`${this.profile.service}: ${method} ${path} ${reason}, retry ${attempt}/${this.retry.maxRetries} in ${wait}ms`);
        await sleep(wait);
    }

    /** The key, trimmed; refuses a missing key or one with a control character, naming the fix. */
    private requireKey(): string {
        return this.profile.requireKey(this.apiKey());
    }

    /** Every form of the key an answer could echo (as configured, trimmed, URL-encoded, JSON-escaped),
     * and every secret the caller registered (a webhook's bearer token). */
    redact(text: string): string {
        let raw: string | undefined;
        try {
            raw = this.apiKey();
        } catch {
            raw = undefined;
        }
        return redact(text, [...secretForms(raw), ...this.secrets()]);
    }
}

function parseJson(text: string): unknown {
    try {
        return text.trim() === "" ? undefined : JSON.parse(text);
    } catch {
        return undefined;
    }
}

function isTimeout(error: unknown): boolean {
    for (const e of causeChain(error)) {
        if (e.name === "TimeoutError" || e.name === "AbortError") return true;
        if (e.code === "UND_ERR_HEADERS_TIMEOUT" || e.code === "UND_ERR_BODY_TIMEOUT") return true;
    }
    return false;
}

function errorCode(error: unknown): string {
    for (const e of causeChain(error)) if (typeof e.code === "string") return e.code;
    return "network error";
}

function describe(error: unknown): string {
    const parts: string[] = [];
    for (const e of causeChain(error)) {
        if (parts.length >= 3) break;
        if (e.message) parts.push(e.code ? `${String(e.message)} (${String(e.code)})` : String(e.message));
    }
    return parts.join(": ") || String(error);
}

function header(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value[0] : value;
}

/** An answer longer than the cap: raised while reading, after which the body is dropped unread. */
export class ResponseTooLargeError extends Error {
    constructor(
        readonly status: number,
        readonly bytes: { declared?: number; read: number },
    ) {
        super("answer over the size cap");
    }

    describe(): string {
        return this.bytes.declared !== undefined
            ? `the answer (${this.status}) declares ${formatBytes(this.bytes.declared)}`
            : `the answer (${this.status}) ran past ${formatBytes(this.bytes.read)}`;
    }
}

interface StreamedAnswer {
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: AsyncIterable<Buffer> & { destroy(): unknown };
}

/** The body as text, never holding more than `cap` bytes: a declared length over the cap is refused
 * before reading, and a longer stream is cut as soon as it passes the cap. */
async function readCapped(res: StreamedAnswer, cap: number): Promise<string> {
    const declared = Number(header(res.headers["content-length"]));
    if (Number.isFinite(declared) && declared > cap) {
        res.body.destroy();
        throw new ResponseTooLargeError(res.statusCode, { declared, read: 0 });
    }
    const chunks: Buffer[] = [];
    let read = 0;
    for await (const chunk of res.body) {
        read += chunk.length;
        if (read > cap) {
            res.body.destroy();
            throw new ResponseTooLargeError(res.statusCode, { read });
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
}

function formatBytes(bytes: number): string {
    const mb = 1024 * 1024;
    return bytes >= mb ? `${+(bytes / mb).toFixed(1)} MB` : bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}
