// The AlertRoute provider's handlers. They run inside Pulumi's dynamic-provider host (loaded by the
// shim in alertRoute.ts) and in tests. Thin: the model layer compares, the client talks HTTP.
import type * as pulumi from "@pulumi/pulumi";
import type { AlertRouteInputs, AlertRouteOutputs } from "./alertRoute";
import { IncidentIoClient, processLimiter } from "./client/client";
import { IncidentIoApiError } from "./client/errors";
import { DEFAULT_RETRY_POLICY } from "./client/retry";
import { changedFields, fromResponse, pickSpec, sameRoute, toPayload, withDefaults } from "./model";
import { adoptionMismatch, claimAnnotations, claimMissing } from "./ownership";
import { API_KEY_ENV, readSettings, type ProviderSettings } from "./settings";
import type { AlertRouteResponse, AlertRouteSpec } from "./types";
import { containsUnknown, isUnknown, validateRoute } from "./validate";

/** Read's answer: `inputs` are inputs (the SDK types them as outputs). */
export type AlertRouteReadResult = Omit<pulumi.dynamic.ReadResult<AlertRouteOutputs>, "inputs"> & { inputs?: AlertRouteInputs };

/** Inputs that are not part of the route: how to adopt it and who owns it. */
const OWNERSHIP_INPUTS = { adoptRenaming: "boolean", adoptIdConfigKey: "string", pulumiProject: "string", pulumiStack: "string" } as const;
type OwnershipInput = keyof typeof OWNERSHIP_INPUTS;

export class AlertRouteHandlers implements Required<pulumi.dynamic.ResourceProvider> {
    private settings?: ProviderSettings;
    private settingsError?: Error;
    private client?: IncidentIoClient;
    /**
     * Routes this host process adopted. `pulumi up --replace <urn>` and `pulumi state taint` on an adopted route
     * make the engine create the replacement (which adopts the same live route again, adoptId unchanged) and
     * then delete the old resource's id: that same route. One host serves a whole run (one provider process per
     * `pulumi up`), so delete can tell that case from a real delete and leave the route alone.
     */
    private readonly adoptedInThisRun = new Set<string>();

    constructor(private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

    /** Never throws: the host caches a provider whose configure failed and never retries, so a
     * bad setting is reported by the first call that needs it instead. */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.client = undefined;
        this.settingsError = undefined;
        try {
            this.settings = readSettings((key) => req.config.get(key));
        } catch (error) {
            this.settingsError = error as Error;
        }
    }

    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult<AlertRouteInputs>> {
        // Accept a route pasted from the API or an old backup (labels, subject/operation objects).
        const { __provider, adoptId, adoptRenaming, adoptIdConfigKey, pulumiProject, pulumiStack, ...rest } = news;
        const ownership: Partial<Record<OwnershipInput, unknown>> = { adoptRenaming, adoptIdConfigKey, pulumiProject, pulumiStack };
        const payload = toPayload(rest);
        const failures = validateRoute({ ...payload, ...(adoptId === undefined ? {} : { adoptId }) });
        for (const [key, type] of Object.entries(OWNERSHIP_INPUTS)) {
            const value = ownership[key as OwnershipInput];
            if (value !== undefined && !isUnknown(value) && typeof value !== type) {
                failures.push({ property: key, reason: `must be a ${type}, got ${JSON.stringify(value)}` });
            }
        }
        if (failures.length > 0) return { inputs: news as unknown as AlertRouteInputs, failures };
        const inputs: AlertRouteInputs = withDefaults(pickSpec(payload));
        if (adoptId !== undefined) inputs.adoptId = adoptId as string;
        for (const [key, value] of Object.entries(ownership)) {
            if (value !== undefined) (inputs as unknown as Record<string, unknown>)[key] = value;
        }
        // A new resource with adoptId: the preview shows adoption as a create, so read that one
        // route now to refuse a wrong id early and report what adoption will change. The host's
        // stderr reaches the CLI as an info message (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go, runtrace).
        const inState = Object.keys(olds ?? {}).some((key) => key !== "__provider");
        if (!inState && typeof inputs.adoptId === "string" && !containsUnknown(inputs)) {
            const failure = await this.previewAdoption(inputs);
            if (failure) return { inputs, failures: [failure] };
        }
        return { inputs };
    }

    async diff(_id: string, olds: AlertRouteOutputs, news: AlertRouteInputs): Promise<pulumi.dynamic.DiffResult> {
        const desired = pickSpec(news);
        // During preview some inputs may not be known yet: say "maybe" rather than "no change".
        if (containsUnknown(desired)) return { changes: true };
        const current = olds.route ?? pickSpec(olds);
        // A route whose claim failed (or predates the stack annotation) is an update too: it claims.
        const unclaimed = this.settingsOrDefaults().claimManaged && claimMissing(olds, news);
        return { changes: unclaimed || !sameRoute(desired, current), replaces: [], deleteBeforeReplace: false };
    }

    async create(inputs: AlertRouteInputs): Promise<pulumi.dynamic.CreateResult<AlertRouteOutputs>> {
        const spec = pickSpec(inputs);
        const remote = inputs.adoptId ? await this.adopt(inputs, spec) : await this.post(spec);
        if (inputs.adoptId) this.adoptedInThisRun.add(remote.id);
        const outs = toOutputs(inputs, remote);
        return { id: remote.id, outs: await this.claim(remote.id, outs, inputs) };
    }

    async read(id: string, props: AlertRouteOutputs): Promise<AlertRouteReadResult> {
        let remote: AlertRouteResponse;
        try {
            remote = await this.api().getAlertRoute(id);
        } catch (error) {
            if (error instanceof IncidentIoApiError && error.isNotFound) return {}; // gone: Pulumi drops it
            throw error;
        }
        // The engine shows a change by comparing stored inputs with the program's (the host sends no
        // detailed diff: pulumi/pulumi pkg/backend/display/object_diff.go). Returning inputs with the
        // drifted fields set to their live values makes the next preview show what `up` writes back;
        // the engine stores them (pulumi/pulumi#21315, SDK >= 3.216). The outputs' copy of the definition is
        // the refreshed one too: once the edit is taken into code, `up` is a "same" step, which keeps the
        // outputs as they are, so outputs built from the old definition would keep the old name for good.
        const inputs = refreshedInputs(props, remote);
        return { id, props: toOutputs(inputs, remote, props.claimed), inputs };
    }

    async update(id: string, olds: AlertRouteOutputs, news: AlertRouteInputs): Promise<pulumi.dynamic.UpdateResult<AlertRouteOutputs>> {
        const spec = pickSpec(news);
        const remote = await this.getExisting(id, spec.name, "update");
        // No write without a change: a route that already matches (e.g. only its claim failed) keeps its version.
        if (sameRoute(spec, fromResponse(remote))) {
            return { outs: await this.claim(id, toOutputs(news, remote, olds.claimed), news) };
        }
        if (remote.version !== olds.version) {
            const changed = olds.route ? changedFields(olds.route, fromResponse(remote)) : ["(unknown: no stored route)"];
            if (changed.length > 0) {
                if (this.settingsOrDefaults().onConflict !== "overwrite") {
                    throw new Error(
                        `alert route "${spec.name}" (${id}) was changed outside Pulumi: incident.io has version ${remote.version}, ` +
                            `the stack last saw ${olds.version}; changed: ${changed.join(", ")}. Nothing was written. ` +
                            "Run `pulumi refresh` to see the changes, move the ones to keep into code, then `pulumi up` " +
                            "(or set `pulumi config set incident-io:onConflict overwrite` to replace them).",
                    );
                }
                this.log(`incident.io: overwriting changes made outside Pulumi to "${spec.name}" (${id}): ${changed.join(", ")}`);
            }
        }
        const updated = await this.put(id, spec, remote, "update");
        return { outs: await this.claim(id, toOutputs(news, updated, olds.claimed), news) };
    }

    async delete(id: string, props: AlertRouteOutputs): Promise<void> {
        if (this.adoptedInThisRun.has(id)) {
            this.log(
                `incident.io: not deleting alert route "${props.name}" (${id}): its replacement in this same run adopted that very route, ` +
                    "so deleting the old resource's id would delete the route the stack now manages.",
            );
            return;
        }
        try {
            await this.api().deleteAlertRoute(id);
        } catch (error) {
            if (error instanceof IncidentIoApiError && error.isNotFound) return; // already gone
            throw error;
        }
    }

    /** POST. When the answer is lost after sending, the route may exist: never retry blindly. */
    private async post(spec: AlertRouteSpec): Promise<AlertRouteResponse> {
        try {
            return await this.api().createAlertRoute(spec);
        } catch (error) {
            if (!(error instanceof IncidentIoApiError && error.maybeApplied)) throw error;
            const candidates = await this.routesNamed(spec.name);
            throw new Error(
                `creating alert route "${spec.name}" may have succeeded although no answer came back (${error.message}). ` +
                    "Nothing was recorded in the stack, and it was not retried so as not to create the route twice. " +
                    (candidates === undefined
                        ? "Look for the route in incident.io (Alerts → Routes). "
                        : candidates.length > 0
                          ? `incident.io now has ${candidates.length} route(s) with that name: ${candidates.join(", ")}. `
                          : "incident.io has no route with that name right now, but the request may still be in progress: " +
                            "look again in a minute (Alerts → Routes) before running `pulumi up` again. ") +
                    'If it was created, set `adoptId: "<route id>"` on this route (or `alert-routing:adopt` in stack config) and run `pulumi up` to take it under management.',
            );
        }
    }

    private async adopt(inputs: AlertRouteInputs, spec: AlertRouteSpec): Promise<AlertRouteResponse> {
        const id = inputs.adoptId!;
        const remote = await this.getExisting(id, spec.name, "adopt");
        const mismatch = adoptionMismatch(inputs, remote.name);
        if (mismatch) throw mismatch;
        return sameRoute(spec, fromResponse(remote)) ? remote : this.put(id, spec, remote, "adopt");
    }

    /** check's look at the route to adopt: a failure for a wrong id, a log line for what changes.
     * An unreadable route is left to `create`, which reads it again and fails clearly. */
    private async previewAdoption(inputs: AlertRouteInputs): Promise<{ property: string; reason: string } | undefined> {
        let remote: AlertRouteResponse;
        try {
            remote = await this.api().getAlertRoute(inputs.adoptId!);
        } catch (error) {
            if (error instanceof IncidentIoApiError && error.isNotFound) {
                return { property: "adoptId", reason: notFound(inputs.name, inputs.adoptId!, "adopt").message };
            }
            this.log(
                `incident.io: could not read the route to adopt (${inputs.adoptId}) for "${inputs.name}" during check: ${(error as Error).message}`,
            );
            return undefined;
        }
        const mismatch = adoptionMismatch(inputs, remote.name);
        if (mismatch) return { property: "adoptId", reason: mismatch.message };
        const changed = changedFields(fromResponse(remote), pickSpec(inputs));
        this.log(
            changed.length === 0
                ? `incident.io: adopting "${inputs.name}" (${inputs.adoptId}) writes nothing: the live route matches the definition.`
                : `incident.io: adopting "${inputs.name}" (${inputs.adoptId}) will write the definition over the live route (version ${remote.version}), changing: ${changed.join(", ")}.`,
        );
        return undefined;
    }

    /** PUT with version + 1. A rejected version, or an answer lost after sending, is settled by
     * reading the route back: if it holds exactly our write at our version, the write landed. */
    private async put(
        id: string,
        spec: AlertRouteSpec,
        current: AlertRouteResponse,
        action: "update" | "adopt",
    ): Promise<AlertRouteResponse> {
        const version = current.version + 1;
        try {
            return await this.api().updateAlertRoute(id, spec, version);
        } catch (error) {
            if (!(error instanceof IncidentIoApiError)) throw error;
            if (error.isNotFound) throw notFound(spec.name, id, action);
            if (!(error.isVersionRejected || error.maybeApplied)) throw error;
            const now = await this.getExisting(id, spec.name, action);
            if (now.version === version && sameRoute(spec, fromResponse(now))) return now;
            if (!error.isVersionRejected) throw error;
            if (now.version === current.version) {
                throw new Error(
                    `incident.io rejected version ${version} for alert route "${spec.name}" (${id}) although the route is still at version ${current.version}: ` +
                        `${error.message}. Nothing was written; run \`pulumi up\` again, and report it to incident.io (request_id ${error.requestId ?? "unknown"}) if it persists.`,
                );
            }
            const changed = changedFields(fromResponse(current), fromResponse(now));
            throw new Error(
                `alert route "${spec.name}" (${id}) was changed in incident.io while Pulumi was updating it: the API rejected version ${version} ` +
                    `(it is now at ${now.version}${changed.length ? `; changed: ${changed.join(", ")}` : ""}). ` +
                    "Nothing was overwritten. Run `pulumi refresh`, review the changes, then `pulumi up`.",
            );
        }
    }

    private async getExisting(id: string, name: string, action: "update" | "adopt"): Promise<AlertRouteResponse> {
        try {
            return await this.api().getAlertRoute(id);
        } catch (error) {
            if (!(error instanceof IncidentIoApiError && error.isNotFound)) throw error;
            throw notFound(name, id, action);
        }
    }

    /** Claims the route unless `outs` already record this claim; returns the outputs recording it. */
    private async claim(id: string, outs: AlertRouteOutputs, inputs: AlertRouteInputs): Promise<AlertRouteOutputs> {
        if (!this.settingsOrDefaults().claimManaged || !claimMissing(outs, inputs)) return outs;
        const annotations = claimAnnotations(inputs);
        try {
            await this.api().claimManaged("alert_route", id, annotations);
            return { ...outs, claimed: annotations };
        } catch (error) {
            // The route itself was saved: record it (id + outputs, without this claim) so nothing
            // is lost or duplicated, and report the failed claim. The next `pulumi up` claims it again.
            const message =
                `alert route "${outs.name}" (${id}) was saved, but claiming it as managed by code failed: ${(error as Error).message}. ` +
                "Run `pulumi up` again, or `pulumi config set incident-io:claimManaged false` to skip claiming.";
            throw Object.assign(new Error(message), { id, properties: outs, reasons: [message] });
        }
    }

    private async routesNamed(name: string): Promise<string[] | undefined> {
        try {
            return (await this.api().listAlertRoutes()).filter((r) => r.name === name).map((r) => r.id);
        } catch {
            return undefined;
        }
    }

    private settingsOrDefaults(): ProviderSettings {
        if (this.settingsError) throw this.settingsError;
        return (this.settings ??= readSettings(() => undefined));
    }

    private api(): IncidentIoClient {
        const settings = this.settingsOrDefaults();
        return (this.client ??= new IncidentIoClient({
            baseUrl: settings.baseUrl,
            // Read at call time: from the stack's secret config, else the environment. The client
            // refuses an empty key with the message that says how to set it.
            apiKey: () => settings.apiKey ?? process.env[API_KEY_ENV] ?? "",
            limiter: processLimiter({ requestsPerMinute: settings.requestsPerMinute, maxConcurrency: settings.maxConcurrency }),
            retry: { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries },
            requestTimeoutMs: settings.requestTimeoutMs,
            maxRetryWaitMs: settings.maxRetryWaitMs,
            operationTimeoutMs: settings.operationTimeoutMs,
            maxResponseBytes: settings.maxResponseBytes,
            log: this.log,
        }));
    }
}

function notFound(name: string, id: string, action: "update" | "adopt"): Error {
    return new Error(
        action === "adopt"
            ? `adoptId ${id} for alert route "${name}": incident.io has no alert route with that id. Check the id (\`npm run import-routes\` lists them from a backup) or remove adoptId to create the route.`
            : `alert route "${name}" (${id}) no longer exists in incident.io: it was deleted outside Pulumi. ` +
                  "Run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it again.",
    );
}

/** Outputs carry every input (Pulumi passes old outputs to diff/update/read/delete), the version,
 * the route as incident.io holds it, and the claim made. JSON-clean: the host cannot encode `undefined`. */
function toOutputs(inputs: AlertRouteInputs, remote: AlertRouteResponse, claimed?: Record<string, string>): AlertRouteOutputs {
    const outs: AlertRouteOutputs = {
        ...definitionOf(inputs),
        version: remote.version,
        // Canonical, and in our operation names where incident.io answered with its alias of them.
        route: fromResponse(remote, pickSpec(inputs)),
        ...(claimed ? { claimed } : {}),
    };
    return JSON.parse(JSON.stringify(outs));
}

/** The inputs part of inputs or outputs: the spec, adoptId and the ownership inputs. */
function definitionOf(value: AlertRouteInputs): AlertRouteInputs {
    const definition: AlertRouteInputs = pickSpec(value);
    if (value.adoptId) definition.adoptId = value.adoptId;
    for (const key of Object.keys(OWNERSHIP_INPUTS) as OwnershipInput[]) {
        if (value[key] !== undefined && value[key] !== null) (definition as unknown as Record<string, unknown>)[key] = value[key];
    }
    return definition;
}

/** What refresh stores as inputs: the last applied definition (carried in the outputs) with exactly
 * the fields that differ from the live route replaced by their live, canonical values. Equal to the
 * stored inputs when nothing drifted, so a refresh without drift shows no change. */
function refreshedInputs(props: AlertRouteOutputs, remote: AlertRouteResponse): AlertRouteInputs {
    const definition = definitionOf(props) as unknown as Record<string, unknown>;
    // Canonical, in our operation names where incident.io holds its alias of them: an alias is not drift.
    const live = fromResponse(remote, pickSpec(props)) as unknown as Record<string, unknown>;
    for (const field of changedFields(pickSpec(props), fromResponse(remote))) {
        if (live[field] === undefined) delete definition[field];
        else definition[field] = live[field];
    }
    return JSON.parse(JSON.stringify(definition));
}

export const alertRouteHandlers = new AlertRouteHandlers();
