// The rules of Alertmanager's configuration reference (../shared/schemas/alertmanager-configuration.md)
// that our config touches: the `<incidentio_config>` block and receiver references. The documented
// field list is read from the reference itself, so a config using an undocumented key fails.
import * as fs from "node:fs";
import * as path from "node:path";

import { SHARED_DIR } from "./harness";

const REFERENCE = path.join(SHARED_DIR, "schemas", "alertmanager-configuration.md");

export function reference(): string {
    if (!fs.existsSync(REFERENCE)) throw new Error(`missing ${REFERENCE}: the tests read the reference from ../shared (see shared/README.md)`);
    return fs.readFileSync(REFERENCE, "utf8");
}

/** The text of one `### \`<name>\`` section. */
export function section(name: string): string {
    const text = reference();
    const start = text.indexOf(`### \`<${name}>\``);
    if (start < 0) throw new Error(`the reference has no <${name}> section`);
    const end = text.indexOf("\n### ", start + 1);
    return text.slice(start, end < 0 ? undefined : end);
}

/** Keys documented in a section's yaml block: `key: <type>` or `[ key: <type> ... ]`. */
export function documentedKeys(name: string): string[] {
    const block = /```yaml\n([\s\S]*?)```/.exec(section(name))?.[1] ?? "";
    return [...block.matchAll(/^\s*\[?\s*([a-z0-9_]+):/gm)].map((m) => m[1]);
}

const DURATION = /^((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)$/;

/** Problems with one incidentio_config; [] when it obeys the reference. */
export function incidentioConfigProblems(config: Record<string, any>): string[] {
    const problems: string[] = [];
    const keys = documentedKeys("incidentio_config");
    for (const key of Object.keys(config)) if (!keys.includes(key)) problems.push(`${key} is not a documented incidentio_config field (${keys.join(", ")})`);
    const has = (k: string) => config[k] !== undefined && config[k] !== "";
    // "URL and URL_file are mutually exclusive." — and one is needed: there is no default URL.
    if (has("url") === has("url_file")) problems.push("exactly one of url and url_file must be set");
    if (has("url") && !/^https?:\/\/[^\s/]+\/\S*$/.test(String(config.url))) problems.push(`url ${config.url} is not an http(s) URL`);
    // "alert_source_token and alert_source_token_file are mutually exclusive."
    if (has("alert_source_token") && has("alert_source_token_file")) problems.push("alert_source_token and alert_source_token_file are mutually exclusive");
    const authorization = config.http_config?.authorization;
    if (authorization && (has("alert_source_token") || has("alert_source_token_file"))) {
        problems.push("alert_source_token(_file) cannot be combined with http_config.authorization");
    }
    if (!authorization && !has("alert_source_token") && !has("alert_source_token_file")) problems.push("no credentials: set alert_source_token_file");
    if (has("alert_source_token_file") && !String(config.alert_source_token_file).startsWith("/")) problems.push("alert_source_token_file should be an absolute path");
    if (config.send_resolved !== undefined && typeof config.send_resolved !== "boolean") problems.push("send_resolved must be a boolean");
    if (config.max_alerts !== undefined && !(Number.isInteger(config.max_alerts) && config.max_alerts >= 0)) problems.push("max_alerts must be an integer ≥ 0");
    if (config.timeout !== undefined && !DURATION.test(String(config.timeout))) problems.push(`timeout ${config.timeout} is not a <duration>`);
    return problems;
}

interface Route {
    receiver?: string;
    matchers?: string[];
    routes?: Route[];
}

/** Problems with a whole config's receivers and routing tree. */
export function configProblems(config: { route?: Route; receivers?: Array<Record<string, any>> }): string[] {
    const problems: string[] = [];
    const receivers = config.receivers ?? [];
    const names = receivers.map((r) => r.name);
    if (new Set(names).size !== names.length) problems.push(`receiver names must be unique: ${names.join(", ")}`);
    const receiverKeys = documentedKeys("receiver");
    for (const receiver of receivers) {
        for (const key of Object.keys(receiver)) if (!receiverKeys.includes(key)) problems.push(`receiver ${receiver.name}: ${key} is not a documented field`);
        for (const [i, c] of (receiver.incidentio_configs ?? []).entries()) {
            problems.push(...incidentioConfigProblems(c).map((p) => `receiver ${receiver.name} incidentio_configs[${i}]: ${p}`));
        }
    }
    if (!config.route?.receiver) problems.push("the root route needs a receiver");
    if (config.route?.matchers?.length) problems.push("the root route must match every alert (no matchers)");
    const visit = (route: Route, at: string) => {
        if (route.receiver !== undefined && !names.includes(route.receiver)) problems.push(`${at} sends to unknown receiver ${route.receiver}`);
        (route.routes ?? []).forEach((child, i) => visit(child, `${at}.routes[${i}]`));
    };
    if (config.route) visit(config.route, "route");
    return problems;
}
