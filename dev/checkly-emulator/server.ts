// ChecklyEmulator: a node:http server on 127.0.0.1 that answers the parts of Checkly's public API
// this project uses (/v1/alert-channels), with a request log and the faults the incident.io
// emulator injects (dev/emulator/faults.ts, test/support/faults.ts).
//
// Each request: logged; body read; the first matching fault taken; unless it short-circuits:
// auth (Bearer key + x-checkly-account) -> rate limit -> the endpoint; the reply is sent.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultQueue, type FaultMatch } from "../emulator/faults";
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

interface Reply {
    status: number;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
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
    private readonly sockets = new Set<Socket>();
    private readonly timers = new Set<NodeJS.Timeout>();
    private readonly handling = new Set<Promise<void>>();
    private closed = false;

    private constructor(
        private readonly server: http.Server,
        opts: ChecklyEmulatorOptions,
    ) {
        this.apiKey = opts.apiKey ?? "checkly-test-key";
        this.accountId = opts.accountId ?? "7e4a5c38-9c9f-4b3e-8d4e-2f1f6c0a1b2c";
        this.rateLimitPerMinute = opts.rateLimitPerMinute;
        this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
        server.on("request", (req, res) => {
            const handling = this.handle(req, res).catch((err: unknown) => {
                if (!res.headersSent && !res.destroyed) {
                    res.writeHead(500, { "content-type": "application/json" });
                    res.end(JSON.stringify(checklyError(500)));
                }
                console.error("Checkly emulator: unexpected error", err);
            });
            this.handling.add(handling);
            void handling.finally(() => this.handling.delete(handling));
        });
    }

    static async start(opts: ChecklyEmulatorOptions = {}): Promise<ChecklyEmulator> {
        const server = http.createServer({ keepAliveTimeout: 5_000 });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => {
                server.off("error", reject);
                resolve();
            });
        });
        return new ChecklyEmulator(server, opts);
    }

    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        for (const timer of this.timers) clearTimeout(timer);
        const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const socket of this.sockets) socket.destroy();
        this.server.closeAllConnections();
        await done;
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

    async settled(): Promise<void> {
        await Promise.all([...this.handling]);
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
        const fault = this.faults.take(method, url.pathname);
        if (!fault) return this.respond(res, entry, process());
        switch (fault.kind) {
            case "status": {
                const b = fault.body === undefined ? checklyError(fault.status) : fault.body;
                return this.respond(
                    res,
                    entry,
                    typeof b === "string"
                        ? { status: fault.status, raw: b, headers: { "content-type": "text/plain", ...fault.headers } }
                        : { status: fault.status, body: b, headers: fault.headers },
                );
            }
            case "rate-limit":
                return this.respond(res, entry, rateLimited(fault.seconds ?? 1, fault.retryAfter));
            case "reset-before-processing":
                req.socket.destroy();
                return;
            case "reset-after-processing":
                process();
                req.socket.destroy();
                return;
            case "delay": {
                if (fault.process ?? true) {
                    const reply = process();
                    await this.sleep(fault.ms);
                    return this.respond(res, entry, reply);
                }
                await this.sleep(fault.ms);
                if (res.destroyed) return;
                return this.respond(res, entry, process());
            }
            case "malformed-json":
                if (fault.process ?? true) process();
                return this.respond(res, entry, { status: 200, raw: MALFORMED_BODY });
            case "ui-edit": {
                const id = fault.channelId ?? channelIdOf(url.pathname);
                if (id !== undefined && this.store.get(id))
                    this.store.edit(id, fault.mutate ?? ((c) => void (c.config.name = `${String(c.config.name)} (edited in UI)`)));
                return this.respond(res, entry, process());
            }
        }
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

    private respond(res: http.ServerResponse, entry: ChecklyRequestLogEntry, reply: Reply): void {
        if (res.destroyed || this.closed) return;
        const headers: Record<string, string> = { ...reply.headers };
        let payload: string | undefined;
        if (reply.raw !== undefined) payload = reply.raw;
        else if (reply.body !== undefined && reply.status !== 204) payload = JSON.stringify(reply.body);
        if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
            headers["content-type"] = "application/json";
        entry.status = reply.status;
        res.writeHead(reply.status, headers);
        res.end(payload);
    }

    private sleep(ms: number): Promise<void> {
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.timers.delete(timer);
                resolve();
            }, ms);
            this.timers.add(timer);
        });
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

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        const done = () => resolve(Buffer.concat(chunks).toString("utf8"));
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", done);
        req.on("error", done);
        req.on("aborted", done);
    });
}
