// An alert source's token and URL, from the AlertSource resource's outputs (no second read of the
// source): the token always a Pulumi secret, both checked before they go anywhere. The checks are
// pure functions (checkedToken, checkedAlertEventsUrl); the Output wrappers only apply them.
import * as pulumi from "@pulumi/pulumi";

import { configGetCommand, escapeControl, pulumiCommand, type AlertSource } from "../providers/incident-io";

export interface TokenSource {
    /** The AlertSource the token path serves (the stack's Alertmanager source). */
    source: Pick<AlertSource, "id" | "name" | "secret_token" | "alert_events_url">;
    /** The stack, for the commands in an error. */
    stack: string;
    /** Who uses the token and its source's key, for the error: default the Alertmanager token path. */
    use?: SourceUse;
}

export interface SourceUse {
    /** `alert-routing:alertSources.<sourceKey>` */
    sourceKey: string;
    sourceLabel: string;
    /** What the URL and token go into, and what stays untouched when they are refused. */
    writes: string;
    untouched: string;
}

export const ALERTMANAGER_USE: SourceUse = {
    sourceKey: "alertmanager",
    sourceLabel: "Alertmanager",
    writes: "the Alertmanager token path",
    untouched: "AWS or Kubernetes",
};

export const CHECKLY_USE: SourceUse = {
    sourceKey: "checkly",
    sourceLabel: "Checkly",
    writes: "the stack's Checkly alert channel",
    untouched: "Checkly",
};

/** What the checks name in their errors: the source as incident.io answered it, the stack, the use. */
export interface SourceAnswer {
    id: string;
    name: string;
    stack: string;
    use?: SourceUse;
}

/** `secret_token`, as a secret; an empty one stops the program before the token path is written. */
export function alertSourceToken({ source, stack, use }: TokenSource): pulumi.Output<string> {
    return pulumi.secret(
        pulumi
            .all([source.secret_token, source.name, source.id])
            .apply(([token, name, id]) => checkedToken(token, { id, name, stack, use })),
    );
}

/** `alert_events_url`, trusted only when it is incident.io's HTTPS endpoint for this very source. */
export function alertSourceUrl({ source, stack, use }: TokenSource): pulumi.Output<string> {
    return pulumi
        .all([source.alert_events_url, source.name, source.id])
        .apply(([url, name, id]) => checkedAlertEventsUrl(url, { id, name, stack, use }));
}

/** The token, trimmed; none (a source of a type without one, or a key that may not see it) throws. */
export function checkedToken(token: string | undefined, { id, name, stack, use = ALERTMANAGER_USE }: SourceAnswer): string {
    const clean = token?.trim();
    if (!clean) {
        throw new Error(
            `incident.io holds no secret_token for the alert source "${escapeControl(name)}" (${id}), so ${use.writes} cannot be written; nothing was changed in ${use.untouched}. ` +
                `Check that alert-routing:alertSources.${use.sourceKey} is the ${use.sourceLabel} source (\`${configGetCommand(stack, `alert-routing:alertSources.${use.sourceKey}`, true)}\`) and that the API key may view it.`,
        );
    }
    return clean;
}

/** The URL as it is, when it is https and ends in the source's own id; anything else throws. */
export function checkedAlertEventsUrl(url: string | undefined, { id, name, stack, use = ALERTMANAGER_USE }: SourceAnswer): string {
    let parsed: URL | undefined;
    try {
        parsed = url ? new URL(url) : undefined;
    } catch {
        parsed = undefined;
    }
    if (!parsed || parsed.protocol !== "https:" || !parsed.pathname.endsWith(`/${id}`)) {
        throw new Error(
            `incident.io answered the alert source "${escapeControl(name)}" (${id}) with the alert events URL ${escapeControl(JSON.stringify(url ?? null))}, which is not an https URL ending in its id; ` +
                `it was not written into ${use.writes} and nothing was changed in ${use.untouched}. ` +
                `Run \`${pulumiCommand("refresh", stack)}\` and look at the source in incident.io (Alerts → Sources).`,
        );
    }
    return url!;
}
