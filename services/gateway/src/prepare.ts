import { TactfulError } from '@tactful/events';
import type { TactfulEnv } from '@tactful/observability';

/** The environment the gateway reads beyond every service's (CONTRACT.md section 1, the README's table). */
export type GatewayEnv = Pick<
  TactfulEnv,
  'TACTFUL_SMTP_INBOUND_PORT' | 'TACTFUL_SMTP_INBOUND_HOST' | 'TACTFUL_REPLY_DOMAIN' | 'TACTFUL_LINK_SECRET'
>;

/** Where reply capture listens, when it runs. */
export interface InboundSettings {
  /** `TACTFUL_SMTP_INBOUND_PORT` (0: any free port). */
  readonly port: number;
  /** `TACTFUL_SMTP_INBOUND_HOST`, loopback by default. */
  readonly host: string;
  /** `TACTFUL_REPLY_DOMAIN`: the domain of the addresses it accepts. */
  readonly replyDomain: string;
}

/** What the gateway checked before anything started. */
export interface PreparedGateway {
  /** Undefined: reply capture is off (`TACTFUL_SMTP_INBOUND_PORT` unset). */
  readonly inbound: InboundSettings | undefined;
}

/**
 * Pure. Checks the gateway's configuration and refuses the start with every problem at once
 * (`config.invalid`): reply capture (`TACTFUL_SMTP_INBOUND_PORT`) needs `TACTFUL_LINK_SECRET`, which
 * checks the addresses it accepts.
 */
export function prepareGateway(env: GatewayEnv): PreparedGateway {
  const problems: string[] = [];
  if (env.TACTFUL_SMTP_INBOUND_PORT !== undefined && env.TACTFUL_LINK_SECRET === undefined)
    problems.push(
      'TACTFUL_LINK_SECRET: unset; reply capture (TACTFUL_SMTP_INBOUND_PORT) accepts only the reply and unsubscribe addresses signed with it, and does not start without it',
    );
  if (problems.length > 0)
    throw new TactfulError(
      'config.invalid',
      `refusing to start the gateway (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  return {
    inbound:
      env.TACTFUL_SMTP_INBOUND_PORT === undefined
        ? undefined
        : {
            port: env.TACTFUL_SMTP_INBOUND_PORT,
            host: env.TACTFUL_SMTP_INBOUND_HOST,
            replyDomain: env.TACTFUL_REPLY_DOMAIN,
          },
  };
}
