// The ChecklyAlertChannel provider's handlers: the shared core (providers/core) with what is the
// channel's own (model.ts compares, validate.ts checks, the client's channel calls). They run in
// Pulumi's dynamic-provider host (loaded by the shim in alertChannel.ts, which reads
// `checklyAlertChannelHandlers` from this file: keep that export) and in tests.
import type * as pulumi from "@pulumi/pulumi";

import { configSetCommand, escapeControl, pulumiCommand, ResourceHandlers, type ReadResultOf, type ResourceKind } from "../core";
import type { ChecklyAlertChannelInputs, ChecklyAlertChannelOutputs, ChannelDefinition } from "./alertChannel";
import { checklyBackend } from "./backend";
import type { ChecklyClient } from "./client";
import { changedFields, fromResponse, sameChannel, SPEC_FIELDS, toPayload, withDefaults, writePayload } from "./model";
import type { ChecklySettings } from "./settings";
import type { ChecklyAlertChannelResponse, ChecklyAlertChannelSpec } from "./types";
import { validateChannel } from "./validate";

/** A channel as the core handles it: Checkly's answer, with the id as Pulumi holds ids (a string)
 * and the name the core's adoption check compares (the channel's config.name). */
export interface LiveChannel {
    id: string;
    name: string;
    channel: ChecklyAlertChannelResponse;
}

export type ChecklyAlertChannelReadResult = ReadResultOf<ChecklyAlertChannelInputs, ChecklyAlertChannelOutputs>;

function live(channel: ChecklyAlertChannelResponse): LiveChannel {
    return { id: String(channel.id), name: String(channel.config?.name ?? ""), channel };
}

/** The payload part of inputs or outputs, and `name` = config.name (the core's adoption check). */
export function pickDefinition(value: object): ChannelDefinition {
    const v = value as Record<string, unknown>;
    const spec: Record<string, unknown> = {};
    for (const field of SPEC_FIELDS) if (v[field] !== undefined && v[field] !== null) spec[field] = v[field];
    const config = (spec.config ?? {}) as { name?: unknown };
    return { ...(spec as unknown as ChecklyAlertChannelSpec), name: String(config.name ?? "") };
}

/** What goes to Checkly: the payload without the derived `name`. */
function payloadOf(definition: ChannelDefinition): ChecklyAlertChannelSpec {
    const { name: _name, ...spec } = definition;
    return spec;
}

export const checklyAlertChannelKind: ResourceKind<ChannelDefinition, LiveChannel, ChecklyClient> = {
    words: {
        noun: "Checkly alert channel",
        short: "channel",
        dashboard: "Checkly → Alerts → Alert channels",
        listIds: "`npm run discover-config`",
        adoptConfig: "`alert-routing:adopt.checklyChannel`",
    },
    parse: (raw) => toPayload(raw),
    validate: (payload, adoptId) => validateChannel({ ...payload, ...(adoptId === undefined ? {} : { adoptId }) }),
    complete: (payload) => pickDefinition(withDefaults(payload as Parameters<typeof withDefaults>[0])),
    pickSpec: pickDefinition,
    // An answer becomes the payload shape with the live subscriptions, unless it is for a definition
    // (`planned`) that leaves them to Checkly: then the stored form leaves them out too, so a
    // subscription added in the UI is neither drift nor a conflict. A stored definition is itself.
    fromResponse: (remote, planned) => {
        if (!("channel" in remote)) return pickDefinition(remote);
        const live = pickDefinition(fromResponse(remote.channel));
        if (planned && planned.subscriptions === undefined) delete live.subscriptions;
        return live;
    },
    same: sameChannel,
    changedFields,
    liveField: "channel",
    get: async (client, id) => live(await client.getAlertChannel(id)),
    create: async (client, spec) => live(await client.createAlertChannel(payloadOf(spec))),
    // Subscriptions the definition does not list are the live ones, sent back (never cleared by omission).
    update: async (client, id, spec, _version, current) =>
        live(await client.updateAlertChannel(id, writePayload(payloadOf(spec), fromResponse(current.channel)))),
    remove: (client, id) => client.deleteAlertChannel(id),
    idsNamed: async (client, name) => (await client.listAlertChannels()).filter((c) => c.config?.name === name).map((c) => String(c.id)),
};

/** The live channels a new one would duplicate: the same name, or posting to the same URL. */
export function channelsLike(spec: Pick<ChannelDefinition, "name" | "config">, channels: ChecklyAlertChannelResponse[]): LiveChannel[] {
    const endpoint = (url: unknown) => (typeof url === "string" ? url.trim().replace(/\/+$/, "") : undefined);
    const url = endpoint(spec.config.url);
    return channels
        .filter((c) => String(c.config?.name ?? "") === spec.name || (url !== undefined && endpoint(c.config?.url) === url))
        .map(live);
}

/** Why a create was refused, with the command that adopts the live channel instead. */
export function twinsRefusal(
    spec: Pick<ChannelDefinition, "name">,
    twins: LiveChannel[],
    stack: string | undefined,
    adoptKey: string,
): string {
    const listed = twins.map((t) => `${t.id} "${escapeControl(t.name)}"`).join(", ");
    return (
        `Checkly alert channel "${escapeControl(spec.name)}" was not created: Checkly already has ${twins.length} channel(s) of that name or posting to the same URL (${listed}), and a second one would send every alert twice. Nothing was written. ` +
        `Adopt the live one instead: \`${configSetCommand({ stack, key: adoptKey, value: twins[0].id, path: true })}\`` +
        `${twins.length > 1 ? " (the one to keep; delete the others in Checkly, Alerts → Alert channels)" : ""}, then \`${pulumiCommand("up", stack)}\`.`
    );
}

export class ChecklyAlertChannelHandlers extends ResourceHandlers<
    ChannelDefinition,
    LiveChannel,
    ChecklyAlertChannelInputs,
    ChecklyAlertChannelOutputs,
    ChecklyClient,
    ChecklySettings
> {
    constructor(log?: (line: string) => void) {
        super(checklyAlertChannelKind, checklyBackend, log);
    }

    /** Never a twin of a live channel: a second channel posting to the same source would send every
     * alert twice, and the one made in the UI would stay unmanaged. One GET before the POST. */
    async create(inputs: ChecklyAlertChannelInputs): Promise<pulumi.dynamic.CreateResult<ChecklyAlertChannelOutputs>> {
        if (!inputs.adoptId) {
            this.learnStack(inputs);
            const spec = this.kind.pickSpec(inputs);
            const twins = channelsLike(spec, await this.api().listAlertChannels());
            const adoptKey = typeof inputs.adoptIdConfigKey === "string" ? inputs.adoptIdConfigKey : "alert-routing:adopt.checklyChannel";
            if (twins.length > 0) throw new Error(twinsRefusal(spec, twins, this.stack, adoptKey));
        }
        return super.create(inputs);
    }
}

export const checklyAlertChannelHandlers = new ChecklyAlertChannelHandlers();
