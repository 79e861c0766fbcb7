// The production stack under mocks; the token comes from incident.io (stubbed fetch), and the
// existing AWS secret is imported.
import { fakeId } from "../support/ids";
import { describeStack } from "../support/stackSuite";

describeStack({
    environment: "production",
    owns: ["productionAlerts", "productionWarnings", "unroutedAlerts", "databaseAlerts", "informational"],
    alertEventsUrl: "https://api.incident.io/v2/alert_events/alertmanager/01KHSNW67SZJ1KGWEMA9C0GPT7",
    alertmanagerSourceId: "01KHSNW67SZJ1KGWEMA9C0GPT7",
    checklySourceId: "01HZ7GE7CASMF15RWV1QFCMKTQ",
    adopt: { productionAlerts: fakeId("liveProductionAlerts"), databaseAlerts: fakeId("liveDatabaseAlerts"), checklyChannel: "250311" },
    adoptTokenSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:unkey/alertmanager-incident-io-Live01",
    coverageWarnings: [
        "gap: alertmanager alerts where severity is any value but critical or warning reach no route",
        "gap: planetScale alerts where branch is not main (any other value, or not set) reach no route",
    ],
});
