// Splits the alerts of one source into classes by the alert fields its routes' conditions test, and
// finds, per class, the routes that receive it. Pure: routes in, classes out.
//
// A field a certain condition tests is a dimension; its cells are each value a condition names,
// "any other value" and "not set". A class is a box: per dimension, a set of cells. Classes are
// found by splitting only where some route's decision still depends on an unsplit dimension, then
// merged back where neighbouring classes reach the same routes, so the table stays short.
import type { ConditionGroup } from "../../providers/incident-io";
import { holds, isCertain, parseCondition, type Cell, type ParsedCondition, type Truth } from "./conditions";

/** A field the routes test, with the values their conditions name (in the order they first appear). */
export interface Dimension {
    subject: string;
    values: string[];
}

/** Cell indexes of a dimension: 0..n-1 its values, n "any other value", n+1 "not set". */
export const otherCell = (d: Dimension): number => d.values.length;
export const notSetCell = (d: Dimension): number => d.values.length + 1;
export const cellCount = (d: Dimension): number => d.values.length + 2;

export function cellOf(d: Dimension, index: number): Cell {
    if (index < d.values.length) return { value: d.values[index] };
    return index === otherCell(d) ? "other" : "notSet";
}

/** One route's filter for one source: its entry's condition groups AND the route-level ones. */
export interface SourceFilter {
    route: string;
    entry: ConditionGroup[];
    routeLevel: ConditionGroup[];
}

/** A test an intended gap or overlap declares (`accepted` in the route table), on one subject. */
export type ClassTest =
    | { subject: string; is: string }
    | { subject: string; isNot: string }
    | { subject: string; notSet: true }
    | { subject: string; anyOtherValue: true };

export interface ClassOutcome {
    /** Routes that certainly receive the class. */
    receivers: string[];
    /** Routes whose decision is not evaluated here, each with why. */
    notEvaluated: Array<{ route: string; why: string[] }>;
    /** Index of the first declaration that covers the class, if any. */
    accepted?: number;
}

export interface AlertClass extends ClassOutcome {
    /** Per dimension, the sorted cell indexes the class spans. */
    cells: number[][];
}

export interface SourceClasses {
    dimensions: Dimension[];
    classes: AlertClass[];
    /** Set when the split would exceed `maxClasses`: no classes were kept. */
    tooMany?: number;
}

/** Leaves beyond this many per source are not enumerated; the source is reported as not evaluated. */
export const MAX_CLASSES = 20_000;

type Decision = Truth | "pending";
type Compiled = { dim: number; truth: Truth[]; why: string } | { why: string };
/** Groups are OR, conditions in a group AND; no groups at all accepts everything. */
type CompiledGroups = Compiled[][];

export function classesOf(
    filters: SourceFilter[],
    accepted: ClassTest[][] = [],
    maxClasses = MAX_CLASSES,
    nameOf: (subject: string) => string = (s) => s,
): SourceClasses {
    const parsed = filters.map((f) => ({ route: f.route, entry: parseGroups(f.entry), routeLevel: parseGroups(f.routeLevel) }));
    const dimensions = collectDimensions(parsed, accepted);
    const index = new Map(dimensions.map((d, i) => [d.subject, i]));
    const routes = parsed.map((p) => ({
        route: p.route,
        entry: compileGroups(p.entry, dimensions, index, nameOf),
        routeLevel: compileGroups(p.routeLevel, dimensions, index, nameOf),
    }));
    const declarations: CompiledGroups[] = accepted.map((tests) => [tests.map((t) => compileTest(t, dimensions, index))]);

    const leaves: AlertClass[] = [];
    let count = 0;
    const split = (assign: number[]): boolean => {
        const decisions = routes.map((r) => and(decide(r.entry, assign), decide(r.routeLevel, assign)));
        const accepts = declarations.map((g) => decide(g, assign));
        const pending = [...decisions, ...accepts].find((d) => d.value === "pending");
        if (pending) {
            const dim = pending.dim!;
            for (let cell = 0; cell < cellCount(dimensions[dim]); cell++) {
                if (!split(assign.map((a, i) => (i === dim ? cell : a)))) return false;
            }
            return true;
        }
        if (++count > maxClasses) return false;
        const acceptedAt = accepts.findIndex((d) => d.value === true);
        leaves.push({
            cells: assign.map((a, i) => (a >= 0 ? [a] : range(cellCount(dimensions[i])))),
            receivers: routes.filter((_, i) => decisions[i].value === true).map((r) => r.route),
            notEvaluated: routes.flatMap((r, i) =>
                decisions[i].value === "unknown" ? [{ route: r.route, why: [...new Set(decisions[i].why)] }] : [],
            ),
            ...(acceptedAt >= 0 ? { accepted: acceptedAt } : {}),
        });
        return true;
    };
    if (!split(dimensions.map(() => -1))) return { dimensions, classes: [], tooMany: count };
    return { dimensions, classes: merge(leaves) };
}

function parseGroups(groups: ConditionGroup[]): ParsedCondition[][] {
    return groups.map((g) => (Array.isArray(g?.conditions) ? g.conditions : []).map(parseCondition));
}

function collectDimensions(
    parsed: Array<{ entry: ParsedCondition[][]; routeLevel: ParsedCondition[][] }>,
    accepted: ClassTest[][],
): Dimension[] {
    const dims = new Map<string, Dimension>();
    const dim = (subject: string) => dims.get(subject) ?? dims.set(subject, { subject, values: [] }).get(subject)!;
    const name = (subject: string, value: string) => {
        const d = dim(subject);
        if (!d.values.includes(value)) d.values.push(value);
    };
    for (const p of parsed)
        for (const c of [...p.entry, ...p.routeLevel].flat()) {
            if (!isCertain(c)) continue;
            dim(c.subject);
            for (const v of c.values) name(c.subject, v);
        }
    for (const test of accepted.flat()) {
        dim(test.subject);
        if ("is" in test) name(test.subject, test.is);
        if ("isNot" in test) name(test.subject, test.isNot);
    }
    return [...dims.values()];
}

function compileGroups(
    groups: ParsedCondition[][],
    dims: Dimension[],
    index: Map<string, number>,
    nameOf: (subject: string) => string,
): CompiledGroups {
    return groups.map((g) =>
        g.map((c): Compiled => {
            if (!isCertain(c)) return { why: c.why };
            const dim = index.get(c.subject)!;
            const truth = range(cellCount(dims[dim])).map((cell) => holds(c, cellOf(dims[dim], cell)));
            return { dim, truth, why: `whether "${c.operation}" holds when ${nameOf(c.subject)} is not set is not documented` };
        }),
    );
}

function compileTest(test: ClassTest, dims: Dimension[], index: Map<string, number>): Compiled {
    const dim = index.get(test.subject)!;
    const d = dims[dim];
    const at = (v: string) => d.values.indexOf(v);
    const truth = range(cellCount(d)).map((cell) => {
        if ("is" in test) return cell === at(test.is);
        if ("isNot" in test) return cell !== at(test.isNot);
        if ("notSet" in test) return cell === notSetCell(d);
        return cell === otherCell(d);
    });
    return { dim, truth, why: "" };
}

/** Kleene logic plus "pending" (depends on a dimension not split yet), which names that dimension. */
interface Value {
    value: Decision;
    dim?: number;
    /** For "unknown": the conditions that made it so. */
    why?: string[];
}

function decide(groups: CompiledGroups, assign: number[]): Value {
    if (groups.length === 0) return { value: true };
    return or(groups.map((g) => g.map((c) => condition(c, assign)).reduce(and, { value: true })));
}

function condition(c: Compiled, assign: number[]): Value {
    if (!("dim" in c)) return { value: "unknown", why: [c.why] };
    if (assign[c.dim] < 0) return { value: "pending", dim: c.dim };
    const value = c.truth[assign[c.dim]];
    return value === "unknown" ? { value, why: [c.why] } : { value };
}

function and(a: Value, b: Value): Value {
    if (a.value === false || b.value === false) return { value: false };
    if (a.value === "pending") return a;
    if (b.value === "pending") return b;
    if (a.value === "unknown" || b.value === "unknown") return { value: "unknown", why: [...(a.why ?? []), ...(b.why ?? [])] };
    return { value: true };
}

function or(values: Value[]): Value {
    if (values.some((v) => v.value === true)) return { value: true };
    const pending = values.find((v) => v.value === "pending");
    if (pending) return pending;
    const unknown = values.filter((v) => v.value === "unknown");
    return unknown.length > 0 ? { value: "unknown", why: unknown.flatMap((v) => v.why ?? []) } : { value: false };
}

/** Joins classes that differ in one dimension only and reach the same routes, until none do. */
function merge(classes: AlertClass[]): AlertClass[] {
    let current = classes;
    for (let changed = true; changed;) {
        changed = false;
        const dims = current[0]?.cells.length ?? 0;
        for (let d = 0; d < dims; d++) {
            const groups = new Map<string, AlertClass[]>();
            for (const c of current) {
                const key = JSON.stringify([outcomeKey(c), c.cells.filter((_, i) => i !== d)]);
                groups.set(key, [...(groups.get(key) ?? []), c]);
            }
            if (groups.size === current.length) continue;
            changed = true;
            current = [...groups.values()].map((group) => ({
                ...group[0],
                cells: group[0].cells.map((cells, i) =>
                    i === d ? [...new Set(group.flatMap((g) => g.cells[d]))].sort((a, b) => a - b) : cells,
                ),
            }));
        }
    }
    return current.sort(compareCells);
}

function outcomeKey(c: ClassOutcome): string {
    return JSON.stringify([c.receivers, c.notEvaluated, c.accepted ?? -1]);
}

function compareCells(a: AlertClass, b: AlertClass): number {
    for (let i = 0; i < a.cells.length; i++) {
        const diff = a.cells[i][0] - b.cells[i][0];
        if (diff !== 0) return diff;
    }
    return 0;
}

function range(n: number): number[] {
    return Array.from({ length: n }, (_, i) => i);
}
