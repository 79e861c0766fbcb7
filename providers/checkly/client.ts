// A thin client for Checkly's alert channels, on the transport the incident.io client uses
// (providers/incident-io/client/transport.ts): the same limiter, retries, deadlines, size cap,
// proxies and redaction. Answers are checked before they become state.
import {
    ApiError,
    ApiTransport,
    cleanApiKey,
    DEFAULT_CONNECT_TIMEOUT_MS,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_RETRY_POLICY,
    parseBaseUrl,
    processLimiter,
    stackSettingFix,
    type ApiErrorArgs,
    type ServiceProfile,
    type ServiceWords,
    untrustedAnswer,
} from "../incident-io";
import { secretValues } from "./model";
import {
    CHECKLY_API_KEY_ENV,
    CHECKLY_CONFIG_KEYS,
    CHECKLY_DEFAULTS,
    CHECKLY_LIMITS,
    CHECKLY_ORIGIN,
    checklyCredentialProblems,
    checklyKeyFix,
    checklyShowBaseUrl,
} from "./settings";
import type { ChecklyAlertChannelResponse, ChecklyAlertChannelSpec } from "./types";

/** Checkly's errors: hapi's envelope `{statusCode, error, message}`; its own not-found is a 404
 * whose body says `statusCode: 404, error: "Not Found"` (checkly-cli commands/__tests__/checks-delete.spec.ts). */
export const CHECKLY_WORDS: ServiceWords = {
    service: "Checkly",
    authHint:
        "check the Checkly API key and account: the key must belong to checkly:accountId (Checkly → User settings → API keys; the account id: Account settings → General).",
    notFoundType: "404 Not Found",
    foreignHint: (status, location) =>
        `this is ${
            status >= 300 && status < 400
                ? `a redirect${location ? ` to ${location}` : ""}, which the provider does not follow (the API key would go with it)`
                : status === 410
                  ? "410 Gone, which Checkly's API does not answer for a channel"
                  : "a 404 without Checkly's error envelope, so nothing is taken as deleted"
        }. The answer was not used. Check that checkly:baseUrl is ${CHECKLY_ORIGIN.defaultUrl} (\`${checklyShowBaseUrl(undefined)}\`) and any proxy between here and the API.`,
};

export class ChecklyApiError extends ApiError {
    constructor(args: ApiErrorArgs) {
        super(args, CHECKLY_WORDS);
        this.name = "ChecklyApiError";
    }
}

export interface ChecklyClientOptions {
    /** default https://api.checklyhq.com; parsed strictly (https, loopback-only http, no path). */
    baseUrl?: string;
    apiKey: () => string | undefined;
    accountId: () => string | undefined;
    /** The stack named in the commands a missing key's message prints. */
    stack?: string;
    retry?: { maxRetries: number };
    requestTimeoutMs?: number;
    maxRetryWaitMs?: number;
    operationTimeoutMs?: number;
    log?: (line: string) => void;
}

/** Pages a listing follows at most (100 channels a page). */
const MAX_PAGES = 100;
const PAGE_SIZE = 100;

export class ChecklyClient {
    private readonly transport: ApiTransport;
    /** Credentials a channel carries (its bearer token): scrubbed from every error, as the key is. */
    private readonly channelSecrets = new Set<string>();

    constructor(opts: ChecklyClientOptions) {
        const accountId = opts.accountId;
        // Every fix command the transport prints names the stack (`<stack>` while unknown).
        const fixes = stackSettingFix(opts.stack);
        const profile: ServiceProfile = {
            service: "Checkly",
            configPrefix: "checkly",
            defaultBaseUrl: CHECKLY_ORIGIN.defaultUrl,
            keyHint: `Check that ${CHECKLY_CONFIG_KEYS.apiKey} (or ${CHECKLY_API_KEY_ENV}) holds only the key as Checkly shows it: ${checklyKeyFix(opts.stack)}`,
            // The key and the account, both before anything is queued or sent (go-sdk addAuthHeaders
            // refuses a user key without an account the same way).
            requireKey(raw) {
                const key = cleanApiKey(
                    raw,
                    `the Checkly API key (${CHECKLY_CONFIG_KEYS.apiKey} or ${CHECKLY_API_KEY_ENV})`,
                    checklyKeyFix(opts.stack),
                    "Checkly",
                );
                const problems = checklyCredentialProblems(key, accountId()?.trim() || undefined, opts.stack);
                if (problems.length > 0) throw new Error(`Checkly: nothing was sent: ${problems.join("; ")}`);
                return key!;
            },
            // Checkly's auth: Bearer key and the account header (go-sdk checkly.go addAuthHeaders).
            authHeaders: (key) => ({ authorization: `Bearer ${key}`, "x-checkly-account": accountId()!.trim() }),
            envelope(body, clean) {
                const b = (body ?? {}) as { statusCode?: unknown; error?: unknown; message?: unknown };
                const ok = typeof b.statusCode === "number" && typeof b.error === "string";
                return {
                    errorType: ok ? `${b.statusCode} ${clean(b.error)}` : undefined,
                    errors: typeof b.message === "string" ? [{ message: clean(b.message) }] : [],
                };
            },
            error: (args) => new ChecklyApiError(args),
        };
        this.transport = new ApiTransport({
            profile,
            baseUrl: parseBaseUrl(opts.baseUrl ?? CHECKLY_ORIGIN.defaultUrl, CHECKLY_CONFIG_KEYS.baseUrl, CHECKLY_ORIGIN, fixes),
            fixes,
            apiKey: () => opts.apiKey() ?? "",
            secrets: () => [...this.channelSecrets],
            limiter: processLimiter(CHECKLY_LIMITS, "checkly"),
            retry: { ...DEFAULT_RETRY_POLICY, maxRetries: opts.retry?.maxRetries ?? CHECKLY_DEFAULTS.maxRetries },
            connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
            requestTimeoutMs: opts.requestTimeoutMs ?? CHECKLY_DEFAULTS.requestTimeoutMs,
            maxRetryWaitMs: opts.maxRetryWaitMs ?? CHECKLY_DEFAULTS.maxRetryWaitMs,
            operationTimeoutMs: opts.operationTimeoutMs ?? CHECKLY_DEFAULTS.operationTimeoutMs,
            maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
            log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
        });
    }

    async getAlertChannel(id: string): Promise<ChecklyAlertChannelResponse> {
        const path = `/v1/alert-channels/${encodeURIComponent(id)}`;
        return this.expectChannel(await this.transport.send("GET", path), "GET", path, id);
    }

    async createAlertChannel(spec: ChecklyAlertChannelSpec): Promise<ChecklyAlertChannelResponse> {
        this.remember(spec);
        return this.expectChannel(await this.transport.send("POST", "/v1/alert-channels", spec), "POST", "/v1/alert-channels");
    }

    /** PUT: the whole channel, subscriptions included (see model.writePayload). */
    async updateAlertChannel(id: string, spec: ChecklyAlertChannelSpec): Promise<ChecklyAlertChannelResponse> {
        this.remember(spec);
        const path = `/v1/alert-channels/${encodeURIComponent(id)}`;
        return this.expectChannel(await this.transport.send("PUT", path, spec), "PUT", path, id);
    }

    async deleteAlertChannel(id: string): Promise<void> {
        await this.transport.send("DELETE", `/v1/alert-channels/${encodeURIComponent(id)}`);
    }

    /** Every channel, page by page (limit 100) until a short page. Holds credentials: keep what you need. */
    async listAlertChannels(): Promise<ChecklyAlertChannelResponse[]> {
        const all: ChecklyAlertChannelResponse[] = [];
        for (let page = 1; page <= MAX_PAGES; page++) {
            const path = `/v1/alert-channels?limit=${PAGE_SIZE}&page=${page}`;
            const body = await this.transport.send<unknown>("GET", path);
            if (!Array.isArray(body))
                throw new ChecklyApiError({ method: "GET", path, kind: "malformed", detail: "the answer is not a list of channels" });
            for (const item of body) all.push(this.checked(item, "GET", path));
            if (body.length < PAGE_SIZE) return all;
        }
        throw new ChecklyApiError({
            method: "GET",
            path: "/v1/alert-channels",
            kind: "malformed",
            detail: `more than ${MAX_PAGES} pages of ${PAGE_SIZE}; listing stopped`,
        });
    }

    private remember(spec: Pick<ChecklyAlertChannelSpec, "config">): void {
        for (const value of secretValues(spec)) this.channelSecrets.add(value);
    }

    /** A channel answer is trusted only when it is a channel, and the one asked for. */
    private expectChannel(body: unknown, method: "GET" | "POST" | "PUT", path: string, id?: string): ChecklyAlertChannelResponse {
        const channel = this.checked(body, method, path);
        if (id !== undefined && String(channel.id) !== id) {
            throw new ChecklyApiError(
                untrustedAnswer(method, path, `the answer is channel ${channel.id}, not ${id} as asked; it was not trusted`),
            );
        }
        return channel;
    }

    private checked(body: unknown, method: "GET" | "POST" | "PUT", path: string): ChecklyAlertChannelResponse {
        const c = body as Partial<ChecklyAlertChannelResponse> | undefined;
        if (
            !c ||
            typeof c !== "object" ||
            !Number.isInteger(c.id) ||
            typeof c.type !== "string" ||
            !c.config ||
            typeof c.config !== "object"
        ) {
            throw new ChecklyApiError(untrustedAnswer(method, path, "the answer has no channel with an id, a type and a config"));
        }
        if (c.subscriptions !== undefined && c.subscriptions !== null && !Array.isArray(c.subscriptions))
            throw new ChecklyApiError(untrustedAnswer(method, path, "the channel's subscriptions are not a list"));
        this.remember({ config: c.config as ChecklyAlertChannelSpec["config"] });
        return c as ChecklyAlertChannelResponse;
    }
}
