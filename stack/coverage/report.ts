// The coverage report as text: the table (source × class of alerts → routes) and one line per finding.
import { findingLine, undeclared, type ClassRow, type CoverageReport, type FindingKind } from "./analysis";
import { printable } from "./words";

/** Table and findings, as `npm run coverage` prints them. */
export function coverageText(report: CoverageReport, heading: string): string {
    const rows: string[][] = [];
    for (const s of report.sources) {
        for (const row of s.rows) {
            const routes = row.routes.map(printable).join(", ");
            const maybe = row.notEvaluated.map((n) => `${printable(n.route)}?`).join(", ");
            const cell =
                routes === "" && maybe === ""
                    ? "none"
                    : [routes, maybe && `not evaluated here: ${maybe}`].filter((part) => part !== "").join("; ");
            rows.push([s.source.name, row.alerts, cell, rowFinding(row)]);
        }
        for (const route of s.disabled) rows.push([s.source.name, "(disabled: receives nothing)", printable(route), ""]);
    }
    const findings = report.findings.map((f) => `  ${findingLine(f)}\n`).join("");
    const open = undeclared(report.findings).length;
    return (
        `${heading}\n\n` +
        table(["source", "alerts", "routes", "finding"], rows) +
        `\n${summary(report)}${open > 0 ? `, ${open} not declared` : ""}\n` +
        findings
    );
}

/** The finding column; a declared gap or overlap says "accepted". */
function rowFinding(row: ClassRow): string {
    if (!row.finding) return "";
    return row.accepted !== undefined && row.finding !== "not evaluated" ? `accepted ${row.finding}` : row.finding;
}

const LABELS: Array<[FindingKind, string, string]> = [
    ["gap", "gap", "gaps"],
    ["overlap", "overlap", "overlaps"],
    ["unused source", "unused source", "unused sources"],
    ["not evaluated", "class not evaluated", "classes not evaluated"],
    ["stale acceptance", "stale declaration", "stale declarations"],
];

function summary(report: CoverageReport): string {
    const accepted = report.findings.filter((f) => f.accepted !== undefined && f.kind !== "stale acceptance").length;
    const counts = LABELS.map(([kind, one, many]) => {
        const n = report.findings.filter((f) => f.kind === kind).length;
        return `${n} ${n === 1 ? one : many}`;
    });
    return `findings: ${counts.join(", ")} (${accepted} accepted)`;
}

/** A plain-text table, columns padded to their widest cell. */
function table(header: string[], rows: string[][]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}
