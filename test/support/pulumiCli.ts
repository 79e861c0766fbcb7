// The real Pulumi CLI for the end-to-end tier, or a skip on a user's machine that can have none.
import { findOrBuildPulumi, NO_PULUMI_MESSAGE, type PulumiCli } from "../../dev/pulumi-cli";

export { CliWorkspace, type CliResult } from "../../dev/pulumi-cli/workspace";

let cached: PulumiCli | undefined | null = null;

/**
 * The CLI, or undefined on a user's machine with neither `pulumi` nor Go (the tier then skips with one line).
 * In CI (`CI` set) a CLI that cannot be had fails the run instead.
 */
export function pulumiCliOrSkip(): PulumiCli | undefined {
    if (cached !== null) return cached;
    cached = findOrBuildPulumi();
    if (!cached) {
        if (process.env.CI) throw new Error(`The end-to-end tier needs the Pulumi CLI in CI. ${NO_PULUMI_MESSAGE}`);
        process.stderr.write(`end-to-end tier skipped: ${NO_PULUMI_MESSAGE}\n`);
    }
    return cached;
}
