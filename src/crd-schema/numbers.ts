// Number checks as kube-openapi's numberValidator makes them
// (pkg/validation/validate/validator.go, values.go). Two of its habits decide
// cases a reader would not guess, so they are kept:
//  - a whole-number value (int64) is compared with int64(bound), Go's truncation:
//    with `maximum: 10.5, exclusiveMaximum: true` the value 10 is rejected
//    (10 >= 10), and with `multipleOf: 0.5` every whole number is (factor 0);
//  - a bound that does not fit the field's own type and format (a fractional
//    maximum on an integer, 3e9 on an int32) fails every value.
import { formatFloatFixed, goFloatToInt64, isFloatAJsonInteger, isInt64 } from "./go-values";
import type { CrdSchema } from "./schema";
import { schemaTypes } from "./schema";

export interface NumberProblem {
  message: string;
  hint?: string;
}

type Range = { type: "integer" | "number" | ""; format: string };

/** The type and format numberValidator checks capacity against: only with exactly one type, and a matching format. */
function rangeOf(schema: CrdSchema, format: string | undefined): Range {
  const types = schemaTypes(schema);
  if (types.length !== 1) return { type: "", format: "" };
  if (types[0] === "integer") return { type: "integer", format: format === "int32" || format === "int64" ? format : "" };
  if (types[0] === "number") return { type: "number", format: format === "float" || format === "double" ? format : "" };
  return { type: "", format: "" };
}

/** The decimal text strconv would parse: FormatInt for int64 values, FormatFloat('f') for float64 ones. */
function decimalText(value: number): string {
  return isInt64(value) ? BigInt(value).toString() : formatFloatFixed(value);
}

/** IsValueValidAgainstRange: does the number fit the type and format without loss of capacity? */
function fitsRange(value: number, range: Range): boolean {
  if (range.type === "integer") {
    const text = decimalText(value);
    if (!/^[+-]?\d+$/.test(text)) return false;
    const bits = range.format === "int32" ? 31n : 63n;
    const parsed = BigInt(text);
    return parsed >= -(2n ** bits) && parsed < 2n ** bits;
  }
  if (range.format === "float") return Number.isFinite(Math.fround(value));
  return true;
}

function rangeName(range: Range): string {
  if (range.type === "integer") return range.format === "int32" ? "a 32-bit integer (format int32)" : "a 64-bit integer";
  return "a 32-bit float (format float)";
}

const show = (value: number) => String(value);
const rejectsAll = "so the API server rejects every value";

/** Maximum/MinimumNativeType: the comparison the API server makes, whole numbers against the truncated bound. */
function exceeds(value: number, bound: number, exclusive: boolean, direction: "max" | "min"): boolean {
  if (isInt64(value)) {
    const data = BigInt(value);
    const limit = goFloatToInt64(bound);
    if (direction === "max") return exclusive ? data >= limit : data > limit;
    return exclusive ? data <= limit : data < limit;
  }
  if (direction === "max") return exclusive ? value >= bound : value > bound;
  return exclusive ? value <= bound : value < bound;
}

function exceedsExactly(value: number, bound: number, exclusive: boolean, direction: "max" | "min"): boolean {
  if (direction === "max") return exclusive ? value >= bound : value > bound;
  return exclusive ? value <= bound : value < bound;
}

/** MultipleOf for float64 values: the quotient must be a JSON integer, with swag's tolerance. */
function isMultipleOfFloat(value: number, factor: number): boolean {
  if (factor <= 0) return false;
  const quotient = factor < 1 ? (1 / factor) * value : value / factor;
  return isFloatAJsonInteger(quotient);
}

function isMultipleOf(value: number, factor: number, native: boolean): boolean {
  if (native && isInt64(value)) {
    const divisor = goFloatToInt64(factor);
    if (divisor <= 0n) return false;
    const data = BigInt(value);
    return (data / divisor) * divisor === data;
  }
  return isMultipleOfFloat(value, factor);
}

function boundCheck(
  value: number,
  bound: number,
  exclusive: boolean,
  direction: "max" | "min",
  range: Range,
): NumberProblem | undefined {
  const word = direction === "max" ? (exclusive ? "less than" : "at most") : exclusive ? "greater than" : "at least";
  const keyword = direction === "max" ? "maximum" : "minimum";
  if (!fitsRange(bound, range)) {
    return {
      message: `cannot be checked: the schema's ${keyword} ${show(bound)} is not ${rangeName(range)}, ${rejectsAll}`,
      hint: "the promise's CRD schema needs a bound of the field's own type",
    };
  }
  if (!exceeds(value, bound, exclusive, direction)) return undefined;
  const problem: NumberProblem = { message: `must be ${word} ${show(bound)}, got ${show(value)}` };
  if (!exceedsExactly(value, bound, exclusive, direction)) {
    problem.hint = `the API server compares whole numbers with the bound's integer part (${goFloatToInt64(bound)})`;
  }
  return problem;
}

/** Every number problem of one value under one schema, in kube-openapi's order: capacity, multipleOf, minimum, maximum. */
export function numberProblems(
  schema: CrdSchema,
  value: number,
  format: string | undefined,
  typeFailed: boolean,
): NumberProblem[] {
  const range = rangeOf(schema, format);
  const problems: NumberProblem[] = [];
  // An integer field given a fraction already has a type error; the capacity error would repeat it.
  if (!fitsRange(value, range) && !(typeFailed && range.type === "integer")) {
    problems.push({ message: `must fit in ${rangeName(range)}, got ${show(value)}` });
  }
  if (schema.multipleOf !== undefined) {
    const factor = schema.multipleOf;
    const native = fitsRange(factor, range);
    if (!native) {
      problems.push({
        message: `cannot be checked: the schema's multipleOf ${show(factor)} is not ${rangeName(range)}, ${rejectsAll}`,
        hint: "the promise's CRD schema needs a factor of the field's own type",
      });
    } else if (!isMultipleOf(value, factor, native)) {
      const problem: NumberProblem = { message: `must be a multiple of ${show(factor)}, got ${show(value)}` };
      if (isMultipleOfFloat(value, factor)) {
        problem.hint = `the API server truncates multipleOf to ${goFloatToInt64(factor)} for whole numbers, so it rejects this one`;
      }
      problems.push(problem);
    }
  }
  for (const [bound, exclusive, direction] of [
    [schema.minimum, schema.exclusiveMinimum === true, "min"],
    [schema.maximum, schema.exclusiveMaximum === true, "max"],
  ] as const) {
    if (bound === undefined) continue;
    const problem = boundCheck(value, bound, exclusive, direction, range);
    if (problem) problems.push(problem);
  }
  return problems;
}
