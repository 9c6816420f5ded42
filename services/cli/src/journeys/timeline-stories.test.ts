import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateFile } from './simulate-run';

// The stories of ARCHITECTURE.md ("The problem, in the customers' words") kept as timeline files in
// docs/timelines and played with the example journeys and the example policy, beside every other
// example journey, as `tactful journeys simulate FILE --timeline … --with-journeys` plays them.

const ROOT = resolve(import.meta.dirname, '../../../..');

async function story(journey: string, timeline: string) {
  const { run } = await simulateFile({
    file: resolve(ROOT, 'journeys', journey),
    timelineFile: resolve(ROOT, 'docs/timelines', timeline),
    policyFile: resolve(ROOT, 'policy.yaml'),
    journeysDir: resolve(ROOT, 'journeys'),
    start: 0,
  });
  return {
    run,
    decisions: run.decisions.map((d) => [d.at, d.decision, d.journey, d.template ?? d.stage ?? '', d.code]),
  };
}

describe('the stories, simulated', () => {
  it('the white paper: a reply halts the pending check-in, which never comes', async () => {
    const { decisions, run } = await story('whitepaper-nurture.yaml', 'whitepaper-reply.yaml');
    expect(decisions).toEqual([
      ['2026-11-23T10:00:00.000Z', 'entered', 'whitepaper-nurture', '', 'trigger_matched'],
      ['2026-11-23T10:00:00.000Z', 'sent', 'whitepaper-nurture', 'wp-welcome', 'policy_allows'],
      ['2026-11-24T12:00:00.000Z', 'halted', 'whitepaper-nurture', '', 'halt_on'],
    ]);
    expect(run.pending).toEqual([]);
    expect(new Date(run.end).toISOString()).toBe('2026-12-04T12:00:00.000Z');
  });

  it('the white paper without a reply: the check-in comes three days later', async () => {
    const { decisions } = await story('whitepaper-nurture.yaml', 'whitepaper-no-reply.yaml');
    expect(decisions).toEqual([
      ['2026-11-23T10:00:00.000Z', 'entered', 'whitepaper-nurture', '', 'trigger_matched'],
      ['2026-11-23T10:00:00.000Z', 'sent', 'whitepaper-nurture', 'wp-welcome', 'policy_allows'],
      ['2026-11-26T10:00:00.000Z', 'sent', 'whitepaper-nurture', 'wp-checkin', 'policy_allows'],
      ['2026-12-01T10:00:00.000Z', 'completed', 'whitepaper-nurture', '', 'final_state'],
    ]);
  });

  it('the inquiry: answered at once with the person’s own words; the reply stops the follow-up', async () => {
    const { decisions, run } = await story('contact-inquiry.yaml', 'inquiry.yaml');
    expect(decisions).toEqual([
      ['2026-11-23T10:00:00.000Z', 'entered', 'contact-inquiry', '', 'trigger_matched'],
      ['2026-11-23T10:00:00.000Z', 'sent', 'contact-inquiry', 'inquiry-answer', 'policy_allows'],
      ['2026-11-23T13:00:00.000Z', 'halted', 'contact-inquiry', '', 'halt_on'],
    ]);
    const answer = run.steps.flatMap((s) => s.sends)[0];
    expect(answer?.data).toMatchObject({
      fields: { message: 'Does the adapter work in Japan and in Brazil?' },
    });
  });

  it('the dealer: the trade-in offer waits for the date the person gave, then goes out after quiet hours', async () => {
    const { decisions, run } = await story('dealer-test-drive.yaml', 'dealer-do-not-contact.yaml');
    expect(decisions).toEqual([
      ['2026-11-23T10:00:00.000Z', 'entered', 'dealer-test-drive', '', 'trigger_matched'],
      ['2026-11-23T10:00:00.000Z', 'sent', 'dealer-test-drive', 'test-drive-thanks', 'policy_allows'],
      ['2026-11-26T10:00:00.000Z', 'deferred', 'dealer-test-drive', 'trade-in-offer', 'do_not_contact_until'],
      ['2026-12-03T10:00:00.000Z', 'completed', 'dealer-test-drive', '', 'final_state'],
      ['2036-01-01T08:00:00.000Z', 'sent', 'dealer-test-drive', 'trade-in-offer', 'policy_allows'],
    ]);
    expect(run.decisions[2]?.reason).toBe(
      'asked not to be contacted until 2036-01-01 (UTC); then quiet hours 21:00–08:00 UTC; ' +
        'deferred until 2036-01-01T08:00:00.000Z',
    );
  });

  it('the dealer: an existing customer gets no prospecting follow-up', async () => {
    const { decisions } = await story('dealer-test-drive.yaml', 'dealer-existing-customer.yaml');
    expect(decisions).toEqual([
      ['2026-11-23T10:00:00.000Z', 'suppressed', 'dealer-test-drive', '', 'existing_customer'],
    ]);
  });

  it('the newsletter: nothing after the opt-out', async () => {
    const { decisions } = await story('newsletter.yaml', 'newsletter-opt-out.yaml');
    expect(decisions).toEqual([
      ['2026-11-23T10:00:00.000Z', 'entered', 'newsletter', '', 'trigger_matched'],
      ['2026-11-23T10:00:00.000Z', 'sent', 'newsletter', 'newsletter-2026-11', 'policy_allows'],
      ['2026-11-25T10:00:00.000Z', 'halted', 'newsletter', '', 'opted_out'],
    ]);
  });

  it('browse, then book: the purchase ends the planning journey for good and starts the local tips', async () => {
    const { decisions } = await story('trip-planning.yaml', 'browse-then-book.yaml');
    expect(decisions).toEqual([
      ['2026-11-23T10:00:00.000Z', 'entered', 'trip-planning', '', 'trigger_matched'],
      ['2026-11-23T10:00:00.000Z', 'sent', 'trip-planning', 'lisbon-guide', 'policy_allows'],
      ['2026-11-24T11:00:00.000Z', 'completed', 'trip-planning', '', 'purchased'],
      ['2026-11-24T11:00:00.000Z', 'entered', 'trip-post-purchase', '', 'trigger_matched'],
      ['2026-11-24T11:00:00.000Z', 'sent', 'trip-post-purchase', 'local-tips', 'policy_allows'],
      ['2026-12-08T11:00:00.000Z', 'sent', 'trip-post-purchase', 'welcome-back', 'policy_allows'],
      ['2026-12-09T11:00:00.000Z', 'completed', 'trip-post-purchase', '', 'final_state'],
      ['2026-12-13T10:00:00.000Z', 'suppressed', 'trip-planning', '', 'purchased'],
    ]);
  });

  it('the spring offer: the copy of the person’s side of the split, then the purchase as a conversion', async () => {
    const { run } = await story('spring-offer.yaml', 'spring-offer.yaml');
    const mine = run.decisions
      .filter((d) => d.journey === 'spring-offer')
      .map((d) => [d.at, d.decision, d.template ?? '', d.code, d.branch ?? '', d.holdout ?? false]);
    expect(mine).toEqual([
      ['2026-11-23T10:00:00.000Z', 'entered', '', 'trigger_matched', '', false],
      ['2026-11-24T10:00:00.000Z', 'sent', 'spring-offer-short', 'policy_allows', 'shortCopy', false],
      ['2026-11-26T10:00:00.000Z', 'completed', '', 'goal_reached', 'shortCopy', false],
      ['2026-11-27T10:00:00.000Z', 'completed', '', 'final_state', 'shortCopy', false],
    ]);
  });

  it('the spring offer’s holdout: followed like everyone, sent nothing, the purchase still counted', async () => {
    const { run } = await story('spring-offer.yaml', 'spring-offer-holdout.yaml');
    const mine = run.decisions
      .filter((d) => d.journey === 'spring-offer')
      .map((d) => [d.decision, d.template ?? '', d.code, d.branch ?? '', d.holdout ?? false]);
    expect(mine).toEqual([
      ['entered', '', 'trigger_matched', '', true],
      ['suppressed', 'spring-offer-long', 'holdout', 'longCopy', true],
      ['completed', '', 'goal_reached', 'longCopy', true],
      ['completed', '', 'final_state', 'longCopy', true],
    ]);
    expect(run.decisions.filter((d) => d.journey === 'spring-offer' && d.decision === 'sent')).toEqual([]);
  });
});
