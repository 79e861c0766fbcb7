// Runs the stack program under `pulumi.runtime.setMocks` and records what the engine would see:
// every RegisterResource request as serialized (secrets still wrapped), with its options, and the
// stack outputs. One stack per process: call installMocks() before loading the program.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import * as pulumi from "@pulumi/pulumi";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as YAML from "yaml";

import { ALERT_ROUTE_TYPE } from "../../providers/incident-io/alertRoute";
import { ALERT_ATTRIBUTE_TYPE } from "../../providers/incident-io/alertAttribute";
import { ALERT_SOURCE_TYPE } from "../../providers/incident-io/alertSource";
import { CHECKLY_ALERT_CHANNEL_TYPE } from "../../providers/checkly/alertChannel";
import { pickAttributeSpec } from "../../providers/incident-io/alertAttributeModel";
import { pickSourceSpec } from "../../providers/incident-io/alertSourceModel";
import { canonical, pickSpec, withDefaults } from "../../providers/incident-io/model";
import { ID_DESCRIPTIONS, type Environment, type RouteIds } from "../../stack/routes";

import { PROJECT_ROOT } from "../../dev/paths";
import { fakeId } from "./ids";

export { fakeId };

/** How the SDK marks a secret on the wire (runtime/rpc.ts). */
/** Pulumi's marker for a secret in serialized values: `{[SECRET_SIG_KEY]: SECRET_SIG, value}`. */
export const SECRET_SIG_KEY = pulumi.runtime.specialSigKey;
export const SECRET_SIG = pulumi.runtime.specialSecretSig;

/** Values that must never appear outside a secret: registered as secret config or returned by the token fetch. */
export const CANARY = {
    token: `canary-token-${crypto.randomBytes(8).toString("hex")}`,
    apiKey: `canary-api-key-${crypto.randomBytes(8).toString("hex")}`,
};

/** The AWS secret version id the mocks answer with: the non-secret fingerprint of the token. */
export const MOCK_SECRET_VERSION_ID = "5b4e2f4c-6f0a-4a39-9d2e-0b8c9f0e7a11";
export const MOCK_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:unkey/alertmanager-incident-io-AbCdEf";

export interface Registered {
    type: string;
    name: string;
    custom: boolean;
    protect: boolean;
    retainOnDelete: boolean;
    parent: string;
    provider: string;
    dependencies: string[];
    importId: string;
    /** Outputs the engine must wrap as secrets (the mocks wrap them for AlertSource: secret_token). */
    additionalSecretOutputs: string[];
    /** Serialized inputs exactly as sent to the engine: secrets are `{[SECRET_SIG_KEY]: SECRET_SIG, value}`. */
    inputs: Record<string, unknown>;
}

/** A resource the program read (ReadResource, e.g. the live Alertmanager), with the id it asked for. */
export interface Read {
    type: string;
    name: string;
    id: string;
    parent: string;
    provider: string;
}

/** The live Alertmanager the mocks answer a read with: by default, one this stack already patched. */
export const ADOPTED_ALERTMANAGER_SPEC = {
    replicas: 2,
    configSecret: "alertmanager-incident-io-config",
    secrets: ["alertmanager-incidentio"],
};

/** Per-stack AWS accounts for the tests: the stacks must never share one. */
export const TEST_ACCOUNT_IDS = { production: "123456789012", staging: "210987654321" } as const;

export interface Recorder {
    resources: Registered[];
    reads: Read[];
    /** The Stack's outputs as serialized for the engine (secrets still wrapped). */
    stackOutputs?: Record<string, unknown>;
    invokes: string[];
    /** What the program logged through pulumi.log (stack-level diagnostics, as `pulumi preview` prints them). */
    logs: Array<{ severity: "warning" | "info"; message: string; resource: boolean }>;
}

/** The three calls of the mocked resource monitor the recorder listens to (its gRPC client's shape). */
interface MockMonitor {
    registerResource(req: resproto.RegisterResourceRequest, callback: (...args: unknown[]) => void): unknown;
    readResource(req: resproto.ReadResourceRequest, callback: (...args: unknown[]) => void): unknown;
    registerResourceOutputs(req: resproto.RegisterResourceOutputsRequest, callback: (...args: unknown[]) => void): unknown;
}

/** Sets the mocks (project alert-routing, stack = environment) and records every registration. */
export function installMocks(stack: string, opts: { preview?: boolean; liveAlertmanagerSpec?: Record<string, unknown> } = {}): Recorder {
    const recorder: Recorder = { resources: [], reads: [], invokes: [], logs: [] };
    recordLogs(recorder);
    const liveSpec = opts.liveAlertmanagerSpec ?? ADOPTED_ALERTMANAGER_SPEC;
    pulumi.runtime.setMocks(
        {
            // A read (CustomResource with an id) reaches the mocks as newResource with that id (runtime/mocks.js readResource).
            newResource: (args) => (args.id && args.type === ALERTMANAGER_TYPE ? mockLiveAlertmanager(args, liveSpec) : mockResource(args)),
            call: (args) => {
                recorder.invokes.push(args.token);
                throw new Error(`unexpected invoke ${args.token}: the program must not call provider functions`);
            },
        },
        "alert-routing",
        stack,
        opts.preview ?? false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        recorder.resources.push({
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            parent: req.getParent(),
            provider: req.getProvider(),
            dependencies: req.getDependenciesList(),
            importId: req.getImportid(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            inputs: req.getObject()?.toJavaScript() ?? {},
        });
        return register(req, callback);
    };
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req, callback) => {
        recorder.reads.push({
            type: req.getType(),
            name: req.getName(),
            id: req.getId(),
            parent: req.getParent(),
            provider: req.getProvider(),
        });
        return read(req, callback);
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
        if (req.getUrn().includes("::pulumi:pulumi:Stack::")) recorder.stackOutputs = req.getOutputs()?.toJavaScript() ?? {};
        return registerOutputs(req, callback);
    };
    return recorder;
}

/** pulumi.log.warn/info go to the engine, which the mocks do not have; record each call, then pass it on. */
function recordLogs(recorder: Recorder): void {
    const log = pulumi.log as { warn: typeof pulumi.log.warn; info: typeof pulumi.log.info };
    const { warn, info } = log;
    log.warn = (message, resource, ...rest) => {
        recorder.logs.push({ severity: "warning", message, resource: resource !== undefined });
        return warn(message, resource, ...rest);
    };
    log.info = (message, resource, ...rest) => {
        recorder.logs.push({ severity: "info", message, resource: resource !== undefined });
        return info(message, resource, ...rest);
    };
}

export const ALERTMANAGER_TYPE = "kubernetes:monitoring.coreos.com/v1:Alertmanager";

/** The Alertmanager as the cluster would return it for `namespace/name`. */
function mockLiveAlertmanager(
    args: pulumi.runtime.MockResourceArgs,
    spec: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
    const [namespace, name] = args.id!.split("/");
    return {
        id: args.id!,
        state: {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "Alertmanager",
            metadata: { name, namespace, labels: { release: "kube-prometheus-stack" } },
            spec,
        },
    };
}

/** What a provider would answer: the inputs, plus the outputs the program reads. */
function mockResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, unknown>;
    switch (args.type) {
        case ALERT_ROUTE_TYPE: {
            const spec = withDefaults(pickSpec(inputs));
            // AlertRoute's adoptId input: a live route id, or absent.
            const id = (inputs.adoptId as string | undefined) ?? fakeId(`route${args.name}`);
            return { id, state: { ...inputs, version: 1, route: canonical(spec) } };
        }
        case ALERT_SOURCE_TYPE: {
            // Adopted: the live id; the read-only outputs as incident.io answers them (HTTP sources).
            const id = (inputs.adoptId as string | undefined) ?? fakeId(`source${args.name}`);
            const http = inputs.source_type !== "email";
            // The engine wraps the outputs a resource lists in additionalSecretOutputs (AlertSource: secret_token;
            // stackSuite asserts the list); the mocks do what the engine would. MOCK_SOURCE_TOKEN: the leak suite's canary.
            const token = pulumi.secret(process.env.MOCK_SOURCE_TOKEN ?? CANARY.token);
            return {
                id,
                state: {
                    ...inputs,
                    source: pickSourceSpec(inputs),
                    ...(http
                        ? { secret_token: token, alert_events_url: `https://api.incident.io/v2/alert_events/${inputs.source_type}/${id}` }
                        : {}),
                },
            };
        }
        case ALERT_ATTRIBUTE_TYPE: {
            const id = (inputs.adoptId as string | undefined) ?? fakeId(`attribute${args.name}`);
            return { id, state: { ...inputs, attribute: pickAttributeSpec(inputs) } };
        }
        case CHECKLY_ALERT_CHANNEL_TYPE: {
            // Adopted: the live channel's id (a number). `config` arrives wrapped as a secret and goes
            // back so; `channel` is in additionalSecretOutputs, which the engine would wrap: so do the mocks.
            const id = (inputs.adoptId as string | undefined) ?? "100001";
            const config = unwrapSecret(inputs.config) as { name?: string };
            const { adoptId: _a, adoptIdConfigKey: _k, pulumiProject: _p, pulumiStack: _s, __provider: _v, ...payload } = inputs;
            return {
                id,
                state: {
                    ...inputs,
                    name: config?.name,
                    channel: pulumi.secret({ ...payload, config, name: config?.name, subscriptions: [] }),
                },
            };
        }
        case "aws:secretsmanager/secret:Secret":
            return { id: MOCK_SECRET_ARN, state: { ...inputs, arn: MOCK_SECRET_ARN } };
        case "aws:secretsmanager/secretVersion:SecretVersion":
            return {
                id: `${MOCK_SECRET_ARN}|${MOCK_SECRET_VERSION_ID}`,
                state: { ...inputs, arn: MOCK_SECRET_ARN, versionId: MOCK_SECRET_VERSION_ID },
            };
        default:
            return { id: `${args.name}-id`, state: inputs };
    }
}

/** A value the mocks received: a secret arrives as `{[SECRET_SIG_KEY]: SECRET_SIG, value}`. */
function unwrapSecret(value: unknown): unknown {
    return isSecret(value) ? value.value : value;
}

/** Runs `program` as Pulumi runs a program (inside the root Stack) and waits for every registration. */
export async function runStack(program: () => unknown): Promise<void> {
    try {
        await pulumi.runtime.runInPulumiStack(async () => program());
    } finally {
        await pulumi.runtime.disconnect();
    }
}

/** The stack's committed config (Pulumi.<stack>.yaml) as PULUMI_CONFIG holds it: objects as JSON text. */
export function committedConfig(stack: string): Record<string, string> {
    const file = path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`);
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc?.config ?? {})) {
        if (value && typeof value === "object" && "secure" in value) continue; // encrypted: tests set their own
        out[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}

/** Merges config values the way `pulumi config set --path` would: object keys are merged, others replaced. */
export function withConfig(base: Record<string, string>, extra: Record<string, unknown>): Record<string, string> {
    const out = { ...base };
    for (const [key, value] of Object.entries(extra)) {
        if (value && typeof value === "object" && !Array.isArray(value) && out[key] !== undefined) {
            out[key] = JSON.stringify({ ...JSON.parse(out[key]), ...value });
        } else {
            out[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return out;
}

/** Checkly's account and key as a user sets them (the key is a canary: it must stay in secret config). */
export const CHECKLY_TEST_CONFIG = {
    "checkly:accountId": "7e4a5c38-9c9f-4b3e-8d4e-2f1f6c0a1b2c",
    "checkly:apiKey": `canary-checkly-key-${crypto.randomBytes(8).toString("hex")}`,
};

/** The ids a user sets for each stack (the committed files leave them out on purpose). */
const USER_SET_CONFIG: Record<Environment, Record<string, unknown>> = {
    production: {
        "alert-routing:alertSources": {
            email: fakeId("email"),
            grafanaCloud: fakeId("grafanaCloud"),
            planetScale: fakeId("planetScale"),
            axiom: fakeId("axiom"),
            statusPageViews: fakeId("statusPageViews"),
        },
        "alert-routing:escalationPaths": { engineeringOnCall: fakeId("engineeringOnCall") },
        "alert-routing:slackChannels": { alerts: "C0PRODALERTS" },
        "alert-routing:alertAttributes": { severity: fakeId("severity"), branch: fakeId("branch") },
        "alert-routing:secretStore": { name: "aws-secrets-manager" },
        "alert-routing:alertmanager": { name: "kube-prometheus-stack-alertmanager" },
        "alert-routing:aws": { accountId: TEST_ACCOUNT_IDS.production },
        ...CHECKLY_TEST_CONFIG,
    },
    staging: {
        "alert-routing:slackChannels": { alerts: "C0STAGINGALERTS" },
        "alert-routing:secretStore": { name: "aws-secrets-manager" },
        "alert-routing:alertmanager": { name: "kube-prometheus-stack-alertmanager" },
        "alert-routing:aws": { accountId: TEST_ACCOUNT_IDS.staging },
        ...CHECKLY_TEST_CONFIG,
    },
};

/** The route ids in a config map (as PULUMI_CONFIG holds it). */
export function routeIdsOf(config: Record<string, string>): RouteIds {
    return Object.fromEntries(
        Object.keys(ID_DESCRIPTIONS).map((group) => [group, JSON.parse(config[`alert-routing:${group}`] ?? "{}")]),
    ) as RouteIds;
}

/** A stack's full config for tests: the committed file plus what a user sets. */
export function stackTestConfig(stack: Environment, extra: Record<string, unknown> = {}): Record<string, string> {
    return withConfig(committedConfig(stack), { ...USER_SET_CONFIG[stack], ...extra });
}

/** A secret as serialized for the engine: `{[SECRET_SIG_KEY]: SECRET_SIG, value}`. */
export interface SerializedSecret {
    value: unknown;
    [key: string]: unknown;
}

export function isSecret(value: unknown): value is SerializedSecret {
    return !!value && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** Every string in a serialized value that is NOT inside a secret, with its path. */
export function plaintextStrings(value: unknown, at = ""): Array<{ path: string; text: string }> {
    if (typeof value === "string") return [{ path: at, text: value }];
    if (!value || typeof value !== "object" || isSecret(value)) return [];
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    return entries.flatMap(([k, v]) => [
        ...(Array.isArray(value) ? [] : [{ path: `${at}.${k}`, text: k }]),
        ...plaintextStrings(v, `${at}.${k}`),
    ]);
}

/** The JSON of every value inside a secret, so a test can show a canary did reach where it belongs. */
export function secretText(value: unknown): string {
    if (!value || typeof value !== "object") return "";
    if (isSecret(value)) return JSON.stringify((value as Record<string, unknown>).value);
    return Object.values(value).map(secretText).filter(Boolean).join("\n");
}
