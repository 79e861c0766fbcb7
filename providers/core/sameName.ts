// A resource about to be created while a live one of the same name exists, and no adoptId names it:
// `up` would make a second one beside it. For alert routes that is a second route receiving the
// same alerts, so every alert pages twice. Check says so at preview, with the command that adopts
// the live one instead; a stack setting makes it an error (production's default).
import type { KindWords } from "./kind";
import { configSetCommand, escapeControl, isSafeId } from "./shell";

/** What check does about it: `warn` logs a line (the preview shows it), `error` stops the preview. */
export const SAME_NAME_LEVELS = ["warn", "error"] as const;
export type SameNameLevel = (typeof SAME_NAME_LEVELS)[number];

export interface SameNameFinding {
    /** The resource's name (as defined). */
    name: string;
    /** Live resources of that name, as listed. */
    live: ReadonlyArray<{ id: string }>;
    /** Where adoptId would come from (`alert-routing:adopt.<key>`); absent: the resource's own adoptId. */
    adoptIdConfigKey?: string;
    stack: string | undefined;
    level: SameNameLevel;
    product: string;
    words: KindWords;
}

/** The message for a create that would duplicate a live resource by name: what was found, what
 * would happen, and the exact command that adopts it (ids that are not plain tokens are never put
 * into a command: the operator checks them in the dashboard). */
export function sameNameMessage(f: SameNameFinding): string {
    const { short, noun, dashboard } = f.words;
    const name = escapeControl(f.name);
    const ids = f.live.map((r) => r.id);
    const shown = ids.map((id) => (isSafeId(id) ? id : `${escapeControl(JSON.stringify(id))} (not a plain id: check it in ${dashboard})`));
    const safe = ids.filter(isSafeId);
    const adopt = (id: string) =>
        f.adoptIdConfigKey
            ? `\`${configSetCommand({ stack: f.stack, key: f.adoptIdConfigKey, value: id, path: true })}\``
            : `set \`adoptId: "${id}"\` on this ${short}`;
    const fix =
        safe.length === 0
            ? `To adopt it, find its id in ${dashboard} and set ${f.adoptIdConfigKey ?? "adoptId"} to it.`
            : safe.length === 1
              ? `To take the live ${short} under management instead: ${adopt(safe[0])}, then preview again.`
              : `Pick the one to take under management (${dashboard}) and adopt it: ${safe.map(adopt).join(" or ")}, then preview again.`;
    const what =
        `${f.product} already has ${ids.length === 1 ? `a live ${short}` : `${ids.length} live ${short}s`} named "${name}" (${shown.join(", ")}), ` +
        `and this ${noun} has no adoptId: \`up\` would create a second "${name}" beside ${ids.length === 1 ? "it" : "them"}, and alerts would be routed twice.`;
    if (f.level === "warn") return `warning: ${what} ${fix}`;
    const allow = f.words.sameNameSetting
        ? ` If a second ${short} of that name is really wanted, \`${configSetCommand({ stack: f.stack, key: f.words.sameNameSetting, value: "warn" })}\` lets it be created (with this warning).`
        : "";
    return `${what} Nothing was created. ${fix}${allow}`;
}
