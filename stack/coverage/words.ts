// Classes of alerts in plain words: "severity is critical", "severity is any value but critical or
// warning", "branch is not main (any other value, or not set)". Values and names come from route
// definitions and live routes, so each is printed safely: control characters escaped, odd text quoted.
import { cellCount, notSetCell, otherCell, type Dimension } from "./classes";

/** The words for one class: its dimensions' cell sets joined by "and"; "every alert" when it spans everything. */
export function describeClass(dimensions: Dimension[], cells: number[][], nameOf: (subject: string) => string): string {
    const parts = dimensions.map((d, i) => describeCells(d, cells[i], printable(nameOf(d.subject)))).filter((p) => p !== "");
    return parts.length === 0 ? "every alert" : parts.join(" and ");
}

function describeCells(d: Dimension, cells: number[], name: string): string {
    if (cells.length === cellCount(d)) return "";
    const hasOther = cells.includes(otherCell(d));
    const hasNotSet = cells.includes(notSetCell(d));
    const included = d.values.filter((_, i) => cells.includes(i)).map(value);
    const excluded = d.values.filter((_, i) => !cells.includes(i)).map(value);
    if (hasOther) {
        if (hasNotSet) return `${name} is not ${orList(excluded)} (any other value, or not set)`;
        return excluded.length === 0 ? `${name} is set` : `${name} is any value but ${orList(excluded)}`;
    }
    if (included.length === 0) return `${name} is not set`;
    return `${name} is ${orList(included)}${hasNotSet ? ", or not set" : ""}`;
}

/** "a", "a or b", "a, b or c". */
export function orList(items: string[]): string {
    return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** A value as written in a condition: bare when it is a plain word, JSON-quoted otherwise. */
function value(v: string): string {
    return /^[A-Za-z0-9_.:/@-]+$/.test(v) ? v : JSON.stringify(v);
}

/** Names and values from live routes are untrusted: control characters (terminal escapes) become \u escapes. */
export function printable(text: string): string {
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
