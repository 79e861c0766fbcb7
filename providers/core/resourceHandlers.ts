// The handlers every dynamic resource of this project shares: check before any call, adoption by
// id with a name check and a preview of what it changes, no write without a change, GET + PUT with
// conflict detection, the managed claim, only the API's own 404 means gone. A kind (kind.ts) says
// what is its own; the backend says how to reach the API. Runs in Pulumi's dynamic-provider host
// (loaded by a resource's shim) and in tests.
import type * as pulumi from "@pulumi/pulumi";
import { containsUnknown, isUnknown, jsonClean } from "./compare";
import type { ApiFailure, Backend, CheckFailure, CoreSettings, ResourceKind } from "./kind";
import { adoptionMismatch, claimAnnotations, claimMissing, OWNERSHIP_INPUTS, type OwnershipInput, type OwnershipInputs } from "./ownership";
import { SAME_NAME_LEVELS, sameNameMessage } from "./sameName";
import { configRmCommand, configSetCommand, describeValue, escapeControl, pulumiCommand } from "./shell";

/** What the provider receives after check: the spec (defaults filled) and the ownership inputs. */
export type DefinitionInputs<Spec> = Spec & OwnershipInputs;
/** What it stores: every input, the live form and extra outputs, and the claim once made. */
export type StoredOutputs<Spec> = DefinitionInputs<Spec> & { claimed?: Record<string, string> };

/** Read's answer: `inputs` are inputs (the SDK types them as outputs). */
export type ReadResultOf<Inputs, Outputs> = Omit<pulumi.dynamic.ReadResult<Outputs>, "inputs"> & { inputs?: Inputs };

export class ResourceHandlers<
    Spec extends { name: string },
    Remote extends { id: string; name: string },
    Inputs extends DefinitionInputs<Spec>,
    Outputs extends Inputs & { claimed?: Record<string, string> },
    Client,
    Settings extends CoreSettings,
> implements Required<pulumi.dynamic.ResourceProvider> {
    private settings?: Settings;
    private config: (key: string) => string | undefined = () => undefined;
    private client?: Client;
    /** The stack this host serves, from the resources' `pulumiStack` input: every command a message
     * prints names it (the engine tells the host the project but not the stack; see ownership.ts). */
    protected stack?: string;
    /**
     * Ids a resource of this stack holds in this run, and how it came to: "adopted" by a create, or "diffed".
     * `pulumi up --replace <urn>` and `pulumi state taint` on an adopted resource make the engine create the
     * replacement (which adopts the same live resource again: adoptId is unchanged) and then delete the old
     * resource's id, that same resource (pulumi/pulumi pkg/resource/deploy/step.go: create-before-delete). When that
     * run stops before the delete, the old resource stays in the state marked `delete: true`, and the next run deletes
     * it (step_generator.go, GenerateDeletes) in a new host process, after the program has registered the replacement:
     * the engine diffs it first, by its id. This provider's diff never asks for a replacement, and a forced one is
     * decided without a diff (step_generator.go, diff), so a diffed id is one the engine keeps. One host serves a
     * whole run, so delete can tell both cases from a real delete.
     */
    private readonly heldInThisRun = new Map<string, "adopted" | "diffed">();
    /** Every live resource's id and name, listed at most once per run (sameName.ts): a preview of N new
     * resources costs one list, not N. Reset by configure. */
    private liveList?: Promise<Array<{ id: string; name: string }> | Error>;
    /** Whether this run has said that the list failed (once, for the resources that go on unchecked). */
    private listFailureWarned = false;

    constructor(
        protected readonly kind: ResourceKind<Spec, Remote, Client>,
        protected readonly backend: Backend<Settings, Client>,
        protected readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    ) {}

    /** Never throws: the host caches a provider whose configure failed and never retries, so a
     * bad setting is reported by the first call that needs it instead. */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.client = undefined;
        this.settings = undefined;
        // The engine configures the provider once per run: the live list is read again next run.
        this.liveList = undefined;
        this.listFailureWarned = false;
        // Read when first needed, once the stack is known, so that a bad setting's fix names it.
        this.config = (key) => req.config.get(key);
    }

    /** Learns the stack from a resource's inputs or outputs (the stack program sets `pulumiStack`). */
    protected learnStack(values: unknown): void {
        const stack = (values as { pulumiStack?: unknown } | undefined)?.pulumiStack;
        if (typeof stack === "string" && stack !== "" && this.stack !== stack) {
            this.stack = stack;
            this.client = undefined;
            this.settings = undefined;
        }
    }

    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult<Inputs>> {
        this.learnStack(news);
        // Accept a resource pasted from the API or an old backup: the kind's parse takes the richer shapes.
        const { __provider, adoptId, adoptRenaming, adoptIdConfigKey, pulumiProject, pulumiStack, sameNameLive, ...rest } = news;
        const ownership: Partial<Record<OwnershipInput, unknown>> = {
            adoptRenaming,
            adoptIdConfigKey,
            pulumiProject,
            pulumiStack,
            sameNameLive,
        };
        const payload = this.kind.parse(rest);
        // Warnings reach the CLI as the host's stderr (info lines), so the preview names them.
        const failures = this.kind.validate(payload, adoptId, (property, reason) =>
            this.log(
                `${this.backend.product}: warning: ${this.kind.words.noun} ${JSON.stringify(payload.name ?? "")}, ${property}: ${reason}`,
            ),
        );
        for (const [key, type] of Object.entries(OWNERSHIP_INPUTS)) {
            const value = ownership[key as OwnershipInput];
            if (value !== undefined && !isUnknown(value) && typeof value !== type) {
                failures.push({ property: key, reason: `must be a ${type}, got ${describeValue(value)}` });
            }
        }
        if (typeof sameNameLive === "string" && !(SAME_NAME_LEVELS as readonly string[]).includes(sameNameLive)) {
            failures.push({ property: "sameNameLive", reason: `must be "warn" or "error", got ${describeValue(sameNameLive)}` });
        }
        if (failures.length > 0) {
            // A refused secret is not handed back: the engine would store and print the inputs in plain text.
            const echoed = Object.fromEntries(Object.entries(news).filter(([key]) => !this.kind.secretInputs?.includes(key)));
            return { inputs: echoed as unknown as Inputs, failures };
        }
        const inputs = this.kind.complete(payload) as unknown as Inputs;
        if (adoptId !== undefined) inputs.adoptId = adoptId as string;
        for (const [key, value] of Object.entries(ownership)) {
            if (value !== undefined) (inputs as Record<string, unknown>)[key] = value;
        }
        const inState = Object.keys(olds ?? {}).some((key) => key !== "__provider");
        // A new resource with adoptId: the preview shows adoption as a create, so read that one
        // resource now to refuse a wrong id early and report what adoption will change. The host's
        // stderr reaches the CLI as an info message (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go, runtrace).
        let live: Remote | undefined;
        if (!inState && typeof inputs.adoptId === "string" && !containsUnknown(inputs)) {
            // Adoption already reads the API here: the preview also says if `up` could not write.
            await this.notePreview();
            const preview = await this.previewAdoption(inputs);
            if (preview.failure) return { inputs, failures: [preview.failure] };
            live = preview.live;
        }
        if (!inState && inputs.adoptId === undefined) {
            const failure = await this.checkSameName(inputs);
            if (failure) return { inputs, failures: [failure] };
        }
        const spec = this.kind.pickSpec(inputs);
        if (this.kind.checkChange && !containsUnknown(spec)) {
            const refused = await this.kind.checkChange({
                olds: inState ? olds : undefined,
                live,
                spec,
                client: () => this.api(),
                log: this.log,
            });
            if (refused.length > 0) return { inputs, failures: refused };
        }
        return { inputs };
    }

    async diff(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
        this.learnStack(news);
        if (!this.heldInThisRun.has(id)) this.heldInThisRun.set(id, "diffed");
        const desired = this.kind.pickSpec(news);
        // During preview some inputs may not be known yet: say "maybe" rather than "no change".
        if (containsUnknown(desired)) return { changes: true };
        const current = this.storedLive(olds) ?? this.kind.pickSpec(olds);
        // A resource whose claim failed (or predates the stack annotation) is an update too: it claims.
        const unclaimed = this.claims() && claimMissing(olds, news);
        const changes = unclaimed || !this.kind.same(desired, current);
        if (changes) await this.notePreview();
        return { changes, replaces: [], deleteBeforeReplace: false };
    }

    async create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult<Outputs>> {
        this.learnStack(inputs);
        await this.keyMayWrite(inputs.pulumiStack);
        const spec = this.kind.pickSpec(inputs);
        const remote = inputs.adoptId ? await this.adopt(inputs, spec) : await this.post(spec, inputs.adoptIdConfigKey);
        if (inputs.adoptId) this.heldInThisRun.set(remote.id, "adopted");
        const outs = this.toOutputs(inputs, remote);
        return { id: remote.id, outs: await this.claim(remote.id, outs, inputs) };
    }

    async read(id: string, props: Outputs): Promise<ReadResultOf<Inputs, Outputs>> {
        this.learnStack(props);
        let remote: Remote;
        try {
            remote = await this.kind.get(this.api(), id);
        } catch (error) {
            if (this.backend.failure(error)?.notFound) return {}; // gone: Pulumi drops it
            throw error;
        }
        await this.inspect(remote, props, false, props.pulumiStack);
        // The engine shows a change by comparing stored inputs with the program's (the host sends no
        // detailed diff: pulumi/pulumi pkg/backend/display/object_diff.go). Returning inputs with the
        // drifted fields set to their live values makes the next preview show what `up` writes back;
        // the engine stores them (pulumi/pulumi#21315, SDK >= 3.216). The outputs' copy of the definition is the
        // refreshed one too: once the edit is taken into code, `up` is a "same" step, which keeps the outputs as
        // they are, so outputs built from the old definition would keep the old name until some later write.
        const inputs = this.refreshedInputs(props, remote);
        return { id, props: this.toOutputs(inputs, remote, this.claimAfterRead(id, props, remote)), inputs };
    }

    async update(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult<Outputs>> {
        this.learnStack(news);
        await this.keyMayWrite(news.pulumiStack);
        const spec = this.kind.pickSpec(news);
        const remote = await this.getExisting(id, spec.name, "update");
        // No write without a change: a resource that already matches (e.g. only its claim failed) keeps its version.
        // What answers leave out is taken from what was last written (the stored live form), never from `spec`.
        const unchanged = this.kind.same(spec, this.kind.fromResponse(remote, this.storedLive(olds)));
        const refusal = await this.inspect(remote, olds, !unchanged, news.pulumiStack);
        if (unchanged) {
            return { outs: await this.claim(id, this.toOutputs(news, remote, olds.claimed), news) };
        }
        this.refuseConflict(id, spec.name, olds, remote);
        if (refusal) throw new Error(refusal);
        const updated = await this.put(id, spec, remote, "update");
        return { outs: await this.claim(id, this.toOutputs(news, updated, olds.claimed), news) };
    }

    async delete(id: string, props: Outputs): Promise<void> {
        this.learnStack(props);
        const held = this.heldInThisRun.get(id);
        if (held) {
            const why =
                held === "adopted"
                    ? "its replacement in this same run adopted that very resource"
                    : "a resource of this stack holds it in this run (the original of a replacement that stopped before its delete)";
            this.log(
                `${this.backend.product}: not deleting ${this.kind.words.noun} "${props.name}" (${id}): ${why}, so deleting the old ` +
                    "resource's id would delete what the stack now manages.",
            );
            return;
        }
        await this.keyMayWrite(props?.pulumiStack);
        try {
            await this.kind.remove(this.api(), id);
        } catch (error) {
            if (this.backend.failure(error)?.notFound) return; // already gone
            throw error;
        }
    }

    /** A create without adoptId beside a live resource of the same name: a warning line, or (the
     * stack's `sameNameLive: "error"`) a failure that stops the preview. The list is read once per run. */
    private async checkSameName(inputs: Inputs): Promise<CheckFailure | undefined> {
        const listLive = this.kind.listLive;
        if (!listLive || typeof inputs.name !== "string" || containsUnknown(inputs.name)) return undefined;
        let settingsOk = true;
        try {
            this.settingsOrDefaults();
        } catch {
            settingsOk = false; // a bad setting is reported by the call that needs it
        }
        if (!settingsOk) return undefined;
        this.liveList ??= listLive(this.api()).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
        const live = await this.liveList;
        const level = inputs.sameNameLive === "error" ? "error" : "warn";
        if (live instanceof Error) {
            const { short, sameNameSetting: setting } = this.kind.words;
            const why = escapeControl(live.message);
            // "error" is the promise that no second one of a live one's name is created: unchecked, nothing is.
            if (level === "error") {
                return {
                    property: "name",
                    reason:
                        `could not list the live ${short}s to make sure none is named "${escapeControl(inputs.name)}" (${why}). ` +
                        `Nothing was created: a new ${short} is created only once that is known. Run \`${pulumiCommand("preview", this.stack)}\` again.` +
                        (setting
                            ? ` If the list keeps failing, \`${configSetCommand({ stack: this.stack, key: setting, value: "warn" })}\` creates it unchecked (with a warning).`
                            : ""),
                };
            }
            if (!this.listFailureWarned) {
                this.listFailureWarned = true;
                this.log(
                    `${this.backend.product}: warning: could not list the live ${short}s to look for one of the same name as a ${short} ` +
                        `about to be created (${why}); not checked in this run.`,
                );
            }
            return undefined;
        }
        const same = live.filter((r) => r.name === inputs.name);
        if (same.length === 0) return undefined;
        const message = sameNameMessage({
            name: inputs.name,
            live: same,
            adoptIdConfigKey: inputs.adoptIdConfigKey,
            stack: this.stack,
            level,
            product: this.backend.product,
            words: this.kind.words,
        });
        if (level === "error") return { property: "name", reason: message };
        this.log(`${this.backend.product}: ${message}`);
        return undefined;
    }

    /**
     * The claim as the refresh can know it. The API cannot read a claim back (incident.io has only
     * `POST /v2/managed_resources`, and a route's answer carries no management field: openapi.json),
     * but a claimed resource cannot be edited in the dashboard until its claim is removed there
     * (terraform-provider-incident #68: the claim "stop[s] you editing it from the UI"; #601: "a
     * claimed resource can't be edited in the dashboard"). So a resource changed outside Pulumi has
     * most likely lost its claim: the outputs drop it, the next diff sees it missing and `up` claims
     * again (claiming is an idempotent upsert). A claim removed with no edit at all is not visible.
     */
    private claimAfterRead(id: string, props: Outputs, remote: Remote): Record<string, string> | undefined {
        if (props.claimed === undefined || !this.changedOutside(props, remote)) return props.claimed;
        this.log(
            `${this.backend.product}: ${this.kind.words.noun} "${escapeControl(props.name)}" (${id}) was changed outside Pulumi, which the dashboard ` +
                `allows only once its managed-by-code marker is removed: \`${this.pulumi("up")}\` marks it as managed by this stack again.`,
        );
        return undefined;
    }

    /** Changed since the stack last wrote or read it: a new version, or (unversioned kinds) a live form that differs. */
    private changedOutside(props: Outputs, remote: Remote): boolean {
        const versionOf = this.kind.version;
        const seen = (props as Record<string, unknown>).version;
        if (versionOf && typeof seen === "number") return versionOf(remote) !== seen;
        const stored = this.storedLive(props);
        return stored !== undefined && !this.kind.same(stored, this.kind.fromResponse(remote, stored));
    }

    /** The backend's key check before the first write of the process (asked once, then cached). */
    private async keyMayWrite(stack: string | undefined): Promise<void> {
        await this.backend.keyCheck?.beforeWrite(this.api(), this.settingsOrDefaults(), stack);
    }

    /** A preview with a key that cannot write works; this says that `up` will not (once per process). */
    private async notePreview(): Promise<void> {
        const keyCheck = this.backend.keyCheck;
        if (!keyCheck) return;
        let settings: Settings;
        try {
            settings = this.settingsOrDefaults();
        } catch {
            return; // a bad setting is reported by the call that needs it
        }
        const note = await keyCheck.previewNote(this.api(), settings);
        if (note) this.log(note);
    }

    /** Changed outside Pulumi since the stack last saw it: stop (onConflict fail) or say what is overwritten. */
    private refuseConflict(id: string, name: string, olds: Outputs, remote: Remote): void {
        const { words, version } = this.kind;
        const stored = this.storedLive(olds);
        const [liveVersion, seenVersion] = version ? [version(remote), (olds as Record<string, unknown>).version] : [undefined, undefined];
        if (version && liveVersion === seenVersion) return;
        const changed = stored
            ? this.kind.changedFields(stored, this.kind.fromResponse(remote, stored))
            : [`(unknown: no stored ${words.short})`];
        if (changed.length === 0) return;
        if (this.settingsOrDefaults().onConflict !== "overwrite") {
            const since = version
                ? `${this.backend.product} has version ${liveVersion}, the stack last saw ${seenVersion}`
                : `${this.backend.product} no longer holds what the stack last saw`;
            throw new Error(
                `${words.noun} "${name}" (${id}) was changed outside Pulumi: ${since}; changed: ${changed.join(", ")}. Nothing was written. ` +
                    `Run \`${this.pulumi("refresh")}\` to see the changes, move the ones to keep into code, then \`${this.pulumi("up")}\` ` +
                    `(or \`${configSetCommand({ stack: this.stack, key: this.backend.configKeys.onConflict, value: "overwrite" })}\` to replace them).`,
            );
        }
        this.log(`${this.backend.product}: overwriting changes made outside Pulumi to "${name}" (${id}): ${changed.join(", ")}`);
    }

    /** POST. When the answer is lost after sending, the resource may exist: never retry blindly. */
    private async post(spec: Spec, adoptKey: string | undefined): Promise<Remote> {
        const { words } = this.kind;
        try {
            return await this.kind.create(this.api(), spec);
        } catch (error) {
            if (!this.backend.failure(error)?.maybeApplied) throw error;
            const candidates = await this.idsNamed(spec.name);
            throw new Error(
                `creating ${words.noun} "${spec.name}" may have succeeded although no answer came back (${(error as Error).message}). ` +
                    `Nothing was recorded in the stack, and it was not retried so as not to create the ${words.short} twice. ` +
                    (candidates === undefined
                        ? `Look for the ${words.short} in ${this.backend.product} (${words.dashboard}). `
                        : candidates.length > 0
                          ? `${this.backend.product} now has ${candidates.length} ${words.short}(s) with that name: ${candidates.join(", ")}. `
                          : `${this.backend.product} has no ${words.short} with that name right now, but the request may still be in progress: ` +
                            `look again in a minute (${words.dashboard}) before running \`${this.pulumi("up")}\` again. `) +
                    (adoptKey
                        ? `If it was created, adopt it: \`${configSetCommand({ stack: this.stack, key: adoptKey, value: `<${words.short} id>`, path: true })}\`, then \`${this.pulumi("up")}\` takes it under management.`
                        : `If it was created, set \`adoptId: "<${words.short} id>"\` on this ${words.short} (or ${words.adoptConfig} in stack config) and run \`${this.pulumi("up")}\` to take it under management.`),
            );
        }
    }

    private async adopt(inputs: Inputs, spec: Spec): Promise<Remote> {
        const id = inputs.adoptId!;
        const remote = await this.getExisting(id, spec.name, "adopt", inputs.adoptIdConfigKey);
        const mismatch = adoptionMismatch(inputs, remote.name, this.kind.words);
        if (mismatch) throw mismatch;
        const problem = this.kind.adoptionProblem?.(spec, remote);
        if (problem) throw new Error(problem.reason);
        const unchanged = this.kind.same(spec, this.kind.fromResponse(remote));
        const refusal = await this.inspect(remote, undefined, !unchanged, inputs.pulumiStack);
        if (refusal) throw new Error(refusal);
        return unchanged ? remote : this.put(id, spec, remote, "adopt", inputs.adoptIdConfigKey);
    }

    /** check's look at the resource to adopt: a failure for a wrong id, a log line for what changes.
     * An unreadable resource is left to `create`, which reads it again and fails clearly. */
    private async previewAdoption(inputs: Inputs): Promise<{ failure?: CheckFailure; live?: Remote }> {
        const { words, version } = this.kind;
        let remote: Remote;
        try {
            remote = await this.kind.get(this.api(), inputs.adoptId!);
        } catch (error) {
            if (this.backend.failure(error)?.notFound) {
                return {
                    failure: {
                        property: "adoptId",
                        reason: this.notFound(inputs.name, inputs.adoptId!, "adopt", inputs.adoptIdConfigKey).message,
                    },
                };
            }
            this.log(
                `${this.backend.product}: could not read the ${words.short} to adopt (${inputs.adoptId}) for "${inputs.name}" during check: ${(error as Error).message}`,
            );
            return {};
        }
        const mismatch = adoptionMismatch(inputs, remote.name, words);
        if (mismatch) return { failure: { property: "adoptId", reason: mismatch.message } };
        const problem = this.kind.adoptionProblem?.(this.kind.pickSpec(inputs), remote);
        if (problem) return { failure: problem };
        const changed = this.kind.changedFields(this.kind.fromResponse(remote), this.kind.pickSpec(inputs));
        const refusal = await this.inspect(remote, undefined, changed.length > 0, inputs.pulumiStack);
        if (refusal)
            this.log(`${this.backend.product}: adopting "${inputs.name}" (${inputs.adoptId}) will stop before writing: ${refusal}`);
        const at = version ? ` (version ${version(remote)})` : "";
        this.log(
            changed.length === 0
                ? `${this.backend.product}: adopting "${inputs.name}" (${inputs.adoptId}) writes nothing: the live ${words.short} matches the definition.`
                : `${this.backend.product}: adopting "${inputs.name}" (${inputs.adoptId}) will write the definition over the live ${words.short}${at}, changing: ${changed.join(", ")}.`,
        );
        return { live: remote };
    }

    /** PUT (versioned kinds: with version + 1). A rejected version, or an answer lost after sending,
     * is settled by reading the resource back: if it holds exactly our write (at our version), the write landed. */
    private async put(id: string, spec: Spec, current: Remote, action: "update" | "adopt", adoptKey?: string): Promise<Remote> {
        const { words } = this.kind;
        const versionOf = this.kind.version;
        const version = versionOf ? versionOf(current) + 1 : undefined;
        try {
            return await this.kind.update(this.api(), id, spec, version, current);
        } catch (error) {
            const failure: ApiFailure | undefined = this.backend.failure(error);
            if (!failure) throw error;
            if (failure.notFound) throw this.notFound(spec.name, id, action, adoptKey);
            if (!(failure.versionRejected || failure.maybeApplied)) throw error;
            const now = await this.getExisting(id, spec.name, action, adoptKey);
            if ((!versionOf || versionOf(now) === version) && this.kind.same(spec, this.kind.fromResponse(now, spec))) return now;
            if (!failure.versionRejected || !versionOf) throw error;
            const message = (error as Error).message;
            if (versionOf(now) === versionOf(current)) {
                throw new Error(
                    `${this.backend.product} rejected version ${version} for ${words.noun} "${spec.name}" (${id}) although the ${words.short} is still at version ${versionOf(current)}: ` +
                        `${message}. Nothing was written; run \`${this.pulumi("up")}\` again, and report it to ${this.backend.product} (request_id ${failure.requestId ?? "unknown"}) if it persists.`,
                );
            }
            const changed = this.kind.changedFields(this.kind.fromResponse(current), this.kind.fromResponse(now));
            throw new Error(
                `${words.noun} "${spec.name}" (${id}) was changed in ${this.backend.product} while Pulumi was updating it: the API rejected version ${version} ` +
                    `(it is now at ${versionOf(now)}${changed.length ? `; changed: ${changed.join(", ")}` : ""}). ` +
                    `Nothing was overwritten. Run \`${this.pulumi("refresh")}\`, review the changes, then \`${this.pulumi("up")}\`.`,
            );
        }
    }

    private async getExisting(id: string, name: string, action: "update" | "adopt", adoptKey?: string): Promise<Remote> {
        try {
            return await this.kind.get(this.api(), id);
        } catch (error) {
            if (!this.backend.failure(error)?.notFound) throw error;
            throw this.notFound(name, id, action, adoptKey);
        }
    }

    /** Claims the resource unless `outs` already record this claim; returns the outputs recording it. */
    private async claim(id: string, outs: Outputs, inputs: Inputs): Promise<Outputs> {
        const claim = this.kind.claim;
        if (!claim || !this.claims() || !claimMissing(outs, inputs)) return outs;
        const annotations = claimAnnotations(inputs);
        try {
            await claim(this.api(), id, annotations);
            return { ...outs, claimed: annotations };
        } catch (error) {
            // The resource itself was saved: record it (id + outputs, without this claim) so nothing
            // is lost or duplicated, and report the failed claim. The next `pulumi up` claims it again.
            const message =
                `${this.kind.words.noun} "${outs.name}" (${id}) was saved, but claiming it as managed by code failed: ${(error as Error).message}. ` +
                `Run \`${this.pulumi("up")}\` again, or \`${configSetCommand({ stack: this.stack, key: this.backend.configKeys.claimManaged, value: "false" })}\` to skip claiming.`;
            throw Object.assign(new Error(message), { id, properties: outs, reasons: [message] });
        }
    }

    private claims(): boolean {
        return this.kind.claim !== undefined && this.settingsOrDefaults().claimManaged;
    }

    private async idsNamed(name: string): Promise<string[] | undefined> {
        try {
            return await this.kind.idsNamed(this.api(), name);
        } catch {
            return undefined;
        }
    }

    /** `adoptKey`: the stack config key the adoptId came from (`alert-routing:adopt.<key>`); the fix then names it,
     * since the operator set that key, never an `adoptId`. */
    private notFound(name: string, id: string, action: "update" | "adopt", adoptKey?: string): Error {
        const { noun, short, listIds } = this.kind.words;
        const product = this.backend.product;
        if (action === "adopt" && adoptKey)
            return new Error(
                `${adoptKey} (adoptId) ${escapeControl(id)} for ${noun} "${escapeControl(name)}": ${product} has no ${noun} with that id. Nothing was written. ` +
                    `If the id is wrong: \`${configSetCommand({ stack: this.stack, key: adoptKey, value: `<${short} id>`, path: true })}\` (${listIds} lists them from a backup); ` +
                    `to create the ${short} instead: \`${configRmCommand({ stack: this.stack, key: adoptKey, path: true })}\`.`,
            );
        return new Error(
            action === "adopt"
                ? `adoptId ${escapeControl(id)} for ${noun} "${escapeControl(name)}": ${product} has no ${noun} with that id. Check the id (${listIds} lists them from a backup) or remove adoptId to create the ${short}.`
                : `${noun} "${escapeControl(name)}" (${id}) no longer exists in ${product}: it was deleted outside Pulumi. ` +
                      `Run \`${this.pulumi("refresh")}\` to drop it from the stack, then \`${this.pulumi("up")}\` to create it again.`,
        );
    }

    /** The settings; a bad one throws here, at the first call that needs them, naming the stack. */
    protected settingsOrDefaults(): Settings {
        return (this.settings ??= this.backend.readSettings(this.config, this.stack));
    }

    protected api(): Client {
        return (this.client ??= this.backend.createClient(this.settingsOrDefaults(), this.log, this.stack));
    }

    /** `pulumi <verb> --stack <stack>` for this host's stack. */
    protected pulumi(verb: string): string {
        return pulumiCommand(verb, this.stack);
    }

    /** The kind's further look after a read (ResourceKind.inspect); never fails a read itself. */
    private async inspect(remote: Remote, stored: Outputs | undefined, write: boolean, stack: unknown): Promise<string | undefined> {
        if (!this.kind.inspect) return undefined;
        return this.kind.inspect({
            client: this.api(),
            remote,
            stored: stored as Record<string, unknown> | undefined,
            write,
            stack: typeof stack === "string" ? stack : undefined,
            log: this.log,
        });
    }

    private storedLive(outputs: Outputs): Spec | undefined {
        return (outputs as Record<string, unknown>)[this.kind.liveField] as Spec | undefined;
    }

    /** Outputs carry every input (Pulumi passes old outputs to diff/update/read/delete), the kind's
     * extra outputs, the resource as the API holds it, and the claim made. JSON-clean. */
    private toOutputs(inputs: Inputs, remote: Remote, claimed?: Record<string, string>): Outputs {
        return jsonClean({
            ...this.definitionOf(inputs),
            ...(this.kind.extraOutputs?.(remote) ?? {}),
            // Canonical, and in our spelling where the API answered with its alias of it.
            [this.kind.liveField]: this.kind.fromResponse(remote, this.kind.pickSpec(inputs)),
            ...(claimed ? { claimed } : {}),
        }) as unknown as Outputs;
    }

    /** The inputs part of inputs or outputs: the spec, adoptId and the ownership inputs. */
    private definitionOf(value: Inputs): Inputs {
        const definition = this.kind.pickSpec(value) as unknown as Inputs;
        if (value.adoptId) definition.adoptId = value.adoptId;
        for (const key of Object.keys(OWNERSHIP_INPUTS) as OwnershipInput[]) {
            if (value[key] !== undefined && value[key] !== null) (definition as Record<string, unknown>)[key] = value[key];
        }
        return definition;
    }

    /** What refresh stores as inputs: the last applied definition (carried in the outputs) with exactly
     * the fields that differ from the live resource replaced by their live, canonical values. Equal to the
     * stored inputs when nothing drifted, so a refresh without drift shows no change. */
    private refreshedInputs(props: Outputs, remote: Remote): Inputs {
        const definition = this.definitionOf(props) as Record<string, unknown>;
        const spec = this.kind.pickSpec(props);
        // Canonical, in our spelling where the API holds its alias of it: an alias is not drift.
        const live = this.kind.fromResponse(remote, spec) as Record<string, unknown>;
        // A kind may name a change inside a field (`config.url`): the whole top-level field comes back.
        // What answers leave out is taken from what was last written, so it is not drift.
        const written = this.storedLive(props) ?? spec;
        const fields = new Set(
            this.kind.changedFields(spec, this.kind.fromResponse(remote, written)).map((field) => field.split(/[.[]/)[0]),
        );
        for (const field of fields) {
            if (live[field] === undefined) delete definition[field];
            else definition[field] = live[field];
        }
        return jsonClean(definition) as Inputs;
    }
}
