// The scripts' Checkly part: which live Checkly alert channel is a stack's (discover-config), and the
// channel as a backup may hold it (backup-routes). A stack's channel is the one whose URL posts to
// the stack's incident.io Checkly source (`.../v2/alert_events/checkly/<source id>`,
// stack/checklyChannel.ts); its name can be edited in the UI, its URL cannot drift without breaking it.
import * as fs from "node:fs";
import * as path from "node:path";

import { escapeControl, exportSecretCommand, parseBaseUrl } from "../providers/incident-io";
import {
    CHECKLY_ACCOUNT_ID_ENV,
    CHECKLY_API_KEY_ENV,
    CHECKLY_CHANNEL_ID,
    CHECKLY_CONFIG_KEYS,
    CHECKLY_ORIGIN,
    ChecklyClient,
    fromResponse,
    withoutSecretValues,
    type ChecklyAlertChannelResponse,
} from "../providers/checkly";
import { CHECKLY_ADOPT_NAME } from "../stack/config";
import { CHECKLY_CHANNEL_NAMES } from "../stack/checklyChannel";
import type { Environment } from "../stack/routes";
import { stableJson, UsageError, type ClientOverrides, type ScriptIo } from "./cli";

export const CHECKLY_ADOPT_KEY = `alert-routing:adopt.${CHECKLY_ADOPT_NAME}`;

/** What discover-config keeps of a channel: never its headers (they hold the source's token). */
export interface ChannelCandidate {
    id: string;
    name: string;
    /** The URL without its query (a query could carry a credential). */
    url: string;
}

export interface ChannelDiscovery {
    found?: { key: string; value: string; evidence: string };
    problem?: { key: string; problem: string; candidates: string[] };
    notes: string[];
}

/** The URL's origin and path, or undefined when it is not a URL. */
function urlWithoutQuery(raw: unknown): string | undefined {
    if (typeof raw !== "string") return undefined;
    try {
        const u = new URL(raw);
        return `${u.origin}${u.pathname}`;
    } catch {
        return undefined;
    }
}

export function channelCandidate(channel: ChecklyAlertChannelResponse): ChannelCandidate {
    return { id: String(channel.id), name: String(channel.config?.name ?? ""), url: urlWithoutQuery(channel.config?.url) ?? "" };
}

const describeChannel = (c: ChannelCandidate) => `${escapeControl(c.id)} "${escapeControl(c.name)}" → ${escapeControl(c.url)}`;

/** Whether a channel posts to this incident.io source: its URL's path ends in the source's id, as
 * the source's alert_events_url does (`/v2/alert_events/checkly/<id>`). */
export function postsTo(channel: ChannelCandidate, sourceId: string): boolean {
    return channel.url !== "" && new URL(channel.url).pathname.replace(/\/+$/, "").endsWith(`/${sourceId}`);
}

/**
 * Pure: `alert-routing:adopt.checklyChannel` from the account's channels. One channel posting to the
 * stack's Checkly source: found. Two or more: a problem naming each (never a guess). None: a note
 * (the first `pulumi up` creates the channel), naming a channel of the stack's name that posts elsewhere.
 */
export function discoverChecklyChannel(
    stack: Environment,
    channels: ChannelCandidate[],
    checklySourceId: string | undefined,
    fileAdopt?: string,
): ChannelDiscovery {
    const key = CHECKLY_ADOPT_KEY;
    if (!checklySourceId)
        return {
            notes: [`${key} was not looked for: alert-routing:alertSources.checkly is not known yet (set it, then run again)`],
        };
    const matching = channels.filter((c) => postsTo(c, checklySourceId));
    if (matching.length > 1) {
        return {
            problem: {
                key,
                problem: `${matching.length} Checkly alert channels post to the Checkly source ${checklySourceId}; a stack adopts one. Set the one to keep by hand, and delete the others in Checkly (Alert settings → Alert channels)`,
                candidates: matching.map(describeChannel),
            },
            notes: [],
        };
    }
    if (matching.length === 0) {
        const named = channels.filter((c) => c.name === CHECKLY_CHANNEL_NAMES[stack]);
        return {
            notes: [
                `no Checkly alert channel posts to the Checkly source ${checklySourceId}: the first \`pulumi up --stack ${stack}\` creates "${CHECKLY_CHANNEL_NAMES[stack]}" (nothing to adopt)`,
                ...named.map(
                    (c) =>
                        `a channel named "${escapeControl(c.name)}" exists but posts elsewhere (${describeChannel(c)}); it is not adopted`,
                ),
            ],
        };
    }
    const [channel] = matching;
    if (fileAdopt !== undefined && fileAdopt !== channel.id) {
        return {
            problem: {
                key,
                problem: `Pulumi.${stack}.yaml adopts ${escapeControl(fileAdopt)}, but the Checkly channel posting to the Checkly source is ${channel.id}. Check which is right; adopting the wrong id rewrites another channel`,
                candidates: [`${escapeControl(fileAdopt)} (Pulumi.${stack}.yaml)`, `${describeChannel(channel)} (Checkly)`],
            },
            notes: [],
        };
    }
    return {
        found: {
            key,
            value: channel.id,
            evidence: `the Checkly channel "${channel.name}" posts to the Checkly source ${checklySourceId}${fileAdopt === channel.id ? `; already in Pulumi.${stack}.yaml` : ""}`,
        },
        notes: [],
    };
}

/** `--checkly-base-url`, checked before anything is read (https only, Checkly's API host). */
export function checklyBaseUrlFlag(flags: Record<string, string | true>): string | undefined {
    const value = flags["checkly-base-url"];
    if (typeof value !== "string") return undefined;
    try {
        return parseBaseUrl(value, "--checkly-base-url", CHECKLY_ORIGIN);
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
}

/** A Checkly client from the environment (CHECKLY_API_KEY, CHECKLY_ACCOUNT_ID), or the reason there is none. */
export function checklyClientFor(
    io: ScriptIo,
    baseUrl: string | undefined,
    overrides: ClientOverrides = {},
): { client?: ChecklyClient; missing?: string } {
    const missing = [CHECKLY_API_KEY_ENV, CHECKLY_ACCOUNT_ID_ENV].filter((name) => !io.env[name]);
    if (missing.length > 0) return { missing: missing.join(" and ") };
    return {
        client: new ChecklyClient({
            baseUrl,
            apiKey: () => io.env[CHECKLY_API_KEY_ENV],
            accountId: () => io.env[CHECKLY_ACCOUNT_ID_ENV],
            retry: overrides.retry ? { maxRetries: overrides.retry.maxRetries } : undefined,
            log: (line) => io.error(`${line}\n`),
        }),
    };
}

/** What the environment lacks for the Checkly part, and how to give it (the key never on the command line). */
export function checklyCredentialsHint(missing: string): string {
    return (
        `${missing} not set: \`${exportSecretCommand(CHECKLY_API_KEY_ENV)}\` (paste the Checkly API key, then Enter) and ` +
        `\`export ${CHECKLY_ACCOUNT_ID_ENV}=<account id>\` (the same as ${CHECKLY_CONFIG_KEYS.apiKey} and ${CHECKLY_CONFIG_KEYS.accountId})`
    );
}

export const CHANNELS_DIR = "checkly_alert_channels";
export const HEADER_VALUES_REMOVED_NOTE =
    "Header and query parameter values and the webhook secret were removed from this backup: they are credentials (the Authorization header holds the incident.io source's secret_token). The stack sets them again from its Checkly source on the next `pulumi up`; see docs/checkly-alert-channel.md.";

/** Whether a channel carries Checkly's alerts to incident.io: a webhook to an alert events endpoint. */
export function postsToIncidentIo(channel: ChecklyAlertChannelResponse): boolean {
    const url = urlWithoutQuery(channel.config?.url);
    return channel.type === "WEBHOOK" && url !== undefined && /\/v2\/alert_events\/[a-z_]+\/[0-9A-Za-z]+\/?$/.test(new URL(url).pathname);
}

/** A channel as backup-routes writes it: Checkly's payload (subscriptions included), credential values
 * removed, and the note saying so. The answer is checked first: an id that is not Checkly's is refused. */
export function channelBackupText(channel: ChecklyAlertChannelResponse): string {
    if (!CHECKLY_CHANNEL_ID.test(String(channel.id)))
        throw new Error(`Checkly gave the channel id ${JSON.stringify(channel.id)}, which is not a number`);
    const payload = withoutSecretValues(fromResponse(channel));
    return stableJson({ alert_channel: { id: channel.id, ...payload }, note: HEADER_VALUES_REMOVED_NOTE });
}

/** backup-routes' Checkly step: every channel that posts to incident.io → <out>/checkly_alert_channels/<id>.json.
 * Without Checkly credentials it is skipped with a line saying how; a failed read is a problem. */
export async function backupChecklyChannels(
    io: ScriptIo,
    opts: { baseUrl?: string; out: string; outArg: string; rerun: string; write: (file: string, text: string) => unknown },
    overrides: ClientOverrides = {},
): Promise<{ lines: string[]; problems: string[] }> {
    const { client, missing } = checklyClientFor(io, opts.baseUrl, overrides);
    if (!client)
        return {
            lines: [`Checkly alert channels not backed up: ${checklyCredentialsHint(missing!)}, then run again: ${opts.rerun}`],
            problems: [],
        };
    let channels: ChecklyAlertChannelResponse[];
    try {
        channels = (await client.listAlertChannels()).filter(postsToIncidentIo);
    } catch (error) {
        return { lines: [], problems: [`Checkly alert channels: ${(error as Error).message}`] };
    }
    const problems: string[] = [];
    let saved = 0;
    for (const channel of channels) {
        try {
            const text = channelBackupText(channel);
            fs.mkdirSync(path.join(opts.out, CHANNELS_DIR), { recursive: true });
            opts.write(path.join(opts.out, CHANNELS_DIR, `${channel.id}.json`), text);
            saved++;
        } catch (error) {
            problems.push(`Checkly alert channel ${escapeControl(String(channel.id))}: ${(error as Error).message}`);
        }
    }
    return {
        lines: [`${saved} Checkly alert channel(s) posting to incident.io → ${opts.outArg}/${CHANNELS_DIR} (header values removed)`],
        problems,
    };
}

/** discover-config's Checkly step: reads the account's channels (GET only) and discovers the stack's.
 * Without Checkly credentials it is skipped with a note saying how to run it; a failed read is a problem. */
export async function readChecklyChannel(
    io: ScriptIo,
    opts: { stack: Environment; baseUrl?: string; checklySourceId?: string; fileAdopt?: string; rerun: string },
    overrides: ClientOverrides = {},
): Promise<ChannelDiscovery> {
    const { client, missing } = checklyClientFor(io, opts.baseUrl, overrides);
    if (!client)
        return { notes: [`${CHECKLY_ADOPT_KEY} was not looked for: ${checklyCredentialsHint(missing!)}, then run again: ${opts.rerun}`] };
    if (!opts.checklySourceId) return discoverChecklyChannel(opts.stack, [], undefined);
    let channels: ChannelCandidate[];
    try {
        channels = (await client.listAlertChannels()).map(channelCandidate);
    } catch (error) {
        return {
            problem: {
                key: CHECKLY_ADOPT_KEY,
                problem: `could not read Checkly's alert channels: ${(error as Error).message}. Fix the cause, then run again: ${opts.rerun}`,
                candidates: [],
            },
            notes: [],
        };
    }
    return discoverChecklyChannel(opts.stack, channels, opts.checklySourceId, opts.fileAdopt);
}
