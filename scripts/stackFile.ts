// Reading and writing Pulumi.<stack>.yaml for the scripts: refused whole (file named, nothing
// printed) when it is not valid YAML or has a key twice, as `pulumi` itself refuses it; written
// back with its comments, its byte-order mark and its line endings as they were.
import * as fs from "node:fs";
import * as path from "node:path";

import * as YAML from "yaml";

import { escapeControl } from "../providers/incident-io";
import { unknownConfigKey } from "../stack/config";

export class StackFileError extends Error {}

export interface StackFile {
    file: string;
    doc: YAML.Document;
    bom: boolean;
    crlf: boolean;
}

const BOM = "\ufeff";

/** The stack file parsed; an absent file is an empty config. Throws StackFileError naming the file. */
export function readStackFile(file: string): StackFile {
    const raw = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "config: {}\n";
    const bom = raw.startsWith(BOM);
    const text = bom ? raw.slice(1) : raw;
    // uniqueKeys (the default) makes a duplicate key an error, as Pulumi's YAML reader does.
    const doc = YAML.parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
        throw new StackFileError(`${file}${at}: ${e.message.split("\n")[0]}. Nothing was printed or written; fix the file first.`);
    }
    return { file, doc, bom, crlf: /\r\n/.test(text) };
}

/** The file's `config:` block as plain values. */
export function stackConfig(sf: StackFile): Record<string, unknown> {
    const config = (sf.doc.toJS() as { config?: unknown } | null)?.config;
    return config && typeof config === "object" ? (config as Record<string, unknown>) : {};
}

/** Writes the document back as it came: BOM and CRLF line endings kept. */
export function writeStackFileText(sf: StackFile): void {
    let text = sf.doc.toString();
    if (sf.crlf) text = text.replace(/\r?\n/g, "\r\n");
    fs.writeFileSync(sf.file, `${sf.bom ? BOM : ""}${text}`);
}

/** Keys of the file nothing reads (a misspelt `checkley:apiKey`, `alert-routing:adoptTokenSecretARN`), in the program's words. */
export function unknownKeys(sf: StackFile): string[] {
    return Object.keys(stackConfig(sf)).flatMap((key) => {
        const unknown = unknownConfigKey(key);
        return unknown ? [`${escapeControl(key)}: ${unknown.problem}`] : [];
    });
}

/** One `warning:` line per key of Pulumi.<stack>.yaml nothing reads; throws StackFileError for a broken file. */
export function stackFileWarnings(projectDir: string, stack: string): string[] {
    return unknownKeys(readStackFile(path.join(projectDir, `Pulumi.${stack}.yaml`))).map((u) => `warning: Pulumi.${stack}.yaml: ${u}\n`);
}
