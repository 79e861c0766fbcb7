import { Agent, request } from "undici";
import type { AlertRouteResponse, AlertRouteSpec, AlertSourceResponse } from "../types";
import { IncidentIoApiError, redact, type ApiErrorDetail } from "./errors";
import { RequestLimiter, sleep } from "./limiter";
import { backoffMs, DEFAULT_RETRY_POLICY, isRetryableStatus, mayRetry, neverSent, retryAfterMs, type Method, type RetryPolicy } from "./retry";

export interface IncidentIoClientOptions {
    /** default https://api.incident.io */
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
    /** Where retries are reported; default stderr. Lines never contain the key. */
    log?: (line: string) => void;
}

export const DEFAULT_BASE_URL = "https://api.incident.io";

/** A thin client for the parts of incident.io's API this project manages. */
export class IncidentIoClient {
    private readonly baseUrl: string;
    private readonly apiKey: () => string;
    private readonly limiter: RequestLimiter;
    private readonly retry: RetryPolicy;
    private readonly requestTimeoutMs: number;
    private readonly agent: Agent;
    private readonly log: (line: string) => void;

    constructor(opts: IncidentIoClientOptions) {
        this.baseUrl = (opts.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
        const key = opts.apiKey;
        this.apiKey = typeof key === "function" ? key : () => key;
        this.limiter = opts.limiter ?? processLimiter();
        this.retry = opts.retry ?? DEFAULT_RETRY_POLICY;
        this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
        this.agent = new Agent({ connect: { timeout: opts.connectTimeoutMs ?? 10_000 }, keepAliveTimeout: 10_000 });
        this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    }

    async getAlertRoute(id: string): Promise<AlertRouteResponse> {
        const body = await this.send<{ alert_route: AlertRouteResponse }>("GET", `/v2/alert_routes/${encodeURIComponent(id)}`);
        return expectRoute(body, "GET", id);
    }

    async createAlertRoute(spec: AlertRouteSpec): Promise<AlertRouteResponse> {
        const body = await this.send<{ alert_route: AlertRouteResponse }>("POST", "/v2/alert_routes", spec);
        return expectRoute(body, "POST");
    }

    /** `version` must be the route's current version + 1. */
    async updateAlertRoute(id: string, spec: AlertRouteSpec, version: number): Promise<AlertRouteResponse> {
        const body = await this.send<{ alert_route: AlertRouteResponse }>("PUT", `/v2/alert_routes/${encodeURIComponent(id)}`, { ...spec, version });
        return expectRoute(body, "PUT", id);
    }

    async deleteAlertRoute(id: string): Promise<void> {
        await this.send("DELETE", `/v2/alert_routes/${encodeURIComponent(id)}`);
    }

    /** Every route, slim (`id, name, enabled`), following the pagination (at most 50 a page, per the spec). */
    async listAlertRoutes(onPage?: (listed: number) => void): Promise<Array<{ id: string; name: string; enabled: boolean }>> {
        return this.listAll("/v2/alert_routes", "alert_routes", 50, onPage);
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
     * A whole list: with `pageSize`, follows `pagination_meta.after` (the last id of the page) until
     * a page comes without it. Every page is checked: a list without its array, an item without an
     * id or name, or a cursor that does not move is an error, never a silently short list.
     */
    private async listAll<T extends { id: string; name: string }>(path: string, field: string, pageSize?: number, onPage?: (listed: number) => void): Promise<T[]> {
        const items: T[] = [];
        let after: string | undefined;
        for (;;) {
            const query = pageSize ? `?page_size=${pageSize}${after ? `&after=${encodeURIComponent(after)}` : ""}` : "";
            const page = await this.send<Record<string, unknown>>("GET", `${path}${query}`);
            const list = page?.[field];
            const bad = !Array.isArray(list) ? `no ${field} array` : list.find((item) => typeof item?.id !== "string" || typeof item?.name !== "string") ? `an entry of ${field} without an id or a name` : undefined;
            if (bad) throw new IncidentIoApiError({ method: "GET", path, kind: "malformed", detail: `the answer has ${bad}` });
            items.push(...(list as T[]));
            onPage?.(items.length);
            const next = pageSize && (list as T[]).length > 0 ? (page?.pagination_meta as { after?: unknown } | undefined)?.after : undefined;
            if (next === undefined || next === null || next === "") return items;
            if (typeof next !== "string" || next === after) {
                throw new IncidentIoApiError({ method: "GET", path, kind: "malformed", detail: `pagination_meta.after ${JSON.stringify(next)} does not move past the previous page` });
            }
            after = next;
        }
    }

    /** Marks a resource as managed by code, so the dashboard shows it read-only. */
    async claimManaged(resourceType: "alert_route", resourceId: string, annotations: Record<string, string>): Promise<void> {
        await this.send("POST", "/v2/managed_resources", { resource_type: resourceType, resource_id: resourceId, annotations });
    }

    async getAlertSource(id: string): Promise<AlertSourceResponse> {
        const body = await this.send<{ alert_source: AlertSourceResponse }>("GET", `/v2/alert_sources/${encodeURIComponent(id)}`);
        if (!body?.alert_source?.id) throw new IncidentIoApiError({ method: "GET", path: `/v2/alert_sources/${id}`, kind: "malformed" });
        return body.alert_source;
    }

    /** One logical request: limited, timed out, retried as `mayRetry` allows. */
    private async send<T>(method: Method, path: string, payload?: unknown): Promise<T | undefined> {
        const policy = this.retry;
        for (let attempt = 1; ; attempt++) {
            const canRetry = attempt <= policy.maxRetries;
            let answer: { status: number; retryAfter?: string; text: string };
            try {
                answer = await this.limiter.run(() => this.attempt(method, path, payload));
            } catch (error) {
                const timedOut = isTimeout(error);
                const failure = { neverSent: neverSent(error) };
                if (canRetry && mayRetry(method, failure)) {
                    await this.backoff(method, path, timedOut ? "timed out" : errorCode(error), attempt);
                    continue;
                }
                throw new IncidentIoApiError({
                    method,
                    path,
                    kind: timedOut ? "timeout" : "network",
                    detail: timedOut ? `no complete answer within ${this.requestTimeoutMs / 1000} s` : this.redact(describe(error)),
                    maybeApplied: method !== "GET" && !failure.neverSent,
                    attempts: attempt,
                });
            }

            const body = parseJson(answer.text);
            if (answer.status >= 200 && answer.status < 300) {
                if (answer.status === 204 || answer.text.trim() === "") return undefined;
                if (body !== undefined) return body as T;
                if (canRetry && mayRetry(method, {})) {
                    await this.backoff(method, path, "malformed body", attempt);
                    continue;
                }
                throw new IncidentIoApiError({ method, path, kind: "malformed", status: answer.status, maybeApplied: method !== "GET", attempts: attempt });
            }

            const envelope = (body ?? {}) as { request_id?: string; errors?: ApiErrorDetail[] };
            if (canRetry && isRetryableStatus(answer.status) && mayRetry(method, { status: answer.status })) {
                if (answer.status === 429) {
                    // Everyone in the process waits: the limit is per key, not per request.
                    const wait = retryAfterMs(answer.retryAfter, body) ?? backoffMs(policy, attempt - 1);
                    this.limiter.pauseUntil(Date.now() + wait + Math.floor(Math.random() * 250));
                    this.log(`incident.io: ${method} ${path} 429 rate limited, retry ${attempt}/${policy.maxRetries} in ${wait}ms`);
                } else {
                    await this.backoff(method, path, String(answer.status), attempt);
                }
                continue;
            }
            // Every string the API sends back is scrubbed: a proxy or the API may echo the key anywhere.
            const clean = (text: unknown) => (typeof text === "string" ? this.redact(text) : undefined);
            throw new IncidentIoApiError({
                method,
                path,
                kind: "http",
                status: answer.status,
                requestId: clean(envelope.request_id),
                errors: (envelope.errors ?? []).map((e) => ({
                    code: clean(e.code),
                    message: clean(e.message),
                    ...(e.source ? { source: { field: clean(e.source.field) } } : {}),
                })),
                detail: body === undefined && answer.text ? this.redact(answer.text.slice(0, 200)) : undefined,
                // A 5xx (often a gateway's) can follow a write the server did apply.
                maybeApplied: method !== "GET" && answer.status >= 500,
                attempts: attempt,
            });
        }
    }

    private async attempt(method: Method, path: string, payload: unknown): Promise<{ status: number; retryAfter?: string; text: string }> {
        const signal = AbortSignal.timeout(this.requestTimeoutMs);
        const res = await request(`${this.baseUrl}${path}`, {
            method,
            dispatcher: this.agent,
            signal,
            headersTimeout: this.requestTimeoutMs,
            bodyTimeout: this.requestTimeoutMs,
            headers: {
                authorization: `Bearer ${this.requireKey()}`,
                accept: "application/json",
                "user-agent": "alert-routing-pulumi",
                ...(payload === undefined ? {} : { "content-type": "application/json" }),
            },
            body: payload === undefined ? undefined : JSON.stringify(payload),
        });
        const text = await res.body.text();
        const retryAfter = res.headers["retry-after"];
        return { status: res.statusCode, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, text };
    }

    private async backoff(method: Method, path: string, reason: string, attempt: number): Promise<void> {
        const wait = backoffMs(this.retry, attempt - 1);
        this.log(`incident.io: ${method} ${path} ${reason}, retry ${attempt}/${this.retry.maxRetries} in ${wait}ms`);
        await sleep(wait);
    }

    private requireKey(): string {
        const key = this.apiKey();
        if (!key) throw new Error(MISSING_KEY_MESSAGE);
        return key;
    }

    private redact(text: string): string {
        return redact(text, [this.apiKey()]);
    }
}

export const MISSING_KEY_MESSAGE =
    "incident.io API key is not set: run `pulumi config set --secret incident-io:apiKey <key>` " +
    "(or export INCIDENT_IO_TOKEN) with a key that has the scopes \"View data\" and \"Create and manage on-call resources\".";

let shared: { limiter: RequestLimiter; key: string } | undefined;

/** The limiter every client in this process shares unless given its own; replaced only when the
 * limits change (a host may configure the provider more than once). */
export function processLimiter(opts: { requestsPerMinute: number; maxConcurrency: number } = { requestsPerMinute: 1200, maxConcurrency: 8 }): RequestLimiter {
    const key = `${opts.requestsPerMinute}/${opts.maxConcurrency}`;
    if (shared?.key !== key) shared = { limiter: new RequestLimiter(opts), key };
    return shared.limiter;
}

function expectRoute(body: { alert_route: AlertRouteResponse } | undefined, method: string, id?: string): AlertRouteResponse {
    const route = body?.alert_route;
    if (!route || typeof route.id !== "string" || typeof route.version !== "number") {
        throw new IncidentIoApiError({
            method,
            path: `/v2/alert_routes${id ? `/${id}` : ""}`,
            kind: "malformed",
            detail: "the answer has no alert_route with an id and a version",
            maybeApplied: method !== "GET",
        });
    }
    return route;
}

function parseJson(text: string): unknown {
    try {
        return text.trim() === "" ? undefined : JSON.parse(text);
    } catch {
        return undefined;
    }
}

function isTimeout(error: unknown): boolean {
    for (let e: any = error; e; e = e.cause) {
        if (e.name === "TimeoutError" || e.name === "AbortError") return true;
        if (e.code === "UND_ERR_HEADERS_TIMEOUT" || e.code === "UND_ERR_BODY_TIMEOUT") return true;
    }
    return false;
}

function errorCode(error: unknown): string {
    for (let e: any = error; e; e = e.cause) if (typeof e.code === "string") return e.code;
    return "network error";
}

function describe(error: unknown): string {
    const parts: string[] = [];
    for (let e: any = error; e && parts.length < 3; e = e.cause) {
        if (e.message) parts.push(e.code ? `${e.message} (${e.code})` : e.message);
    }
    return parts.join(": ") || String(error);
}
