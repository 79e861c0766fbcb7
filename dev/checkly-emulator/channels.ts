// The alert channels a Checkly account holds, and what Checkly does to a channel it stores.
// Evidence for each rule is beside it: checkly/checkly-go-sdk (types.go, checkly.go),
// checkly/checkly-cli (rest/alert-channels.ts, constructs/*-alert-channel*.ts) and Checkly's API
// reference (/v1/alert-channels).

export interface KeyValueV1 {
    key: string;
    value: string;
    locked: boolean;
}

export interface SubscriptionV1 {
    id: number;
    checkId: string | null;
    groupId: number | null;
    activated: boolean;
}

/** A channel as GET /v1/alert-channels/{id} answers it. */
export interface ChannelV1 {
    id: number;
    type: string;
    config: Record<string, unknown> & { name?: string; url?: string; headers?: KeyValueV1[]; queryParameters?: KeyValueV1[] };
    subscriptions: SubscriptionV1[];
    sendRecovery: boolean;
    sendFailure: boolean;
    sendDegraded: boolean;
    sslExpiry: boolean;
    sslExpiryThreshold: number;
    autoSubscribe: boolean;
    created_at: string;
    updated_at: string | null;
}

/** The channel types Checkly knows (go-sdk constants AlertType*). */
const TYPES = ["EMAIL", "SLACK", "SLACK_APP", "WEBHOOK", "SMS", "PAGERDUTY", "OPSGENIE", "CALL"];

export class BadRequest extends Error {}

export class ChannelStore {
    private readonly channels = new Map<number, ChannelV1>();
    // Checkly's ids are integers (API reference: path parameter id, integer); this emulator's start
    // high so a test never mistakes a position for an id.
    private nextId = 250_000 + Math.floor(Math.random() * 1000);
    private nextSubscriptionId = 1;

    list(): ChannelV1[] {
        return [...this.channels.values()].sort((a, b) => a.id - b.id).map(copy);
    }

    get(id: number): ChannelV1 | undefined {
        const channel = this.channels.get(id);
        return channel && copy(channel);
    }

    /** POST: the payload checked, then stored with the fields Checkly adds. */
    create(body: unknown, id?: number): ChannelV1 {
        const now = new Date().toISOString();
        const channel = this.build(body, { id: id ?? this.nextId++, created_at: now, updated_at: null, subscriptions: [] });
        this.channels.set(channel.id, channel);
        return copy(channel);
    }

    /** PUT: replaces the channel's settings. Subscriptions: the update body carries them (API
     * reference, PUT /v1/alert-channels/{id}: `"subscriptions": []` in its example); whether leaving
     * them out keeps them is not documented, so the emulator assumes the worst (they are cleared),
     * and the provider always sends them. */
    update(id: number, body: unknown): ChannelV1 | undefined {
        const old = this.channels.get(id);
        if (!old) return undefined;
        const channel = this.build(body, {
            id,
            created_at: old.created_at,
            updated_at: new Date().toISOString(),
            subscriptions: old.subscriptions,
        });
        this.channels.set(id, channel);
        return copy(channel);
    }

    delete(id: number): boolean {
        return this.channels.delete(id);
    }

    /** PUT /v1/alert-channels/{id}/subscriptions: one subscription added or changed. */
    subscribe(id: number, body: unknown): SubscriptionV1 | undefined {
        const channel = this.channels.get(id);
        if (!channel) return undefined;
        const [sub] = this.subscriptions([body], []);
        const same = channel.subscriptions.find((s) => s.checkId === sub.checkId && s.groupId === sub.groupId);
        if (same) same.activated = sub.activated;
        else channel.subscriptions.push(sub);
        return { ...(same ?? sub) };
    }

    /** A change "in the UI": applied as is, updated_at moves. */
    edit(id: number, mutate: (channel: ChannelV1) => void): ChannelV1 {
        const channel = this.channels.get(id);
        if (!channel) throw new Error(`no alert channel with id ${id}`);
        mutate(channel);
        channel.updated_at = new Date().toISOString();
        return copy(channel);
    }

    private build(body: unknown, keep: Pick<ChannelV1, "id" | "created_at" | "updated_at" | "subscriptions">): ChannelV1 {
        if (body === null || typeof body !== "object" || Array.isArray(body)) throw new BadRequest("Invalid request payload JSON format");
        const b = body as Record<string, unknown>;
        if (typeof b.type !== "string" || !TYPES.includes(b.type)) throw new BadRequest(`"type" must be one of [${TYPES.join(", ")}]`);
        const config = b.config;
        if (config === null || typeof config !== "object" || Array.isArray(config)) throw new BadRequest('"config" must be of type object');
        const c = { ...(config as Record<string, unknown>) };
        if (b.type === "WEBHOOK") {
            if (typeof c.url !== "string" || c.url === "") throw new BadRequest('"config.url" is required');
            if (typeof c.name !== "string" || c.name === "") throw new BadRequest('"config.name" is required');
            // Checkly answers what it stores: headers and query parameters as {key, value, locked}
            // lists (go-sdk KeyValue), null for an unset secret or template (checkly-cli
            // webhook-alert-channel-codegen.ts: `webhookSecret?: string | null`), method POST by default.
            c.headers = keyValues(c.headers, "headers");
            c.queryParameters = keyValues(c.queryParameters, "queryParameters");
            c.method = typeof c.method === "string" ? c.method : "POST";
            c.webhookSecret = typeof c.webhookSecret === "string" && c.webhookSecret !== "" ? c.webhookSecret : null;
            c.template = typeof c.template === "string" ? c.template : null;
            c.webhookType = typeof c.webhookType === "string" ? c.webhookType : null;
        }
        const threshold = b.sslExpiryThreshold ?? 30;
        if (!Number.isInteger(threshold) || (threshold as number) < 1 || (threshold as number) > 30)
            throw new BadRequest('"sslExpiryThreshold" must be less than or equal to 30');
        const bool = (key: string, fallback: boolean) => {
            const v = b[key];
            if (v === undefined) return fallback;
            if (typeof v !== "boolean") throw new BadRequest(`"${key}" must be a boolean`);
            return v;
        };
        return {
            id: keep.id,
            type: b.type,
            config: c,
            subscriptions: b.subscriptions === undefined ? [] : this.subscriptions(b.subscriptions, keep.subscriptions),
            // Defaults: checkly-cli constructs/alert-channel.ts @defaultValue.
            sendRecovery: bool("sendRecovery", true),
            sendFailure: bool("sendFailure", true),
            sendDegraded: bool("sendDegraded", false),
            sslExpiry: bool("sslExpiry", false),
            sslExpiryThreshold: threshold as number,
            autoSubscribe: bool("autoSubscribe", false),
            created_at: keep.created_at,
            updated_at: keep.updated_at,
        };
    }

    private subscriptions(value: unknown, old: SubscriptionV1[]): SubscriptionV1[] {
        if (!Array.isArray(value)) throw new BadRequest('"subscriptions" must be an array');
        return value.map((s) => {
            if (s === null || typeof s !== "object") throw new BadRequest('"subscriptions" items must be objects');
            const { checkId, groupId, activated } = s as Record<string, unknown>;
            const hasCheck = checkId !== undefined && checkId !== null;
            const hasGroup = groupId !== undefined && groupId !== null;
            // API reference: "you can only specify a checkId or a groupId, not both".
            if (hasCheck === hasGroup) throw new BadRequest('"subscriptions" items need a "checkId" or a "groupId", not both');
            if (typeof activated !== "boolean") throw new BadRequest('"subscriptions.activated" is required');
            const found = old.find((o) => (hasCheck ? o.checkId === checkId : o.groupId === groupId));
            return {
                id: found?.id ?? this.nextSubscriptionId++,
                checkId: hasCheck ? String(checkId) : null,
                groupId: hasGroup ? Number(groupId) : null,
                activated,
            };
        });
    }
}

function keyValues(value: unknown, field: string): KeyValueV1[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new BadRequest(`"config.${field}" must be an array`);
    return value.map((kv) => {
        if (
            kv === null ||
            typeof kv !== "object" ||
            typeof (kv as KeyValueV1).key !== "string" ||
            typeof (kv as KeyValueV1).value !== "string"
        )
            throw new BadRequest(`"config.${field}" items need a "key" and a "value"`);
        return { key: (kv as KeyValueV1).key, value: (kv as KeyValueV1).value, locked: (kv as KeyValueV1).locked === true };
    });
}

function copy<T>(value: T): T {
    return structuredClone(value);
}
