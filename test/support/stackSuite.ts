// The assertions both stacks share. Each test file runs one stack, in its own process:
// describeStack() installs the mocks and config before the program module is loaded.
import * as assert from "node:assert/strict";
import { before, describe, it } from "node:test";

import * as pulumi from "@pulumi/pulumi";

import { ALERT_ROUTE_TYPE } from "../../providers/incident-io/alertRoute";
import * as YAML from "yaml";

import type { AlertRouteSpec } from "../../providers/incident-io/types";
import { ALERT_ATTRIBUTE_TYPE } from "../../providers/incident-io/alertAttribute";
import { ALERT_SOURCE_TYPE } from "../../providers/incident-io/alertSource";
import { CHECKLY_ALERT_CHANNEL_TYPE } from "../../providers/checkly/alertChannel";
import { INCIDENT_IO_TEMPLATE } from "../../providers/checkly/incidentIo";
import { attributesOwnedBy, sourcesOwnedBy } from "../../stack/sources";
import { ROUTES, routeDefinitions, type Environment } from "../../stack/routes";
import { configProblems } from "./alertmanagerRules";
import { externalSecretProblems } from "./externalSecretSchema";
import {
    CANARY,
    CHECKLY_TEST_CONFIG,
    MOCK_SECRET_ARN,
    MOCK_SECRET_VERSION_ID,
    ALERTMANAGER_TYPE,
    TEST_ACCOUNT_IDS,
    installMocks,
    isSecret,
    plaintextStrings,
    routeIdsOf,
    runStack,
    secretText,
    stackTestConfig,
    type Registered,
} from "./stackHarness";

export interface StackExpectations {
    environment: Environment;
    /** Route keys this stack must own, and nothing else. */
    owns: string[];
    alertEventsUrl: string;
    alertmanagerSourceId: string;
    checklySourceId: string;
    adopt: Record<string, string>;
    /** `alert-routing:adoptTokenSecretArn`: the existing AWS secret to import, if any. */
    adoptTokenSecretArn?: string;
    /** The routing coverage findings the run warns of (stack/coverage/), each once. */
    coverageWarnings: string[];
}

const T = {
    stack: "pulumi:pulumi:Stack",
    routing: "alert-routing:index:AlertRouting",
    catalogue: "alert-routing:index:AlertCatalogue",
    source: ALERT_SOURCE_TYPE,
    attribute: ALERT_ATTRIBUTE_TYPE,
    tokenPath: "alert-routing:index:AlertmanagerTokenPath",
    route: ALERT_ROUTE_TYPE,
    checklyChannel: CHECKLY_ALERT_CHANNEL_TYPE,
    awsProvider: "pulumi:providers:aws",
    k8sProvider: "pulumi:providers:kubernetes",
    awsSecret: "aws:secretsmanager/secret:Secret",
    awsSecretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
    k8sSecret: "kubernetes:core/v1:Secret",
    alertmanagerPatch: "kubernetes:monitoring.coreos.com/v1:AlertmanagerPatch",
};

// Typed views of recorded inputs and outputs (casts, not checks: the tests below assert the values).

/** An AlertRoute's inputs, as these tests read them. */
interface RouteInputs {
    name: string;
    alert_sources: Array<{ alert_source_id: string }>;
    __provider: string;
    [key: string]: unknown;
}
const routeInputs = (r: Registered) => r.inputs as RouteInputs;

/** The ExternalSecret's inputs, as these tests read them. */
interface ExternalSecretInputs {
    apiVersion: unknown;
    kind: unknown;
    metadata: { name: unknown; namespace: unknown; annotations: Record<string, unknown> };
    spec: { refreshInterval: unknown; secretStoreRef: unknown; target: { name: string }; data: Array<{ secretKey: string }> };
    [key: string]: unknown;
}
const externalSecretInputs = (r: Registered) => r.inputs as ExternalSecretInputs;

/** The Stack's outputs, as these tests read them (stack/program.ts registers them). */
interface StackOutputs {
    environment: unknown;
    alertEventsUrl: unknown;
    tokenSecretArn: unknown;
    tokenSecretVersionId: unknown;
    alertmanagerBefore: unknown;
    alertmanagerConfig: string;
    /** stack/alertRouting.ts RouteBackup, unwrapped. */
    routes: Record<string, { id: unknown; name: unknown; version: unknown; route: AlertRouteSpec }>;
    [key: string]: unknown;
}

/** Unwraps secrets, for reading values (leak checks use the wrapped form). */
function reveal(value: unknown): unknown {
    if (isSecret(value)) return reveal(value.value);
    if (Array.isArray(value)) return value.map(reveal);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
    return value;
}

export function describeStack(expected: StackExpectations): void {
    const { environment } = expected;
    const recorder = installMocks(environment);
    const config = stackTestConfig(environment, {
        "alert-routing:adopt": expected.adopt,
        ...(expected.adoptTokenSecretArn ? { "alert-routing:adoptTokenSecretArn": expected.adoptTokenSecretArn } : {}),
        "incident-io:apiKey": CANARY.apiKey,
    });
    pulumi.runtime.setAllConfig(config, ["incident-io:apiKey", "checkly:apiKey"]);

    const all = (type: string) => recorder.resources.filter((r) => r.type === type);
    const one = (type: string): Registered => {
        const found = all(type);
        assert.equal(found.length, 1, `expected one ${type}, got ${found.length}`);
        return found[0];
    };
    const outputs = () => (recorder.stackOutputs ?? assert.fail("the stack registered no outputs")) as StackOutputs;

    describe(`stack ${environment} under mocks`, { timeout: 120_000 }, () => {
        before(async () => {
            // Loaded only now: mocks and config must be in place first.
            const { alertRoutingStack } = await import("../../stack/program");
            await runStack(() => alertRoutingStack());
        });

        it("registers exactly the resources of one environment", () => {
            const many: Record<string, number> = {
                [T.route]: expected.owns.length,
                [T.source]: sourcesOwnedBy(environment).length,
                [T.attribute]: attributesOwnedBy(environment).length,
            };
            const expectedCounts = Object.fromEntries(Object.values(T).map((type) => [type, many[type] ?? 1]));
            const counts = Object.fromEntries(Object.values(T).map((type) => [type, all(type).length]));
            assert.deepEqual(counts, expectedCounts);
            assert.equal(
                recorder.resources.length,
                Object.values(expectedCounts).reduce((a, b) => a + b),
                "and nothing else",
            );
            assert.deepEqual(recorder.invokes, []);
        });

        it("warns of each routing coverage finding once, at the stack, as `pulumi preview` prints it", () => {
            const coverage = recorder.logs.filter((l) => l.message.startsWith("routing coverage: "));
            assert.deepEqual(
                coverage.filter((l) => l.severity === "warning").map((l) => l.message),
                expected.coverageWarnings.map((w) => `routing coverage: ${w}`),
            );
            assert.deepEqual(
                coverage.filter((l) => l.severity === "info").map((l) => l.message),
                expected.coverageWarnings.length > 0
                    ? [`routing coverage: the whole table (docs/coverage.md): npm run coverage -- --stack ${environment}`]
                    : [],
            );
            assert.ok(
                coverage.every((l) => !l.resource),
                "stack-level, not attached to a route",
            );
        });

        it("owns its routes and no route of the other stack", () => {
            const routes = all(T.route);
            assert.deepEqual(routes.map((r) => r.name).sort(), [...expected.owns].sort());
            const other: unknown[] = ROUTES.filter((r) => r.owner !== environment).map((r) => r.name);
            for (const route of routes) assert.ok(!other.includes(route.inputs.name), `${route.inputs.name} belongs to another stack`);
            assert.deepEqual(
                routes.map((r) => r.inputs.name).sort(),
                ROUTES.filter((r) => r.owner === environment)
                    .map((r) => r.name)
                    .sort(),
            );
            for (const route of routes) assert.match(route.parent, /alert-routing:index:AlertRouting::routes$/);
        });

        it(`${environment === "production" ? "protects" : "does not protect"} its routes and the token path; retains the AWS secret and its versions`, () => {
            const production = environment === "production";
            for (const route of all(T.route)) assert.equal(route.protect, production, route.name);
            // Every custom resource of the token path, except the secret version: a new token is a new
            // version (a replacement), which protect would refuse; retainOnDelete keeps its value instead.
            const tokenPath = [T.awsSecret, T.externalSecret, T.k8sSecret, T.alertmanagerPatch];
            for (const type of tokenPath) assert.equal(one(type).protect, production, type);
            assert.equal(one(T.awsSecretVersion).protect, false);
            const protectedTypes = recorder.resources.filter((r) => r.protect).map((r) => r.type);
            const catalogue = attributesOwnedBy(environment).length > 0 ? [T.source, T.attribute] : [T.source];
            assert.deepEqual(
                [...new Set(protectedTypes)].sort(),
                production ? [...tokenPath, T.route, T.checklyChannel, ...catalogue].sort() : [],
            );
            for (const type of [T.awsSecret, T.awsSecretVersion]) assert.equal(one(type).retainOnDelete, true, `${type} retainOnDelete`);
            const retained = recorder.resources.filter((r) => r.retainOnDelete).map((r) => r.type);
            const sourcesAndAttributes = [...all(T.source), ...all(T.attribute)].map((r) => r.type);
            assert.deepEqual(
                retained.sort(),
                [T.awsSecret, T.awsSecretVersion, ...sourcesAndAttributes].sort(),
                "only the AWS secret, its version, the sources and the attributes outlive a destroy",
            );
        });

        it("sets the secret's recovery window explicitly: 30 days", () => {
            assert.equal(one(T.awsSecret).inputs.recoveryWindowInDays, 30);
        });

        it("lets the AWS provider act only in this stack's account", () => {
            const provider = one(T.awsProvider);
            assert.deepEqual(JSON.parse(String(provider.inputs.allowedAccountIds)), [TEST_ACCOUNT_IDS[environment]]);
            assert.equal(provider.inputs.forbiddenAccountIds, undefined);
        });

        it("updates the protected config Secret in place (enableSecretMutable) instead of replacing it", () => {
            assert.equal(String(one(T.k8sProvider).inputs.enableSecretMutable), "true");
        });

        it("reads the live Alertmanager (namespace/name) before patching it, and exports what it ran", () => {
            assert.deepEqual(
                recorder.reads.map((r) => ({ type: r.type, id: r.id })),
                [{ type: ALERTMANAGER_TYPE, id: "monitoring/kube-prometheus-stack-alertmanager" }],
            );
            assert.match(recorder.reads[0].provider, /pulumi:providers:kubernetes::kubernetes::/);
            assert.deepEqual(outputs().alertmanagerBefore, {
                name: "kube-prometheus-stack-alertmanager",
                namespace: "monitoring",
                configSecret: "alertmanager-incident-io-config",
                effectiveConfigSecret: "alertmanager-incident-io-config",
                secrets: ["alertmanager-incidentio"],
            });
        });

        it("sends each route as its definition, with the stack's ids, and adopts the configured live ids", () => {
            const routeIds = routeIdsOf(config);
            assert.equal(routeIds.alertSources.alertmanager, expected.alertmanagerSourceId, "from the committed stack file");
            assert.equal(routeIds.alertSources.checkly, expected.checklySourceId, "from the committed stack file");
            for (const definition of routeDefinitions(environment, routeIds)) {
                const registered = all(T.route).find((r) => r.name === definition.key) ?? assert.fail(`no resource for ${definition.key}`);
                const { __provider, adoptId, adoptIdConfigKey, pulumiProject, pulumiStack, sameNameLive, ...spec } = registered.inputs;
                assert.deepEqual(spec, definition.spec);
                assert.equal(adoptId, expected.adopt[definition.key]);
                // A create beside a live route of the same name: production stops the preview, staging warns (the defaults).
                assert.equal(sameNameLive, environment === "production" ? "error" : "warn");
                // Adoption errors name the config key; the claim names the project and stack.
                assert.equal(adoptIdConfigKey, `alert-routing:adopt.${definition.key}`);
                assert.deepEqual([pulumiProject, pulumiStack], ["alert-routing", environment]);
                assert.equal(typeof __provider, "string");
            }
            const sources = all(T.route).flatMap((r) => routeInputs(r).alert_sources.map((s) => s.alert_source_id));
            assert.ok(sources.includes(expected.alertmanagerSourceId), "routes use the committed Alertmanager id");
            assert.ok(sources.includes(expected.checklySourceId), "routes use the committed Checkly id");
        });

        it("keeps the token in AWS Secrets Manager unkey/alertmanager-incident-io in us-east-1, as a secret", () => {
            const provider = one(T.awsProvider);
            assert.equal(provider.inputs.region, "us-east-1");
            assert.equal(provider.inputs.profile, undefined);
            const secret = one(T.awsSecret);
            assert.equal(secret.inputs.name, "unkey/alertmanager-incident-io");
            const version = one(T.awsSecretVersion);
            for (const r of [secret, version]) assert.match(r.provider, /pulumi:providers:aws::aws::/);
            assert.ok(isSecret(version.inputs.secretString), "secretString must be a secret");
            assert.deepEqual(JSON.parse(String(version.inputs.secretString.value)), { alert_source_token: CANARY.token });
            assert.equal(version.inputs.secretId, MOCK_SECRET_ARN);
            assert.equal(secret.importId, expected.adoptTokenSecretArn ?? "", "imports an existing secret only when told to");
            assert.equal(version.importId, "");
        });

        it("takes the token from the Alertmanager AlertSource's output, with no second read", () => {
            const version = one(T.awsSecretVersion);
            const source = all(T.source).find((r) => r.name === "source-alertmanager") ?? assert.fail("no Alertmanager source");
            const sourceUrn = `urn:pulumi:${environment}::alert-routing::alert-routing:index:AlertCatalogue$${T.source}::source-alertmanager`;
            // The value came from the resource: the SecretVersion waits for it. No invoke, no read reaches incident.io.
            assert.ok(version.dependencies.includes(sourceUrn), version.dependencies.join(", "));
            assert.deepEqual(recorder.invokes, []);
            assert.ok(!recorder.reads.some((r) => r.type === T.source));
            assert.equal(source.inputs.adoptId, expected.alertmanagerSourceId);
            for (const s of all(T.source))
                assert.deepEqual(s.additionalSecretOutputs, ["secret_token"], `${s.name}: the engine keeps the token secret`);
        });

        it("adopts each source and attribute its routes stand on, by the config's ids; routes and Alertmanager take ids and URL from them", () => {
            const routeIds = routeIdsOf(config);
            const sources = all(T.source);
            assert.deepEqual(
                sources.map((r) => r.name).sort(),
                sourcesOwnedBy(environment)
                    .map((row) => `source-${row.key}`)
                    .sort(),
            );
            for (const row of sourcesOwnedBy(environment)) {
                const registered = sources.find((r) => r.name === `source-${row.key}`)!;
                const id = (routeIds.alertSources as Record<string, string>)[row.key];
                assert.equal(registered.inputs.adoptId, id, `${row.key} adopts alert-routing:alertSources.${row.key}`);
                assert.equal(registered.inputs.adoptIdConfigKey, `alert-routing:alertSources.${row.key}`);
                const {
                    __provider,
                    adoptId: _adoptId,
                    adoptIdConfigKey: _configKey,
                    pulumiProject: _project,
                    pulumiStack: _stack,
                    ...spec
                } = registered.inputs;
                assert.deepEqual(spec, row.spec(routeIds.alertAttributes), `${row.key} is its table row`);
                assert.match(registered.parent, /alert-routing:index:AlertCatalogue::alert-catalogue$/);
            }
            for (const row of attributesOwnedBy(environment)) {
                const registered = all(T.attribute).find((r) => r.name === `attribute-${row.key}`)!;
                assert.equal(registered.inputs.adoptId, (routeIds.alertAttributes as Record<string, string>)[row.key]);
            }
            // Each route waits for the sources it names: its alert_sources came from their outputs.
            const sourceUrns = sources.map(
                (r) => `urn:pulumi:${environment}::alert-routing::alert-routing:index:AlertCatalogue$${T.source}::${r.name}`,
            );
            for (const route of all(T.route)) {
                const used = routeInputs(route).alert_sources.map((s) => s.alert_source_id);
                for (const id of used) {
                    const key = Object.entries(routeIds.alertSources).find(([, v]) => v === id)![0];
                    assert.ok(
                        route.dependencies.includes(sourceUrns.find((u) => u.endsWith(`::source-${key}`))!),
                        `${route.name} depends on source-${key}`,
                    );
                }
            }
            // Alertmanager's URL is the source's alert_events_url output (the mocks answer with the source type in it).
            const configSecret = one(T.k8sSecret);
            assert.ok(
                configSecret.dependencies.some((d) => d.endsWith("::source-alertmanager")),
                configSecret.dependencies.join(", "),
            );
        });

        it("owns its Checkly channel: named for the stack, posting to its Checkly source's URL output with its token output as a secret Bearer header", () => {
            const channel = one(T.checklyChannel);
            const inputs = channel.inputs as {
                config: unknown;
                type: unknown;
                adoptId?: unknown;
                adoptIdConfigKey?: unknown;
                subscriptions?: unknown;
            };
            assert.equal(channel.protect, environment === "production", "protected in production");
            assert.ok(isSecret(inputs.config), "the whole config (its headers hold the token) is one secret");
            const config = (inputs.config as { value: Record<string, unknown> }).value;
            assert.deepEqual(config, {
                name: environment === "production" ? "incident.io (Production)" : "incident.io (Staging)",
                // The mocks answer the source's alert_events_url with its type and id, as incident.io does.
                url: `https://api.incident.io/v2/alert_events/checkly/${expected.checklySourceId}`,
                method: "POST",
                template: INCIDENT_IO_TEMPLATE,
                webhookType: "WEBHOOK_INCIDENTIO",
                headers: [{ key: "Authorization", value: `Bearer ${CANARY.token}`, locked: true }],
                queryParameters: [],
            });
            assert.equal(inputs.type, "WEBHOOK");
            assert.equal(inputs.subscriptions, undefined, "subscriptions not listed: Checkly's are kept");
            assert.deepEqual([...channel.additionalSecretOutputs].sort(), ["channel", "config"]);
            // URL and token are the Checkly AlertSource's outputs: the channel waits for it; nothing reads the source again.
            assert.ok(
                channel.dependencies.some((d) => d.endsWith(`${T.source}::source-checkly`)),
                channel.dependencies.join(", "),
            );
            assert.ok(!recorder.reads.some((r) => r.type === T.source));
            assert.equal(inputs.adoptId, expected.adopt.checklyChannel);
            assert.equal(inputs.adoptIdConfigKey, expected.adopt.checklyChannel ? "alert-routing:adopt.checklyChannel" : undefined);
            assert.deepEqual(outputs().checklyChannel, {
                id: expected.adopt.checklyChannel ?? "100001",
                name: config.name,
            });
        });

        it("renders the ExternalSecret: names, namespace, refresh interval, store, remote key and property; valid against the CRD", () => {
            const es = one(T.externalSecret);
            assert.match(es.provider, /pulumi:providers:kubernetes::kubernetes::/);
            const { apiVersion, kind, metadata, spec } = externalSecretInputs(es);
            const manifest = { apiVersion, kind, metadata, spec };
            assert.deepEqual(externalSecretProblems(manifest), []);
            assert.equal(apiVersion, "external-secrets.io/v1");
            assert.equal(kind, "ExternalSecret");
            assert.equal(metadata.name, "alertmanager-incidentio");
            assert.equal(metadata.namespace, "monitoring");
            assert.equal(spec.refreshInterval, "1h");
            assert.deepEqual(spec.secretStoreRef, { name: "aws-secrets-manager", kind: "ClusterSecretStore" });
            assert.equal(spec.target.name, "alertmanager-incidentio");
            assert.deepEqual(spec.data, [
                { secretKey: "token", remoteRef: { key: "unkey/alertmanager-incident-io", property: "alert_source_token" } },
            ]);
        });

        it("re-syncs the ExternalSecret on rotation: force-sync is the (non-secret) AWS secret version id", () => {
            const annotation = externalSecretInputs(one(T.externalSecret)).metadata.annotations["force-sync"];
            assert.equal(
                externalSecretInputs(one(T.externalSecret)).metadata.annotations["pulumi.com/waitFor"],
                "condition=Ready",
                "the update waits for ESO's sync",
            );
            assert.equal(annotation, MOCK_SECRET_VERSION_ID);
            assert.equal(typeof annotation, "string", "a secret annotation would hide the fingerprint");
        });

        it("configures Alertmanager: the incident.io receiver with this environment's URL, valid per the reference", () => {
            const configSecret = one(T.k8sSecret);
            assert.deepEqual(reveal(configSecret.inputs.metadata), { name: "alertmanager-incident-io-config", namespace: "monitoring" });
            const amConfig = YAML.parse((reveal(configSecret.inputs.stringData) as Record<string, string>)["alertmanager.yaml"]);
            assert.deepEqual(configProblems(amConfig), []);
            const receiver = amConfig.receivers.find((r: { name: string }) => r.name === amConfig.route.receiver);
            assert.deepEqual(receiver.incidentio_configs, [
                {
                    send_resolved: true,
                    url: expected.alertEventsUrl,
                    alert_source_token_file: "/etc/alertmanager/secrets/alertmanager-incidentio/token",
                },
            ]);
            assert.equal(JSON.stringify(amConfig).includes(CANARY.token), false);
        });

        it("mounts the token where the receiver reads it (spec.secrets → /etc/alertmanager/secrets/<secret>/<key>)", () => {
            const patch = one(T.alertmanagerPatch);
            assert.equal(patch.inputs.apiVersion, "monitoring.coreos.com/v1");
            assert.equal(patch.inputs.kind, "Alertmanager");
            assert.deepEqual(patch.inputs.metadata, {
                name: "kube-prometheus-stack-alertmanager",
                namespace: "monitoring",
                annotations: { "pulumi.com/patchForce": "true" },
            });
            assert.deepEqual(patch.inputs.spec, { configSecret: "alertmanager-incident-io-config", secrets: ["alertmanager-incidentio"] });

            const es = externalSecretInputs(one(T.externalSecret)).spec;
            const amConfig = YAML.parse((reveal(one(T.k8sSecret).inputs.stringData) as Record<string, string>)["alertmanager.yaml"]);
            const tokenFile: string = amConfig.receivers.flatMap(
                (r: { incidentio_configs?: Array<{ alert_source_token_file: string }> }) => r.incidentio_configs ?? [],
            )[0].alert_source_token_file;
            const mounted = (patch.inputs.spec.secrets as string[]).flatMap((s) =>
                s === es.target.name ? es.data.map((d) => `/etc/alertmanager/secrets/${s}/${d.secretKey}`) : [],
            );
            assert.deepEqual(mounted, [tokenFile]);
            // Applied only once the ExternalSecret is Ready (waitFor) and the config Secret exists.
            assert.ok(
                patch.dependencies.some((u) => u.endsWith(`${T.externalSecret}::alertmanager-token`)),
                patch.dependencies.join("\n"),
            );
            assert.ok(
                patch.dependencies.some((u) => u.endsWith(`${T.k8sSecret}::alertmanager-config`)),
                patch.dependencies.join("\n"),
            );
        });

        it("puts no token or API key outside a secret, in any resource input or stack output", () => {
            const canaries = [CANARY.token, CANARY.apiKey, CHECKLY_TEST_CONFIG["checkly:apiKey"]];
            const leaks = [
                ...recorder.resources.flatMap((r) => plaintextStrings(r.inputs).map((s) => ({ ...s, where: `${r.type} ${r.name}` }))),
                ...plaintextStrings(outputs()).map((s) => ({ ...s, where: "stack outputs" })),
            ].filter((s) => canaries.some((c) => s.text.includes(c)));
            assert.deepEqual(leaks, []);
            // Not vacuous: the token did reach the secret version and the Checkly channel, inside secrets.
            assert.ok(secretText(one(T.awsSecretVersion).inputs).includes(CANARY.token));
            assert.ok(secretText(one(T.checklyChannel).inputs).includes(CANARY.token));
            for (const key of [CANARY.apiKey, CHECKLY_TEST_CONFIG["checkly:apiKey"]])
                assert.equal(JSON.stringify(recorder.resources).includes(key), false, "an API key must not be in any resource at all");
        });

        it("serializes a small AlertRoute provider that requires its code and holds no key", () => {
            for (const route of all(T.route)) {
                const text = routeInputs(route).__provider;
                assert.equal(typeof text, "string");
                assert.ok(Buffer.byteLength(text) < 16 * 1024, `__provider of ${route.name} is ${Buffer.byteLength(text)} bytes`);
                assert.ok(!text.includes(CANARY.apiKey) && !text.includes(CANARY.token));
                assert.match(text, /require\(/);
                // Dependencies are required at run time, not inlined into state.
                for (const inlined of ["class IncidentIoClient", "function canonical", "function withDefaults", "undici"]) {
                    assert.ok(!text.includes(inlined), `__provider inlines ${inlined}`);
                }
            }
        });

        it("exports every route's id, version and full route, the secret's ARN and the alert event URL — none of it secret", () => {
            const out = outputs();
            assert.equal(out.environment, environment);
            assert.equal(out.alertEventsUrl, expected.alertEventsUrl);
            assert.equal(out.tokenSecretArn, MOCK_SECRET_ARN);
            assert.equal(out.tokenSecretVersionId, MOCK_SECRET_VERSION_ID);
            assert.deepEqual(Object.keys(out.routes).sort(), [...expected.owns].sort());
            for (const [key, backup] of Object.entries(out.routes)) {
                const resource = all(T.route).find((r) => r.name === key)!;
                assert.equal(backup.name, resource.inputs.name);
                assert.equal(backup.version, 1);
                assert.equal(typeof backup.id, "string");
                if (expected.adopt[key]) assert.equal(backup.id, expected.adopt[key]);
                assert.equal(backup.route.name, resource.inputs.name);
                // alert_sources is set-like: the backup holds it in canonical order (by source id).
                const bySource = (sources: Array<{ alert_source_id: string }>) =>
                    [...sources].sort((a, b) => a.alert_source_id.localeCompare(b.alert_source_id));
                assert.deepEqual(backup.route.alert_sources, bySource(routeInputs(resource).alert_sources));
                assert.ok(
                    backup.route.escalation_config && backup.route.incident_config && backup.route.incident_template,
                    "the full route",
                );
            }
            assert.equal(secretText(out), "", "outputs must be readable without --show-secrets");
            assert.match(out.alertmanagerConfig, new RegExp(expected.alertEventsUrl));
        });
    });
}
