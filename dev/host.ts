// Test harness that drives the REAL Pulumi dynamic-provider host
// (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC, the way the Pulumi engine
// does during `pulumi up` / `pulumi refresh` / `pulumi destroy`.
//
// Notes on fidelity (see node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js):
//  * The provider travels as the `__provider` property (serialized closure text).
//    Check's `news` are the program inputs incl. `__provider`; Create gets the
//    checked inputs; Diff/Update get olds = stored outputs (the host re-adds
//    `__provider` to every output) and news = checked inputs; Read/Delete get
//    the stored outputs.
//  * The host deserializes + `configure()`s the provider lazily, on the first
//    CRUD RPC, once per distinct provider text per process, using the config of
//    the last Configure RPC.
//  * Properties cross the wire as google.protobuf.Struct via
//    `Struct.fromJavaScript` / `toJavaScript()` (numbers become doubles,
//    `undefined` is rejected with "Unexpected struct type.").
import type { ChildProcess } from "child_process";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";

import * as grpc from "@grpc/grpc-js";
import type * as pulumi from "@pulumi/pulumi";
// The engine's signature key / secret signature for wrapped secrets, from the SDK (one home).
import { specialSecretSig as SPECIAL_SECRET_SIG, specialSigKey as SPECIAL_SIG_KEY, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { serializeFunction } from "@pulumi/pulumi/runtime/closure/serializeClosure";

// The project root: the host resolves `require`s in the provider text from its cwd.
import { PROJECT_ROOT } from "./paths";

/** The engine's "unknown value" sentinel (computed during preview). */
export const UNKNOWN: string = unknownValue;

const HOST_SCRIPT = path.join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider");

const DEFAULT_STARTUP_TIMEOUT_MS = 20_000;
const DEFAULT_RPC_TIMEOUT_MS = 30_000;

/**
 * Serializes a dynamic provider EXACTLY like `pulumi.dynamic.Resource` does
 * (dynamic/index.js serializeFunctionMaybeSecret): the `.text` of
 * `serializeFunction(() => provider, { allowSecrets: true })`.
 */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
    const sf = await serializeFunction(() => provider, { allowSecrets: true });
    return sf.text;
}

/** URN the engine would assign to a dynamic resource in this project. */
export function urnFor(name: string, type = "pulumi-nodejs:dynamic:Resource"): string {
    return `urn:pulumi:test::alert-routing::${type}::${name}`;
}

function typeOfUrn(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts[2] : "";
}

function nameOfUrn(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts.slice(3).join("::") : "";
}

/** A request about one resource: the engine names it by URN and by the name and type in that URN. */
interface ResourceRequest {
    setUrn(value: string): unknown;
    setName(value: string): unknown;
    setType(value: string): unknown;
}

function aboutResource<R extends ResourceRequest>(req: R, urn: string): R {
    req.setUrn(urn);
    req.setName(nameOfUrn(urn));
    req.setType(typeOfUrn(urn));
    return req;
}

/** The inputs of the last deployment and the `ignoreChanges` paths, which the engine sends with a Diff or an Update. */
function setChangeContext(
    req: { setOldInputs(value?: structproto.Struct): unknown; setIgnorechangesList(value: string[]): unknown },
    opts: { oldInputs?: object; ignoreChanges?: string[] },
): void {
    if (opts.oldInputs) {
        req.setOldInputs(toStruct(opts.oldInputs));
    }
    if (opts.ignoreChanges) {
        req.setIgnorechangesList(opts.ignoreChanges);
    }
}

/**
 * Converts a JS object to a Struct like the engine would see program inputs:
 * the SDK drops `undefined`-valued object keys and turns `undefined` array
 * elements into `null` before sending, then it is `Struct.fromJavaScript`.
 */
export function toStruct(obj: object): structproto.Struct {
    return structproto.Struct.fromJavaScript(dropUndefined(obj) as Record<string, structproto.JavaScriptValue>);
}

function dropUndefined(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map((e) => (e === undefined ? null : dropUndefined(e)));
    }
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) {
            if (e !== undefined) {
                out[k] = dropUndefined(e);
            }
        }
        return out;
    }
    return v;
}

/** Properties as the host returns them: JSON, with the engine's secret and unknown sentinels. */
export type HostProperties = Record<string, unknown>;

/** An absent struct (e.g. Read of a route that is gone) is no properties. */
function fromStruct(s: structproto.Struct | undefined): HostProperties {
    return s ? s.toJavaScript() : {};
}

/** Wraps a value the way the engine marshals a secret when the receiver accepts secrets. */
export function rpcSecret(value: unknown): Record<string, unknown> {
    return { [SPECIAL_SIG_KEY]: SPECIAL_SECRET_SIG, value };
}

/** Error thrown for a failed RPC. `message` is the provider's error text (status details). */
export class HostRpcError extends Error {
    constructor(
        message: string,
        readonly code: grpc.status,
        readonly method: string,
        readonly metadata?: grpc.Metadata,
        /** Set when a create/update error carried `id` (ErrorResourceInitFailed detail). */
        readonly initFailure?: { id: string; properties: HostProperties; reasons: string[] },
    ) {
        super(message);
        this.name = "HostRpcError";
    }
}

function toHostError(method: string, err: grpc.ServiceError): HostRpcError {
    let initFailure: HostRpcError["initFailure"];
    const bin = err.metadata?.get("grpc-status-details-bin");
    if (bin && bin.length > 0) {
        try {
            const st = statusproto.Status.deserializeBinary(new Uint8Array(bin[0] as Buffer));
            for (const any of st.getDetailsList()) {
                const d = any.unpack(provproto.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
                if (d) {
                    initFailure = { id: d.getId(), properties: fromStruct(d.getProperties()), reasons: d.getReasonsList() };
                }
            }
        } catch {
            /* ignore malformed details */
        }
    }
    // grpc-js formats err.message as "<code> <NAME>: <details>"; details is the provider's e.message.
    const text = typeof err.details === "string" && err.details !== "" ? err.details : err.message;
    return new HostRpcError(text, err.code, method, err.metadata, initFailure);
}

export interface StartOptions {
    /** Extra environment for the host (merged over process.env). */
    env?: NodeJS.ProcessEnv;
    /** Working directory; defaults to the project root so provider `require`s resolve. */
    cwd?: string;
    /** Startup timeout (waiting for the port line). Default 20s. */
    startupTimeoutMs?: number;
    /** Per-RPC deadline. Default 30s. */
    rpcTimeoutMs?: number;
}

export class DynamicProviderHost {
    /** Last ConfigureResponse flags (the host answers acceptSecrets=false, supportsPreview=false, ...). */
    configureResponse?: { acceptSecrets: boolean; supportsPreview: boolean; acceptResources: boolean; acceptOutputs: boolean };
    exitCode: number | null = null;
    exitSignal: NodeJS.Signals | null = null;

    private stopped = false;
    private readonly closed: Promise<void>;

    private constructor(
        private readonly child: ChildProcess,
        /** Every stdout/stderr line the host printed, except the port line (complete once stop() resolved). */
        readonly logs: string[],
        private readonly client: provrpc.ResourceProviderClient,
        readonly port: number,
        closed: Promise<void>,
        private readonly rpcTimeoutMs: number,
    ) {
        this.closed = closed;
    }

    get pid(): number {
        return this.child.pid!;
    }

    /**
     * The lines logged from index `since` on, joined, once they match `pattern` (a string: contain it). The host writes its log to
     * stderr, a stream of its own: a line can arrive after the reply to the call that wrote it. After `timeoutMs`
     * without a match, the lines so far (so the caller's assertion fails with what was said).
     */
    async loggedSince(since: number, pattern: RegExp | string, timeoutMs = 5_000): Promise<string> {
        const deadline = Date.now() + timeoutMs;
        const said = () => this.logs.slice(since).join("\n");
        const found = () => (typeof pattern === "string" ? said().includes(pattern) : pattern.test(said()));
        while (!found() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        return said();
    }

    static async start(opts: StartOptions = {}): Promise<DynamicProviderHost> {
        const cwd = opts.cwd ?? PROJECT_ROOT;
        const child = spawn(process.execPath, [HOST_SCRIPT, "127.0.0.1:0"], {
            cwd,
            env: { ...process.env, ...(opts.env ?? {}) },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const logs: string[] = [];
        let portResolve!: (p: number) => void;
        let portReject!: (e: Error) => void;
        const portPromise = new Promise<number>((res, rej) => {
            portResolve = res;
            portReject = rej;
        });
        let gotPort = false;
        const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
        let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
        child.once("exit", (code, signal) => {
            exitInfo = { code, signal };
        });
        child.once("error", (e) => portReject(e));
        child.once("close", (code, signal) => {
            if (!gotPort) {
                portReject(
                    new Error(
                        `dynamic-provider host exited (code=${code}, signal=${signal}) before printing its port:\n${logs.join("\n")}`,
                    ),
                );
            }
        });

        readline.createInterface({ input: child.stdout! }).on("line", (line) => {
            if (!gotPort && /^\d+$/.test(line.trim())) {
                gotPort = true;
                portResolve(Number(line.trim()));
                return;
            }
            logs.push(line);
        });
        readline.createInterface({ input: child.stderr! }).on("line", (line) => logs.push(line));

        const timeoutMs = opts.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
        let timer: NodeJS.Timeout | undefined;
        let port: number;
        try {
            port = await Promise.race([
                portPromise,
                new Promise<number>((_, rej) => {
                    timer = setTimeout(
                        () => rej(new Error(`dynamic-provider host did not print a port within ${timeoutMs}ms:\n${logs.join("\n")}`)),
                        timeoutMs,
                    );
                }),
            ]);
        } catch (e) {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGKILL");
            }
            await closed;
            throw e;
        } finally {
            clearTimeout(timer);
        }

        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
        });
        const host = new DynamicProviderHost(child, logs, client, port, closed, opts.rpcTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS);
        child.once("exit", (code, signal) => {
            host.exitCode = code;
            host.exitSignal = signal;
        });
        if (exitInfo) {
            host.exitCode = exitInfo.code;
            host.exitSignal = exitInfo.signal;
        }
        try {
            await new Promise<void>((res, rej) => client.waitForReady(Date.now() + timeoutMs, (err) => (err ? rej(err) : res())));
        } catch (e) {
            await host.stop();
            throw e;
        }
        return host;
    }

    private unary<Req, Res>(
        method: string,
        fn: (
            req: Req,
            md: grpc.Metadata,
            opts: Partial<grpc.CallOptions>,
            cb: (err: grpc.ServiceError | null, res: Res) => void,
        ) => unknown,
        req: Req,
    ): Promise<Res> {
        if (this.stopped) {
            return Promise.reject(new Error(`${method}: host already stopped`));
        }
        return new Promise<Res>((resolve, reject) => {
            fn.call(this.client, req, new grpc.Metadata(), { deadline: Date.now() + this.rpcTimeoutMs }, (err, res) => {
                if (err) {
                    reject(toHostError(method, err));
                } else {
                    resolve(res);
                }
            });
        });
    }

    /**
     * Configure RPC as the engine sends it: `variables` (string map) and `args`
     * (Struct of full namespaced keys, e.g. `incident-io:apiKey`), with
     * acceptSecrets/acceptResources = true. Keys listed in `secretKeys` are
     * wrapped as engine secrets in `args` (the host unwraps them).
     * NB: the provider's `configure()` runs lazily on the first CRUD RPC.
     */
    async configure(config: Record<string, string>, opts: { secretKeys?: string[] } = {}): Promise<void> {
        const req = new provproto.ConfigureRequest();
        const vars = req.getVariablesMap();
        const args: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(config)) {
            vars.set(k, v);
            args[k] = opts.secretKeys?.includes(k) ? rpcSecret(v) : v;
        }
        req.setArgs(toStruct(args));
        req.setAcceptsecrets(true);
        req.setAcceptresources(true);
        req.setSendsOldInputs(true);
        req.setSendsOldInputsToDelete(true);
        const resp = await this.unary<provproto.ConfigureRequest, provproto.ConfigureResponse>("Configure", this.client.configure, req);
        this.configureResponse = {
            acceptSecrets: resp.getAcceptsecrets(),
            supportsPreview: resp.getSupportspreview(),
            acceptResources: resp.getAcceptresources(),
            acceptOutputs: resp.getAcceptoutputs(),
        };
    }

    async check(
        urn: string,
        olds: object,
        news: object,
    ): Promise<{ inputs: HostProperties; failures: Array<{ property: string; reason: string }> }> {
        const req = aboutResource(new provproto.CheckRequest(), urn);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        const resp = await this.unary<provproto.CheckRequest, provproto.CheckResponse>("Check", this.client.check, req);
        return {
            inputs: fromStruct(resp.getInputs()),
            failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(
        id: string,
        urn: string,
        olds: object,
        news: object,
        opts: { oldInputs?: object; ignoreChanges?: string[] } = {},
    ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
        const req = aboutResource(new provproto.DiffRequest(), urn);
        req.setId(id);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        setChangeContext(req, opts);
        const resp = await this.unary<provproto.DiffRequest, provproto.DiffResponse>("Diff", this.client.diff, req);
        const C = provproto.DiffResponse.DiffChanges;
        const changes = resp.getChanges() === C.DIFF_SOME ? "some" : resp.getChanges() === C.DIFF_NONE ? "none" : "unknown";
        return { changes, replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
    }

    /**
     * NB: the real host ignores `preview` and performs the create anyway; the
     * engine never sends preview Creates to it because Configure answers
     * supportsPreview=false.
     */
    async create(
        urn: string,
        properties: object,
        opts: { preview?: boolean; timeoutSeconds?: number } = {},
    ): Promise<{ id: string; properties: HostProperties }> {
        const req = aboutResource(new provproto.CreateRequest(), urn);
        req.setProperties(toStruct(properties));
        req.setPreview(!!opts.preview);
        if (opts.timeoutSeconds) {
            req.setTimeout(opts.timeoutSeconds);
        }
        const resp = await this.unary<provproto.CreateRequest, provproto.CreateResponse>("Create", this.client.create, req);
        return { id: resp.getId(), properties: fromStruct(resp.getProperties()) };
    }

    async read(
        id: string,
        urn: string,
        properties: object,
        inputs?: object,
    ): Promise<{ id: string; properties: HostProperties; inputs?: HostProperties }> {
        const req = aboutResource(new provproto.ReadRequest(), urn);
        req.setId(id);
        req.setProperties(toStruct(properties));
        if (inputs) {
            req.setInputs(toStruct(inputs));
        }
        const resp = await this.unary<provproto.ReadRequest, provproto.ReadResponse>("Read", this.client.read, req);
        const out: { id: string; properties: HostProperties; inputs?: HostProperties } = {
            id: resp.getId(),
            properties: fromStruct(resp.getProperties()),
        };
        if (resp.hasInputs()) {
            out.inputs = fromStruct(resp.getInputs());
        }
        return out;
    }

    async update(
        id: string,
        urn: string,
        olds: object,
        news: object,
        opts: { preview?: boolean; oldInputs?: object; ignoreChanges?: string[]; timeoutSeconds?: number } = {},
    ): Promise<{ properties: HostProperties }> {
        const req = aboutResource(new provproto.UpdateRequest(), urn);
        req.setId(id);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        req.setPreview(!!opts.preview);
        setChangeContext(req, opts);
        if (opts.timeoutSeconds) {
            req.setTimeout(opts.timeoutSeconds);
        }
        const resp = await this.unary<provproto.UpdateRequest, provproto.UpdateResponse>("Update", this.client.update, req);
        return { properties: fromStruct(resp.getProperties()) };
    }

    async delete(id: string, urn: string, properties: object, opts: { oldInputs?: object } = {}): Promise<void> {
        const req = aboutResource(new provproto.DeleteRequest(), urn);
        req.setId(id);
        req.setProperties(toStruct(properties));
        if (opts.oldInputs) {
            req.setOldInputs(toStruct(opts.oldInputs));
        }
        await this.unary("Delete", this.client.delete, req);
    }

    /** Peak resident set size (VmHWM) of the host process, in bytes (Linux /proc). */
    peakMemoryBytes(): number {
        const status = fs.readFileSync(`/proc/${this.pid}/status`, "utf8");
        const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
        if (!m) {
            throw new Error(`VmHWM not found in /proc/${this.pid}/status`);
        }
        return Number(m[1]) * 1024;
    }

    /** Closes the client, kills the host (SIGTERM, then SIGKILL after 5s) and waits until its stdio is drained. */
    async stop(): Promise<void> {
        if (this.stopped) {
            await this.closed;
            return;
        }
        this.stopped = true;
        this.client.close();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill("SIGTERM");
            const killTimer = setTimeout(() => {
                if (this.child.exitCode === null && this.child.signalCode === null) {
                    this.child.kill("SIGKILL");
                }
            }, 5_000);
            try {
                await this.closed;
            } finally {
                clearTimeout(killTimer);
            }
        } else {
            await this.closed;
        }
    }
}
