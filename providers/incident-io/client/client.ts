import { identityFromResponse, type KeyIdentity } from "../identity";
import type {
    AlertAttributeResponse,
    AlertAttributeSpec,
    AlertRouteResponse,
    AlertRouteSpec,
    AlertSourceResponse,
    AlertSourceSpec,
} from "../types";
import type { AlertRouteV3View } from "../v3";
import { API_KEY_CONFIG, API_KEY_ENV, cleanApiKey, missingKeyMessage, secretForms } from "./apiKey";
import { DEFAULT_BASE_URL, parseBaseUrl } from "./baseUrl";
import { IncidentIoApiError, incidentIoWords, untrustedAnswer, type ApiErrorDetail } from "./errors";
import { RequestLimiter } from "./limiter";
import { DEFAULT_RETRY_POLICY, type Method, type RetryPolicy } from "./retry";
import { stackSettingFix, type SettingFix } from "./settingFix";
import { ApiTransport, type ServiceProfile } from "./transport";

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
    /** How messages say to change a setting: the stack's `pulumi config set --stack ...` (the
     * default, `<stack>` until known), or the scripts' flags. */
    fixes?: SettingFix;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** The API allows 1200 requests a minute per key; 8 in flight keeps a stack of routes quick without bursts. */
export const DEFAULT_LIMITS = { requestsPerMinute: 1200, maxConcurrency: 8 } as const;
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
export const DEFAULT_OPERATION_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_PAGES = 200;
const PAGE_SIZE = 50; // the API's maximum for GET /v2/alert_routes (openapi: page_size maximum 50)

/** incident.io's side of the shared transport: its names, its Bearer key, its error envelope
 * `{type, status, request_id, errors: [{code, message, source: {field}}]}`. `fixes` say how to
 * change a setting: the stack's `pulumi config set --stack ...`, or a script's flags. */
export function incidentIoProfile(fixes: SettingFix = stackSettingFix(undefined)): ServiceProfile {
    const keyFix = fixes.setSecret(API_KEY_CONFIG, API_KEY_ENV);
    const words = incidentIoWords(fixes.showBaseUrl());
    return {
        service: "incident.io",
        configPrefix: "incident-io",
        defaultBaseUrl: DEFAULT_BASE_URL,
        keyHint: `Check that incident-io:apiKey (or INCIDENT_IO_TOKEN) holds only the key as incident.io shows it: ${keyFix}`,
        requireKey(raw) {
            const key = cleanApiKey(raw, "the incident.io API key (incident-io:apiKey or INCIDENT_IO_TOKEN)", keyFix);
            if (!key) throw new Error(missingKeyMessage(keyFix));
            return key;
        },
        authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
        envelope(body, clean) {
            const envelope = (body ?? {}) as { type?: unknown; request_id?: unknown; errors?: ApiErrorDetail[] };
            return {
                errorType: clean(envelope.type),
                requestId: clean(envelope.request_id),
                errors: (Array.isArray(envelope.errors) ? envelope.errors : []).map((e) => ({
                    code: clean(e.code),
                    message: clean(e.message),
                    ...(e.source ? { source: { field: clean(e.source.field) } } : {}),
                })),
            };
        },
        error: (args) => new IncidentIoApiError(args, words),
    };
}

export const INCIDENT_IO_PROFILE: ServiceProfile = incidentIoProfile();

/** A thin client for the parts of incident.io's API this project manages. */
export class IncidentIoClient {
    private readonly transport: ApiTransport;
    private readonly maxPages: number;
    /** Every alert-source token an answer carried: scrubbed from every later error and log line, as
     * the key is (an error that echoes a token must not carry it into a terminal or a backup log). */
    private readonly sourceTokens = new Set<string>();
    /** The API origin (parsed); also the key of per-process caches such as v3 availability. */
    readonly baseUrl: string;

    constructor(opts: IncidentIoClientOptions) {
        const key = opts.apiKey;
        this.baseUrl = parseBaseUrl(opts.baseUrl ?? DEFAULT_BASE_URL, undefined, undefined, opts.fixes);
        this.transport = new ApiTransport({
            profile: opts.fixes ? incidentIoProfile(opts.fixes) : INCIDENT_IO_PROFILE,
            baseUrl: this.baseUrl,
            fixes: opts.fixes,
            apiKey: typeof key === "function" ? key : () => key,
            limiter: opts.limiter ?? processLimiter(),
            retry: opts.retry ?? DEFAULT_RETRY_POLICY,
            connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
            requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
            maxRetryWaitMs: opts.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS,
            operationTimeoutMs: opts.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
            maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
            log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
            secrets: () => [...this.sourceTokens].flatMap(secretForms),
        });
        this.maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
    }

    async getAlertRoute(id: string): Promise<AlertRouteResponse> {
        const body = await this.send<{ alert_route: AlertRouteResponse }>("GET", `/v2/alert_routes/${encodeURIComponent(id)}`);
        return this.expectRoute(body, "GET", { id });
    }

    /** The route's v3 view (/v3/alert_routes/{id}): same id and version, settings v2 cannot express.
     * An organisation not moved to v3 answers 403 `api_not_yet_available` (v3.ts isApiNotYetAvailable). */
    async getAlertRouteV3(id: string): Promise<AlertRouteV3View> {
        const body = await this.send<{ alert_route: AlertRouteV3View }>("GET", `/v3/alert_routes/${encodeURIComponent(id)}`);
        const route = body?.alert_route;
        if (!route || route.id !== id || typeof route.version !== "number") {
            throw new IncidentIoApiError({
                method: "GET",
                path: `/v3/alert_routes/${id}`,
                kind: "malformed",
                detail: "the answer is not the v3 view of the route asked for (an alert_route with its id and a version); it was not trusted",
                maybeApplied: false,
            });
        }
        return route;
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
            throw new IncidentIoApiError(untrustedAnswer(method, path, `the answer has no ${field} with an id and a name`));
        }
        if (askedId !== undefined && item.id !== askedId) {
            throw new IncidentIoApiError(
                untrustedAnswer(
                    method,
                    path,
                    `the answer is ${field} ${this.redact(JSON.stringify(item.id))}, not ${askedId} as asked; it was not trusted`,
                ),
            );
        }
        return item;
    }

    /** One logical request through the shared transport (limited, timed out, retried, redacted). */
    private async send<T>(method: Method, path: string, payload?: unknown): Promise<T | undefined> {
        const body = await this.transport.send<T>(method, path, payload);
        this.rememberTokens(body);
        return body;
    }

    /** Keeps every `secret_token` string an answer holds, at any depth (a source's, or one smuggled elsewhere). */
    private rememberTokens(value: unknown, depth = 0): void {
        if (depth > 64 || !value || typeof value !== "object") return;
        if (Array.isArray(value)) {
            for (const item of value) this.rememberTokens(item, depth + 1);
            return;
        }
        for (const [key, item] of Object.entries(value)) {
            if (key === "secret_token" && typeof item === "string" && item.trim().length >= 4) this.sourceTokens.add(item);
            else this.rememberTokens(item, depth + 1);
        }
    }

    private redact(text: string): string {
        return this.transport.redact(text);
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
            throw new IncidentIoApiError(untrustedAnswer(method, path, "the answer has no alert_route with an id and a version"));
        }
        const wrongId = asked.id !== undefined && route.id !== asked.id;
        const wrongVersion = asked.version !== undefined && route.version !== asked.version;
        if (wrongId || wrongVersion) {
            const sent = `${asked.id}${asked.version !== undefined ? ` at version ${asked.version}` : ""}`;
            throw new IncidentIoApiError(
                untrustedAnswer(
                    method,
                    path,
                    `the answer is route ${this.redact(JSON.stringify(route.id))} at version ${route.version}, not ${sent} as asked; it was not trusted`,
                ),
            );
        }
        return route;
    }
}

const shared = new Map<string, { limiter: RequestLimiter; key: string }>();

/** The limiter every client of one API (`pool`: each API limits its keys on its own) in this
 * process shares unless given its own; replaced only when the limits change (a host may configure
 * the provider more than once). */
export function processLimiter(
    opts: { requestsPerMinute: number; maxConcurrency: number } = DEFAULT_LIMITS,
    pool = "incident.io",
): RequestLimiter {
    const key = `${opts.requestsPerMinute}/${opts.maxConcurrency}`;
    if (shared.get(pool)?.key !== key) shared.set(pool, { limiter: new RequestLimiter(opts), key });
    return shared.get(pool)!.limiter;
}
