// Checkly fixtures shared by the Checkly tests: a webhook channel as the company's stacks define it
// (the incident.io integration, checkly-cli constructs/incidentio-alert-channel.ts), and its UI twin.
import { INCIDENT_IO_TEMPLATE } from "../../providers/checkly";

export const CHECKLY_TEST_KEY = "checkly-test-key";
export const CHECKLY_TEST_ACCOUNT = "7e4a5c38-9c9f-4b3e-8d4e-2f1f6c0a1b2c";

/** The channel payload for a source URL and token, as the stack builds it. */
export function incidentIoChannel(name: string, url: string, token: string): Record<string, unknown> {
    return {
        type: "WEBHOOK",
        config: {
            name,
            url,
            method: "POST",
            template: INCIDENT_IO_TEMPLATE,
            webhookType: "WEBHOOK_INCIDENTIO",
            headers: [{ key: "Authorization", value: `Bearer ${token}`, locked: true }],
            queryParameters: [],
        },
        sendRecovery: true,
        sendFailure: true,
        sendDegraded: false,
        sslExpiry: false,
        sslExpiryThreshold: 30,
        autoSubscribe: false,
    };
}

export const CHECK_A = "0bbfc00c-44df-46a7-a4d9-ba38deca8bfd";
export const CHECK_B = "47ccf418-6224-429c-a096-637364249882";
