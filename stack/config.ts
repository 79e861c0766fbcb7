// Everything a stack reads from its config, read and checked once, up front: a stack with missing
// or wrong settings fails before any API call, with one message that lists every problem and the
// `pulumi config set` command that fixes it.
import * as pulumi from "@pulumi/pulumi";

import { DEFAULT_BASE_URL } from "../providers/incident-io/client/client";
import { API_KEY_ENV } from "../providers/incident-io/settings";
import { INCIDENT_IO_ID } from "../providers/incident-io/validate";
import type { SecretStoreRef } from "./externalSecret";
import { ENVIRONMENTS, ID_DESCRIPTIONS, ROUTES, idsRequiredBy, routesOwnedBy, type Environment, type IdGroup, type RouteIds, type RouteKey } from "./routes";
import { DEFAULT_NAMESPACE } from "./tokenPath";

export const PROJECT = "alert-routing";

export interface StackConfig {
    environment: Environment;
    routeIds: RouteIds;
    /** Live route ids to take under management on the first `pulumi up` (the resource's adoptId). */
    adopt: Partial<Record<RouteKey, string>>;
    /** Secret. When unset the stack reads the token from incident.io. */
    alertSourceToken?: pulumi.Output<string>;
    incidentIo: { baseUrl: string; apiKey: pulumi.Output<string> };
    aws: { region: string; profile?: string; adoptTokenSecretArn?: string };
    kubernetes: {
        context?: string;
        namespace: string;
        secretStoreRef: SecretStoreRef;
        alertmanagerName: string;
        alertmanagerExtraSecrets: string[];
    };
}

export interface ConfigProblem {
    key: string;
    problem: string;
    fix: string;
}

/** Thrown before any resource is registered; a RunError, so Pulumi prints it without a stack trace. */
export class StackConfigError extends pulumi.RunError {
    constructor(
        readonly stackName: string,
        readonly problems: ConfigProblem[],
    ) {
        super(
            `Stack "${stackName}" cannot run: ${problems.length} configuration problem(s). Nothing was read from or changed in ` +
                `incident.io, AWS or Kubernetes.\n` +
                problems.map((p) => `\n  ${p.key}: ${p.problem}\n    ${p.fix}`).join("") +
                `\n\nEvery key is described in README.md, "Stack configuration".`,
        );
        this.name = "StackConfigError";
    }
}

const SECRET_STORE_KINDS = ["SecretStore", "ClusterSecretStore"] as const;
const PLACEHOLDER = /^<.*>$|^(todo|tbd|changeme|xxx+)$/i;

/** Reads and checks the current stack's config; throws StackConfigError listing every problem. */
export function readStackConfig(stack: string = pulumi.getStack(), env: NodeJS.ProcessEnv = process.env): StackConfig {
    const reader = new Reader(stack);
    const config = reader.read(env);
    if (reader.problems.length > 0) throw new StackConfigError(stack, reader.problems);
    return config!;
}

class Reader {
    readonly problems: ConfigProblem[] = [];
    private readonly project = new pulumi.Config(PROJECT);

    constructor(private readonly stack: string) {}

    read(env: NodeJS.ProcessEnv): StackConfig | undefined {
        if (!(ENVIRONMENTS as readonly string[]).includes(this.stack)) {
            this.problems.push({
                key: "(stack name)",
                problem: `"${this.stack}" is not an environment; the stack name says which routes it owns`,
                fix: `use one of the stacks ${ENVIRONMENTS.map((e) => `"${e}"`).join(", ")}: pulumi stack select ${ENVIRONMENTS[0]}`,
            });
            return undefined;
        }
        const environment = this.stack as Environment;
        const routeIds = this.routeIds(environment);
        const adopt = this.adopt(environment);
        const incidentIo = this.incidentIo(env);
        const aws = this.aws();
        const kubernetes = this.kubernetes();
        const alertSourceToken = this.project.getSecret("alertSourceToken");
        return { environment, routeIds, adopt, alertSourceToken, incidentIo, aws, kubernetes };
    }

    private routeIds(environment: Environment): RouteIds {
        const ids = {} as Record<IdGroup, Record<string, string>>;
        for (const group of Object.keys(ID_DESCRIPTIONS) as IdGroup[]) {
            ids[group] = this.stringMap(group, Object.keys(ID_DESCRIPTIONS[group]), group === "slackChannels" ? undefined : INCIDENT_IO_ID);
        }
        const required = idsRequiredBy(environment);
        // The token path needs the Alertmanager source even where no route of the stack does.
        if (!required.some((r) => r.group === "alertSources" && r.name === "alertmanager")) required.push({ group: "alertSources", name: "alertmanager" });
        for (const ref of required) {
            if (ids[ref.group][ref.name] === undefined) {
                const key = `${PROJECT}:${ref.group}.${ref.name}`;
                const what = (ID_DESCRIPTIONS[ref.group] as Record<string, string>)[ref.name];
                this.missing(key, `the id of ${what}`, this.setCommand(key, "<id>", { path: true }));
            }
        }
        return ids as RouteIds;
    }

    private adopt(environment: Environment): Partial<Record<RouteKey, string>> {
        const owned = routesOwnedBy(environment).map((r) => r.key);
        const adopt = this.stringMap("adopt", ROUTES.map((r) => r.key), INCIDENT_IO_ID);
        const byId = new Map<string, string>();
        for (const [routeKey, id] of Object.entries(adopt)) {
            const row = ROUTES.find((r) => r.key === routeKey);
            if (row && !owned.includes(routeKey)) {
                // Two stacks must never manage the same route.
                this.problems.push({
                    key: `${PROJECT}:adopt.${routeKey}`,
                    problem: `"${row.name}" is owned by the ${row.owner} stack, not ${environment}`,
                    fix: `pulumi config rm --stack ${this.stack} --path '${PROJECT}:adopt.${routeKey}'`,
                });
            }
            const other = byId.get(id);
            if (other) {
                this.problems.push({
                    key: `${PROJECT}:adopt.${routeKey}`,
                    problem: `adopts ${id}, which adopt.${other} adopts too; one live route can back only one route`,
                    fix: `set the right id: ${this.setCommand(`${PROJECT}:adopt.${routeKey}`, "<live route id>", { path: true })}`,
                });
            }
            byId.set(id, routeKey);
        }
        return adopt as Partial<Record<RouteKey, string>>;
    }

    private incidentIo(env: NodeJS.ProcessEnv): StackConfig["incidentIo"] {
        const config = new pulumi.Config("incident-io");
        const fromConfig = config.getSecret("apiKey");
        const fromEnv = env[API_KEY_ENV] ? pulumi.secret(env[API_KEY_ENV]!) : undefined;
        const apiKey = fromConfig ?? fromEnv;
        if (!apiKey) {
            this.missing(
                "incident-io:apiKey",
                `the incident.io API key (scopes "View data" and "Create and manage on-call resources")`,
                `${this.setCommand("incident-io:apiKey", "<api key>", { secret: true })}   (or export ${API_KEY_ENV})`,
            );
        }
        return { baseUrl: config.get("baseUrl") ?? DEFAULT_BASE_URL, apiKey: apiKey ?? pulumi.secret("") };
    }

    private aws(): StackConfig["aws"] {
        const config = new pulumi.Config("aws");
        const region = config.get("region");
        if (!region) this.missing("aws:region", "the AWS region of the token secret", this.setCommand("aws:region", "us-east-1"));
        return {
            region: region ?? "",
            profile: config.get("profile"),
            adoptTokenSecretArn: this.project.get("adoptTokenSecretArn"),
        };
    }

    private kubernetes(): StackConfig["kubernetes"] {
        const store = this.stringMap("secretStore", ["name", "kind"]);
        const kind = store.kind ?? "ClusterSecretStore";
        if (!(SECRET_STORE_KINDS as readonly string[]).includes(kind)) {
            this.problems.push({
                key: `${PROJECT}:secretStore.kind`,
                problem: `must be ${SECRET_STORE_KINDS.join(" or ")}, got "${kind}"`,
                fix: this.setCommand(`${PROJECT}:secretStore.kind`, "ClusterSecretStore", { path: true }),
            });
        }
        if (!store.name) {
            const key = `${PROJECT}:secretStore.name`;
            this.missing(key, "the External Secrets store that reads AWS Secrets Manager", this.setCommand(key, "<store name>", { path: true }));
        }

        const alertmanager = this.object("alertmanager") ?? {};
        const name = this.text(alertmanager.name, `${PROJECT}:alertmanager.name`);
        const namespace = this.text(alertmanager.namespace, `${PROJECT}:alertmanager.namespace`) ?? DEFAULT_NAMESPACE;
        if (!name) {
            const key = `${PROJECT}:alertmanager.name`;
            this.missing(
                key,
                "the name of the Alertmanager resource (kubectl get alertmanagers -n monitoring)",
                this.setCommand(key, "<alertmanager name>", { path: true }),
            );
        }
        const extra = alertmanager.extraSecrets ?? [];
        if (!Array.isArray(extra) || extra.some((s) => typeof s !== "string")) {
            this.problems.push({
                key: `${PROJECT}:alertmanager.extraSecrets`,
                problem: "must be a list of Secret names",
                fix: this.setCommand(`${PROJECT}:alertmanager.extraSecrets[0]`, "<secret name>", { path: true }),
            });
        }
        return {
            context: new pulumi.Config("kubernetes").get("context"),
            namespace,
            secretStoreRef: { name: store.name ?? "", kind: kind as SecretStoreRef["kind"] },
            alertmanagerName: name ?? "",
            alertmanagerExtraSecrets: Array.isArray(extra) ? (extra as string[]) : [],
        };
    }

    /** An object of strings whose keys must be among `known` (typos are reported, not ignored). */
    private stringMap(key: string, known: readonly string[], idPattern?: RegExp): Record<string, string> {
        const value = this.object(key) ?? {};
        const out: Record<string, string> = {};
        for (const [name, v] of Object.entries(value)) {
            const full = `${PROJECT}:${key}.${name}`;
            if (!known.includes(name)) {
                this.problems.push({
                    key: full,
                    problem: `unknown name "${name}"; ${key} takes ${known.join(", ")}`,
                    fix: `pulumi config rm --stack ${this.stack} --path '${full}'`,
                });
                continue;
            }
            const text = this.text(v, full);
            if (text !== undefined && idPattern && !idPattern.test(text)) {
                this.problems.push({
                    key: full,
                    problem: `"${text}" is not an incident.io id (26 characters like 01FCNDV6P870EA6S7TK1DSYDG0; copy it from the dashboard)`,
                    fix: this.setCommand(full, "<id>", { path: true }),
                });
            } else if (text !== undefined) {
                out[name] = text;
            }
        }
        return out;
    }

    private object(key: string): Record<string, unknown> | undefined {
        const full = `${PROJECT}:${key}`;
        let value: unknown;
        try {
            value = this.project.getObject<unknown>(key);
        } catch {
            value = null;
        }
        if (value === undefined) return undefined;
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            this.problems.push({
                key: full,
                problem: "must be an object of names to values",
                fix: `set its entries with --path, e.g. ${this.setCommand(`${full}.<name>`, "<value>", { path: true })}`,
            });
            return undefined;
        }
        return value as Record<string, unknown>;
    }

    private text(value: unknown, key: string): string | undefined {
        if (value === undefined || value === null) return undefined;
        if (typeof value !== "string" || value.trim() === "" || value.trim() !== value || PLACEHOLDER.test(value)) {
            this.problems.push({
                key,
                problem: `must be a plain, non-empty value, got ${JSON.stringify(value)}`,
                fix: this.setCommand(key, "<value>", { path: key.includes(".") }),
            });
            return undefined;
        }
        return value;
    }

    private missing(key: string, what: string, fix: string): void {
        this.problems.push({ key, problem: `not set: ${what}`, fix });
    }

    private setCommand(key: string, value: string, opts: { path?: boolean; secret?: boolean } = {}): string {
        const flags = `${opts.secret ? " --secret" : ""}${opts.path ? " --path" : ""}`;
        return `pulumi config set --stack ${this.stack}${flags} '${key}' ${value}`;
    }
}
