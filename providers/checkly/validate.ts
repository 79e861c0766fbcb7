// `check` for a Checkly webhook channel: one failure per field, with the path and the fix, before
// any request. Pulumi's unknown sentinel (a value not known during preview) passes anywhere.
import { containsUnknown, isUnknown } from "../incident-io";
import { CONFIG_FIELDS, SPEC_FIELDS } from "./model";

export interface CheckFailure {
    property: string;
    reason: string;
}

/** HTTP methods Checkly offers for a webhook (checkly-cli constructs/webhook-alert-channel.ts). */
export const WEBHOOK_METHODS = ["GET", "POST", "PUT", "PATCH", "HEAD", "DELETE"] as const;
/** Checkly alert channel ids are integers (API reference: path parameter `id`, integer). */
export const CHECKLY_CHANNEL_ID = /^[1-9][0-9]{0,15}$/;
/** Check ids are uuids (API reference: checkId "0bbfc00c-44df-46a7-a4d9-ba38deca8bfd"). */
const CHECK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Inputs that are not part of Checkly's payload: how to adopt, and what the provider stores. */
export const OWN_INPUTS = ["adoptId", "adoptIdConfigKey", "pulumiStack", "__provider", "channel"] as const;

// eslint-disable-next-line no-control-regex -- a header with a control character cannot be sent
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A value of this type, or not known yet (preview). */
function is(value: unknown, type: string): boolean {
    return isUnknown(value) || typeof value === type;
}

/** Validates a channel in the payload shape (after `toPayload`). Never repeats a header's value. */
export function validateChannel(inputs: Record<string, unknown>): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const known = new Set<string>([...SPEC_FIELDS, ...OWN_INPUTS]);
    for (const key of Object.keys(inputs)) {
        if (!known.has(key)) fail(key, `unknown field; a webhook channel takes ${SPEC_FIELDS.join(", ")} (and adoptId)`);
    }

    if (!isUnknown(inputs.type) && inputs.type !== "WEBHOOK")
        fail("type", `must be "WEBHOOK" (this resource manages webhook channels), got ${JSON.stringify(inputs.type)}`);
    for (const key of ["sendRecovery", "sendFailure", "sendDegraded", "sslExpiry", "autoSubscribe"]) {
        if (inputs[key] !== undefined && !is(inputs[key], "boolean"))
            fail(key, `must be true or false, got ${JSON.stringify(inputs[key])}`);
    }
    const threshold = inputs.sslExpiryThreshold;
    if (
        threshold !== undefined &&
        !isUnknown(threshold) &&
        !(Number.isInteger(threshold) && (threshold as number) >= 1 && (threshold as number) <= 30)
    )
        fail(
            "sslExpiryThreshold",
            `must be a whole number of days from 1 to 30 (terraform-provider-checkly), got ${JSON.stringify(threshold)}`,
        );
    if (inputs.adoptId !== undefined && !isUnknown(inputs.adoptId) && !CHECKLY_CHANNEL_ID.test(String(inputs.adoptId)))
        fail(
            "adoptId",
            `must be a Checkly alert channel id (a number such as 123456, from the channel's URL in Checkly), got ${JSON.stringify(inputs.adoptId)}`,
        );

    const config = inputs.config;
    if (config === undefined) fail("config", "missing: the webhook's name, url, method, headers, ...");
    else if (!isUnknown(config)) {
        if (config === null || typeof config !== "object" || Array.isArray(config)) fail("config", "must be an object");
        else validateConfig(config as Record<string, unknown>, fail);
    }

    const subscriptions = inputs.subscriptions;
    if (subscriptions !== undefined && !isUnknown(subscriptions)) {
        if (!Array.isArray(subscriptions))
            fail("subscriptions", "must be a list of { checkId } or { groupId } with activated; leave it out to keep Checkly's");
        else
            subscriptions.forEach((s, i) => {
                const at = `subscriptions[${i}]`;
                if (isUnknown(s)) return;
                if (s === null || typeof s !== "object") {
                    fail(at, "must be { checkId, activated } or { groupId, activated }");
                    return;
                }
                const { checkId, groupId, activated, ...rest } = s as Record<string, unknown>;
                for (const key of Object.keys(rest))
                    fail(`${at}.${key}`, "unknown field; a subscription takes checkId or groupId, and activated");
                const hasCheck = checkId !== undefined && checkId !== null;
                const hasGroup = groupId !== undefined && groupId !== null;
                // API reference, PUT /v1/alert-channels/{id}/subscriptions: "you can only specify a checkId or a groupId, not both".
                if (hasCheck === hasGroup) fail(at, "must name exactly one of checkId or groupId (Checkly: not both)");
                if (hasCheck && !isUnknown(checkId) && !(typeof checkId === "string" && CHECK_ID.test(checkId)))
                    fail(`${at}.checkId`, `must be a check's uuid, got ${JSON.stringify(checkId)}`);
                if (hasGroup && !isUnknown(groupId) && !(Number.isInteger(groupId) && (groupId as number) > 0))
                    fail(`${at}.groupId`, `must be a group's id (a positive whole number), got ${JSON.stringify(groupId)}`);
                if (activated !== undefined && !is(activated, "boolean")) fail(`${at}.activated`, "must be true or false");
            });
    }
    return failures;
}

function validateConfig(config: Record<string, unknown>, fail: (property: string, reason: string) => void): void {
    for (const key of Object.keys(config)) {
        if (!(CONFIG_FIELDS as readonly string[]).includes(key))
            fail(`config.${key}`, `unknown field; config takes ${CONFIG_FIELDS.join(", ")}`);
    }
    const { name, url, method, template, webhookType, webhookSecret } = config;
    if (name === undefined || (!isUnknown(name) && (typeof name !== "string" || name.trim() === "")))
        fail("config.name", 'must be the channel\'s name as Checkly shows it, e.g. "incident.io (Production)"');
    if (url === undefined) fail("config.url", "missing: the URL the webhook posts to");
    else if (!isUnknown(url)) {
        const problem = urlProblem(url);
        if (problem) fail("config.url", problem);
    }
    if (method !== undefined && !isUnknown(method) && !(WEBHOOK_METHODS as readonly string[]).includes(String(method)))
        fail("config.method", `must be one of ${WEBHOOK_METHODS.join(", ")}, got ${JSON.stringify(method)}`);
    if (template !== undefined && template !== null && !is(template, "string"))
        fail("config.template", "must be a string (the request body)");
    if (
        webhookType !== undefined &&
        webhookType !== null &&
        !isUnknown(webhookType) &&
        !(typeof webhookType === "string" && /^WEBHOOK_[A-Z_]+$/.test(webhookType))
    )
        fail("config.webhookType", `must be a Checkly webhook type such as "WEBHOOK_INCIDENTIO", got ${JSON.stringify(webhookType)}`);
    if (webhookSecret !== undefined && webhookSecret !== null && !is(webhookSecret, "string"))
        fail("config.webhookSecret", "must be a string");
    for (const list of ["headers", "queryParameters"] as const) {
        const value = config[list];
        if (value === undefined || isUnknown(value)) continue;
        if (!Array.isArray(value)) {
            fail(`config.${list}`, "must be a list of { key, value, locked }");
            continue;
        }
        value.forEach((kv, i) => {
            const at = `config.${list}[${i}]`;
            if (isUnknown(kv)) return;
            if (kv === null || typeof kv !== "object" || Array.isArray(kv)) {
                fail(at, "must be { key, value, locked }");
                return;
            }
            const { key, value: v, locked, ...rest } = kv as Record<string, unknown>;
            for (const extra of Object.keys(rest)) fail(`${at}.${extra}`, "unknown field; takes key, value, locked");
            if (!isUnknown(key) && (typeof key !== "string" || key.trim() === "" || CONTROL.test(key) || /[\s:]/.test(key)))
                fail(
                    `${at}.key`,
                    `must be a ${list === "headers" ? "header name" : "parameter name"} without spaces, colons or control characters`,
                );
            // The value is a credential more often than not: its problem is named, the value never repeated.
            if (!isUnknown(v) && (typeof v !== "string" || (list === "headers" && CONTROL.test(v))))
                fail(
                    `${at}.value`,
                    list === "headers" ? "must be a string on one line (a line break was pasted into it?)" : "must be a string",
                );
            if (locked !== undefined && !is(locked, "boolean")) fail(`${at}.locked`, "must be true or false");
        });
    }
    if (containsUnknown(config.headers)) return;
    const keys = ((config.headers as Array<{ key?: unknown }> | undefined) ?? []).map((kv) => String(kv?.key ?? "").toLowerCase());
    const twice = keys.filter((k, i) => k !== "" && keys.indexOf(k) !== i);
    for (const key of new Set(twice)) fail("config.headers", `header "${key}" is listed twice (names are case-insensitive); keep one`);
}

/** An absolute http(s) URL; http only to this machine, since headers (a bearer token) travel with it. */
function urlProblem(url: unknown): string | undefined {
    if (typeof url !== "string" || url.trim() === "") return "must be the webhook's URL, e.g. the incident.io source's alert_events_url";
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return `must be an absolute URL such as https://api.incident.io/v2/alert_events/checkly/<source id>, got ${JSON.stringify(url)}`;
    }
    if (url !== url.trim() || CONTROL.test(url)) return "must not have spaces or control characters around or inside it";
    if (parsed.username || parsed.password) return "must not carry credentials; put them in a header";
    if (parsed.protocol === "https:") return undefined;
    if (parsed.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname)) return undefined;
    return "must use https: the webhook's headers (the bearer token) would otherwise travel in clear text";
}
