// Plays the Pulumi engine's part around the real dynamic-provider host, for what decides what a
// user sees: the steps of up/preview/refresh and how the CLI renders them. Modelled on
// pulumi/pulumi (v3.248 and current):
//  * up/preview (pkg/resource/deploy/step_generator.go): Check(olds = stored inputs, news =
//    program), then Diff(olds = stored outputs, news = checked); a resource with init errors
//    (a create/update that failed after saving) is updated whatever the diff says.
//  * refresh (pkg/resource/deploy/step.go RefreshStep.Apply): Read; the stored inputs become the
//    ones Read returned, if any; then the *inverted* Diff (pulumi/pulumi#16146): olds = refreshed
//    outputs, news = the inputs stored before the refresh. Changes there make the step an update.
//  * display: the host sends no detailed diff, so the short `[diff: ...]` compares old inputs with
//    new inputs (pkg/backend/display/rows.go getDiffInfo). `--diff` prints, for up/preview, the
//    property diff of old inputs vs new inputs (object_diff.go getResourcePropertiesDetails →
//    printOldNewDiffs), and for refresh the diff of old outputs vs refreshed outputs
//    (object_diff.go getResourceOutputsPropertiesString, `refresh` always shows state differences):
//    `~ enabled`, `~ route: { ~ enabled }` and `~ version` after a dashboard edit, as the e2e tier
//    sees the CLI print. Keys starting with `__` are internal and never shown.
import type { DynamicProviderHost } from "../../dev/host";
import { HostRpcError } from "../../dev/host";

export interface StoredResource {
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    /** Set when the last create/update failed after saving (ErrorResourceInitFailed). */
    initErrors?: string[];
}

export type StepOp = "create" | "update" | "same" | "delete";

export interface StepView {
    op: StepOp;
    /** The short diff column, e.g. `[diff: ~enabled]`; "" when there is none. */
    shortDiff: string;
    /** The prefixed (`+`, `-`, `~`) property lines of `--diff`, without the resource's indentation. */
    lines: string[];
}

export class EngineModel {
    state?: StoredResource;

    constructor(
        private readonly host: DynamicProviderHost,
        private readonly urn: string,
        private readonly providerText: string,
    ) {}

    /** `pulumi preview`: Check + Diff, nothing written. */
    async preview(program: object): Promise<StepView & { checked: Record<string, unknown> }> {
        const news = { ...program, __provider: this.providerText };
        const checked = await this.host.check(this.urn, this.state?.inputs ?? {}, news);
        if (checked.failures.length > 0) {
            throw new Error(`check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        }
        if (!this.state) return { op: "create", shortDiff: "", lines: [], checked: checked.inputs };
        const diff = await this.host.diff(this.state.id, this.urn, this.state.outputs, checked.inputs, { oldInputs: this.state.inputs });
        const update = diff.changes === "some" || (this.state.initErrors?.length ?? 0) > 0;
        return update
            ? { op: "update", ...renderPropertyDiff(this.state.inputs, checked.inputs), checked: checked.inputs }
            : { op: "same", shortDiff: "", lines: [], checked: checked.inputs };
    }

    /** `pulumi up` for this one resource: the preview's step, then Create/Update. */
    async up(program: object): Promise<StepView & { error?: string }> {
        const step = await this.preview(program);
        const { checked, ...view } = step;
        if (step.op === "same") {
            this.state = { ...this.state!, inputs: checked }; // a same step stores the new inputs
            return view;
        }
        try {
            if (step.op === "create") {
                const created = await this.host.create(this.urn, checked);
                this.state = { id: created.id, inputs: checked, outputs: created.properties };
            } else {
                const updated = await this.host.update(this.state!.id, this.urn, this.state!.outputs, checked, {
                    oldInputs: this.state!.inputs,
                });
                this.state = { id: this.state!.id, inputs: checked, outputs: updated.properties };
            }
            return view;
        } catch (error) {
            const init = error instanceof HostRpcError ? error.initFailure : undefined;
            if (init) this.state = { id: init.id, inputs: checked, outputs: init.properties, initErrors: init.reasons };
            return { ...view, error: (error as Error).message };
        }
    }

    /** `pulumi refresh` for this one resource. */
    async refresh(): Promise<StepView & { readInputs?: Record<string, unknown> }> {
        const old = this.state!;
        const read = await this.host.read(old.id, this.urn, old.outputs, old.inputs);
        if (read.id === "") {
            this.state = undefined;
            return { op: "delete", shortDiff: "", lines: [] };
        }
        const refreshed: StoredResource = {
            id: read.id,
            inputs: read.inputs ?? old.inputs,
            outputs: read.properties,
            initErrors: old.initErrors,
        };
        const inverted = await this.host.diff(read.id, this.urn, refreshed.outputs, old.inputs, { oldInputs: refreshed.inputs });
        this.state = refreshed;
        const view: StepView =
            inverted.changes === "some"
                ? {
                      op: "update",
                      shortDiff: renderPropertyDiff(old.inputs, refreshed.inputs).shortDiff,
                      lines: renderPropertyDiff(old.outputs, refreshed.outputs).lines,
                  }
                : { op: "same", shortDiff: "", lines: [] };
        return { ...view, readInputs: read.inputs };
    }
}

/** The short diff and the `--diff` property lines for old → new properties (inputs, or outputs for refresh). */
export function renderPropertyDiff(olds: Record<string, unknown>, news: Record<string, unknown>): { shortDiff: string; lines: string[] } {
    const keys = (m: Record<string, unknown>) => Object.keys(m).filter((k) => !k.startsWith("__"));
    const all = [...new Set([...keys(olds), ...keys(news)])].sort();
    const adds = all.filter((k) => !(k in olds));
    const deletes = all.filter((k) => !(k in news));
    const updates = all.filter((k) => k in olds && k in news && !deepEqual(olds[k], news[k]));
    let shortDiff = "";
    if (adds.length + deletes.length + updates.length > 0) {
        shortDiff = `[diff: ${[
            ["+", adds],
            ["-", deletes],
            ["~", updates],
        ]
            .filter(([, ks]) => ks.length > 0)
            .map(([p, ks]) => `${p}${(ks as string[]).join(",")}`)
            .join("")}]`;
    }
    const lines: string[] = [];
    printObjectDiff(olds, news, all, 1, lines);
    return { shortDiff, lines: lines.filter((l) => /^\s*[-+~] /.test(l)) };
}

// ---- a port of object_diff.go's printObjectDiff for JSON values (no assets, secrets or unknowns)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function indentation(indent: number, prefix?: string): string {
    const spaces = "    ".repeat(indent);
    return prefix ? spaces.slice(0, -2) + `${prefix} ` : spaces;
}

function printObjectDiff(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    keys: string[],
    indent: number,
    out: string[],
): void {
    const align = Math.max(0, ...keys.map((k) => k.length));
    for (const key of keys) {
        const title = `${key.padEnd(align)}: `;
        if (!(key in olds)) printValue(news[key] as Json, indent, "+", title, out);
        else if (!(key in news)) printValue(olds[key] as Json, indent, "-", title, out);
        else if (!deepEqual(olds[key], news[key])) printValueDiff(olds[key] as Json, news[key] as Json, indent, title, out);
        else printValue(news[key] as Json, indent, undefined, title, out);
    }
}

function printValueDiff(old: Json, now: Json, indent: number, title: string, out: string[]): void {
    if (Array.isArray(old) && Array.isArray(now)) {
        out.push(`${indentation(indent, "~")}${title}[`);
        for (let i = 0; i < Math.max(old.length, now.length); i++) {
            const t = `[${i}]: `;
            if (i >= old.length) printValue(now[i], indent + 1, "+", t, out);
            else if (i >= now.length) printValue(old[i], indent + 1, "-", t, out);
            else if (!deepEqual(old[i], now[i])) printValueDiff(old[i], now[i], indent + 1, t, out);
            else printValue(now[i], indent + 1, undefined, t, out);
        }
        out.push(`${indentation(indent)}]`);
    } else if (isObject(old) && isObject(now)) {
        out.push(`${indentation(indent, "~")}${title}{`);
        printObjectDiff(old, now, [...new Set([...Object.keys(old), ...Object.keys(now)])].sort(), indent + 1, out);
        out.push(`${indentation(indent)}}`);
    } else if (!isObject(old) && !Array.isArray(old) && !isObject(now) && !Array.isArray(now)) {
        out.push(`${indentation(indent, "~")}${title}${primitive(old)} => ${primitive(now)}`);
    } else {
        printValue(old, indent, "-", title, out);
        printValue(now, indent, "+", title, out);
    }
}

function printValue(value: Json, indent: number, prefix: string | undefined, title: string, out: string[]): void {
    if (Array.isArray(value) && value.length > 0) {
        out.push(`${indentation(indent, prefix)}${title}[`);
        value.forEach((v, i) => printValue(v, indent + 1, prefix, `[${i}]: `, out));
        out.push(`${indentation(indent, prefix)}]`);
    } else if (isObject(value) && Object.keys(value).length > 0) {
        out.push(`${indentation(indent, prefix)}${title}{`);
        const keys = Object.keys(value).sort();
        const align = Math.max(...keys.map((k) => k.length));
        for (const k of keys) printValue(value[k], indent + 1, prefix, `${k.padEnd(align)}: `, out);
        out.push(`${indentation(indent, prefix)}}`);
    } else {
        out.push(`${indentation(indent, prefix)}${title}${Array.isArray(value) ? "[]" : isObject(value) ? "{}" : primitive(value)}`);
    }
}

function primitive(value: Json): string {
    if (value === null || value === undefined) return "<null>";
    if (typeof value === "string") return JSON.stringify(value);
    return String(value);
}

function isObject(value: unknown): value is { [key: string]: Json } {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
    if (isObject(a) && isObject(b)) {
        const ka = Object.keys(a);
        return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
    }
    return a === b;
}
