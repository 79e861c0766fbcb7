// Errors from the incident.io API, carrying what an operator needs to act: method, path, status,
// request_id and the API's own messages and fields. Never the API key (see `redact`).

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
    | "malformed"; //      a 2xx whose body is not the JSON we expect

const SCOPES_HINT =
    'check the API key: it needs the scopes "View data" and "Create and manage on-call resources" ' +
    "(incident.io → Settings → API keys).";

export class IncidentIoApiError extends Error {
    readonly method: string;
    readonly path: string;
    readonly status?: number;
    readonly requestId?: string;
    readonly errors: ApiErrorDetail[];
    readonly kind: FailureKind;
    /** The request may have been applied by the server even though we got no usable answer. */
    readonly maybeApplied: boolean;

    constructor(args: {
        method: string;
        path: string;
        kind: FailureKind;
        status?: number;
        requestId?: string;
        errors?: ApiErrorDetail[];
        detail?: string;
        maybeApplied?: boolean;
        attempts?: number;
    }) {
        const errors = args.errors ?? [];
        const what =
            args.kind === "http"
                ? `${args.status}${args.requestId ? ` (request_id ${args.requestId})` : ""}`
                : args.kind === "timeout"
                  ? "timed out"
                  : args.kind === "malformed"
                    ? "answered with a malformed body"
                    : "network error";
        const details = errors.map((e) => `${e.source?.field ? `${e.source.field}: ` : ""}${e.message ?? e.code ?? ""}`);
        if (args.detail) details.push(args.detail);
        const hint = args.status === 401 || args.status === 403 ? ` — ${SCOPES_HINT}` : "";
        const attempts = args.attempts && args.attempts > 1 ? ` after ${args.attempts} attempts` : "";
        super(`incident.io ${args.method} ${args.path} ${what}${attempts}${details.length ? `: ${details.join("; ")}` : ""}${hint}`);
        this.name = "IncidentIoApiError";
        this.method = args.method;
        this.path = args.path;
        this.kind = args.kind;
        this.status = args.status;
        this.requestId = args.requestId;
        this.errors = errors;
        this.maybeApplied = args.maybeApplied ?? false;
    }

    get isNotFound(): boolean {
        return this.status === 404;
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

/** Removes every occurrence of the given secrets from a text (defence in depth for messages and logs). */
export function redact(text: string, secrets: Array<string | undefined>): string {
    let out = text;
    for (const s of secrets) {
        if (s && s.length >= 4) out = out.split(s).join("[redacted]");
    }
    return out;
}
