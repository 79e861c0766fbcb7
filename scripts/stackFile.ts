// Reading and writing Pulumi.<stack>.yaml for the scripts: refused whole (file named, nothing
// printed) when it is not valid YAML or has a key twice, as `pulumi` itself refuses it; written
// back with its comments, its byte-order mark and its line endings as they were.
import * as fs from "node:fs";

import * as YAML from "yaml";

import { configRmCommand, escapeControl } from "../providers/incident-io";
import { closestKey } from "../stack/configValues";
import { PROJECT, RETIRED_KEYS, TOP_LEVEL_KEYS } from "../stack/config";

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

/** Namespaces a stack's config may use: this project's, its providers' and Pulumi's own. */
const KNOWN_NAMESPACES = [PROJECT, "incident-io", "checkly", "aws", "kubernetes", "pulumi"];

/** Keys of the file nothing reads (a misspelt `checkley:apiKey`, `alert-routing:adoptTokenSecretARN`), as the program names them. */
export function unknownKeys(sf: StackFile): string[] {
    const out: string[] = [];
    for (const key of Object.keys(stackConfig(sf))) {
        const at = key.indexOf(":");
        const namespace = at > 0 ? key.slice(0, at) : "";
        const name = key.slice(at + 1);
        const shown = escapeControl(key);
        if (!KNOWN_NAMESPACES.includes(namespace)) {
            out.push(
                `${shown}: unknown namespace "${escapeControl(namespace)}"; did you mean ${closestKey(namespace, KNOWN_NAMESPACES)}:${escapeControl(name)}? Nothing reads ${shown}`,
            );
        } else if (namespace === PROJECT && Object.hasOwn(RETIRED_KEYS, name)) {
            const stack = /Pulumi\.(.+)\.yaml$/.exec(sf.file)?.[1];
            out.push(`${shown}: ${RETIRED_KEYS[name]}: ${configRmCommand({ stack, key })}`);
        } else if (namespace === PROJECT && !TOP_LEVEL_KEYS.includes(name)) {
            out.push(`${shown}: unknown key; did you mean ${PROJECT}:${closestKey(name, TOP_LEVEL_KEYS)}? Nothing reads ${shown}`);
        }
    }
    return out;
}
