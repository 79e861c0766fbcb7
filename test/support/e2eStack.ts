// One stack of the e2e fixture under the real CLI, configured as a real stack is (`pulumi config set`
// with `--path` for the ids, `--secret` for the key), against an emulator in its realistic mode.
import * as crypto from "node:crypto";

import { ALERT_ROUTE_TYPE } from "../../providers/incident-io";
import { idsRequiredBy, type Environment, type RouteIds, type RouteKey } from "../../stack/routes";
import type { IncidentIoEmulator } from "../../dev/emulator";
import type { CliResult, CliWorkspace } from "../../dev/pulumi-cli/workspace";
import { LIVE_IDS } from "../../dev/seed/workspace";

export const E2E_PROJECT = "alert-routing-e2e";

export function randomKey(label = "key"): string {
    return `canary-${label}-${crypto.randomBytes(8).toString("hex")}`;
}

/** The URN of a route of the fixture (parented by the AlertRouting component "routes"). */
export function routeUrn(stack: Environment, key: RouteKey): string {
    return `urn:pulumi:${stack}::${E2E_PROJECT}::alert-routing:index:AlertRouting$${ALERT_ROUTE_TYPE}::${key}`;
}

export class E2eStack {
    constructor(
        readonly workspace: CliWorkspace,
        readonly stack: Environment,
        readonly emulator: IncidentIoEmulator,
    ) {}

    /** `pulumi stack init` and the config a real stack of this environment has (the seeded workspace's ids). */
    async init(apiKey: string, ids: RouteIds = LIVE_IDS[this.stack]): Promise<void> {
        await this.workspace.ok(["stack", "init", this.stack]);
        const pairs = idsRequiredBy(this.stack).map(
            (ref) => `--plaintext=alert-routing:${ref.group}.${ref.name}=${(ids[ref.group] as Record<string, string>)[ref.name]}`,
        );
        await this.pulumi([
            "config",
            "set-all",
            "--path",
            `--plaintext=incident-io:baseUrl=${this.emulator.url}`,
            `--secret=incident-io:apiKey=${apiKey}`,
            ...pairs,
        ]);
    }

    setApiKey(apiKey: string): Promise<CliResult> {
        return this.pulumi(["config", "set", "--secret", "incident-io:apiKey", apiKey]);
    }

    /** `alert-routing:adopt.<key>` for each route, in one `pulumi config set-all --path`. */
    adopt(ids: Partial<Record<RouteKey, string>>): Promise<CliResult> {
        return this.pulumi([
            "config",
            "set-all",
            "--path",
            ...Object.entries(ids).map(([key, id]) => `--plaintext=alert-routing:adopt.${key}=${id}`),
        ]);
    }

    /** `pulumi <args> --stack <stack>`, failing with the CLI's output on a non-zero exit. */
    pulumi(args: string[], env?: Record<string, string>): Promise<CliResult> {
        return this.workspace.ok([...args, "--stack", this.stack], { env });
    }

    /** Like pulumi, but returns a failing run for the caller to assert on. */
    attempt(args: string[], env?: Record<string, string>): Promise<CliResult> {
        return this.workspace.run([...args, "--stack", this.stack], { env });
    }

    up(...extra: string[]): Promise<CliResult> {
        return this.pulumi(["up", "--yes", "--skip-preview", ...extra]);
    }

    /** The stack's resources of the route type, from `pulumi stack export`. */
    async routeStates(): Promise<Array<{ urn: string; id: string; outputs: Record<string, unknown>; inputs: Record<string, unknown> }>> {
        const exported = JSON.parse((await this.pulumi(["stack", "export"])).stdout) as {
            deployment: {
                resources?: Array<{
                    urn: string;
                    type: string;
                    id?: string;
                    outputs?: Record<string, unknown>;
                    inputs?: Record<string, unknown>;
                }>;
            };
        };
        return (exported.deployment.resources ?? [])
            .filter((r) => r.type === ALERT_ROUTE_TYPE)
            .map((r) => ({ urn: r.urn, id: r.id ?? "", outputs: r.outputs ?? {}, inputs: r.inputs ?? {} }));
    }
}

/** Requests that change something in incident.io. */
export function writes(emulator: IncidentIoEmulator): Array<{ method: string; path: string }> {
    return emulator.requests.filter((r) => r.method !== "GET").map(({ method, path }) => ({ method, path }));
}

/** `pulumi preview --json`'s change summary. */
export function changeSummary(previewJson: string): Record<string, number> {
    const parsed = JSON.parse(previewJson) as { changeSummary?: Record<string, number> };
    return parsed.changeSummary ?? {};
}
