// Which stack owns a route: the managed-resource claim that tells incident.io's dashboard, and the
// check that adoption takes the route its definition describes (not another stack's).
import type { AlertRouteInputs, AlertRouteOutputs } from "./alertRoute";
import { stableJson } from "./model";
import { configSetCommand, escapeControl } from "./shell";

/** The annotations of the managed-resource claim (POST /v2/managed_resources). The stack comes
 * from the program (`pulumi.getStack()`): the engine gives the dynamic-provider host the project
 * (PULUMI_NODEJS_PROJECT) but not the stack (pulumi/pulumi pkg/resource/plugin/provider_plugin.go),
 * and the host hands the provider neither the URN nor the Configure request's. */
export function claimAnnotations(inputs: AlertRouteInputs): Record<string, string> {
    const project = inputs.pulumiProject || process.env.PULUMI_NODEJS_PROJECT || "alert-routing";
    return {
        "managed-by": "pulumi",
        "pulumi/project": project,
        ...(inputs.pulumiStack ? { "pulumi/stack": inputs.pulumiStack } : {}),
    };
}

/** True when the route's claim must be (re)made: never claimed, or claimed for another stack. */
export function claimMissing(olds: Pick<AlertRouteOutputs, "claimed">, news: AlertRouteInputs): boolean {
    return olds.claimed === undefined || stableJson(olds.claimed) !== stableJson(claimAnnotations(news));
}

/** Adoption must take the route the definition describes: a live route with another name is most
 * likely another route (another stack's), and adopting it would overwrite it and later delete it.
 * Returns the error to raise, or undefined when the adoption may go ahead. */
export function adoptionMismatch(inputs: AlertRouteInputs, liveName: string): Error | undefined {
    if (liveName === inputs.name || inputs.adoptRenaming === true) return undefined;
    const source = inputs.adoptIdConfigKey ? `${inputs.adoptIdConfigKey} (adoptId)` : "adoptId";
    const name = escapeControl(inputs.name);
    const fix = inputs.adoptIdConfigKey
        ? `\`${configSetCommand({ stack: inputs.pulumiStack, key: inputs.adoptIdConfigKey, value: "<route id>", path: true })}\` with the id of "${name}"`
        : `set adoptId to the id of "${name}"`;
    return new Error(
        `${source} ${escapeControl(String(inputs.adoptId))} is the live route "${escapeControl(liveName)}", but this resource defines "${name}". ` +
            "Nothing was written: adopting it would overwrite that route with this definition. " +
            `If the id is wrong, ${fix} (\`npm run import-routes\` lists the ids). ` +
            "To take this route and rename it on purpose, set `adoptRenaming: true` on the resource.",
    );
}
