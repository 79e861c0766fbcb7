// What a handler answers with, and incident.io's error envelope:
//   { type, status, request_id, errors: [{ code, message, source?: { field } }] }
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
    429: ["rate_limited", "rate_limited", "Too many requests"],
    500: ["internal_error", "internal_error", "Something went wrong"],
    502: ["bad_gateway", "bad_gateway", "Bad gateway"],
    503: ["service_unavailable", "service_unavailable", "Service temporarily unavailable"],
    504: ["gateway_timeout", "gateway_timeout", "Gateway timeout"],
};

/** The 429 answer: envelope plus rate_limit.retry_after (HTTP date). */
export function rateLimited(retryAfterSeconds: number, header: "seconds" | "http-date" | "none", limit?: number, now = Date.now()): Reply {
    const retryAt = new Date(now + retryAfterSeconds * 1000).toUTCString();
    const rate_limit: Record<string, unknown> = { retry_after: retryAt, remaining: 0 };
    if (limit !== undefined) rate_limit.limit = limit;
    const body = envelope(429, "rate_limited", [{ code: "rate_limited", message: "Too many requests, please slow down" }], {
        rate_limit,
    });
    const headers: Record<string, string> = {};
    if (header === "seconds") headers["retry-after"] = String(retryAfterSeconds);
    if (header === "http-date") headers["retry-after"] = retryAt;
    return { status: 429, body, headers };
}
