// A small forwarding proxy on 127.0.0.1, as a CI runner's egress proxy: it tunnels CONNECT
// requests (what undici's ProxyAgent sends) to the target and counts what passes through.
import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";

/** An HTTP request line (a JSON body never holds " HTTP/1.1" followed by CRLF). */
const REQUEST_LINE = /(GET|POST|PUT|DELETE|PATCH) (\/\S*) HTTP\/1\.1\r\n/g;

export class ForwardProxy {
    readonly url: string;
    /** Targets of every CONNECT, e.g. "127.0.0.1:43121". */
    readonly connects: string[] = [];
    /** Request lines seen inside the tunnels ("GET /v2/alert_routes/01..."). */
    readonly requests: string[] = [];
    /** Everything clients sent through the proxy (to search for secrets). */
    sent = "";
    /** When set, CONNECT is answered with this status and nothing is forwarded. */
    refuseWith?: number;
    private readonly sockets = new Set<net.Socket>();

    private constructor(private readonly server: http.Server) {
        this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
        server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => this.tunnel(req, client, head));
        // Plain forwarding (absolute-form requests) is not offered: undici tunnels by default.
        server.on("request", (_req, res) => {
            res.writeHead(405);
            res.end();
        });
    }

    static async start(): Promise<ForwardProxy> {
        const server = http.createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        return new ForwardProxy(server);
    }

    async close(): Promise<void> {
        const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const socket of this.sockets) socket.destroy();
        await done;
    }

    private tunnel(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
        const target = req.url ?? "";
        this.connects.push(target);
        client.on("error", () => {});
        if (this.refuseWith !== undefined) {
            client.end(`HTTP/1.1 ${this.refuseWith} Refused by the test proxy\r\ncontent-length: 0\r\n\r\n`);
            return;
        }
        const [host, port] = [target.slice(0, target.lastIndexOf(":")), Number(target.slice(target.lastIndexOf(":") + 1))];
        const upstream = net.connect(port, host, () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            if (head.length) upstream.write(head);
            let stream = head.toString("latin1");
            client.on("data", (chunk: Buffer) => {
                const text = chunk.toString("latin1");
                this.sent += text;
                stream += text;
                // Count request lines as they complete; keep a short tail for lines split across chunks.
                let match: RegExpExecArray | null;
                let consumed = 0;
                REQUEST_LINE.lastIndex = 0;
                while ((match = REQUEST_LINE.exec(stream))) {
                    this.requests.push(`${match[1]} ${match[2].split("?")[0]}`);
                    consumed = REQUEST_LINE.lastIndex;
                }
                stream = stream.slice(Math.max(consumed, stream.length - 512));
            });
            client.pipe(upstream);
            upstream.pipe(client);
        });
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
    }
}
