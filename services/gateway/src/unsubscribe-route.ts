import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  oneClickChoice,
  parseUnsubscribeToken,
  unsubscribeEvent,
  type LinkSigner,
  type UnsubscribeChoice,
  type UnsubscribeToken,
} from '@tactful/events';
import type { Publisher } from '@tactful/events/publisher';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import { confirmationPage, nextDay, preferencePage, problemPage } from './unsubscribe-page';

export interface UnsubscribeRouteDeps {
  /** Signs and checks the tokens (`TACTFUL_LINK_SECRET`, the dispatcher's). */
  readonly signer: LinkSigner;
  readonly publisher: Pick<Publisher, 'publish'>;
  /**
   * The topics a customer already left (their state, and the halt marks not yet applied): leaving one
   * more keeps them, because `topicsOptedOut` replaces the whole list.
   */
  readonly topicsLeft: (customerId: string) => Promise<readonly string[]>;
  readonly metrics: Pick<TactfulMetrics, 'unsubscribes'>;
  readonly logger: Logger;
  readonly now: () => Date;
}

export const GATEWAY_SOURCE = 'tactful/gateway';

// The page is plain HTML and forms: no script, nothing from elsewhere, posted only back here
const HEADERS = {
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BODY_LIMIT = 4096;

/**
 * The links of emails (CONTRACT.md section 4), as a fastify plugin in its own scope: `GET /u/<token>`,
 * the preference page (a GET never changes anything: mail scanners follow links), and `POST /u/<token>`,
 * RFC 8058 one-click (`List-Unsubscribe=One-Click`, answered 200 in plain text) or a choice of the page
 * (`choice=topic|all|pause`, `until=YYYY-MM-DD`, answered with a confirmation page). The opt-out goes to
 * `N.events` keyed by the token's customer, with an id derived from the token and the choice, so a
 * repeat is one event. A token this secret did not sign gets 400 and nothing is published; a test
 * copy's token is answered as a real one and publishes nothing; Kafka away gets 503 (the mail provider
 * retries one-click).
 */
export function unsubscribeRoute(deps: UnsubscribeRouteDeps) {
  const logger = deps.logger.child({ component: 'unsubscribe' });

  return async function plugin(scope: FastifyInstance): Promise<void> {
    scope.removeAllContentTypeParsers();
    // one-click is form-encoded (RFC 8058 also allows multipart); the page's forms are form-encoded
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );

    scope.get<{ Params: { token: string } }>('/u/:token', async (request, reply) => {
      const token = tokenOf(request.params.token);
      void reply.headers(HEADERS).type('text/html; charset=utf-8');
      if (token === null) return reply.code(400).send(problemPage(REFUSED));
      return preferencePage(token, `/u/${request.params.token}`, deps.now().toISOString().slice(0, 10));
    });

    scope.post<{ Params: { token: string }; Body: unknown }>('/u/:token', async (request, reply) => {
      const signed = request.params.token.toLowerCase();
      const token = tokenOf(signed);
      const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
      const fromPage = form.has('choice');
      void reply.headers(HEADERS).type(fromPage ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8');
      const refuse = (why: string) => reply.code(400).send(fromPage ? problemPage(why) : `${why}\n`);
      if (token === null) return refuse(REFUSED);
      const choice = fromPage ? choiceOf(form, deps.now()) : oneClickChoice(token);
      if (typeof choice === 'string') return refuse(choice);
      const via = fromPage ? 'page' : 'one_click';
      const published = await publish(token, signed, choice, via, reply);
      if (published !== true) return published;
      return fromPage ? confirmationPage(token, choice) : 'Unsubscribed.\n';
    });
  };

  function tokenOf(text: string): UnsubscribeToken | null {
    return parseUnsubscribeToken(deps.signer, text.toLowerCase());
  }

  /** Publishes the opt-out; true when Kafka has it, else the 503 sent. */
  async function publish(
    token: UnsubscribeToken,
    signed: string,
    choice: UnsubscribeChoice,
    via: 'page' | 'one_click',
    reply: FastifyReply,
  ): Promise<true | FastifyReply> {
    if (token.test === true) {
      deps.metrics.unsubscribes.inc({ via, effect: 'test' });
      return true;
    }
    try {
      const topicsLeft = choice.kind === 'topic' ? await deps.topicsLeft(token.customerId) : [];
      const event = unsubscribeEvent({
        token,
        signed,
        choice,
        topicsLeft,
        at: deps.now(),
        source: GATEWAY_SOURCE,
      });
      await deps.publisher.publish(event);
    } catch (err) {
      logger.warn({ err, customerId: token.customerId }, 'unsubscribe not published; answered 503');
      return reply
        .code(503)
        .header('retry-after', '5')
        .type('text/plain; charset=utf-8')
        .send('Not done: please try again in a moment.\n');
    }
    deps.metrics.unsubscribes.inc({ via, effect: choice.kind });
    logger.info(
      { customerId: token.customerId, commandId: token.commandId, via, effect: choice.kind },
      'unsubscribed',
    );
    return true;
  }
}

const REFUSED = 'This link is not one of ours, or it was altered; nothing was changed.';

/** Pure. The choice a form of the page posted, or why it cannot be read. */
export function choiceOf(form: URLSearchParams, now: Date): UnsubscribeChoice | string {
  const choice = form.get('choice');
  switch (choice) {
    case 'topic':
    case 'all':
      return { kind: choice };
    case 'pause': {
      const until = form.get('until') ?? '';
      const today = now.toISOString().slice(0, 10);
      if (!DATE.test(until) || !isDay(until)) return 'Choose the date until which we send you nothing.';
      if (until < nextDay(today)) return 'Choose a date after today.';
      return { kind: 'pause', until };
    }
    default:
      return 'Choose one of the choices of the page.';
  }
}

/** Pure. Whether YYYY-MM-DD names a day of the calendar (not 2026-02-30). */
function isDay(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
