// Which stack owns a resource: the managed-resource claim that tells the product's dashboard, and
// the check that adoption takes the resource its definition describes (not another stack's).
import { stableJson } from "./compare";
import type { KindWords } from "./kind";
import { configSetCommand, escapeControl } from "./shell";

/** The inputs beside the spec: how to adopt, and the project and stack the claim names. */
export interface OwnershipInputs {
    adoptId?: string;
    adoptRenaming?: boolean;
    adoptIdConfigKey?: string;
    pulumiProject?: string;
    pulumiStack?: string;
    /** A create beside a live resource of the same name (no adoptId): "warn" (default) or "error" (sameName.ts). */
    sameNameLive?: "warn" | "error";
}

/** Their types, as check enforces them. */
export const OWNERSHIP_INPUTS = {
    adoptRenaming: "boolean",
    adoptIdConfigKey: "string",
    pulumiProject: "string",
    pulumiStack: "string",
    sameNameLive: "string",
} as const;
export type OwnershipInput = keyof typeof OWNERSHIP_INPUTS;

/** The annotations of the managed-resource claim. The stack comes from the program
 * (`pulumi.getStack()`): the engine gives the dynamic-provider host the project
 * (PULUMI_NODEJS_PROJECT) but not the stack (pulumi/pulumi pkg/resource/plugin/provider_plugin.go),
 * and the host hands the provider neither the URN nor the Configure request's. */
export function claimAnnotations(inputs: OwnershipInputs): Record<string, string> {
    const project = inputs.pulumiProject || process.env.PULUMI_NODEJS_PROJECT || "alert-routing";
    return {
        "managed-by": "pulumi",
        "pulumi/project": project,
        ...(inputs.pulumiStack ? { "pulumi/stack": inputs.pulumiStack } : {}),
    };
}

/** True when the claim must be (re)made: never claimed, or claimed for another stack. */
export function claimMissing(olds: { claimed?: Record<string, string> }, news: OwnershipInputs): boolean {
    return olds.claimed === undefined || stableJson(olds.claimed) !== stableJson(claimAnnotations(news));
}

/** Adoption must take the resource the definition describes: a live one with another name is most
 * likely another resource (another stack's), and adopting it would overwrite it and later delete it.
 * Returns the error to raise, or undefined when the adoption may go ahead. */
export function adoptionMismatch(inputs: OwnershipInputs & { name: string }, liveName: string, words: KindWords): Error | undefined {
    if (liveName === inputs.name || inputs.adoptRenaming === true) return undefined;
    const source = inputs.adoptIdConfigKey ? `${inputs.adoptIdConfigKey} (adoptId)` : "adoptId";
    const name = escapeControl(inputs.name);
    const fix = inputs.adoptIdConfigKey
        ? `\`${configSetCommand({ stack: inputs.pulumiStack, key: inputs.adoptIdConfigKey, value: `<${words.short} id>`, path: true })}\` with the id of "${name}"`
        : `set adoptId to the id of "${name}"`;
    return new Error(
        `${source} ${escapeControl(String(inputs.adoptId))} is the live ${words.short} "${escapeControl(liveName)}", but this resource defines "${name}". ` +
            `Nothing was written: adopting it would overwrite that ${words.short} with this definition. ` +
            `If the id is wrong, ${fix} (${words.listIds} lists the ids). ` +
            `To take this ${words.short} and rename it on purpose, set \`adoptRenaming: true\` on the resource.`,
    );
}
