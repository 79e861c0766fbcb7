// EmulatorHttpServer: the node:http side that both emulators (incident.io here, Checkly in
// dev/checkly-emulator/) share, so each keeps only what is its own (routes, auth, error envelope,
// request log). It listens on 127.0.0.1 on a free port and keeps track of open sockets, of requests
// still being handled (also those whose client went away) and of held replies, so that close() ends
// all of it at once and settled() waits for every request; a handler that throws still answers 500.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Reply } from "./replies";

/** What an emulator does with each request; it catches its own errors (a throw is answered 500). */
export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

export interface UnexpectedErrors {
    /** Names the emulator on the console line, e.g. "Checkly emulator". */
    name: string;
    /** The body of the 500 sent when the handler throws: the emulator's own error envelope. */
    body: () => unknown;
}

export class EmulatorHttpServer {
    /** Base URL, e.g. http://127.0.0.1:43121 (no trailing slash). */
    readonly url: string;
    private readonly sockets = new Set<Socket>();
    private readonly timers = new Set<NodeJS.Timeout>();
    /** Requests still being handled (processing or held), including those whose client went away. */
    private readonly handling = new Set<Promise<void>>();
    private isClosed = false;

    private constructor(private readonly server: http.Server) {
        this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
    }

    /** Listens on 127.0.0.1 on a port the system picks; requests wait for serve(). */
    static async listen(): Promise<EmulatorHttpServer> {
        const server = http.createServer({ keepAliveTimeout: 5_000 });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => {
                server.off("error", reject);
                resolve();
            });
        });
        return new EmulatorHttpServer(server);
    }

    /** Hands every request to `handle`, tracked until it is done. */
    serve(handle: RequestHandler, unexpected: UnexpectedErrors): void {
        this.server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
            const handling = handle(req, res).catch((err: unknown) => {
                // Should not happen (handlers catch their errors), but never leave a client hanging.
                if (!res.headersSent && !res.destroyed) {
                    res.writeHead(500, { "content-type": "application/json" });
                    res.end(JSON.stringify(unexpected.body()));
                }
                console.error(`${unexpected.name}: unexpected error`, err);
            });
            this.handling.add(handling);
            void handling.finally(() => this.handling.delete(handling));
        });
    }

    get closed(): boolean {
        return this.isClosed;
    }

    /** Stops listening, destroys open sockets and drops pending delayed replies. */
    async close(): Promise<void> {
        if (this.isClosed) return;
        this.isClosed = true;
        for (const timer of this.timers) clearTimeout(timer);
        this.timers.clear();
        const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const socket of this.sockets) socket.destroy();
        this.server.closeAllConnections();
        await done;
    }

    /** Resolves once every request that has arrived so far is fully handled. */
    async settled(): Promise<void> {
        await Promise.all([...this.handling]);
    }

    /** setTimeout that close() cancels (the awaiting handler is simply abandoned). */
    sleep(ms: number): Promise<void> {
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.timers.delete(timer);
                resolve();
            }, ms);
            this.timers.add(timer);
        });
    }

    /**
     * Sends `reply` (JSON unless `raw`; no body for 204) and records its status in the request's log
     * entry; nothing when the client went away or the server is closed.
     */
    send(res: http.ServerResponse, entry: { status: number }, reply: Reply): void {
        if (res.destroyed || this.isClosed) return;
        const headers: Record<string, string> = { ...reply.headers };
        let payload: string | undefined;
        if (reply.raw !== undefined) payload = reply.raw;
        else if (reply.body !== undefined && reply.status !== 204) payload = JSON.stringify(reply.body);
        if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
            headers["content-type"] = "application/json";
        }
        entry.status = reply.status;
        res.writeHead(reply.status, headers);
        res.end(payload);
    }
}

/** The request body as text; a client that disconnects mid-body yields what arrived (the reply is dropped). */
export function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        const done = () => resolve(Buffer.concat(chunks).toString("utf8"));
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", done);
        req.on("error", done);
        req.on("aborted", done);
    });
}
