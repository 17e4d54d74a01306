// Kubernetes label selectors (metav1.LabelSelector) with the exact semantics of
// apimachinery's LabelSelectorAsSelector: every requirement is ANDed, the empty
// selector matches everything, NotIn and DoesNotExist match an absent key.
import { labelValue, validateLabelKey, validateLabelValue, type Labels } from "./labels";
import { sortedUnique } from "./ordering";

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

const OPERATORS: readonly string[] = ["In", "NotIn", "Exists", "DoesNotExist"];

/** One requirement of a selector that a set of labels fails, with the value it found. */
export interface FailedRequirement {
  /** The requirement as a person reads it: `region In (eu, us)`, `tier=prod`, `gpu DoesNotExist`. */
  requirement: string;
  /** The label's actual value, or undefined when the label is missing. */
  actual: string | undefined;
}

/** Every problem of the selector, each prefixed by its path inside the selector. Empty when valid. */
export function validateSelector(selector: LabelSelector): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keyProblem = validateLabelKey(key);
    if (keyProblem) problems.push(`matchLabels: ${keyProblem}`);
    const valueProblem = validateLabelValue(value);
    if (valueProblem) problems.push(`matchLabels.${key}: ${valueProblem}`);
  }
  (selector.matchExpressions ?? []).forEach((expression, index) => {
    const path = `matchExpressions[${index}]`;
    const keyProblem = validateLabelKey(expression.key);
    if (keyProblem) problems.push(`${path}.key: ${keyProblem}`);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0) problems.push(`${path}.values: must be non-empty for ${expression.operator}`);
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) problems.push(`${path}.values: must be empty for ${expression.operator}`);
        break;
      default:
        problems.push(`${path}.operator: "${String(expression.operator)}" is not one of ${OPERATORS.join(", ")}`);
    }
    values.forEach((value, valueIndex) => {
      const valueProblem = validateLabelValue(value);
      if (valueProblem) problems.push(`${path}.values[${valueIndex}]: ${valueProblem}`);
    });
  });
  return problems;
}

export function matchesSelector(labels: Labels, selector: LabelSelector): boolean {
  return failedRequirements(labels, selector).length === 0;
}

/** The requirements `labels` fail, matchLabels first (by key), then expressions in order. */
export function failedRequirements(labels: Labels, selector: LabelSelector): FailedRequirement[] {
  const failed: FailedRequirement[] = [];
  for (const key of sortedUnique(Object.keys(selector.matchLabels ?? {}))) {
    const wanted = selector.matchLabels?.[key];
    const actual = labelValue(labels, key);
    if (actual !== wanted) failed.push({ requirement: `${key}=${wanted}`, actual });
  }
  for (const expression of selector.matchExpressions ?? []) {
    const actual = labelValue(labels, expression.key);
    if (!satisfies(actual, expression)) failed.push({ requirement: describeRequirement(expression), actual });
  }
  return failed;
}

/** One short reason per failed requirement: `region In (eu, us) but is "ap"`, `tier=prod but is missing`. */
export function selectorMismatches(labels: Labels, selector: LabelSelector): string[] {
  return failedRequirements(labels, selector).map(describeFailure);
}

export function describeFailure({ requirement, actual }: FailedRequirement): string {
  return `${requirement} but is ${actual === undefined ? "missing" : JSON.stringify(actual)}`;
}

/** The selector in kubectl syntax: `tier=prod,region in (eu,us),!gpu,gpu`; "" selects everything. */
export function formatSelector(selector: LabelSelector): string {
  const labels = sortedUnique(Object.keys(selector.matchLabels ?? {})).map((key) => `${key}=${selector.matchLabels?.[key]}`);
  const expressions = (selector.matchExpressions ?? []).map((expression) => {
    const values = `(${sortedUnique(expression.values ?? []).join(",")})`;
    switch (expression.operator) {
      case "In":
        return `${expression.key} in ${values}`;
      case "NotIn":
        return `${expression.key} notin ${values}`;
      case "Exists":
        return expression.key;
      case "DoesNotExist":
        return `!${expression.key}`;
      default:
        return `${expression.key} ${String(expression.operator)} ${values}`;
    }
  });
  return [...labels, ...expressions].join(",");
}

function satisfies(actual: string | undefined, expression: LabelSelectorRequirement): boolean {
  const values = expression.values ?? [];
  switch (expression.operator) {
    case "In":
      return actual !== undefined && values.includes(actual);
    case "NotIn":
      return actual === undefined || !values.includes(actual);
    case "Exists":
      return actual !== undefined;
    case "DoesNotExist":
      return actual === undefined;
    default:
      // Validation rejects unknown operators; if one slips through, select nothing rather than everything.
      return false;
  }
}

function describeRequirement(expression: LabelSelectorRequirement): string {
  switch (expression.operator) {
    case "In":
    case "NotIn":
      return `${expression.key} ${expression.operator} (${sortedUnique(expression.values ?? []).join(", ")})`;
    default:
      return `${expression.key} ${String(expression.operator)}`;
  }
}

/**
 * Both selectors at once (every requirement of each must hold): the request's
 * own stays as written, the other's matchLabels become In requirements, so a
 * key both name with different values matches nothing instead of one silently winning.
 */
export function andSelectors(own: LabelSelector | undefined, extra: LabelSelector | undefined): LabelSelector | undefined {
  const extraRequirements = [
    ...Object.entries(extra?.matchLabels ?? {}).map(([key, value]) => ({ key, operator: "In" as const, values: [value] })),
    ...(extra?.matchExpressions ?? []),
  ];
  if (extraRequirements.length === 0) return own;
  return {
    ...(own?.matchLabels ? { matchLabels: own.matchLabels } : {}),
    matchExpressions: [...(own?.matchExpressions ?? []), ...extraRequirements],
  };
}
