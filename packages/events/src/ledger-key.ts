import type { MessageClass } from './command';

/** What names one send in a person's never-twice ledger. */
export interface LedgerKeyInput {
  readonly template: string;
  readonly journey: string;
  /** Absent means marketing. */
  readonly class?: MessageClass | undefined;
  /** Which entry of the journey sent it; needed for a transactional send. */
  readonly entry?: number | undefined;
}

/**
 * Pure. The key a send takes in the person's ledger (ARCHITECTURE.md, invariant 3). A marketing
 * template is its own key: it reaches a person at most once, ever, across every journey and version. A
 * transactional journey's template is keyed by the entry, `<template>#<journey>/<entry>`, so a new
 * question gets a new answer while one entry still never sends it twice. Template names cannot hold `#`
 * or `/`, so the two kinds of key never meet. A transactional send without an entry (a command written
 * by an older version) is keyed like a marketing one: the stricter rule.
 */
export function ledgerKeyOf(input: LedgerKeyInput): string {
  return input.class === 'transactional' && input.entry !== undefined
    ? `${input.template}#${input.journey}/${input.entry}`
    : input.template;
}
