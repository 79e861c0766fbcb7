// A raw HTTP server on 127.0.0.1 in front of the emulator, for answers the emulator cannot give:
// a foreign 404 page, a redirect, a 410, an answer rewritten after the emulator applied the
// request, a body of 50 MB. Every request is forwarded unless `intercept` answers it itself.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface GatewayRequest {
    method: string;
    /** Path and query, as sent. */
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
}

export interface Upstream {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** Answer `res` and return true to take the request over; `forward` sends it on to the emulator. */
export type Intercept = (req: GatewayRequest, res: http.ServerResponse, forward: () => Promise<Upstream>) => Promise<boolean> | boolean;

export class Gateway {
    readonly url: string;
    readonly seen: GatewayRequest[] = [];
    intercept?: Intercept;
    private readonly sockets = new Set<Socket>();

    private constructor(
        private readonly server: http.Server,
        private readonly upstream: string,
    ) {
        this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
        server.on("request", (req, res) => void this.handle(req, res));
    }

    static async start(upstream: string): Promise<Gateway> {
        const server = http.createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        return new Gateway(server, upstream);
    }

    async close(): Promise<void> {
        const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const socket of this.sockets) socket.destroy();
        await done;
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const request: GatewayRequest = {
            method: req.method ?? "GET",
            url: req.url ?? "/",
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8"),
        };
        this.seen.push(request);
        const forward = () => this.forward(request);
        try {
            if (this.intercept && (await this.intercept(request, res, forward))) return;
            const answer = await forward();
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body);
        } catch {
            res.destroy();
        }
    }

    private forward(req: GatewayRequest): Promise<Upstream> {
        return new Promise((resolve, reject) => {
            const { host: _host, connection: _connection, ...headers } = req.headers;
            const out = http.request(`${this.upstream}${req.url}`, { method: req.method, headers }, (answer) => {
                const chunks: Buffer[] = [];
                answer.on("data", (c: Buffer) => chunks.push(c));
                answer.on("end", () => {
                    const {
                        "content-length": _length,
                        connection: _c,
                        "keep-alive": _k,
                        "transfer-encoding": _t,
                        ...rest
                    } = answer.headers;
                    resolve({ status: answer.statusCode ?? 502, headers: rest, body: Buffer.concat(chunks).toString("utf8") });
                });
                answer.on("error", reject);
            });
            out.on("error", reject);
            out.end(req.body);
        });
    }
}

/** Streams `total` bytes of JSON-looking filler; records how much was written before the client hung up. */
export function streamHuge(
    res: http.ServerResponse,
    total: number,
    opts: { declareLength?: boolean } = {},
): Promise<{ written: number; finished: boolean }> {
    return new Promise((resolve) => {
        res.writeHead(200, { "content-type": "application/json", ...(opts.declareLength ? { "content-length": String(total) } : {}) });
        const chunk = Buffer.alloc(64 * 1024, "a");
        let written = 0;
        let finished = false;
        res.on("close", () => resolve({ written, finished }));
        const pump = () => {
            while (written < total) {
                if (res.destroyed) return;
                const part = chunk.subarray(0, Math.min(chunk.length, total - written));
                written += part.length;
                if (!res.write(part)) return void res.once("drain", pump);
            }
            finished = true;
            res.end();
        };
        pump();
    });
}
