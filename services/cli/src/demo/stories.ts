import type { TactfulEvent } from '@tactful/events';

// The stories of ARCHITECTURE.md as the demo plays them: who does what, in which order. `wait` lets the
// (shortened) journey waits pass before the next step.

export type Step =
  | {
      kind: 'events';
      say: string;
      events: Omit<TactfulEvent, 'specversion' | 'id' | 'source' | 'time'>[];
      /** Deliver every event of the step twice with the same id, as Kafka may. */
      deliverTwice?: boolean;
    }
  | { kind: 'wait'; say: string };

export interface Story {
  title: string;
  people: string[];
  steps: Step[];
}

const ev = (type: TactfulEvent['type'], subject: string, data: Record<string, unknown>) =>
  ({ type, subject, datacontenttype: 'application/json', data }) as Omit<
    TactfulEvent,
    'specversion' | 'id' | 'source' | 'time'
  >;

export const STORIES: Story[] = [
  {
    title: 'The white paper: follow-ups stop the moment the prospect replies',
    people: ['ann', 'ben'],
    steps: [
      {
        kind: 'events',
        say: 'Ann and Ben download the white paper',
        events: [
          ev('form.submitted', 'ann', { formId: 'whitepaper-2026', email: 'ann@example.com', name: 'Ann' }),
          ev('form.submitted', 'ben', { formId: 'whitepaper-2026', email: 'ben@example.com', name: 'Ben' }),
        ],
      },
      {
        kind: 'events',
        say: 'Ann replies "no thanks" while her check-in is pending',
        events: [ev('email.replied', 'ann', { text: 'No thanks, we chose another vendor.' })],
      },
      { kind: 'wait', say: 'the check-in wait passes' },
    ],
  },
  {
    title: 'The inquiry: answered at once, in the person’s own words',
    people: ['cleo'],
    steps: [
      {
        kind: 'events',
        say: 'Cleo asks a question through the contact form',
        events: [
          ev('form.submitted', 'cleo', {
            formId: 'contact-us',
            email: 'cleo@example.com',
            name: 'Cleo',
            fields: { subject: 'Travel adapter', message: 'Does the adapter work in Japan and in Brazil?' },
          }),
        ],
      },
      {
        kind: 'events',
        say: 'Cleo replies to the answer',
        events: [ev('email.replied', 'cleo', { text: 'Thanks, that answers it.' })],
      },
      { kind: 'wait', say: 'the follow-up wait passes' },
    ],
  },
  {
    title: 'Browse, then book: information before, local tips after, no more selling',
    people: ['dev'],
    steps: [
      {
        kind: 'events',
        say: 'Dev signs up on the travel site, then looks at the Lisbon trip',
        events: [
          ev('form.submitted', 'dev', { formId: 'sign-up', email: 'dev@example.com', name: 'Dev' }),
          ev('page.viewed', 'dev', { url: 'https://travel.example.com/lisbon', sku: 'trip-lisbon' }),
        ],
      },
      {
        kind: 'events',
        say: 'Dev books it',
        events: [
          ev('purchase.completed', 'dev', {
            orderId: 'o-1001',
            items: [{ sku: 'trip-lisbon', name: 'Lisbon, 4 nights' }],
          }),
        ],
      },
      { kind: 'wait', say: 'the post-purchase wait passes' },
      {
        kind: 'events',
        say: 'Dev looks at the Lisbon page again',
        events: [ev('page.viewed', 'dev', { url: 'https://travel.example.com/lisbon', sku: 'trip-lisbon' })],
      },
    ],
  },
  {
    title: 'The dealer: no cold calls to customers; the trade-in waits for the date the person gave',
    people: ['eli', 'fin'],
    steps: [
      {
        kind: 'events',
        say: 'Eli, already a customer, books a test drive; Fin, a prospect, too',
        events: [
          ev('customer.status_changed', 'eli', { status: 'customer' }),
          ev('form.submitted', 'eli', { formId: 'test-drive', email: 'eli@example.com', name: 'Eli' }),
          ev('form.submitted', 'fin', { formId: 'test-drive', email: 'fin@example.com', name: 'Fin' }),
        ],
      },
      {
        kind: 'events',
        say: 'Fin says he keeps his cars ten years',
        events: [
          ev('contact.preferences_updated', 'fin', {
            doNotContactUntil: '2036-01-01',
            note: 'I keep cars ten years',
          }),
        ],
      },
      { kind: 'wait', say: 'the trade-in wait passes' },
    ],
  },
  {
    title: 'The newsletter: one copy per issue, nothing after the opt-out',
    people: ['gia', 'hal'],
    steps: [
      {
        kind: 'events',
        say: 'Gia and Hal subscribe (each form delivered twice, as Kafka may)',
        deliverTwice: true,
        events: [
          ev('form.submitted', 'gia', { formId: 'newsletter', email: 'gia@example.com', name: 'Gia' }),
          ev('form.submitted', 'hal', { formId: 'newsletter', email: 'hal@example.com', name: 'Hal' }),
        ],
      },
      {
        kind: 'events',
        say: 'Gia unsubscribes',
        events: [ev('contact.opted_out', 'gia', { channel: 'all' })],
      },
      { kind: 'wait', say: 'the next issue comes due' },
    ],
  },
  {
    title:
      'One budget across journeys: a busy day does not become five emails, and her question is answered first',
    people: ['ivy'],
    steps: [
      {
        kind: 'events',
        say: 'Ivy asks a question, then fills in three more forms within a minute',
        events: [
          ev('form.submitted', 'ivy', {
            formId: 'contact-us',
            email: 'ivy@example.com',
            name: 'Ivy',
            fields: { subject: 'Saturday test drive', message: 'Can I book a test drive on Saturday?' },
          }),
          ev('form.submitted', 'ivy', { formId: 'whitepaper-2026', email: 'ivy@example.com', name: 'Ivy' }),
          ev('form.submitted', 'ivy', { formId: 'newsletter', email: 'ivy@example.com' }),
          ev('form.submitted', 'ivy', { formId: 'test-drive', email: 'ivy@example.com' }),
        ],
      },
    ],
  },
];

/** The demo's contact policy: quiet hours off so the output does not depend on the clock. */
export const DEMO_POLICY = `# the demo's policy: three messages a day per person, across every journey
frequency: { maxPerDay: 3, maxPerWeek: 10, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 5 }
`;
