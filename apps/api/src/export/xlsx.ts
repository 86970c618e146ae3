import { PassThrough, type Readable, type Writable } from 'node:stream';
import { ZipFile } from 'yazl';

/*
 * A one-sheet XLSX workbook written as it goes: the few XML parts a spreadsheet app needs, the sheet's
 * cells as inline strings (no shared-strings table to hold in memory, no styles), zipped by yazl with
 * Node's own zlib (deflate in the thread pool, off the event loop) at its fastest level.
 */

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

const CONTENT_TYPES =
  `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
  `<Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>` +
  `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.worksheet+xml"/>` +
  `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>` +
  `</Types>`;

const ROOT_RELS =
  `${XML}<Relationships xmlns="${PKG_REL}">` +
  `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
  `</Relationships>`;

const WORKBOOK_RELS =
  `${XML}<Relationships xmlns="${PKG_REL}">` +
  `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
  `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/>` +
  `</Relationships>`;

/** The default style only (some apps refuse a workbook without a styles part). */
const STYLES =
  `${XML}<styleSheet xmlns="${MAIN}">` +
  `<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
  `</styleSheet>`;

const workbook = (sheetName: string) =>
  `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}">` +
  `<sheets><sheet name="${xmlEscape(sheetName)}" sheetId="1" r:id="rId1"/></sheets>` +
  `</workbook>`;

const SHEET_HEAD = `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>`;
const SHEET_TAIL = `</sheetData></worksheet>`;

/** Column letters A, B, ... Z, AA... (1-based). */
export function columnName(n: number): string {
  let name = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) name = String.fromCharCode(65 + ((i - 1) % 26)) + name;
  return name;
}

// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const SPECIAL = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
/** What XML 1.0 cannot carry at all: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; unpaired surrogates. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Spreadsheet apps read `_x0041_` in a cell as "A": a literal one keeps its underscore as `_x005F_`. */
const ESCAPE_LIKE = /_(?=x[0-9A-Fa-f]{4}_)/g;

/** Text for an XML text node or attribute: markup escaped, characters XML 1.0 forbids dropped. */
export function xmlEscape(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value
    .replace(NOT_XML, '')
    .replace(ESCAPE_LIKE, '_x005F_')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll('\r', '&#13;'); // a raw CR would be read back as a line feed
}

const KEEP_SPACES = /^\s|\s$|\n/;

/** The `<t>` element of an inline-string cell holding `value`, its spaces kept as they are. */
export function cellText(value: string): string {
  return KEEP_SPACES.test(value) ? `<t xml:space="preserve">${xmlEscape(value)}</t>` : `<t>${xmlEscape(value)}</t>`;
}

const COLUMN_NAMES = Array.from({ length: 26 }, (_, i) => columnName(i + 1));

/** A row of inline-string cells: `cells` are `<t>` elements (cellText), '' for an empty cell. */
export function rowXml(row: number, cells: readonly string[]): string {
  let xml = `<row r="${row}">`;
  for (let i = 0; i < cells.length; i++) {
    if (cells[i]) xml += `<c r="${COLUMN_NAMES[i] ?? columnName(i + 1)}${row}" t="inlineStr"><is>${cells[i]}</is></c>`;
  }
  return `${xml}</row>`;
}

/**
 * Resolves true once `stream` can take more, false if `out` closed first (the client went away).
 * `stream` is `out` itself when writing straight to the response.
 */
export function drained(stream: Writable, out: Writable): Promise<boolean> {
  // Gone already: no 'close' will come, and a stream unpiped from it would never drain.
  if (out.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      out.off('close', done);
      resolve(!out.destroyed);
    };
    stream.on('drain', done);
    out.on('close', done);
  });
}

/**
 * One sheet streamed into `out` as an XLSX file. Rows go in as XML (rowXml), a batch at a time; `write`
 * waits while the response is full, so memory stays flat, and tells when the client went away.
 */
export class XlsxWriter {
  private readonly sheet = new PassThrough({ highWaterMark: 256 * 1024 });
  private readonly zip = new ZipFile();

  constructor(
    private readonly out: Writable,
    sheetName: string,
  ) {
    const options = { compressionLevel: 1 };
    this.zip.on('error', (e: Error) => out.destroy(e));
    this.zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml', options);
    this.zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels', options);
    this.zip.addBuffer(Buffer.from(workbook(sheetName)), 'xl/workbook.xml', options);
    this.zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels', options);
    this.zip.addBuffer(Buffer.from(STYLES), 'xl/styles.xml', options);
    this.zip.addReadStream(this.sheet, 'xl/worksheets/sheet1.xml', options);
    this.zip.end();
    this.zip.outputStream.pipe(out);
    this.sheet.write(SHEET_HEAD);
  }

  /** Appends rows' XML; resolves false if the client went away (then call abort). */
  async write(xml: string): Promise<boolean> {
    return this.sheet.write(xml) || drained(this.sheet, this.out);
  }

  /** Closes the sheet and the file: the response ends once the last bytes are out. */
  end(): void {
    this.sheet.end(SHEET_TAIL);
  }

  /** Stops writing (the client went away, or reading failed). */
  abort(): void {
    const output = this.zip.outputStream as Readable;
    output.unpipe(this.out);
    output.destroy();
    this.sheet.destroy();
  }
}
