// One model layer between Checkly's alert-channel shapes and this project's:
//  - `toPayload` reads what a user writes or pastes (a channel as `GET /v1/alert-channels/{id}`
//    answers it is accepted: Checkly's own fields are dropped);
//  - `withDefaults` fills what a user rarely sets, with the defaults Checkly documents;
//  - `fromResponse` turns an answer into the payload shape;
//  - `canonical` / `changedFields` / `sameChannel` compare meaning, not bytes;
//  - `writePayload` is what a PUT carries: the definition, with the live subscriptions unless the
//    definition lists its own (never cleared by omission);
//  - `withoutSecretValues` is the channel as a backup may hold it (header values are credentials).
import type {
    ChecklyAlertChannelResponse,
    ChecklyAlertChannelSpec,
    ChecklyKeyValue,
    ChecklySubscription,
    ChecklySubscriptionResponse,
    ChecklyWebhookConfig,
} from "./types";

/** Checkly's defaults for a channel (checkly-cli constructs/alert-channel.ts @defaultValue;
 * terraform-provider-checkly resource_alert_channel.go: sendRecovery/sendFailure true,
 * sendDegraded/sslExpiry false, sslExpiryThreshold 30) and for a webhook (method POST: TF
 * "(Default `POST`)"; headers/queryParameters []: the construct docs' defaults). */
export const CHANNEL_DEFAULTS = {
    sendRecovery: true,
    sendFailure: true,
    sendDegraded: false,
    sslExpiry: false,
    sslExpiryThreshold: 30,
    autoSubscribe: false,
} as const;
export const DEFAULT_WEBHOOK_METHOD = "POST";

/** The top-level fields of the payload, in the order a reader expects them. */
export const SPEC_FIELDS = [
    "type",
    "config",
    "sendRecovery",
    "sendFailure",
    "sendDegraded",
    "sslExpiry",
    "sslExpiryThreshold",
    "autoSubscribe",
    "subscriptions",
] as const satisfies readonly (keyof ChecklyAlertChannelSpec)[];
export const CONFIG_FIELDS = [
    "name",
    "url",
    "method",
    "template",
    "webhookType",
    "webhookSecret",
    "headers",
    "queryParameters",
] as const satisfies readonly (keyof ChecklyWebhookConfig)[];

/** Fields Checkly adds to an answer that are not part of what is sent: dropped from a pasted channel.
 * (checkly-cli rest/alert-channels.ts: id, created_at/updated_at and their camelCase twins, name). */
export const RESPONSE_ONLY_FIELDS = ["id", "created_at", "updated_at", "createdAt", "updatedAt", "name"] as const;

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A user's channel (or one pasted from Checkly's answer) as a payload: response-only fields and
 * the subscriptions' ids and names dropped; everything else kept for `validate` to judge. */
export function toPayload(value: Raw): Raw {
    const out: Raw = {};
    for (const [key, field] of Object.entries(value)) {
        if ((RESPONSE_ONLY_FIELDS as readonly string[]).includes(key)) continue;
        out[key] = key === "subscriptions" && Array.isArray(field) ? field.map(subscriptionPayload) : field;
    }
    return out;
}

/** `{checkId}` or `{groupId}` with `activated`: the subscription's id, names and the null twin dropped. */
function subscriptionPayload(value: unknown): unknown {
    if (!isObject(value)) return value;
    const s = value as ChecklySubscriptionResponse;
    const out: Raw = {};
    if (s.checkId !== undefined && s.checkId !== null) out.checkId = s.checkId;
    if (s.groupId !== undefined && s.groupId !== null) out.groupId = s.groupId;
    out.activated = s.activated ?? true;
    for (const [key, field] of Object.entries(value)) {
        // Anything beyond Checkly's known subscription fields is kept, so validate names it.
        if (!["id", "checkId", "groupId", "activated", "checkName", "groupName", "check", "group"].includes(key)) out[key] = field;
    }
    return out;
}

/** The payload with Checkly's defaults filled in, so no comparison depends on what Checkly would choose. */
export function withDefaults(
    spec: Omit<Partial<ChecklyAlertChannelSpec>, "config"> & { config: Partial<ChecklyWebhookConfig> },
): ChecklyAlertChannelSpec {
    const config = spec.config;
    const out: ChecklyAlertChannelSpec = {
        type: "WEBHOOK",
        config: {
            name: config.name ?? "",
            url: config.url ?? "",
            method: config.method ?? DEFAULT_WEBHOOK_METHOD,
            ...(config.template !== undefined ? { template: config.template } : {}),
            ...(config.webhookType !== undefined ? { webhookType: config.webhookType } : {}),
            ...(config.webhookSecret !== undefined ? { webhookSecret: config.webhookSecret } : {}),
            headers: (config.headers ?? []).map(keyValue),
            queryParameters: (config.queryParameters ?? []).map(keyValue),
        },
        sendRecovery: spec.sendRecovery ?? CHANNEL_DEFAULTS.sendRecovery,
        sendFailure: spec.sendFailure ?? CHANNEL_DEFAULTS.sendFailure,
        sendDegraded: spec.sendDegraded ?? CHANNEL_DEFAULTS.sendDegraded,
        sslExpiry: spec.sslExpiry ?? CHANNEL_DEFAULTS.sslExpiry,
        sslExpiryThreshold: spec.sslExpiryThreshold ?? CHANNEL_DEFAULTS.sslExpiryThreshold,
        autoSubscribe: spec.autoSubscribe ?? CHANNEL_DEFAULTS.autoSubscribe,
    };
    if (spec.subscriptions !== undefined) out.subscriptions = spec.subscriptions.map(subscription);
    return out;
}

/** `locked` defaults to false (go-sdk KeyValue sends it always; the CLI's headers may omit it). */
function keyValue(kv: Partial<ChecklyKeyValue>): ChecklyKeyValue {
    return { key: String(kv.key ?? ""), value: String(kv.value ?? ""), locked: kv.locked === true };
}

function subscription(s: ChecklySubscription | ChecklySubscriptionResponse): ChecklySubscription {
    return {
        ...(s.checkId !== undefined && s.checkId !== null ? { checkId: s.checkId } : {}),
        ...(s.groupId !== undefined && s.groupId !== null ? { groupId: Number(s.groupId) } : {}),
        activated: s.activated ?? true,
    };
}

/** An answer in the payload shape, its subscriptions included (they are always known after a read). */
export function fromResponse(channel: ChecklyAlertChannelResponse): ChecklyAlertChannelSpec & { subscriptions: ChecklySubscription[] } {
    const config = (isObject(channel.config) ? channel.config : {}) as Partial<ChecklyWebhookConfig>;
    const spec = withDefaults({
        type: "WEBHOOK",
        config: {
            ...config,
            // Checkly answers null for fields never set (checkly-cli webhook-alert-channel-codegen.ts).
            template: config.template ?? undefined,
            webhookType: config.webhookType ?? undefined,
            webhookSecret: config.webhookSecret ?? undefined,
            headers: config.headers ?? [],
            queryParameters: config.queryParameters ?? [],
        },
        sendRecovery: channel.sendRecovery,
        sendFailure: channel.sendFailure,
        sendDegraded: channel.sendDegraded,
        sslExpiry: channel.sslExpiry,
        sslExpiryThreshold: channel.sslExpiryThreshold,
        autoSubscribe: channel.autoSubscribe,
        subscriptions: (channel.subscriptions ?? []).map(subscription),
    });
    return { ...spec, subscriptions: spec.subscriptions ?? [] };
}

/**
 * The form both sides are compared in:
 *  - header names are case-insensitive (RFC 9110 §5.1: "authorization" and "Authorization" are one
 *    header; checkly-cli sends "authorization", the UI "Authorization"), so they compare lowercased;
 *  - headers, query parameters and subscriptions are sets: Checkly sends every header whatever its
 *    position, and a subscription is one check or group; so each list is sorted;
 *  - an unset template, webhookType or webhookSecret is the same as null or "" (Checkly answers null);
 *  - the method compares uppercased (HTTP methods are case-sensitive, but Checkly offers only uppercase ones).
 */
export function canonical(spec: ChecklyAlertChannelSpec): ChecklyAlertChannelSpec {
    const c = spec.config;
    const optional = (v: string | null | undefined) => (v === undefined || v === null || v === "" ? {} : { v });
    const sortKv = (list: ChecklyKeyValue[], lower: boolean) =>
        list.map((kv) => ({ key: lower ? kv.key.toLowerCase() : kv.key, value: kv.value, locked: kv.locked })).sort(byJson);
    const config: ChecklyWebhookConfig = {
        name: c.name,
        url: c.url,
        method: c.method.toUpperCase(),
        headers: sortKv(c.headers, true),
        queryParameters: sortKv(c.queryParameters, false),
    };
    const template = optional(c.template).v;
    const webhookType = optional(c.webhookType).v;
    const webhookSecret = optional(c.webhookSecret).v;
    if (template !== undefined) config.template = template;
    if (webhookType !== undefined) config.webhookType = webhookType;
    if (webhookSecret !== undefined) config.webhookSecret = webhookSecret;
    const out: ChecklyAlertChannelSpec = { ...spec, config };
    if (spec.subscriptions !== undefined) out.subscriptions = spec.subscriptions.map(subscription).sort(byJson);
    else delete out.subscriptions;
    return out;
}

function byJson(a: unknown, b: unknown): number {
    const x = stableJson(a);
    const y = stableJson(b);
    return x < y ? -1 : x > y ? 1 : 0;
}

/** JSON with object keys sorted: equal for equal meaning whatever the key order. */
export function stableJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
    if (isObject(value)) {
        const keys = Object.keys(value)
            .filter((k) => value[k] !== undefined)
            .sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/**
 * The fields that differ between the definition and the live channel, as paths (`config.url`,
 * `sendDegraded`). Subscriptions count only when both sides list them: a definition without them
 * keeps the live ones, whatever they are (either argument may be the live side). Header values are
 * never named beyond the header's key.
 */
export function changedFields(desired: ChecklyAlertChannelSpec, live: ChecklyAlertChannelSpec): string[] {
    const a = canonical(desired);
    const b = canonical(live);
    const changed: string[] = [];
    for (const field of SPEC_FIELDS) {
        if (field === "config") {
            for (const key of CONFIG_FIELDS) {
                if (stableJson(a.config[key]) === stableJson(b.config[key])) continue;
                if (key === "headers") changed.push(...headerChanges(a.config.headers, b.config.headers));
                else changed.push(`config.${key}`);
            }
            continue;
        }
        // Only when both sides list them: a definition without subscriptions keeps Checkly's.
        if (field === "subscriptions" && (a.subscriptions === undefined || b.subscriptions === undefined)) continue;
        if (stableJson(a[field]) !== stableJson(b[field])) changed.push(field);
    }
    return changed;
}

/** `config.headers[authorization]` per header key that differs: the key says which, never the value. */
function headerChanges(a: ChecklyKeyValue[], b: ChecklyKeyValue[]): string[] {
    const keys = [...new Set([...a, ...b].map((kv) => kv.key))].sort();
    const of = (list: ChecklyKeyValue[], key: string) => stableJson(list.filter((kv) => kv.key === key));
    return keys.filter((key) => of(a, key) !== of(b, key)).map((key) => `config.headers[${key}]`);
}

export function sameChannel(desired: ChecklyAlertChannelSpec, live: ChecklyAlertChannelSpec): boolean {
    return changedFields(desired, live).length === 0;
}

/** What a PUT carries: the definition, and the live subscriptions unless the definition lists its
 * own. Checkly's update body carries `subscriptions` (API reference, PUT /v1/alert-channels/{id});
 * sending them back means an update never clears them by leaving them out. */
export function writePayload(desired: ChecklyAlertChannelSpec, live: { subscriptions: ChecklySubscription[] }): ChecklyAlertChannelSpec {
    return { ...desired, subscriptions: (desired.subscriptions ?? live.subscriptions).map(subscription) };
}

/** The channel as a backup or a printed line may hold it: header and query values and the webhook
 * secret removed (they carry credentials, e.g. `Authorization: Bearer <secret_token>`). */
export function withoutSecretValues<T extends ChecklyAlertChannelSpec>(spec: T): T {
    const removed = "(removed: a credential; see docs/checkly-alert-channel.md)";
    const strip = (list: ChecklyKeyValue[]) => list.map((kv) => ({ ...kv, value: removed }));
    const config: ChecklyWebhookConfig = {
        ...spec.config,
        url: urlWithoutCredentials(spec.config.url),
        headers: strip(spec.config.headers),
        queryParameters: strip(spec.config.queryParameters),
    };
    if (config.webhookSecret) config.webhookSecret = removed;
    return { ...spec, config };
}

/** A URL without what may be a credential in it: `user:password@` and the query (`?token=...`); the channel's own
 * URL carries neither (the stack builds it from the source's id), so only a hand-made one loses something. */
function urlWithoutCredentials(raw: string): string {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return "(removed: not a URL, so it could not be told apart from a credential)";
    }
    return url.username || url.password || url.search ? `${url.origin}${url.pathname}` : raw;
}

/** Every credential a channel carries: what errors and logs must never repeat. */
export function secretValues(spec: Pick<ChecklyAlertChannelSpec, "config"> | undefined): string[] {
    if (!spec?.config) return [];
    const c = spec.config;
    const lists = [c.headers, c.queryParameters].filter(Array.isArray) as ChecklyKeyValue[][];
    const values = lists.flat().flatMap((kv) => (kv && typeof kv.value === "string" ? [kv.value] : []));
    if (c.webhookSecret) values.push(c.webhookSecret);
    // The bearer token alone too: an answer may echo it without its "Bearer " prefix.
    for (const v of [...values]) {
        const token = /^Bearer\s+(.+)$/i.exec(v)?.[1];
        if (token) values.push(token);
    }
    return values.filter((v) => typeof v === "string" && v.length >= 4);
}
