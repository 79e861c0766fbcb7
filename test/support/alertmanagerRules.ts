// The rules of Alertmanager's configuration reference that our config touches: the
// `<incidentio_config>` block and receiver references. They are kept, reduced to facts, in
// dev/reference/alertmanager (regenerated from the published docs/configuration.md by
// dev/reference/regenerate.ts), so a config using an undocumented key fails.
import * as fs from "node:fs";
import { REFERENCE_DIR } from "../../dev/paths";
import * as path from "node:path";

const RULES_FILE = path.join(REFERENCE_DIR, "alertmanager", "incidentio-config.rules.json");

export interface AlertmanagerRules {
    /** incidentio_config fields and their documented types (`<string>`, `<filepath>`, ...). */
    incidentio_config: { fields: Record<string, string>; mutually_exclusive: string[][] };
    /** receiver fields; `incidentio_configs` is a list of this block. */
    receiver: { fields: string[]; incidentio_configs: string };
}

let cached: AlertmanagerRules | undefined;

export function rules(): AlertmanagerRules {
    return (cached ??= JSON.parse(fs.readFileSync(RULES_FILE, "utf8")) as AlertmanagerRules);
}

/** Keys documented for one block. */
export function documentedKeys(name: "incidentio_config" | "receiver"): string[] {
    return name === "receiver" ? rules().receiver.fields : Object.keys(rules().incidentio_config.fields);
}

const DURATION = /^((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)$/;

/** Problems with one incidentio_config; [] when it obeys the reference. */
export function incidentioConfigProblems(config: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const keys = documentedKeys("incidentio_config");
    for (const key of Object.keys(config))
        if (!keys.includes(key)) problems.push(`${key} is not a documented incidentio_config field (${keys.join(", ")})`);
    const has = (k: string) => config[k] !== undefined && config[k] !== "";
    // "URL and URL_file are mutually exclusive" (a rule of the reference) — and one is needed: there is no default URL.
    if (has("url") === has("url_file")) problems.push("exactly one of url and url_file must be set");
    if (has("url") && !/^https?:\/\/[^\s/]+\/\S*$/.test(String(config.url))) problems.push(`url ${config.url} is not an http(s) URL`);
    // "alert_source_token and alert_source_token_file are mutually exclusive."
    if (has("alert_source_token") && has("alert_source_token_file"))
        problems.push("alert_source_token and alert_source_token_file are mutually exclusive");
    const httpConfig = config.http_config;
    const authorization =
        typeof httpConfig === "object" && httpConfig !== null ? (httpConfig as Record<string, unknown>).authorization : undefined;
    if (authorization && (has("alert_source_token") || has("alert_source_token_file"))) {
        problems.push("alert_source_token(_file) cannot be combined with http_config.authorization");
    }
    if (!authorization && !has("alert_source_token") && !has("alert_source_token_file"))
        problems.push("no credentials: set alert_source_token_file");
    if (has("alert_source_token_file") && !String(config.alert_source_token_file).startsWith("/"))
        problems.push("alert_source_token_file should be an absolute path");
    if (config.send_resolved !== undefined && typeof config.send_resolved !== "boolean") problems.push("send_resolved must be a boolean");
    if (
        config.max_alerts !== undefined &&
        !(typeof config.max_alerts === "number" && Number.isInteger(config.max_alerts) && config.max_alerts >= 0)
    )
        problems.push("max_alerts must be an integer ≥ 0");
    if (config.timeout !== undefined && !DURATION.test(String(config.timeout)))
        problems.push(`timeout ${config.timeout} is not a <duration>`);
    return problems;
}

interface Route {
    receiver?: string;
    matchers?: string[];
    routes?: Route[];
}

/** A receiver as the config holds it: every key is checked against the reference; its incident.io blocks are read. */
interface Receiver {
    name?: unknown;
    incidentio_configs?: object[];
    [key: string]: unknown;
}

/** Problems with a whole config's receivers and routing tree. */
export function configProblems(config: { route?: Route; receivers?: Receiver[] }): string[] {
    const problems: string[] = [];
    const receivers = config.receivers ?? [];
    const names = receivers.map((r) => r.name);
    if (new Set(names).size !== names.length) problems.push(`receiver names must be unique: ${names.join(", ")}`);
    const receiverKeys = documentedKeys("receiver");
    for (const receiver of receivers) {
        for (const key of Object.keys(receiver))
            if (!receiverKeys.includes(key)) problems.push(`receiver ${receiver.name}: ${key} is not a documented field`);
        for (const [i, c] of (receiver.incidentio_configs ?? []).entries()) {
            // `{ ...c }`: the block as the plain record of keys that incidentioConfigProblems reads.
            problems.push(...incidentioConfigProblems({ ...c }).map((p) => `receiver ${receiver.name} incidentio_configs[${i}]: ${p}`));
        }
    }
    if (!config.route?.receiver) problems.push("the root route needs a receiver");
    if (config.route?.matchers?.length) problems.push("the root route must match every alert (no matchers)");
    const visit = (route: Route, at: string) => {
        if (route.receiver !== undefined && !names.includes(route.receiver))
            problems.push(`${at} sends to unknown receiver ${route.receiver}`);
        (route.routes ?? []).forEach((child, i) => visit(child, `${at}.routes[${i}]`));
    };
    if (config.route) visit(config.route, "route");
    return problems;
}
