// The Alertmanager alert source's token: from secret stack config when set, otherwise read from
// incident.io at deployment time, so nobody copies tokens by hand. Always a Pulumi secret.
import * as pulumi from "@pulumi/pulumi";

import { IncidentIoClient } from "../providers/incident-io";

export interface TokenRequest {
    baseUrl: string;
    apiKey: string;
    alertSourceId: string;
}

/** How the token is fetched; injectable so tests under mocks never call the network. */
export type FetchAlertSourceToken = (request: TokenRequest) => Promise<string>;

/** GET /v2/alert_sources/{id} → `secret_token`. */
export const fetchAlertSourceToken: FetchAlertSourceToken = async ({ baseUrl, apiKey, alertSourceId }) => {
    const source = await new IncidentIoClient({ baseUrl, apiKey }).getAlertSource(alertSourceId);
    const token = source.secret_token?.trim();
    if (!token) {
        throw new Error(
            `incident.io answered GET /v2/alert_sources/${alertSourceId} ("${source.name}") without a secret_token. ` +
                `Check that it is the Alertmanager source and the API key may view it, or set the token yourself: ` +
                `pulumi config set --secret alert-routing:alertSourceToken <token>`,
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
    return pulumi.secret(
        args.incidentIo.apiKey.apply((apiKey) => fetch({ baseUrl: args.incidentIo.baseUrl, apiKey, alertSourceId: args.alertSourceId })),
    );
}
