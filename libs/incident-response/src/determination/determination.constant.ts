import type { AnswerPurpose } from '@madoguchi/incidents';

/** What a determination says about the ticket's requester: on the leaked data or not. */
export const DETERMINATION_OUTCOMES = ['included', 'not_included'] as const;
export type DeterminationOutcome = (typeof DETERMINATION_OUTCOMES)[number];

/**
 * What a determination rests on:
 * - `verified_email_on_list` / `verified_email_not_on_list`: the end user proved the ticket's
 *   email with a mailed code on the status page, and it was (not) on the merchant's list;
 * - `agent`: an agent's explicit determination, with a required reason (e.g. "order number
 *   matched and identity checked on the phone").
 */
export const DETERMINATION_EVIDENCE = [
  'verified_email_on_list',
  'verified_email_not_on_list',
  'agent',
] as const;
export type DeterminationEvidence = (typeof DETERMINATION_EVIDENCE)[number];

/** Why a determination waits for an agent's review (it is never changed silently). */
export const DETERMINATION_REVIEW_REASONS = [
  /** A list upload put the verified email on the list of a "not included" determination. */
  'email_now_on_list',
  /** A list upload took the verified email off the list of an "included" determination. */
  'email_no_longer_on_list',
  /** The end user's verification gave the other outcome than the agent's determination. */
  'verification_differs',
] as const;
export type DeterminationReviewReason = (typeof DETERMINATION_REVIEW_REASONS)[number];

/** Who made a determination: a desk user, or the end user through the status page's check. */
export const DETERMINATION_ACTORS = ['user', 'end_user'] as const;
export type DeterminationActor = (typeof DETERMINATION_ACTORS)[number];

/** Longest agent reason, in characters (after trimming). */
export const DETERMINATION_REASON_MAX_LENGTH = 2000;

/** The answer purpose each outcome allows; the other purposes need no determination. */
export const PURPOSE_OF_OUTCOME: Readonly<Record<DeterminationOutcome, AnswerPurpose>> = {
  included: 'leak_included',
  not_included: 'leak_not_included',
};

/** The outcome an answer purpose needs, or null when the purpose needs no determination. */
export function outcomeNeededFor(purpose: AnswerPurpose): DeterminationOutcome | null {
  if (purpose === 'leak_included') return 'included';
  if (purpose === 'leak_not_included') return 'not_included';
  return null;
}

export function isDeterminationOutcome(value: unknown): value is DeterminationOutcome {
  return typeof value === 'string' && (DETERMINATION_OUTCOMES as readonly string[]).includes(value);
}

/**
 * Why a ticket may not get a leak answer of some purpose (the bulk-send preview counts them by
 * reason; the 409's message names it):
 * - `undetermined`: no determination yet;
 * - `outcome_differs`: the current determination says the other outcome;
 * - `review_flagged`: the determination waits for an agent's review.
 */
export const DETERMINATION_MISMATCH_REASONS = [
  'undetermined',
  'outcome_differs',
  'review_flagged',
] as const;
export type DeterminationMismatchReason = (typeof DETERMINATION_MISMATCH_REASONS)[number];
