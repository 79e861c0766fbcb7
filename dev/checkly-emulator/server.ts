// ChecklyEmulator: a node:http server on 127.0.0.1 that answers the parts of Checkly's public API
// this project uses (/v1/alert-channels), with a request log and the faults the incident.io
// emulator injects (dev/emulator/faults.ts, test/support/faults.ts).
//
// Each request: logged; body read; the first matching fault taken; unless it short-circuits:
// auth (Bearer key + x-checkly-account) -> rate limit -> the endpoint; the reply is sent.
// Listening, sockets, timers and close()/settled() are the incident.io emulator's EmulatorHttpServer
// (dev/emulator/httpServer.ts); faults are answered as it answers them (answerWithFault).
import type * as http from "node:http";
import { answerWithFault, FaultQueue, type FaultMatch } from "../emulator/faults";
import { EmulatorHttpServer, readBody } from "../emulator/httpServer";
import type { Reply } from "../emulator/replies";
import { SlidingWindowLimiter } from "../emulator/rateLimit";
import type { FaultKind } from "../emulator";
import { BadRequest, ChannelStore, type ChannelV1 } from "./channels";

/** The faults of dev/emulator, with a UI edit that changes a Checkly channel. */
export type ChecklyFault = FaultMatch &
    (Exclude<FaultKind, { kind: "ui-edit" }> | { kind: "ui-edit"; channelId?: number; mutate?: (c: ChannelV1) => void });

export interface ChecklyRequestLogEntry {
    method: string;
    path: string;
    status: number;
    /** The parsed JSON body (requests carry webhook headers: tests only, never printed). */
    body?: unknown;
}

export interface ChecklyEmulatorOptions {
    apiKey?: string;
    accountId?: string;
    /** Requests per sliding 60 s window per key; Checkly allows 600 for most routes. Default: unlimited. */
    rateLimitPerMinute?: number;
}

const MALFORMED_BODY = '{"id": ';
const REASONS: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
};

/** Checkly's error envelope: hapi's `{ statusCode, error, message }` (checkly-cli
 * commands/__tests__/checks-delete.spec.ts: `{ statusCode: 404, error: 'Not Found', ... }`). */
export function checklyError(status: number, message?: string): { statusCode: number; error: string; message: string } {
    const error = REASONS[status] ?? (status >= 500 ? "Internal Server Error" : "Bad Request");
    return { statusCode: status, error, message: message ?? error };
}

export class ChecklyEmulator {
    readonly url: string;
    readonly requests: ChecklyRequestLogEntry[] = [];
    rateLimitPerMinute: number | undefined;
    readonly apiKey: string;
    readonly accountId: string;
    private readonly store = new ChannelStore();
    private readonly faults = new FaultQueue<ChecklyFault>();
    private readonly limiter = new SlidingWindowLimiter();

    private constructor(
        private readonly server: EmulatorHttpServer,
        opts: ChecklyEmulatorOptions,
    ) {
        this.apiKey = opts.apiKey ?? "checkly-test-key";
        this.accountId = opts.accountId ?? "7e4a5c38-9c9f-4b3e-8d4e-2f1f6c0a1b2c";
        this.rateLimitPerMinute = opts.rateLimitPerMinute;
        this.url = server.url;
        server.serve((req, res) => this.handle(req, res), { name: "Checkly emulator", body: () => checklyError(500) });
    }

    static async start(opts: ChecklyEmulatorOptions = {}): Promise<ChecklyEmulator> {
        return new ChecklyEmulator(await EmulatorHttpServer.listen(), opts);
    }

    close(): Promise<void> {
        return this.server.close();
    }

    // ------------------------------------------------------------ state

    channels(): ChannelV1[] {
        return this.store.list();
    }

    channel(id: number | string): ChannelV1 | undefined {
        return this.store.get(Number(id));
    }

    /** A channel made in Checkly's UI: stored as Checkly stores it, not logged. */
    seedChannel(payload: Record<string, unknown>, opts: { id?: number } = {}): ChannelV1 {
        return this.store.create(payload, opts.id);
    }

    editInUi(id: number | string, mutate: (c: ChannelV1) => void): ChannelV1 {
        return this.store.edit(Number(id), mutate);
    }

    deleteInUi(id: number | string): void {
        if (!this.store.delete(Number(id))) throw new Error(`no alert channel with id ${id}`);
    }

    subscribeInUi(id: number | string, subscription: { checkId?: string; groupId?: number; activated: boolean }): void {
        if (!this.store.subscribe(Number(id), subscription)) throw new Error(`no alert channel with id ${id}`);
    }

    // ------------------------------------------------------------ log and faults

    count(method?: string, pathPrefix?: string): number {
        return this.requests.filter(
            (r) => (method === undefined || r.method === method) && (pathPrefix === undefined || r.path.startsWith(pathPrefix)),
        ).length;
    }

    /** Requests that could change something (POST, PUT, DELETE). */
    writes(): ChecklyRequestLogEntry[] {
        return this.requests.filter((r) => r.method !== "GET");
    }

    resetLog(): void {
        this.requests.length = 0;
    }

    inject(fault: ChecklyFault): void {
        this.faults.add(fault);
    }

    clearFaults(): void {
        this.faults.clear();
    }

    settled(): Promise<void> {
        return this.server.settled();
    }

    // ------------------------------------------------------------ transport

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const method = (req.method ?? "GET").toUpperCase();
        const url = new URL(req.url ?? "/", "http://emulator.invalid");
        const raw = await readBody(req);
        let body: unknown;
        let badJson = false;
        if (raw.trim() !== "") {
            try {
                body = JSON.parse(raw);
            } catch {
                badJson = true;
            }
        }
        const entry: ChecklyRequestLogEntry = { method, path: url.pathname, status: 0, ...(body === undefined ? {} : { body }) };
        this.requests.push(entry);
        const process = () => this.process(req, method, url, body, badJson);
        const respond = (reply: Reply) => this.server.send(res, entry, reply);
        const fault = this.faults.take(method, url.pathname);
        if (!fault) return respond(process());
        if (fault.kind === "ui-edit") {
            const id = fault.channelId ?? channelIdOf(url.pathname);
            if (id !== undefined && this.store.get(id))
                this.store.edit(id, fault.mutate ?? ((c) => void (c.config.name = `${String(c.config.name)} (edited in UI)`)));
            return respond(process());
        }
        return answerWithFault(fault, {
            process,
            respond,
            reset: () => void req.socket.destroy(),
            clientGone: () => res.destroyed,
            sleep: (ms) => this.server.sleep(ms),
            errorBody: checklyError,
            rateLimited,
            malformedBody: MALFORMED_BODY,
        });
    }

    private process(req: http.IncomingMessage, method: string, url: URL, body: unknown, badJson: boolean): Reply {
        // Checkly's auth: `Authorization: Bearer <key>` and `x-checkly-account: <account id>`
        // (go-sdk checkly.go addAuthHeaders; API reference, Authorizations).
        const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
        if (token !== this.apiKey) return { status: 401, body: checklyError(401, "Unauthorized") };
        if (req.headers["x-checkly-account"] !== this.accountId)
            return { status: 401, body: checklyError(401, "Missing or wrong x-checkly-account header") };
        if (this.rateLimitPerMinute !== undefined) {
            const wait = this.limiter.take(token, this.rateLimitPerMinute);
            if (wait !== undefined) return rateLimited(wait, "seconds");
        }
        if (badJson) return { status: 400, body: checklyError(400, "Invalid request payload JSON format") };
        try {
            return this.dispatch(method, url, body);
        } catch (error) {
            if (error instanceof BadRequest) return { status: 400, body: checklyError(400, error.message) };
            throw error;
        }
    }

    private dispatch(method: string, url: URL, body: unknown): Reply {
        const path = url.pathname.replace(/\/+$/, "");
        if (path === "/v1/alert-channels") {
            if (method === "GET") {
                // Paginated with limit (max 100) and page; the total in Content-Range (checkly-cli rest/alert-channels.ts).
                const limit = Math.min(100, Math.max(1, Number(url.searchParams.get("limit") ?? 10) || 10));
                const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
                const all = this.store.list();
                const slice = all.slice((page - 1) * limit, page * limit);
                const from = (page - 1) * limit;
                return {
                    status: 200,
                    body: slice,
                    headers: { "content-range": `${from}-${from + Math.max(0, slice.length - 1)}/${all.length}` },
                };
            }
            if (method === "POST") return { status: 201, body: this.store.create(body) };
            return { status: 405, body: checklyError(405, "Method Not Allowed") };
        }
        const sub = /^\/v1\/alert-channels\/([^/]+)\/subscriptions$/.exec(path);
        if (sub && method === "PUT") {
            const saved = this.store.subscribe(Number(sub[1]), body);
            return saved ? { status: 200, body: saved } : { status: 404, body: checklyError(404) };
        }
        const one = /^\/v1\/alert-channels\/([^/]+)$/.exec(path);
        if (one) {
            const id = Number(one[1]);
            if (!Number.isInteger(id)) return { status: 400, body: checklyError(400, '"id" must be a number') };
            if (method === "GET") {
                const channel = this.store.get(id);
                return channel ? { status: 200, body: channel } : { status: 404, body: checklyError(404) };
            }
            if (method === "PUT") {
                const channel = this.store.update(id, body);
                return channel ? { status: 200, body: channel } : { status: 404, body: checklyError(404) };
            }
            if (method === "DELETE") return this.store.delete(id) ? { status: 204 } : { status: 404, body: checklyError(404) };
        }
        return { status: 404, body: checklyError(404) };
    }
}

/** A 429 in each form the fault matrix uses. Checkly documents no rate-limit headers (API reference,
 * overview), so "body-only" means no Retry-After at all: the client backs off on its own. */
function rateLimited(seconds: number, header: "seconds" | "http-date" | "body-only"): Reply {
    const headers: Record<string, string> = {};
    if (header === "seconds") headers["retry-after"] = String(seconds);
    if (header === "http-date") headers["retry-after"] = new Date(Date.now() + seconds * 1000).toUTCString();
    return { status: 429, body: checklyError(429, "Rate limit exceeded"), headers };
}

function channelIdOf(path: string): number | undefined {
    const m = /^\/v1\/alert-channels\/(\d+)/.exec(path);
    return m ? Number(m[1]) : undefined;
}
