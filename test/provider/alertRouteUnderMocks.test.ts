// AlertRoute under pulumi.runtime.setMocks: what the SDK itself would send to the engine.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { productionAlerts } from "../fixtures/routes";

const API_KEY_CANARY = "canary-api-key-7d41e0b2";

test("the serialized provider holds no API key and requires its code instead of copying it", async () => {
    const registered: pulumi.runtime.MockResourceArgs[] = [];
    pulumi.runtime.setAllConfig({ "incident-io:apiKey": API_KEY_CANARY }, ["incident-io:apiKey"]);
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push(args);
                return { id: "01JROUTE000000000000000000", state: { ...args.inputs, version: 1 } };
            },
            call: () => ({}),
        },
        "alert-routing",
        "staging",
    );
    // Imported after setMocks, as a program would be run.
    const { AlertRoute } = await import("../../providers/incident-io/alertRoute");
    // A program that reads the key itself (as the stack does for tokens) must not leak it into the provider.
    const key = new pulumi.Config("incident-io").requireSecret("apiKey");
    const route = new AlertRoute("production-alerts", { ...productionAlerts(), adoptId: key.apply(() => "01KHSNW67SZJ1KGWEMA9C0GPT7") });
    const version = await new Promise((resolve) => route.version.apply(resolve));
    assert.equal(version, 1);

    assert.equal(registered.length, 1);
    const { type, inputs } = registered[0];
    assert.equal(type, "pulumi-nodejs:dynamic/incident-io:AlertRoute");
    const provider: string = inputs.__provider;
    assert.equal(typeof provider, "string");
    assert.ok(provider.length < 16 * 1024, `__provider is ${provider.length} bytes`);
    assert.ok(!provider.includes(API_KEY_CANARY));
    assert.match(provider, /file: "providers\/incident-io\/handlers", exportName: "alertRouteHandlers"/);
    assert.doesNotMatch(provider, /class IncidentIoClient|function canonical|Symbol\(undici/);
    assert.equal(inputs.name, "Production Alerts");
    // The host cannot learn the stack (ownership.ts): the program passes it for the claim.
    assert.equal(inputs.pulumiStack, "staging");
    assert.equal(inputs.pulumiProject, "alert-routing");
    assert.ok(!JSON.stringify(inputs).includes(API_KEY_CANARY));
});
