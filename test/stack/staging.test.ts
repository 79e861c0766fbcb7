// The staging stack under mocks; the token comes from secret stack config.
import { fakeId } from "../support/ids";
import { describeStack } from "../support/stackSuite";

describeStack({
    environment: "staging",
    owns: ["stagingNotifications"],
    alertEventsUrl: "https://api.incident.io/v2/alert_events/alertmanager/01KH7FNXWPMH6KPCQTYJJY947G",
    alertmanagerSourceId: "01KH7FNXWPMH6KPCQTYJJY947G",
    checklySourceId: "01KKZJERF1HQFJRE3XWFZ0NV19",
    adopt: { stagingNotifications: fakeId("liveStagingNotifications") },
    coverageWarnings: [],
});
