// The Alertmanager alert source's token and URL, from the AlertSource resource's outputs (no second
// read of the source): the token always a Pulumi secret, both checked before they go anywhere.
import * as pulumi from "@pulumi/pulumi";

import { escapeControl, type AlertSource } from "../providers/incident-io";

export interface TokenSource {
    /** The AlertSource the token path serves (the stack's Alertmanager source). */
    source: Pick<AlertSource, "id" | "name" | "secret_token" | "alert_events_url">;
    /** The stack, for the commands in an error. */
    stack: string;
}

/** What the checks below name in their errors: the source as incident.io answered it, and the stack. */
export interface SourceAnswer {
    id: string;
    name: string;
    stack: string;
}

/** `secret_token`, as a secret; an empty one stops the program before the token path is written. */
export function alertSourceToken({ source, stack }: TokenSource): pulumi.Output<string> {
    return pulumi.secret(
        pulumi.all([source.secret_token, source.name, source.id]).apply(([token, name, id]) => checkedToken(token, { id, name, stack })),
    );
}

/** `alert_events_url`, trusted only when it is incident.io's HTTPS endpoint for this very source. */
export function alertSourceUrl({ source, stack }: TokenSource): pulumi.Output<string> {
    return pulumi
        .all([source.alert_events_url, source.name, source.id])
        .apply(([url, name, id]) => checkedAlertEventsUrl(url, { id, name, stack }));
}

/** The token, trimmed; none (a source of a type without one, or a key that may not see it) throws. */
export function checkedToken(token: string | undefined, { id, name, stack }: SourceAnswer): string {
    const clean = token?.trim();
    if (!clean) {
        throw new Error(
            `incident.io holds no secret_token for the alert source "${escapeControl(name)}" (${id}), so the Alertmanager token path cannot be written; nothing was changed in AWS or Kubernetes. ` +
                `Check that alert-routing:alertSources.alertmanager is the Alertmanager source (\`pulumi config get --stack ${stack} --path 'alert-routing:alertSources.alertmanager'\`) and that the API key may view it.`,
        );
    }
    return clean;
}

/** The URL as it is, when it is https and ends in the source's own id; anything else throws. */
export function checkedAlertEventsUrl(url: string | undefined, { id, name, stack }: SourceAnswer): string {
    let parsed: URL | undefined;
    try {
        parsed = url ? new URL(url) : undefined;
    } catch {
        parsed = undefined;
    }
    if (!parsed || parsed.protocol !== "https:" || !parsed.pathname.endsWith(`/${id}`)) {
        throw new Error(
            `incident.io answered the alert source "${escapeControl(name)}" (${id}) with the alert events URL ${escapeControl(JSON.stringify(url ?? null))}, which is not an https URL ending in its id; ` +
                "it was not written into Alertmanager's config and nothing was changed. " +
                `Run \`pulumi refresh --stack ${stack}\` and look at the source in incident.io (Alerts → Sources).`,
        );
    }
    return url!;
}
