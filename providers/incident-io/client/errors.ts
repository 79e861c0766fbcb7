// Errors from the incident.io API, carrying what an operator needs to act: method, path, status,
// request_id and the API's own messages and fields. Never the API key (see `redact`).
import { configGetCommand } from "../../core/shell";

/** One entry of the API's error envelope `{type, status, request_id, errors: [...]}`. */
export interface ApiErrorDetail {
    code?: string;
    message?: string;
    source?: { field?: string };
}

export type FailureKind =
    | "http" //            the API answered with an error status
    | "network" //         the connection failed or was reset
    | "timeout" //         no complete answer in time
    | "malformed" //       a 2xx whose body is not the JSON we expect, or not the route asked for
    | "not-sent" //        refused before sending (e.g. a header undici will not build): nothing reached the API
    | "too-large" //       an answer over the size cap; the rest was not read
    | "deadline"; //       the operation's deadline passed (retries and time queued included)

const SCOPES_HINT =
    'check the API key: it needs the scopes "View data" and "Create and manage on-call resources" ' +
    "(incident.io → Settings → API keys).";

/** What an API's errors say about it: its name, the hint for a refused key, the `errorType` of its
 * own "not found" answer, and what to say about an answer that did not come from it. */
export interface ServiceWords {
    service: string;
    authHint: string;
    notFoundType: string;
    foreignHint(status: number, location: string | undefined): string;
}

/** incident.io's words; `showBaseUrl` is the command that shows the base URL in use (the stack's
 * `pulumi config get --stack ...`, or a script's flag). */
export function incidentIoWords(showBaseUrl?: string): ServiceWords {
    return {
        service: "incident.io",
        authHint: SCOPES_HINT,
        notFoundType: "not_found",
        foreignHint: (status, location) => foreignHint(status, location, showBaseUrl),
    };
}

export const INCIDENT_IO_WORDS: ServiceWords = incidentIoWords();

export interface ApiErrorArgs {
    method: string;
    path: string;
    kind: FailureKind;
    status?: number;
    requestId?: string;
    errors?: ApiErrorDetail[];
    detail?: string;
    maybeApplied?: boolean;
    attempts?: number;
    url?: string;
    errorType?: string;
    /** Where a redirect pointed (already redacted). */
    location?: string;
}

/** A failed request to an API (incident.io's, Checkly's): what failed, and whether it may have been applied. */
export class ApiError extends Error {
    readonly method: string;
    readonly path: string;
    readonly status?: number;
    readonly requestId?: string;
    readonly errors: ApiErrorDetail[];
    readonly kind: FailureKind;
    /** The full URL asked for. */
    readonly url?: string;
    /** The `type` of the API's error envelope, when the answer carried one (e.g. "not_found"). */
    readonly errorType?: string;
    /** The request may have been applied by the server even though we got no usable answer. */
    readonly maybeApplied: boolean;

    constructor(
        args: ApiErrorArgs,
        readonly words: ServiceWords = INCIDENT_IO_WORDS,
    ) {
        const errors = args.errors ?? [];
        const foreign = args.kind === "http" && isForeignAnswer(args.status, args.errorType, words.notFoundType);
        const what =
            args.kind === "http"
                ? `${args.status}${args.requestId ? ` (request_id ${args.requestId})` : ""}`
                : args.kind === "timeout"
                  ? "timed out"
                  : args.kind === "malformed"
                    ? "answered with a malformed body"
                    : args.kind === "not-sent"
                      ? "was not sent"
                      : args.kind === "too-large"
                        ? "answered with a body over the size cap"
                        : args.kind === "deadline"
                          ? "ran out of time"
                          : "network error";
        const details = errors.map((e) => `${e.source?.field ? `${e.source.field}: ` : ""}${e.message ?? e.code ?? ""}`);
        if (args.detail) details.push(args.detail);
        const hint =
            args.status === 401 || args.status === 403
                ? ` — ${words.authHint}`
                : foreign
                  ? ` — ${words.foreignHint(args.status!, args.location)}`
                  : "";
        const attempts = args.attempts && args.attempts > 1 ? ` after ${args.attempts} attempts` : "";
        // An answer that did not come from the API names the whole URL: the base URL is the suspect.
        const target = foreign && args.url ? args.url : args.path;
        super(`${words.service} ${args.method} ${target} ${what}${attempts}${details.length ? `: ${details.join("; ")}` : ""}${hint}`);
        this.name = "ApiError";
        this.method = args.method;
        this.path = args.path;
        this.kind = args.kind;
        this.status = args.status;
        this.requestId = args.requestId;
        this.errors = errors;
        this.maybeApplied = args.maybeApplied ?? false;
        this.url = args.url;
        this.errorType = args.errorType;
    }

    /** The API itself says the resource does not exist: a 404 carrying its JSON error envelope
     * with its own not-found type (incident.io: `type: "not_found"`). A 404 from anything else (a
     * wrong base URL, a proxy, a gateway's HTML page) is not proof that a route is gone, and
     * neither is a 410 or a redirect. */
    get isNotFound(): boolean {
        return this.status === 404 && this.errorType === this.words.notFoundType;
    }

    /** The API rejected the `version` we sent. It documents no status for this, so any of
     * 409/412/422 whose error names `version` counts. */
    get isVersionRejected(): boolean {
        return (
            (this.status === 409 || this.status === 412 || this.status === 422) &&
            this.errors.some((e) => e.source?.field === "version" || /\bversion\b/i.test(e.message ?? ""))
        );
    }
}

/** The error of an answer that is not trusted (wrong shape, another resource than asked): after a
 * write, the request may still have been applied. */
export function untrustedAnswer(method: string, path: string, detail: string): ApiErrorArgs {
    return { method, path, kind: "malformed", detail, maybeApplied: method !== "GET" };
}

/** incident.io's API failed a request (the route's, a source's, the key check's). */
export class IncidentIoApiError extends ApiError {
    constructor(args: ApiErrorArgs, words: ServiceWords = INCIDENT_IO_WORDS) {
        super(args, words);
        this.name = "IncidentIoApiError";
    }
}

/** A 404 without the API's not_found envelope, a 410 or a redirect: the request did not reach the
 * API's routes as asked (a wrong base URL, a proxy, a gateway). */
export function isForeignAnswer(status: number | undefined, errorType: string | undefined, notFoundType = "not_found"): boolean {
    if (status === undefined) return false;
    return (status === 404 && errorType !== notFoundType) || status === 410 || (status >= 300 && status < 400);
}

function foreignHint(
    status: number,
    location: string | undefined,
    showBaseUrl = configGetCommand(undefined, "incident-io:baseUrl"),
): string {
    const what =
        status >= 300 && status < 400
            ? `a redirect${location ? ` to ${location}` : ""}, which the provider does not follow (the API key would go with it)`
            : status === 410
              ? "410 Gone, which incident.io's API does not answer for a route"
              : "a 404 without incident.io's not_found error, so nothing is taken as deleted";
    return `this is ${what}. The answer was not used. Check that the base URL is https://api.incident.io (\`${showBaseUrl}\`) and any proxy between here and the API.`;
}

/** Removes every occurrence of the given secrets from a text (defence in depth for messages and logs).
 * Longer secrets first, so a padded form of a key is replaced whole before its trimmed form. */
export function redact(text: string, secrets: Array<string | undefined>): string {
    let out = text;
    const ordered = secrets.filter((s): s is string => typeof s === "string").sort((a, b) => b.length - a.length);
    for (const s of ordered) {
        if (s && s.length >= 4) out = out.split(s).join("[redacted]");
    }
    // A token the client never saw, echoed beside its field name (`secret_token: "..."`, `secret_token=...`).
    return out.replace(ECHOED_TOKEN, "$1[redacted]");
}

/** `secret_token` (as a field, JSON-escaped or URL-encoded), a separator (or a space and a quote), then the value. */
const ECHOED_TOKEN = /(secret_token\\?["']?(?:\s*(?::|=|%3A|%3D)\s*\\?["']?|\s+\\?["']))(?!\[redacted\])[^\s"'\\,;&}\]]{4,}/gi;
