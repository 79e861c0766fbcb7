// What a handler answers with, and incident.io's error envelope, as its API reference documents it
// (docs.incident.io/api-reference/introduction, "Errors" and "Rate limits"):
//   { type, status, request_id, errors: [{ code, message, source?: { field } }] }
//   429: the same, type and code "too_many_requests", plus rate_limit { name, limit, remaining, retry_after }
import { newRequestId } from "./ids";

export interface Reply {
    status: number;
    /** JSON-encoded unless `raw` is given; omitted for 204. */
    body?: unknown;
    /** Sent verbatim instead of `body` (used for malformed responses). */
    raw?: string;
    headers?: Record<string, string>;
}

export interface ApiError {
    code: string;
    message: string;
    source?: { field: string };
}

export interface ErrorEnvelope {
    type: string;
    status: number;
    request_id: string;
    errors: ApiError[];
    [extra: string]: unknown;
}

/** The documented default: 1,200 requests a minute per API key. */
export const DEFAULT_RATE_LIMIT = 1200;

export function json(status: number, body: unknown): Reply {
    return { status, body };
}

export function envelope(status: number, type: string, errors: ApiError[], extra: Record<string, unknown> = {}): ErrorEnvelope {
    return { type, status, request_id: newRequestId(), ...extra, errors };
}

export function errorReply(status: number, type: string, code: string, message: string, field?: string): Reply {
    const error: ApiError = { code, message };
    if (field !== undefined && field !== "") error.source = { field };
    return json(status, envelope(status, type, [error]));
}

export function notFound(message = "Not found"): Reply {
    return errorReply(404, "not_found", "not_found", message);
}

export function validationFailed(errors: ApiError[]): Reply {
    return json(422, envelope(422, "validation_error", errors));
}

/** A plausible envelope for an arbitrary status (used by injected 'status' faults). */
export function defaultErrorFor(status: number): ErrorEnvelope {
    const [type, code, message] = DEFAULTS[status] ?? [
        status >= 500 ? "internal_error" : "bad_request",
        status >= 500 ? "internal_error" : "bad_request",
        `Request failed with status ${status}`,
    ];
    return envelope(status, type, [{ code, message }]);
}

const DEFAULTS: Record<number, [string, string, string]> = {
    400: ["bad_request", "bad_request", "The request could not be understood"],
    401: ["authentication_error", "invalid_authorization_material", "The API key is invalid or has been revoked"],
    403: ["authorization_error", "insufficient_permissions", "The API key does not have the required scopes"],
    404: ["not_found", "not_found", "Not found"],
    409: ["conflict", "conflict", "The resource was modified concurrently"],
    422: ["validation_error", "invalid_value", "The request failed validation"],
    429: ["too_many_requests", "too_many_requests", "Too many requests. We recommend exponential backoff."],
    500: ["internal_error", "internal_error", "Something went wrong"],
    502: ["bad_gateway", "bad_gateway", "Bad gateway"],
    503: ["service_unavailable", "service_unavailable", "Service temporarily unavailable"],
    504: ["gateway_timeout", "gateway_timeout", "Gateway timeout"],
};

/** The name the docs' example gives the key's limit. */
export const RATE_LIMIT_NAME = "api_key_name";

/**
 * The 429 answer, as the API reference's example: envelope plus rate_limit, whose retry_after is an
 * HTTP date written with "UTC" ("Thu, 17 Apr 2025 11:17:18 UTC"). The API also sends a Retry-After
 * header holding that date: incident.io's own client reads it with time.RFC1123
 * (terraform-provider-incident internal/client/client.go attentiveBackoff). `header` picks the form
 * ("seconds" and "none" for the fault matrix: proxies and gateways differ).
 */
export function rateLimited(
    retryAfterSeconds: number,
    header: "seconds" | "http-date" | "none",
    limit = DEFAULT_RATE_LIMIT,
    now = Date.now(),
): Reply {
    // Whole seconds, rounded up: an HTTP date cannot say less, and must not say "earlier than the limit frees".
    const retryAt = new Date(Math.ceil((now + retryAfterSeconds * 1000) / 1000) * 1000).toUTCString().replace(/GMT$/, "UTC");
    const rate_limit = { name: RATE_LIMIT_NAME, limit, remaining: 0, retry_after: retryAt };
    const body = envelope(
        429,
        "too_many_requests",
        [{ code: "too_many_requests", message: "Too many requests. We recommend exponential backoff." }],
        {
            rate_limit,
        },
    );
    const headers: Record<string, string> = {};
    if (header === "seconds") headers["retry-after"] = String(retryAfterSeconds);
    if (header === "http-date") headers["retry-after"] = retryAt;
    return { status: 429, body, headers };
}
