// The Alertmanager alert source's token: from secret stack config when set, otherwise read from
// incident.io at deployment time, so nobody copies tokens by hand. Always a Pulumi secret.
import * as pulumi from "@pulumi/pulumi";

import { configSetCommand, escapeControl, IncidentIoClient, stackSettingFix } from "../providers/incident-io";

export interface TokenRequest {
    baseUrl: string;
    apiKey: string;
    alertSourceId: string;
    /** The stack, named in every fix command. */
    stack?: string;
}

/** How the token is fetched; injectable so tests under mocks never call the network. */
export type FetchAlertSourceToken = (request: TokenRequest) => Promise<string>;

/** GET /v2/alert_sources/{id} → `secret_token`. */
export const fetchAlertSourceToken: FetchAlertSourceToken = async ({ baseUrl, apiKey, alertSourceId, stack }) => {
    const source = await new IncidentIoClient({ baseUrl, apiKey, fixes: stackSettingFix(stack) }).getAlertSource(alertSourceId);
    const token = source.secret_token?.trim();
    if (!token) {
        throw new Error(
            `incident.io answered GET /v2/alert_sources/${alertSourceId} ("${escapeControl(source.name)}") without a secret_token. ` +
                `Check that it is the Alertmanager source and the API key may view it, or set the token yourself: ` +
                configSetCommand({ stack, key: "alert-routing:alertSourceToken", value: "<token>", secret: true }),
        );
    }
    return token;
};

export function alertSourceToken(args: {
    /** Secret config `alert-routing:alertSourceToken`, if set. */
    configured?: pulumi.Output<string>;
    alertSourceId: string;
    incidentIo: { baseUrl: string; apiKey: pulumi.Output<string> };
    fetch?: FetchAlertSourceToken;
}): pulumi.Output<string> {
    if (args.configured) return pulumi.secret(args.configured);
    const fetch = args.fetch ?? fetchAlertSourceToken;
    // apply on the secret API key keeps the result secret; pulumi.secret makes that explicit.
    const stack = pulumi.getStack();
    return pulumi.secret(
        args.incidentIo.apiKey.apply((apiKey) =>
            fetch({ baseUrl: args.incidentIo.baseUrl, apiKey, alertSourceId: args.alertSourceId, stack }),
        ),
    );
}
