// String formats the API server checks, from apiextensions-apiserver
// pkg/apiserver/validation/formats.go (which formats survive) and kube-openapi
// pkg/validation/strfmt (how each is checked). Any other format is ignored by
// the server, and so here. Names are compared without "-" ("date-time" is
// "datetime"), as strfmt's name normaliser does.
import { goPattern } from "./go-regexp";

function goMatcher(pattern: string): (text: string) => boolean {
  const compiled = goPattern(pattern);
  if (!compiled.ok) throw new Error(`format pattern ${pattern}: ${compiled.reason}`);
  return compiled.test;
}

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");
const isAscii = (text: string) => /^[\x00-\x7f]*$/.test(text);

// --- numbers in IP addresses (Go's net package) ---

/** dtoi: decimal digits (at least one), stopping below 0xFFFFFF; [value, digits consumed] or undefined. */
function decimalPrefix(text: string): [number, number] | undefined {
  let value = 0;
  let i = 0;
  for (; i < text.length && text[i]! >= "0" && text[i]! <= "9"; i++) {
    value = value * 10 + Number(text[i]);
    if (value >= 0xffffff) return undefined;
  }
  return i === 0 ? undefined : [value, i];
}

/** IPv4 dotted decimal. `sloppy` is k8s.io/utils/net ParseIPSloppy (leading zeros allowed), else netip (rejected). */
function parseIPv4(text: string, sloppy: boolean): boolean {
  const fields = text.split(".");
  if (fields.length !== 4) return false;
  return fields.every((field) => {
    if (!/^\d+$/.test(field)) return false;
    if (!sloppy && field.length > 1 && field.startsWith("0")) return false;
    const parsed = decimalPrefix(field);
    return parsed !== undefined && parsed[1] === field.length && parsed[0] <= 255;
  });
}

/** netip.parseIPv6 (zones refused, as net.ParseIP does), with the IPv4 tail parsed strictly or sloppily. */
function parseIPv6(text: string, sloppy: boolean): boolean {
  let s = text;
  if (s.includes("%")) return false;
  let ellipsis = -1;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === "") return true;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length && /[0-9A-Fa-f]/.test(s[off]!); off++) {
      if (off > 3 && !sloppy) return false; // netip allows four digits; the old sloppy parser any number
      acc = acc * 16 + parseInt(s[off]!, 16);
    }
    if (off === 0) return false;
    if (s[off] === ".") {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return false;
      if (!parseIPv4(s, sloppy)) return false;
      s = "";
      i += 4;
      break;
    }
    if (acc > 0xffff) return false;
    i += 2;
    s = s.slice(off);
    if (s === "") break;
    if (s[0] !== ":" || s.length === 1) return false;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      s = s.slice(1);
      if (s === "") break;
    }
  }
  if (s !== "") return false;
  if (i < 16) return ellipsis >= 0;
  return ellipsis < 0;
}

/** net.ParseIP-like dispatch on the first '.' or ':'. */
function parseIP(text: string, sloppy: boolean): boolean {
  for (const c of text) {
    if (c === ".") return parseIPv4(text, sloppy);
    if (c === ":") return parseIPv6(text, sloppy);
    if (c === "%" && !sloppy) return false;
  }
  return false;
}

function isCidr(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash < 0) return false;
  const [address, mask] = [text.slice(0, slash), text.slice(slash + 1)];
  const bits = parseIPv4(address, true) ? 32 : parseIPv6(address, true) ? 128 : 0;
  const parsed = decimalPrefix(mask);
  return bits > 0 && parsed !== undefined && parsed[1] === mask.length && parsed[0] <= bits;
}

/** net.ParseMAC (Go 1.26): 6, 8 or 20 octets as aa:bb:.., aa-bb-.., aabb.ccdd.. or bare hex. */
function isMac(text: string): boolean {
  if (!isAscii(text) || text.length < 12) return false;
  const hex2 = (at: number) => /^[0-9A-Fa-f]{2}$/.test(text.slice(at, at + 2));
  if (text[2] === ":" || text[2] === "-") {
    if ((text.length + 1) % 3 !== 0) return false;
    const n = (text.length + 1) / 3;
    if (n !== 6 && n !== 8 && n !== 20) return false;
    for (let i = 0, x = 0; i < n; i++, x += 3) {
      if (!hex2(x) || (x + 2 < text.length && text[x + 2] !== text[2])) return false;
    }
    return true;
  }
  if (text[4] === ".") {
    if ((text.length + 1) % 5 !== 0) return false;
    const n = (2 * (text.length + 1)) / 5;
    if (n !== 6 && n !== 8 && n !== 20) return false;
    for (let i = 0, x = 0; i < n; i += 2, x += 5) {
      if (!hex2(x) || !hex2(x + 2) || (x + 4 < text.length && text[x + 4] !== ".")) return false;
    }
    return true;
  }
  const n = text.length / 2;
  return (n === 6 || n === 8 || n === 20) && /^[0-9A-Fa-f]+$/.test(text);
}

// --- dates and durations (Go's time package) ---

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** time.Parse("2006-01-02", ...): four-digit year, two-digit month and day that exist. */
function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year);
}

const dateTimeTail = goMatcher(`^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$`);

/** strfmt.IsDateTime: split on every "t" (lowercased); the first piece a date, the second a time. */
function isDateTime(text: string): boolean {
  if (byteLength(text) < 4) return false;
  const pieces = text.toLowerCase().split("t");
  if (pieces.length < 2 || !isDate(pieces[0]!) || !dateTimeTail(pieces[1]!)) return false;
  const [hours, minutes, seconds] = pieces[1]!.split(":");
  return hours! <= "23" && minutes! <= "59" && seconds!.slice(0, 2) <= "59";
}

const goDurationUnits: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n,
  "\u03bcs": 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, or "0"; within int64 nanoseconds. */
function isGoDuration(text: string): boolean {
  let s = text;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  if (s === "0") return true;
  if (s === "") return false;
  let total = 0n;
  const limit = 1n << 63n;
  while (s !== "") {
    const match = /^(\d*)(?:\.(\d*))?([^0-9.]+)/.exec(s);
    if (!match || (match[1] === "" && (match[2] ?? "") === "")) return false;
    const unitText = match[3]!;
    const unit = goDurationUnits[unitText];
    if (unit === undefined) return false;
    const whole = BigInt(match[1] || "0");
    if (whole > limit / unit) return false;
    let value = whole * unit;
    const fraction = match[2] ?? "";
    if (fraction !== "") value += (BigInt(fraction.slice(0, 18).padEnd(18, "0")) * unit) / 10n ** 18n;
    total += value;
    if (total > limit || (total === limit && !negative)) return false;
    s = s.slice(match[1]!.length + (match[2] === undefined ? 0 : match[2].length + 1) + unitText.length);
  }
  return true;
}

const fallbackUnits = [
  ["ns", "nano"],
  ["us", "\u00b5s", "micro"],
  ["ms", "milli"],
  ["s", "sec"],
  ["m", "min"],
  ["h", "hr", "hour"],
  ["d", "day"],
  ["w", "wk", "week"],
];

/** strfmt.ParseDuration: Go's syntax, else any "<digits> <unit>" anywhere in the text ("3 days"). */
function isDuration(text: string): boolean {
  if (isGoDuration(text)) return true;
  let ok = false;
  for (const match of text.matchAll(/(\d+)[\t\n\f\r ]*([A-Za-z\u00b5]+)/g)) {
    if (BigInt(match[1]!) > 2n ** 63n - 1n) return false; // strconv.Atoi overflows: the whole parse fails
    const unit = match[2]!.toLowerCase();
    for (const variants of fallbackUnits) {
      variants.forEach((variant, i) => {
        if ((i === variants.length - 1 && unit.startsWith(variant)) || unit === variant) ok = true;
      });
    }
  }
  return ok;
}

// --- the rest of strfmt ---

const hostnameShape = goMatcher(
  "^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]{0,61}" +
    "[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})$",
);

function isHostname(text: string): boolean {
  return hostnameShape(text) && byteLength(text) <= 255 && text.split(".").every((part) => byteLength(part) <= 63);
}

const uuid = goMatcher("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
const uuid3 = goMatcher("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
const uuid4 = goMatcher("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$");
const uuid5 = goMatcher("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$");
const creditCardShape = goMatcher(
  "^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|" +
    "(?:2131|1800|35\\d{3})\\d{11})$",
);
const rgbComponent = "\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*";
const rgbColor = goMatcher(`^rgb\\(${rgbComponent},${rgbComponent},${rgbComponent}\\)$`);
const hexColor = goMatcher("^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
const base64 = goMatcher("^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=|[A-Za-z0-9+\\/]{4})$");
const ssn = goMatcher("^\\d{3}[- ]?\\d{2}[- ]?\\d{4}$");
const shortName = goMatcher("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
const longName = goMatcher("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

function isCreditCard(text: string): boolean {
  const digits = text.replace(/[^0-9]+/g, "");
  if (!creditCardShape(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    const digit = Number(digits[i]) * (double ? 2 : 1);
    sum += digit >= 10 ? (digit % 10) + 1 : digit;
  }
  return sum % 10 === 0;
}

function isIsbn(text: string, version: 10 | 13): boolean {
  const s = text.replace(/[\t\n\f\r -]+/g, "");
  if (version === 10) {
    if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(s)) return false;
    let checksum = 0;
    for (let i = 0; i < 9; i++) checksum += (i + 1) * Number(s[i]);
    checksum += s[9] === "X" ? 100 : 10 * Number(s[9]);
    return checksum % 11 === 0;
  }
  if (!/^[0-9]{13}$/.test(s)) return false;
  let checksum = 0;
  for (let i = 0; i < 12; i++) checksum += (i % 2 === 0 ? 1 : 3) * Number(s[i]);
  return Number(s[12]) - ((10 - (checksum % 10)) % 10) === 0;
}

/** net/url unescape: every "%" starts two hex digits; in a host only non-ASCII bytes (and %25) may be escaped. */
function unescapes(text: string, host: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "%") {
      if (!/^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) return false;
      if (host && parseInt(text[i + 1]!, 16) < 8 && text.slice(i, i + 3) !== "%25") return false;
      i += 2;
    } else if (host && c < "\x80" && !/[0-9A-Za-z\-_.~!$&'()*+,;=:[\]<>"]/.test(c)) {
      return false;
    }
  }
  return true;
}

const validOptionalPort = (port: string) => port === "" || /^:\d*$/.test(port);

/** net/url parseHost (Go 1.26): [IPv6] literals, a numeric port, and for http(s) no second colon. */
function isUrlHost(scheme: string, host: string): boolean {
  const open = host.lastIndexOf("[");
  if (open > 0) return false;
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0 || !validOptionalPort(host.slice(close + 1))) return false;
    const name = host.slice(1, close);
    const zone = name.indexOf("%25");
    const address = zone >= 0 ? name.slice(0, zone) : name;
    if (!unescapes(address, true) || (zone >= 0 && !unescapes(name.slice(zone + 3), false))) return false;
    return parseIP(decodeURIComponentSafe(address), false) && address.includes(":");
  }
  const first = host.indexOf(":");
  if (first >= 0) {
    const colon = scheme === "http" || scheme === "https" ? first : host.lastIndexOf(":");
    if (!validOptionalPort(host.slice(colon))) return false;
  }
  return unescapes(host, true);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * url.ParseRequestURI (Go 1.26): an absolute URI (scheme:...) or an absolute
 * path; no control bytes; valid %-escapes in the path; userinfo, host and port
 * as net/url checks them. Approximate at the edges (IPv6 zones, godebug settings).
 */
function isRequestUri(text: string): boolean {
  if (text === "" || /[\x00-\x1f\x7f]/.test(text)) return false;
  if (text === "*") return true;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text);
  if (text.startsWith(":")) return false;
  const scheme = schemeMatch ? schemeMatch[1]!.toLowerCase() : "";
  let rest = schemeMatch ? text.slice(schemeMatch[0].length) : text;
  rest = rest.endsWith("?") && rest.indexOf("?") === rest.length - 1 ? rest.slice(0, -1) : rest.split("?")[0]!;
  // A rootless path after a scheme is opaque, and Go checks nothing more (mailto:a@b).
  if (!rest.startsWith("/")) return scheme !== "";
  if (scheme !== "" && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const at = authority.lastIndexOf("@");
    if (!isUrlHost(scheme, authority.slice(at + 1))) return false;
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!/^[0-9A-Za-z\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return false;
      const colon = userinfo.indexOf(":");
      const parts = colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
      if (!parts.every((part) => unescapes(part, false))) return false;
    }
  }
  return unescapes(rest, false);
}

/**
 * net/mail.ParseAddress, reduced to the common forms: "local@domain", "Name <local@domain>", with
 * (comments) after them. Approximate: nested comments, quoted pairs and obsolete syntax are not modelled.
 */
function isEmail(text: string): boolean {
  // atext, with UTF-8 allowed as net/mail does (RFC 6532).
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u{80}-\\u{10ffff}-]+";
  const dotAtom = `${atom}(?:\\.${atom})*`;
  const space = "(?:[ \\t]|\\([^()\\\\]*\\))*";
  const address = `(?:${dotAtom}|"(?:[^"\\\\\\r\\n]|\\\\.)*")@[ \\t]*(?:${dotAtom}|\\[[^\\[\\]\\\\]*\\])`;
  const name = `(?:${atom}|"(?:[^"\\\\]|\\\\.)*")(?:[ \\t]+(?:${atom}|"(?:[^"\\\\]|\\\\.)*"))*`;
  // A comment may follow an address but not lead it (net/mail refuses "(c) a@b.c").
  const shape = new RegExp(`^[ \\t]*(?:${address}|(?:${name})?${space}<${address}>)${space}$`, "u");
  if (!shape.test(text)) return false;
  // A domain literal must hold an IP address (net/mail consumeDomainLiteral).
  const literal = /@\[([^\]]*)\]/.exec(text);
  return literal === null || parseIP(literal[1]!, false);
}

const checks: Record<string, (text: string) => boolean> = {
  bsonobjectid: (text) => /^[0-9A-Fa-f]{24}$/.test(text),
  uri: isRequestUri,
  email: isEmail,
  hostname: isHostname,
  ipv4: (text) => isAscii(text) && parseIP(text, true) && text.includes("."),
  ipv6: (text) => isAscii(text) && parseIP(text, false) && text.includes(":"),
  cidr: (text) => isAscii(text) && isCidr(text),
  mac: isMac,
  uuid,
  uuid3,
  uuid4,
  uuid5,
  isbn: (text) => isIsbn(text, 10) || isIsbn(text, 13),
  isbn10: (text) => isIsbn(text, 10),
  isbn13: (text) => isIsbn(text, 13),
  creditcard: isCreditCard,
  ssn: (text) => byteLength(text) === 11 && ssn(text),
  hexcolor: hexColor,
  rgbcolor: rgbColor,
  byte: base64,
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
  k8sshortname: (text) => byteLength(text) <= 63 && shortName(text),
  k8slongname: (text) => byteLength(text) <= 253 && longName(text),
};

/** Formats whose checks are simplified here (the API server may decide differently at the edges). */
export const approximateFormats: ReadonlySet<string> = new Set(["uri", "email"]);

const normalise = (format: string) => format.replaceAll("-", "");

/**
 * The format kube-openapi validates for a schema, or undefined when the API
 * server drops it (StripUnsupportedFormatsPostProcessorForVersion): string
 * formats on strings and untyped schemas; int32/int64 and float/double stay for
 * the number checks.
 */
export function effectiveFormat(format: string | undefined, types: readonly string[]): string | undefined {
  if (!format) return undefined;
  const only = types.length === 1 ? types[0] : "";
  switch (only) {
    case "":
    case "string":
      return Object.hasOwn(checks, normalise(format)) ? format : undefined;
    case "integer":
      return format === "int32" || format === "int64" ? format : undefined;
    case "number":
      return format === "float" || format === "double" ? format : undefined;
    default:
      return undefined;
  }
}

/** Whether a string passes a format the server checks (true for formats it does not know). */
export function matchesFormat(format: string, text: string): boolean {
  const check = checks[normalise(format)];
  return check === undefined || check(text);
}

export function isStringFormat(format: string): boolean {
  return Object.hasOwn(checks, normalise(format));
}
