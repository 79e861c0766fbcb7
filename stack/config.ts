// Everything a stack reads from its config, read and checked once, up front: a stack with missing
// or wrong settings fails before any API call, with one message that lists every problem and the
// `pulumi config set` command that fixes it.
import * as pulumi from "@pulumi/pulumi";

import {
    API_KEY_ENV,
    configRmCommand,
    configSetCommand,
    DEFAULT_BASE_URL,
    describeValue,
    escapeControl,
    idProblem,
    parseBaseUrl,
    pulumiCommand,
    SAME_NAME_LEVELS,
    type SameNameLevel,
    secretKeyLine,
    stackSettingFix,
    unusualId,
} from "../providers/incident-io";
import {
    CHECKLY_ACCOUNT_ID,
    CHECKLY_ACCOUNT_ID_ENV,
    CHECKLY_API_KEY_ENV,
    CHECKLY_CHANNEL_ID,
    CHECKLY_CONFIG_KEYS,
    CHECKLY_DEFAULT_BASE_URL,
    CHECKLY_ORIGIN,
} from "../providers/checkly";
import { AWS_ACCOUNT_ID, AWS_REGIONS, tokenSecretArnProblem } from "./awsTarget";
import { closestKey, dns1123LabelProblem, dns1123SubdomainProblem, slackChannelProblem } from "./configValues";
import type { SecretStoreRef } from "./externalSecret";
import {
    defaultSameNameLevel,
    ENVIRONMENTS,
    ID_DESCRIPTIONS,
    ROUTES,
    routesOwnedBy,
    type Environment,
    type IdGroup,
    type RouteIds,
    type RouteKey,
} from "./routes";
import { idsNeededBy } from "./sources";
import { DEFAULT_NAMESPACE } from "./tokenPath";

export const PROJECT = "alert-routing";
/** `alert-routing:adopt.checklyChannel`: the live Checkly channel the stack takes over (a Checkly id). */
export const CHECKLY_ADOPT_NAME = "checklyChannel";

export interface StackConfig {
    environment: Environment;
    routeIds: RouteIds;
    /** Live route ids to take under management on the first `pulumi up` (the resource's adoptId). */
    adopt: Partial<Record<RouteKey, string>>;
    /** A route about to be created beside a live route of its name (no adopt key): a preview warning or an error. */
    sameNameLiveRoute: SameNameLevel;
    /** The live Checkly channel to take under management (`alert-routing:adopt.checklyChannel`). */
    adoptChecklyChannel?: string;
    /** Checked here so a missing or wrong value stops the stack before any call; the provider reads
     * the same keys itself (checkly:apiKey reaches it as secret config, or CHECKLY_API_KEY). */
    checkly: { baseUrl: string; accountId: string };
    incidentIo: { baseUrl: string; apiKey: pulumi.Output<string> };
    /** `accountId` goes to the AWS provider as allowedAccountIds: any other account is refused before a change. */
    aws: { region: string; accountId: string; profile?: string; adoptTokenSecretArn?: string };
    kubernetes: {
        context?: string;
        namespace: string;
        secretStoreRef: SecretStoreRef;
        alertmanagerName: string;
        alertmanagerExtraSecrets: string[];
        /** Replace the live Alertmanager's config Secret and mounts even when they are not ours. */
        alertmanagerTakeOverConfig: boolean;
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
                `\n\nEvery key is described in docs/configuration.md, "Stack configuration".`,
        );
        this.name = "StackConfigError";
    }
}

const SECRET_STORE_KINDS = ["SecretStore", "ClusterSecretStore"] as const;
const PLACEHOLDER = /^<.*>$|^(todo|tbd|changeme|xxx+)$/i;

/** Every key of `alert-routing:` and, for objects, the names inside them; anything else is a typo. */
export const TOP_LEVEL_KEYS = [
    ...Object.keys(ID_DESCRIPTIONS),
    "adopt",
    "adoptTokenSecretArn",
    "sameNameLiveRoute",
    "aws",
    "secretStore",
    "alertmanager",
];
/** Namespaces a stack's config may use: this project's, its providers' and Pulumi's own. */
export const KNOWN_NAMESPACES = [PROJECT, "incident-io", "checkly", "aws", "kubernetes", "pulumi"];

/**
 * Keys this project once read, with why they are no longer read. `alertSourceToken` held a copy of the
 * Alertmanager source's token; the token is now that source's `secret_token` output (its AlertSource
 * resource, read on adoption and on every refresh). A copy can only equal it or be wrong, and a wrong
 * one (left over after a rotation in the dashboard) would make incident.io refuse every alert.
 */
export const RETIRED_KEYS: Record<string, string> = {
    alertSourceToken:
        "is no longer read: the token Alertmanager presents is the Alertmanager source's secret_token output (its AlertSource resource, read on adoption and on every refresh), so a copy here could only be that token or a stale one. Remove it",
};

/** Why nothing reads a stack config key (a misspelt `checkley:apiKey`, `alert-routing:adoptTokenSecretARN`),
 * or undefined. One wording for the program and the scripts that read Pulumi.<stack>.yaml.
 * `namespace`: the key's namespace is unknown (a warning: other tools may keep keys there). */
export function unknownConfigKey(full: string): { problem: string; namespace: boolean } | undefined {
    const at = full.indexOf(":");
    const namespace = at > 0 ? full.slice(0, at) : "";
    const name = full.slice(at + 1);
    const shown = escapeControl(full);
    if (!KNOWN_NAMESPACES.includes(namespace))
        return {
            namespace: true,
            problem: `unknown namespace "${escapeControl(namespace)}"; did you mean ${closestKey(namespace, KNOWN_NAMESPACES)}:${escapeControl(name)}? Nothing reads ${shown}`,
        };
    if (namespace === PROJECT && Object.hasOwn(RETIRED_KEYS, name)) return { namespace: false, problem: RETIRED_KEYS[name] };
    if (namespace === PROJECT && !TOP_LEVEL_KEYS.includes(name))
        return {
            namespace: false,
            problem: `unknown key; did you mean ${PROJECT}:${closestKey(name, TOP_LEVEL_KEYS)}? Nothing reads ${shown}`,
        };
    return undefined;
}

const OBJECT_KEYS = {
    aws: ["accountId"],
    secretStore: ["name", "kind"],
    alertmanager: ["name", "namespace", "extraSecrets", "takeOverConfig"],
} as const;

/** Reads and checks the current stack's config; throws StackConfigError listing every problem. */
export function readStackConfig(
    stack: string = pulumi.getStack(),
    env: NodeJS.ProcessEnv = process.env,
    warn: (message: string) => void = (message) => void pulumi.log.warn(message),
): StackConfig {
    const reader = new Reader(stack);
    const config = reader.read(env);
    if (reader.problems.length > 0) throw new StackConfigError(stack, reader.problems);
    for (const warning of reader.warnings) warn(warning);
    return config!;
}

class Reader {
    readonly problems: ConfigProblem[] = [];
    /** Values that pass but look unusual (an id unlike today's ids): printed, never fatal. */
    readonly warnings: string[] = [];
    /** Keys already reported: a value that is wrong is not reported again as missing. */
    private readonly reported = new Set<string>();
    private readonly project = new pulumi.Config(PROJECT);

    constructor(private readonly stack: string) {}

    read(env: NodeJS.ProcessEnv): StackConfig | undefined {
        if (!(ENVIRONMENTS as readonly string[]).includes(this.stack)) {
            this.problem(
                "(stack name)",
                `"${this.stack}" is not an environment; the stack name says which routes it owns`,
                // Not `pulumi stack select production`: the operator's next command would then change production.
                `name one of the stacks ${ENVIRONMENTS.map((e) => `"${e}"`).join(", ")} on each command, e.g. ${pulumiCommand("preview", "staging")}`,
            );
            return undefined;
        }
        const environment = this.stack as Environment;
        this.unknownTopLevelKeys();
        const routeIds = this.routeIds(environment);
        const { routes: adopt, checklyChannel: adoptChecklyChannel } = this.adopt(environment);
        const sameNameLiveRoute = this.sameNameLiveRoute(environment);
        const incidentIo = this.incidentIo(env);
        const checkly = this.checkly(env);
        const aws = this.aws();
        const kubernetes = this.kubernetes();
        return { environment, routeIds, adopt, adoptChecklyChannel, sameNameLiveRoute, incidentIo, checkly, aws, kubernetes };
    }

    /** Keys that nothing reads: a misspelt `alert-routing:adoptTokenSecretARN` is refused; a key of an
     * unknown namespace (`checkley:apiKey`) is a warning, as another tool may keep keys there. */
    private unknownTopLevelKeys(): void {
        for (const full of Object.keys(pulumi.runtime.allConfig())) {
            const unknown = unknownConfigKey(full);
            if (!unknown) continue;
            const fix = configRmCommand({ stack: this.stack, key: full });
            if (unknown.namespace) this.warnings.push(`${escapeControl(full)}: ${unknown.problem}: ${fix}`);
            else this.problem(full, unknown.problem, fix);
        }
    }

    private routeIds(environment: Environment): RouteIds {
        const ids = {} as Record<IdGroup, Record<string, string>>;
        for (const group of Object.keys(ID_DESCRIPTIONS) as IdGroup[]) {
            ids[group] = this.stringMap(
                group,
                Object.keys(ID_DESCRIPTIONS[group]),
                group === "slackChannels" ? slackChannelProblem : idProblem,
                group === "slackChannels" ? undefined : unusualId,
            );
        }
        // The routes' ids, and those the stack's sources and attributes are adopted by.
        const required = idsNeededBy(environment);
        // The token path needs the Alertmanager source even where no route of the stack does.
        if (!required.some((r) => r.group === "alertSources" && r.name === "alertmanager"))
            required.push({ group: "alertSources", name: "alertmanager" });
        // The stack's Checkly channel posts to its Checkly source (stack/checklyChannel.ts).
        if (!required.some((r) => r.group === "alertSources" && r.name === "checkly"))
            required.push({ group: "alertSources", name: "checkly" });
        for (const ref of required) {
            if (ids[ref.group][ref.name] === undefined) {
                const key = `${PROJECT}:${ref.group}.${ref.name}`;
                const what = (ID_DESCRIPTIONS[ref.group] as Record<string, string>)[ref.name];
                const placeholder = ref.group === "slackChannels" ? "<channel id>" : "<id>";
                this.missing(key, `the id of ${what}`, this.setCommand(key, placeholder, { path: true }));
            }
        }
        return ids as RouteIds;
    }

    private sameNameLiveRoute(environment: Environment): SameNameLevel {
        const key = `${PROJECT}:sameNameLiveRoute`;
        const fallback = defaultSameNameLevel(environment);
        const value: unknown = this.project.get("sameNameLiveRoute");
        if (value === undefined) return fallback;
        if (!(SAME_NAME_LEVELS as readonly unknown[]).includes(value)) {
            this.problem(key, `must be "error" or "warn", got ${describeStored(value)}`, this.setCommand(key, fallback));
            return fallback;
        }
        return value as SameNameLevel;
    }

    private adopt(environment: Environment): { routes: Partial<Record<RouteKey, string>>; checklyChannel?: string } {
        const owned = routesOwnedBy(environment).map((r) => r.key);
        // adopt.checklyChannel is a Checkly channel id (a number); every other name a route's incident.io id.
        const isChannel = (name: string) => name === CHECKLY_ADOPT_NAME;
        const { [CHECKLY_ADOPT_NAME]: checklyChannel, ...adopt } = this.stringMap(
            "adopt",
            [...ROUTES.map((r) => r.key), CHECKLY_ADOPT_NAME],
            (value, name) => (isChannel(name) ? checklyChannelIdProblem(value) : idProblem(value)),
            (value, name) => (isChannel(name) ? undefined : unusualId(value)),
        );
        const byId = new Map<string, string>();
        for (const [routeKey, id] of Object.entries(adopt)) {
            const row = ROUTES.find((r) => r.key === routeKey);
            if (row && !owned.includes(routeKey)) {
                // Two stacks must never manage the same route.
                this.problem(
                    `${PROJECT}:adopt.${routeKey}`,
                    `"${row.name}" is owned by the ${row.owner} stack, not ${environment}`,
                    configRmCommand({ stack: this.stack, key: `${PROJECT}:adopt.${routeKey}`, path: true }),
                );
            }
            const other = byId.get(id);
            if (other) {
                this.problem(
                    `${PROJECT}:adopt.${routeKey}`,
                    `adopts ${id}, which adopt.${other} adopts too; one live route can back only one route`,
                    `set the right id: ${this.setCommand(`${PROJECT}:adopt.${routeKey}`, "<live route id>", { path: true })}`,
                );
            }
            byId.set(id, routeKey);
        }
        return { routes: adopt as Partial<Record<RouteKey, string>>, checklyChannel };
    }

    /** Checkly's key and account: both needed before the stack's channel can be read or written. */
    private checkly(env: NodeJS.ProcessEnv): StackConfig["checkly"] {
        const config = new pulumi.Config("checkly");
        const apiKey = config.getSecret("apiKey") ?? (env[CHECKLY_API_KEY_ENV] || undefined);
        if (!apiKey) {
            this.missing(
                CHECKLY_CONFIG_KEYS.apiKey,
                "a Checkly API key for the account of the stack's alert channel (Checkly → User settings → API keys)",
                secretKeyLine({ stack: this.stack, key: CHECKLY_CONFIG_KEYS.apiKey, env: CHECKLY_API_KEY_ENV }),
            );
        }
        const accountKey = CHECKLY_CONFIG_KEYS.accountId;
        const raw = config.get("accountId") ?? (env[CHECKLY_ACCOUNT_ID_ENV] || undefined);
        const accountId = raw?.trim();
        if (accountId === undefined || accountId === "") {
            this.missing(
                accountKey,
                "the Checkly account's id (Checkly → Account settings → General)",
                `${this.setCommand(accountKey, "<account id>")}   (or export ${CHECKLY_ACCOUNT_ID_ENV})`,
            );
        } else if (!CHECKLY_ACCOUNT_ID.test(accountId)) {
            this.problem(
                accountKey,
                `${describeValue(raw)} is not a Checkly account id (a uuid, from Account settings → General)`,
                this.setCommand(accountKey, "<account id>"),
            );
        }
        let baseUrl = CHECKLY_DEFAULT_BASE_URL;
        const configured = config.get("baseUrl");
        if (configured !== undefined) {
            try {
                baseUrl = parseBaseUrl(configured, CHECKLY_CONFIG_KEYS.baseUrl, CHECKLY_ORIGIN, stackSettingFix(this.stack));
            } catch (error) {
                this.problem(
                    CHECKLY_CONFIG_KEYS.baseUrl,
                    (error as Error).message,
                    this.setCommand(CHECKLY_CONFIG_KEYS.baseUrl, CHECKLY_DEFAULT_BASE_URL),
                );
            }
        }
        return { baseUrl, accountId: accountId ?? "" };
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
                secretKeyLine({ stack: this.stack, key: "incident-io:apiKey", env: API_KEY_ENV }),
            );
        }
        // The stack sends the API key to this origin to read the token: checked as the provider checks it.
        let baseUrl = DEFAULT_BASE_URL;
        const configured = config.get("baseUrl");
        if (configured !== undefined) {
            try {
                baseUrl = parseBaseUrl(configured, "incident-io:baseUrl", undefined, stackSettingFix(this.stack));
            } catch (error) {
                this.problem("incident-io:baseUrl", (error as Error).message, this.setCommand("incident-io:baseUrl", DEFAULT_BASE_URL));
            }
        }
        return { baseUrl, apiKey: apiKey ?? pulumi.secret("") };
    }

    private aws(): StackConfig["aws"] {
        const config = new pulumi.Config("aws");
        const rawRegion = config.get("region");
        let region = this.text(rawRegion, "aws:region", "us-east-1");
        if (region !== undefined && !AWS_REGIONS.includes(region)) {
            this.problem(
                "aws:region",
                `"${region}" is not an AWS region; did you mean ${closestKey(region, AWS_REGIONS)}?`,
                this.setCommand("aws:region", closestKey(region, AWS_REGIONS)),
            );
            region = undefined;
        }
        if (rawRegion === undefined)
            this.missing("aws:region", "the AWS region of the token secret", this.setCommand("aws:region", "us-east-1"));

        const target = this.object("aws", OBJECT_KEYS.aws) ?? {};
        const accountKey = `${PROJECT}:aws.accountId`;
        let accountId = this.text(target.accountId, accountKey, "<12-digit account id>");
        if (accountId !== undefined && !AWS_ACCOUNT_ID.test(accountId)) {
            this.problem(
                accountKey,
                `"${accountId}" is not an AWS account id (12 digits)`,
                this.setCommand(accountKey, "<12-digit account id>", { path: true }),
            );
            accountId = undefined;
        }
        if (accountId === undefined) {
            this.missing(
                accountKey,
                "the AWS account that holds this environment's token secret; any other account is refused (aws sts get-caller-identity --query Account)",
                this.setCommand(accountKey, "<12-digit account id>", { path: true }),
            );
        }

        const arnKey = `${PROJECT}:adoptTokenSecretArn`;
        const adoptTokenSecretArn = this.text(this.project.get("adoptTokenSecretArn"), arnKey, "<secret arn>");
        if (adoptTokenSecretArn !== undefined) {
            // Checked even when the region or account is wrong too: every bad value is named in one run.
            const problem = tokenSecretArnProblem(adoptTokenSecretArn, { accountId, region });
            if (problem) this.problem(arnKey, problem, this.setCommand(arnKey, "<secret ARN in this account>"));
        }
        return { region: region ?? "", accountId: accountId ?? "", profile: config.get("profile"), adoptTokenSecretArn };
    }

    private kubernetes(): StackConfig["kubernetes"] {
        const store = this.stringMap("secretStore", OBJECT_KEYS.secretStore);
        const kind = store.kind ?? "ClusterSecretStore";
        if (!(SECRET_STORE_KINDS as readonly string[]).includes(kind)) {
            this.problem(
                `${PROJECT}:secretStore.kind`,
                `must be ${SECRET_STORE_KINDS.join(" or ")}, got "${kind}"`,
                this.setCommand(`${PROJECT}:secretStore.kind`, "ClusterSecretStore", { path: true }),
            );
        }
        const storeName = this.dnsName(store.name, `${PROJECT}:secretStore.name`, (v) => dns1123SubdomainProblem(v, "SecretStore"));
        if (storeName === undefined) {
            const key = `${PROJECT}:secretStore.name`;
            this.missing(
                key,
                "the External Secrets store that reads AWS Secrets Manager",
                this.setCommand(key, "<store name>", { path: true }),
            );
        }

        const alertmanager = this.object("alertmanager", OBJECT_KEYS.alertmanager) ?? {};
        const nameKey = `${PROJECT}:alertmanager.name`;
        const name = this.dnsName(this.text(alertmanager.name, nameKey), nameKey, (v) => dns1123SubdomainProblem(v, "Alertmanager"));
        const namespaceKey = `${PROJECT}:alertmanager.namespace`;
        const namespace =
            this.dnsName(this.text(alertmanager.namespace, namespaceKey), namespaceKey, dns1123LabelProblem) ?? DEFAULT_NAMESPACE;
        if (name === undefined) {
            this.missing(
                nameKey,
                "the name of the Alertmanager resource (kubectl get alertmanagers -n monitoring)",
                this.setCommand(nameKey, "<alertmanager name>", { path: true }),
            );
        }
        const extraSecrets = this.extraSecrets(alertmanager.extraSecrets);
        const takeOverKey = `${PROJECT}:alertmanager.takeOverConfig`;
        const takeOver = alertmanager.takeOverConfig;
        // `pulumi config set --path` stores true as a boolean; a hand-edited file may hold the string.
        if (takeOver !== undefined && takeOver !== true && takeOver !== false && takeOver !== "true" && takeOver !== "false") {
            this.problem(
                takeOverKey,
                `must be true or false, got ${describeStored(takeOver)}`,
                this.setCommand(takeOverKey, "true", { path: true }),
            );
        }
        return {
            context: new pulumi.Config("kubernetes").get("context"),
            namespace,
            secretStoreRef: { name: storeName ?? "", kind: kind as SecretStoreRef["kind"] },
            alertmanagerName: name ?? "",
            alertmanagerExtraSecrets: extraSecrets,
            alertmanagerTakeOverConfig: takeOver === true || takeOver === "true",
        };
    }

    private extraSecrets(value: unknown): string[] {
        const key = `${PROJECT}:alertmanager.extraSecrets`;
        if (value === undefined || value === null) return [];
        if (!Array.isArray(value)) {
            this.problem(
                key,
                `must be a list of Secret names, got ${describeStored(value)}`,
                `${configRmCommand({ stack: this.stack, key, path: true })}, then ${this.setCommand(`${key}[0]`, "<secret name>", { path: true })}`,
            );
            return [];
        }
        const names: string[] = [];
        const listedAt = new Map<string, number>();
        value.forEach((entry, i) => {
            const entryKey = `${key}[${i}]`;
            const name = this.dnsName(this.text(entry, entryKey, "<secret name>"), entryKey, (v) => dns1123SubdomainProblem(v, "Secret"));
            if (name === undefined) return;
            // The operator's Secret list is mounted as given: the same Secret twice is two volumes of one name.
            const first = listedAt.get(name);
            if (first !== undefined) {
                this.problem(
                    entryKey,
                    `"${name}" is listed twice (also ${key}[${first}]); each Secret is mounted once: remove this entry`,
                    configRmCommand({ stack: this.stack, key: entryKey, path: true }),
                );
                return;
            }
            listedAt.set(name, i);
            names.push(name);
        });
        return names;
    }

    /** `value` if it passes `check`, else undefined with the problem reported under `key`. */
    private dnsName(value: string | undefined, key: string, check: (v: string) => string | undefined): string | undefined {
        if (value === undefined) return undefined;
        const problem = check(value);
        if (!problem) return value;
        this.problem(key, problem, this.setCommand(key, "<name>", { path: key.includes(".") }));
        return undefined;
    }

    /** An object of strings whose keys must be among `known` (typos are reported, not ignored). */
    private stringMap(
        key: string,
        known: readonly string[],
        valueProblem?: (value: string, name: string) => string | undefined,
        valueWarning?: (value: string, name: string) => string | undefined,
    ): Record<string, string> {
        const value = this.object(key, known) ?? {};
        const out: Record<string, string> = {};
        for (const [name, v] of Object.entries(value)) {
            if (!known.includes(name)) continue; // reported by object()
            const full = `${PROJECT}:${key}.${name}`;
            const text = this.text(v, full, "<id>");
            const problem = text === undefined ? undefined : valueProblem?.(text, name);
            if (problem) this.problem(full, problem, this.setCommand(full, idPlaceholder(key, name), { path: true }));
            else if (text !== undefined) {
                out[name] = text;
                const warning = valueWarning?.(text, name);
                if (warning) this.warnings.push(`${full}: ${warning}`);
            }
        }
        return out;
    }

    /** `alert-routing:<key>` as an object; names outside `known` are reported with the closest known name. */
    private object(key: string, known: readonly string[]): Record<string, unknown> | undefined {
        const full = `${PROJECT}:${key}`;
        let value: unknown;
        try {
            value = this.project.getObject<unknown>(key);
        } catch {
            value = null;
        }
        if (value === undefined) return undefined;
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            this.problem(
                full,
                "must be an object of names to values",
                `${configRmCommand({ stack: this.stack, key: full })}, then set each entry: ${this.setCommand(`${full}.<name>`, "<value>", { path: true })}`,
            );
            // Its entries are reported here, not again as missing.
            for (const name of known) this.reported.add(`${full}.${name}`);
            return undefined;
        }
        for (const name of Object.keys(value)) {
            if (known.includes(name)) continue;
            this.problem(
                `${full}.${name}`,
                `unknown name "${name}"; did you mean ${closestKey(name, known)}? ${key} takes ${known.join(", ")}`,
                configRmCommand({ stack: this.stack, key: `${full}.${name}`, path: true }),
            );
        }
        return value as Record<string, unknown>;
    }

    private text(value: unknown, key: string, placeholder = "<value>"): string | undefined {
        if (value === undefined || value === null) return undefined;
        const text = storedText(value);
        if (text === undefined || text.trim() === "" || text.trim() !== text || PLACEHOLDER.test(text)) {
            this.problem(
                key,
                `must be a plain, non-empty value, got ${describeStored(value)}`,
                this.setCommand(key, placeholder, { path: key.includes(".") }),
            );
            return undefined;
        }
        return text;
    }

    private problem(key: string, problem: string, fix: string): void {
        this.problems.push({ key, problem, fix });
        this.reported.add(key);
    }

    private missing(key: string, what: string, fix: string): void {
        if (this.reported.has(key)) return;
        this.problem(key, `not set: ${what}`, fix);
    }

    private setCommand(key: string, value: string, opts: { path?: boolean } = {}): string {
        return configSetCommand({ stack: this.stack, key, value, ...opts });
    }
}

/**
 * A config value as text. `pulumi config set --path` stores a whole number as a number and
 * true/false as booleans (pulumi/pulumi sdk/go/common/resource/config/map.go, adjustObjectValue:
 * "true"/"false" become booleans; digits become an int unless they start with "0"), so digits
 * typed for an id or an account come back as a number: that is what was meant. Anything else that
 * is not a string is refused by the caller, which says what it got.
 */
export function storedText(value: unknown): string | undefined {
    if (typeof value === "string") return value;
    if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
    return undefined;
}

/** What a refused stored value was, in words: `true (a boolean)`, `NaN`, `["a"] (a list)`. */
function describeStored(value: unknown): string {
    const kind =
        typeof value === "boolean"
            ? " (a boolean: `pulumi config set --path` stores true and false as booleans)"
            : typeof value === "number"
              ? Number.isFinite(value)
                  ? Number.isInteger(value)
                      ? " (a number too large to read back exactly: quote it in the stack file)"
                      : " (a number)"
                  : ""
              : Array.isArray(value)
                ? " (a list)"
                : value !== null && typeof value === "object"
                  ? " (an object)"
                  : "";
    return `${describeValue(value)}${kind}`;
}

/** What an id of `alert-routing:<key>.<name>` looks like, in a printed command. */
function idPlaceholder(key: string, name: string): string {
    if (key === "slackChannels") return "<channel id>";
    return key === "adopt" && name === CHECKLY_ADOPT_NAME ? "<checkly channel id>" : "<id>";
}

/** A Checkly channel id is a number (Checkly's API: alert channel `id`, integer). */
function checklyChannelIdProblem(value: string): string | undefined {
    if (CHECKLY_CHANNEL_ID.test(value)) return undefined;
    return `${describeValue(value)} is not a Checkly alert channel id (a number such as 123456; \`npm run discover-config\` finds it)`;
}
