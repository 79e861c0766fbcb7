import { EnvHttpProxyAgent, request } from "undici";
import { identityFromResponse, type KeyIdentity } from "../identity";
import type {
    AlertAttributeResponse,
    AlertAttributeSpec,
    AlertRouteResponse,
    AlertRouteSpec,
    AlertSourceResponse,
    AlertSourceSpec,
} from "../types";
import { cleanApiKey, MISSING_KEY_MESSAGE, secretForms } from "./apiKey";
import { DEFAULT_BASE_URL, parseBaseUrl } from "./baseUrl";
import { IncidentIoApiError, redact, type ApiErrorDetail } from "./errors";
import { LimiterDeadlineError, RequestLimiter, sleep } from "./limiter";
import {
    backoffMs,
    causeChain,
    DEFAULT_RETRY_POLICY,
    isArgumentError,
    isRetryableStatus,
    mayRetry,
    neverSent,
    rateLimitWaitMs,
    type Method,
    type RetryPolicy,
} from "./retry";

export { DEFAULT_BASE_URL } from "./baseUrl";
export { MISSING_KEY_MESSAGE } from "./apiKey";

export interface IncidentIoClientOptions {
    /** default https://api.incident.io; parsed by `parseBaseUrl` */
    baseUrl?: string;
    /** The bearer API key, or a function read at call time (so callers never need to hold it). */
    apiKey: string | (() => string);
    /** Shared by every client of the process by default. */
    limiter?: RequestLimiter;
    retry?: RetryPolicy;
    /** default 10 s */
    connectTimeoutMs?: number;
    /** Per attempt, from sending to the last byte of the answer. default 30 s */
    requestTimeoutMs?: number;
    /** The longest server-requested wait (429 Retry-After) the client sits out. default 60 s */
    maxRetryWaitMs?: number;
    /** One request's whole life: its attempts, waits and time queued in the limiter. default 5 min */
    operationTimeoutMs?: number;
    /** Answers longer than this are an error, and are not read further. default 10 MB */
    maxResponseBytes?: number;
    /** Pages a listing follows before it stops with an error. default 200 (10,000 routes) */
    maxPages?: number;
    /** Where retries are reported; default stderr. Lines never contain the key. */
    log?: (line: string) => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** The API allows 1200 requests a minute per key; 8 in flight keeps a stack of routes quick without bursts. */
export const DEFAULT_LIMITS = { requestsPerMinute: 1200, maxConcurrency: 8 } as const;
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
export const DEFAULT_OPERATION_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_PAGES = 200;
const PAGE_SIZE = 50; // the API's maximum for GET /v2/alert_routes (openapi: page_size maximum 50)

interface Answer {
    status: number;
    retryAfter?: string;
    location?: string;
    text: string;
}

/** A thin client for the parts of incident.io's API this project manages. */
export class IncidentIoClient {
    private readonly baseUrl: string;
    private readonly apiKey: () => string;
    private readonly limiter: RequestLimiter;
    private readonly retry: RetryPolicy;
    private readonly requestTimeoutMs: number;
    private readonly maxRetryWaitMs: number;
    private readonly operationTimeoutMs: number;
    private readonly maxResponseBytes: number;
    private readonly maxPages: number;
    private readonly agent: EnvHttpProxyAgent;
    private readonly log: (line: string) => void;

    constructor(opts: IncidentIoClientOptions) {
        this.baseUrl = parseBaseUrl(opts.baseUrl ?? DEFAULT_BASE_URL);
        const key = opts.apiKey;
        this.apiKey = typeof key === "function" ? key : () => key;
        this.limiter = opts.limiter ?? processLimiter();
        this.retry = opts.retry ?? DEFAULT_RETRY_POLICY;
        this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
        this.maxRetryWaitMs = opts.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
        this.operationTimeoutMs = opts.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
        this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
        this.maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
        // Proxies like every other CLI: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and lowercase), read by
        // undici's EnvHttpProxyAgent, which gives the direct and the proxied agents the same options.
        this.agent = new EnvHttpProxyAgent({ connect: { timeout: opts.connectTimeoutMs ?? 10_000 }, keepAliveTimeout: 10_000 });
        this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    }

    async getAlertRoute(id: string): Promise<AlertRouteResponse> {
        const body = await this.send<{ alert_route: AlertRouteResponse }>("GET", `/v2/alert_routes/${encodeURIComponent(id)}`);
        return this.expectRoute(body, "GET", { id });
    }

    async createAlertRoute(spec: AlertRouteSpec): Promise<AlertRouteResponse> {
        const body = await this.send<{ alert_route: AlertRouteResponse }>("POST", "/v2/alert_routes", spec);
        return this.expectRoute(body, "POST", {});
    }

    /** `version` must be the route's current version + 1. The answer must be that route at that
     * version; any other is reported as possibly applied, so the caller reads the route back. */
    async updateAlertRoute(id: string, spec: AlertRouteSpec, version: number): Promise<AlertRouteResponse> {
        const body = await this.send<{ alert_route: AlertRouteResponse }>("PUT", `/v2/alert_routes/${encodeURIComponent(id)}`, {
            ...spec,
            version,
        });
        return this.expectRoute(body, "PUT", { id, version });
    }

    async deleteAlertRoute(id: string): Promise<void> {
        await this.send("DELETE", `/v2/alert_routes/${encodeURIComponent(id)}`);
    }

    /** Every route, slim (`id, name, enabled`), following the pagination (at most 50 a page, per the spec). */
    async listAlertRoutes(onPage?: (listed: number) => void): Promise<Array<{ id: string; name: string; enabled: boolean }>> {
        return this.listAll("/v2/alert_routes", "alert_routes", PAGE_SIZE, onPage);
    }

    /** Every alert source. The endpoint takes no pagination parameters. Holds tokens: keep only what you need. */
    async listAlertSources(): Promise<AlertSourceResponse[]> {
        return this.listAll("/v2/alert_sources", "alert_sources");
    }

    /** Every alert attribute. The endpoint takes no pagination parameters. */
    async listAlertAttributes(): Promise<Array<{ id: string; name: string; type: string }>> {
        return this.listAll("/v2/alert_attributes", "alert_attributes");
    }

    /** Every escalation path (at most 25 a page, per the spec). */
    async listEscalationPaths(): Promise<Array<{ id: string; name: string }>> {
        return this.listAll("/v2/escalation_paths", "escalation_paths", 25);
    }

    /**
     * A whole list: with `pageSize`, follows `pagination_meta.after` until a page comes without it.
     * Every page is checked: a list without its array or an item without an id or name is an error,
     * never a silently short list; a cursor that comes back a second time, or more than `maxPages`
     * pages, stops the listing rather than looping.
     */
    private async listAll<T extends { id: string; name: string }>(
        path: string,
        field: string,
        pageSize?: number,
        onPage?: (listed: number) => void,
    ): Promise<T[]> {
        const items: T[] = [];
        const seen = new Set<string>();
        let after: string | undefined;
        for (let page = 1; ; page++) {
            const query = pageSize ? `?page_size=${pageSize}${after ? `&after=${encodeURIComponent(after)}` : ""}` : "";
            const body = await this.send<Record<string, unknown>>("GET", `${path}${query}`);
            const stop = (detail: string) => new IncidentIoApiError({ method: "GET", path, kind: "malformed", detail });
            const list = body?.[field];
            if (!Array.isArray(list)) throw stop(`the answer has no ${field} array`);
            if (list.some((item) => typeof item?.id !== "string" || typeof item?.name !== "string"))
                throw stop(`the answer has an entry of ${field} without an id or a name`);
            items.push(...(list as T[]));
            onPage?.(items.length);
            const next = pageSize && list.length > 0 ? (body?.pagination_meta as { after?: unknown } | undefined)?.after : undefined;
            if (next === undefined || next === null || next === "") return items;
            const stopped = `listing stopped after ${page} pages (${items.length} entries read)`;
            if (typeof next !== "string")
                throw stop(`the pagination cursor ${this.redact(JSON.stringify(next))} is not a string; ${stopped}`);
            if (seen.has(next))
                throw stop(`the pagination cursor ${this.redact(JSON.stringify(next))} came back a second time; ${stopped}`);
            if (page >= this.maxPages) throw stop(`more than ${this.maxPages} pages of ${pageSize}; ${stopped}`);
            seen.add(next);
            after = next;
        }
    }

    /** Marks a resource as managed by code, so the dashboard shows it read-only. */
    async claimManaged(
        resourceType: "alert_route" | "alert_source",
        resourceId: string,
        annotations: Record<string, string>,
    ): Promise<void> {
        await this.send("POST", "/v2/managed_resources", { resource_type: resourceType, resource_id: resourceId, annotations });
    }

    /** What the key may do (GET /v1/identity), checked before it is trusted. */
    async getIdentity(): Promise<KeyIdentity> {
        const body = await this.send<unknown>("GET", "/v1/identity");
        try {
            return identityFromResponse(body);
        } catch (error) {
            throw new IncidentIoApiError({ method: "GET", path: "/v1/identity", kind: "malformed", detail: (error as Error).message });
        }
    }

    async getAlertSource(id: string): Promise<AlertSourceResponse> {
        const body = await this.send<{ alert_source: AlertSourceResponse }>("GET", `/v2/alert_sources/${encodeURIComponent(id)}`);
        return this.expectOne(body, "alert_source", "GET", `/v2/alert_sources/${id}`, id);
    }

    /** Answers 200 (openapi: Alert Sources V2#Create), not 201. */
    async createAlertSource(spec: AlertSourceSpec): Promise<AlertSourceResponse> {
        const body = await this.send<{ alert_source: AlertSourceResponse }>("POST", "/v2/alert_sources", spec);
        return this.expectOne(body, "alert_source", "POST", "/v2/alert_sources");
    }

    /** `source_type` is create-only: AlertSourcesUpdatePayloadV2 has no such field, so it is not sent. */
    async updateAlertSource(id: string, spec: AlertSourceSpec): Promise<AlertSourceResponse> {
        const { source_type: _createOnly, ...payload } = spec;
        const body = await this.send<{ alert_source: AlertSourceResponse }>("PUT", `/v2/alert_sources/${encodeURIComponent(id)}`, payload);
        return this.expectOne(body, "alert_source", "PUT", `/v2/alert_sources/${id}`, id);
    }

    async deleteAlertSource(id: string): Promise<void> {
        await this.send("DELETE", `/v2/alert_sources/${encodeURIComponent(id)}`);
    }

    /** POST /v2/alert_sources/actions/validate: 204 when the template is valid; a 422 names what is not. */
    async validateAlertSource(payload: { source_type: string; template: unknown; owning_team_ids?: string[] }): Promise<void> {
        await this.send("POST", "/v2/alert_sources/actions/validate", payload);
    }

    async getAlertAttribute(id: string): Promise<AlertAttributeResponse> {
        const body = await this.send<{ alert_attribute: AlertAttributeResponse }>("GET", `/v2/alert_attributes/${encodeURIComponent(id)}`);
        return this.expectOne(body, "alert_attribute", "GET", `/v2/alert_attributes/${id}`, id);
    }

    async createAlertAttribute(spec: AlertAttributeSpec): Promise<AlertAttributeResponse> {
        const body = await this.send<{ alert_attribute: AlertAttributeResponse }>("POST", "/v2/alert_attributes", spec);
        return this.expectOne(body, "alert_attribute", "POST", "/v2/alert_attributes");
    }

    async updateAlertAttribute(id: string, spec: AlertAttributeSpec): Promise<AlertAttributeResponse> {
        const body = await this.send<{ alert_attribute: AlertAttributeResponse }>(
            "PUT",
            `/v2/alert_attributes/${encodeURIComponent(id)}`,
            spec,
        );
        return this.expectOne(body, "alert_attribute", "PUT", `/v2/alert_attributes/${id}`, id);
    }

    async deleteAlertAttribute(id: string): Promise<void> {
        await this.send("DELETE", `/v2/alert_attributes/${encodeURIComponent(id)}`);
    }

    /** A source or attribute answer is trusted only when it is one, with a name, and the one asked for. */
    private expectOne<K extends string, T extends { id: string; name: string }>(
        body: { [key in K]: T } | undefined,
        field: K,
        method: Method,
        path: string,
        askedId?: string,
    ): T {
        const item = body?.[field];
        if (!item || typeof item.id !== "string" || item.id === "" || typeof item.name !== "string") {
            throw new IncidentIoApiError({
                method,
                path,
                kind: "malformed",
                detail: `the answer has no ${field} with an id and a name`,
                maybeApplied: method !== "GET",
            });
        }
        if (askedId !== undefined && item.id !== askedId) {
            throw new IncidentIoApiError({
                method,
                path,
                kind: "malformed",
                detail: `the answer is ${field} ${this.redact(JSON.stringify(item.id))}, not ${askedId} as asked; it was not trusted`,
                maybeApplied: method !== "GET",
            });
        }
        return item;
    }

    /** One logical request: limited, timed out, retried as `mayRetry` allows, all within the
     * operation's deadline. */
    private async send<T>(method: Method, path: string, payload?: unknown): Promise<T | undefined> {
        // Refused here, before the limiter: a missing or unusable key never becomes a "network error".
        const key = this.requireKey();
        const policy = this.retry;
        const url = `${this.baseUrl}${path}`;
        const deadline = Date.now() + this.operationTimeoutMs;
        // An earlier attempt of this write got no usable answer and may have been applied.
        let earlierMaybeApplied = false;
        let lastFailure = "";
        const outOfTime = (attempts: number, detail?: string) =>
            new IncidentIoApiError({
                method,
                path,
                kind: "deadline",
                detail:
                    `${detail ?? `no answer within incident-io:operationTimeoutSeconds (${this.operationTimeoutMs / 1000} s), retries and time queued included`}` +
                    `${lastFailure ? ` (last: ${lastFailure})` : ""}. Run the command again; if the API is slow, raise the bound: ` +
                    `pulumi config set incident-io:operationTimeoutSeconds ${Math.ceil((this.operationTimeoutMs * 2) / 1000)}`,
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
                        `no turn to send before incident-io:operationTimeoutSeconds (${this.operationTimeoutMs / 1000} s) passed: ${error.waitingFor}`,
                    );
                }
                if (error instanceof ResponseTooLargeError) {
                    throw new IncidentIoApiError({
                        method,
                        path,
                        kind: "too-large",
                        status: error.status,
                        detail:
                            `${error.describe()}, more than ${formatBytes(this.maxResponseBytes)}; the rest was not read. ` +
                            "Check that incident-io:baseUrl is https://api.incident.io, or raise the cap: " +
                            `pulumi config set incident-io:maxResponseMegabytes ${Math.ceil((this.maxResponseBytes * 4) / 1024 / 1024)}`,
                        // The server answered: whatever it did with a write, it did.
                        maybeApplied: method !== "GET",
                        attempts: attempt,
                    });
                }
                if (isArgumentError(error)) {
                    // undici refused to build the request: nothing was sent, and a retry would be refused alike.
                    throw new IncidentIoApiError({
                        method,
                        path,
                        kind: "not-sent",
                        detail:
                            `${this.redact(describe(error))}. Nothing was sent. ` +
                            "Check that incident-io:apiKey (or INCIDENT_IO_TOKEN) holds only the key as incident.io shows it: " +
                            "`pulumi config set --secret incident-io:apiKey <key>`",
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
                throw new IncidentIoApiError({
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
                throw new IncidentIoApiError({
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
            const envelope = (body ?? {}) as { type?: unknown; request_id?: string; errors?: ApiErrorDetail[] };
            if (canRetry && isRetryableStatus(answer.status) && mayRetry(method, { status: answer.status })) {
                lastFailure = String(answer.status);
                if (answer.status === 429) {
                    const wait = rateLimitWaitMs(answer.retryAfter, body, backoffMs(policy, attempt - 1));
                    const seconds = Math.ceil(wait / 1000);
                    if (wait > this.maxRetryWaitMs) {
                        // Sitting it out would park every operation of the process (the pause is shared).
                        throw new IncidentIoApiError({
                            method,
                            path,
                            kind: "http",
                            status: 429,
                            requestId: clean(envelope.request_id),
                            detail:
                                `the API asked to wait ${seconds} s before retrying, more than incident-io:maxRetryWaitSeconds (${this.maxRetryWaitMs / 1000} s), ` +
                                "so it was not retried. Run the command again after that time, or let the provider wait that long: " +
                                `pulumi config set incident-io:maxRetryWaitSeconds ${seconds}`,
                            maybeApplied: earlierMaybeApplied,
                            attempts: attempt,
                        });
                    }
                    if (Date.now() + wait > deadline) {
                        throw outOfTime(
                            attempt,
                            `the API asked to wait ${seconds} s, past incident-io:operationTimeoutSeconds (${this.operationTimeoutMs / 1000} s)`,
                        );
                    }
                    // Everyone in the process waits: the limit is per key, not per request.
                    const jitter = Math.max(0, Math.min(Math.floor(Math.random() * 250), this.maxRetryWaitMs - wait));
                    this.limiter.pauseUntil(Date.now() + wait + jitter);
                    this.log(`incident.io: ${method} ${path} 429 rate limited, retry ${attempt}/${policy.maxRetries} in ${wait}ms`);
                } else {
                    earlierMaybeApplied ||= method !== "GET" && answer.status >= 500;
                    await this.backoff(method, path, lastFailure, attempt, deadline, outOfTime);
                }
                continue;
            }
            throw new IncidentIoApiError({
                method,
                path,
                url,
                kind: "http",
                status: answer.status,
                errorType: clean(envelope.type),
                location: clean(answer.location),
                requestId: clean(envelope.request_id),
                errors: (envelope.errors ?? []).map((e) => ({
                    code: clean(e.code),
                    message: clean(e.message),
                    ...(e.source ? { source: { field: clean(e.source.field) } } : {}),
                })),
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
                authorization: `Bearer ${key}`,
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
        this.log(`incident.io: ${method} ${path} ${reason}, retry ${attempt}/${this.retry.maxRetries} in ${wait}ms`);
        await sleep(wait);
    }

    /** The key, trimmed; refuses a missing key or one with a control character, naming the fix. */
    private requireKey(): string {
        const key = cleanApiKey(this.apiKey(), "the incident.io API key (incident-io:apiKey or INCIDENT_IO_TOKEN)");
        if (!key) throw new Error(MISSING_KEY_MESSAGE);
        return key;
    }

    /** Every form of the key an answer could echo: as configured, trimmed, URL-encoded, JSON-escaped. */
    private redact(text: string): string {
        let raw: string | undefined;
        try {
            raw = this.apiKey();
        } catch {
            raw = undefined;
        }
        return redact(text, secretForms(raw));
    }

    /** A route answer is trusted only when it is the route asked for, at the version sent. */
    private expectRoute(
        body: { alert_route: AlertRouteResponse } | undefined,
        method: Method,
        asked: { id?: string; version?: number },
    ): AlertRouteResponse {
        const route = body?.alert_route;
        const path = `/v2/alert_routes${asked.id ? `/${asked.id}` : ""}`;
        if (!route || typeof route.id !== "string" || route.id === "" || typeof route.version !== "number") {
            throw new IncidentIoApiError({
                method,
                path,
                kind: "malformed",
                detail: "the answer has no alert_route with an id and a version",
                maybeApplied: method !== "GET",
            });
        }
        const wrongId = asked.id !== undefined && route.id !== asked.id;
        const wrongVersion = asked.version !== undefined && route.version !== asked.version;
        if (wrongId || wrongVersion) {
            const sent = `${asked.id}${asked.version !== undefined ? ` at version ${asked.version}` : ""}`;
            throw new IncidentIoApiError({
                method,
                path,
                kind: "malformed",
                detail: `the answer is route ${this.redact(JSON.stringify(route.id))} at version ${route.version}, not ${sent} as asked; it was not trusted`,
                maybeApplied: method !== "GET",
            });
        }
        return route;
    }
}

let shared: { limiter: RequestLimiter; key: string } | undefined;

/** The limiter every client in this process shares unless given its own; replaced only when the
 * limits change (a host may configure the provider more than once). */
export function processLimiter(opts: { requestsPerMinute: number; maxConcurrency: number } = DEFAULT_LIMITS): RequestLimiter {
    const key = `${opts.requestsPerMinute}/${opts.maxConcurrency}`;
    if (shared?.key !== key) shared = { limiter: new RequestLimiter(opts), key };
    return shared.limiter;
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
class ResponseTooLargeError extends Error {
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
