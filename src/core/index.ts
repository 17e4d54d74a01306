// The pure decision core: labels, selectors, taints and fleet placement.
// No Pulumi, no I/O, no clock, no randomness.
export type { Labels } from "../labels/labels";
export { labelValue, validateLabelKey, validateLabelValue } from "../labels/labels";
export type { FailedRequirement, LabelSelector, LabelSelectorRequirement } from "../labels/selectors";
export { failedRequirements, formatSelector, matchesSelector, selectorMismatches, validateSelector } from "../labels/selectors";
export type { Taint, Toleration } from "../labels/taints";
export { formatTaint, toleratesTaint, untoleratedPreferences, untoleratedTaints } from "../labels/taints";
export type {
  ClusterFacts,
  ClusterVerdict,
  FleetFacts,
  FleetPlacement,
  Move,
  PreviousPlacement,
  PromiseFacts,
  PromisePlacement,
  RequestFacts,
  RequestPlacement,
} from "./placement";
export { placeFleet, requestKey } from "./placement";
