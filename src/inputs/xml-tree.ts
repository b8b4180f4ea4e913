/**
 * A small, safe XML reader for libvirt domain XML on top of fast-xml-parser:
 * no DTD processing and no entity expansion (a document with <!DOCTYPE or
 * <!ENTITY is refused outright, so no billion-laughs or external-entity
 * tricks), only the five predefined entities and character references are
 * decoded. Elements keep their order and the line they start on. Nesting is
 * bounded (MAX_XML_DEPTH), and whatever fast-xml-parser itself refuses (it
 * throws plain Errors, e.g. for an element or attribute named "constructor"
 * or "__proto__", found by test/fuzz) is bad input, not a crash.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from './errors.js';
import { lineAt } from './text-place.js';
import { MAX_XML_DEPTH } from './limits.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

export function parseXml(text: string, file: string): XmlElement {
  const dtd = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (dtd) {
    throw new InputError(file, `line ${lineAt(text, dtd.index)}`,
      `<!${dtd[1].toUpperCase()}> is refused: compat-check reads no DTDs and expands no entities (libvirt never writes them)`);
  }
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(text);
  } catch (e) {
    throw new InputError(file, '', `not well-formed XML: ${(e as Error).message}`);
  }
  if (valid !== true) throw new InputError(file, `line ${valid.err.line}`, `not well-formed XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', processEntities: false, htmlEntities: false,
    parseTagValue: false, parseAttributeValue: false, trimValues: true, captureMetaData: true,
    ignoreDeclaration: true, ignorePiTags: true, maxNestedTags: MAX_XML_DEPTH,
  });
  const meta = XMLParser.getMetaDataSymbol() as unknown as string;
  const decode = (s: string, line: number) => s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      // XML 1.0 Char: no NUL, no surrogates, nothing above U+10FFFF (String.fromCodePoint throws there).
      if (!(cp >= 1 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) throw new InputError(file, `line ${line}`, `character reference "${all}" is not a character XML allows`);
      return String.fromCodePoint(cp);
    }
    const v = PREDEFINED[e];
    if (v === undefined) throw new InputError(file, `line ${line}`, `undefined entity "${all}"`);
    return v;
  });
  type Node = Record<string, unknown>;
  const convert = (node: Node): XmlElement | undefined => {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name === '#text' || name === '#comment') return undefined;
    const line = lineAt(text, (node[meta] as { startIndex?: number } | undefined)?.startIndex ?? 0);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries((node[':@'] ?? {}) as Record<string, string>)) attrs[k] = decode(String(v), line);
    const kids = (node[name] ?? []) as Node[];
    const children = kids.map(convert).filter((e): e is XmlElement => !!e);
    const body = kids.filter((k) => '#text' in k).map((k) => decode(String(k['#text']), line)).join('');
    return { name, attrs, children, text: body, line };
  };
  let parsed: Node[];
  try {
    parsed = parser.parse(text) as Node[];
  } catch (e) {
    const depth = /Maximum nested tags/.test((e as Error).message) ? ` (elements nested more than ${MAX_XML_DEPTH} deep)` : '';
    throw new InputError(file, '', `XML refused: ${(e as Error).message}${depth}`);
  }
  const top = parsed.map(convert).filter((e): e is XmlElement => !!e);
  if (top.length !== 1) throw new InputError(file, '', 'an XML document needs exactly one root element');
  return top[0];
}

export const child = (e: XmlElement | undefined, name: string) => e?.children.find((c) => c.name === name);
export const childrenNamed = (e: XmlElement | undefined, name: string) => e?.children.filter((c) => c.name === name) ?? [];
