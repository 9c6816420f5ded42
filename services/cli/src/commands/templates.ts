import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { stateOfStored, type Profile } from '@tactful/engine';
import {
  loadTemplateWorkspace,
  previewEmail,
  previewSigner,
  sendTestEmail,
  type PreviewSubject,
} from '@tactful/dispatcher';
import { createLogger, publicUrlOf, TactfulEnv } from '@tactful/observability';
import { createRedisClient, createStore } from '@tactful/store-redis';
import { commandConfig } from '../env';

interface SubjectOptions {
  customer?: string;
  data?: string;
}

type Config = ReturnType<typeof TactfulEnv.parse>;

/**
 * `tactful templates preview` and `send-test`: a template rendered by the dispatcher's own code path, for
 * a customer of the store or for data from a file.
 */
export function templatesCommand(program: Command): void {
  const templates = program
    .command('templates')
    .description('preview a template as the dispatcher would send it, or send one test copy');
  templates
    .command('preview')
    .argument('<template>', 'the template name (its file in TACTFUL_TEMPLATES, without .liquid)')
    .option('--customer <id>', "render for this customer's profile in the store (REDIS_URL)")
    .option(
      '--data <file>',
      'render for this JSON: { "customer": { "email", "name", "fields" }, "trigger": {…} }',
    )
    .option('--html <file>', 'write the HTML part to this file')
    .description('print the email exactly as the dispatcher would send it: headers, text part, links')
    .action(async (template: string, options: SubjectOptions & { html?: string }) => {
      const config = commandConfig(TactfulEnv, process.env);
      const email = await render(config, template, options, false);
      console.log(email.raw.toString('utf8').split('\r\n\r\n')[0]);
      console.log('');
      console.log(email.rendered.text);
      if (options.html !== undefined) {
        if (email.rendered.html === undefined) console.log(`(${template} has no HTML body)`);
        else {
          await fs.writeFile(options.html, email.rendered.html);
          console.log(`HTML part written to ${options.html}`);
        }
      }
    });
  templates
    .command('send-test')
    .argument('<template>', 'the template name')
    .requiredOption('--to <address>', 'where the test copy goes')
    .option('--customer <id>', "render for this customer's profile in the store (REDIS_URL)")
    .option('--data <file>', 'render for this JSON (as for preview)')
    .description(
      'deliver one copy through TACTFUL_SMTP_URL, subject prefixed [TEST]: no ledger entry, no audit, and\n' +
        'its unsubscribe links unsubscribe nobody',
    )
    .action(async (template: string, options: SubjectOptions & { to: string }) => {
      const config = commandConfig(TactfulEnv, process.env);
      if (config.TACTFUL_SMTP_URL === undefined) {
        console.error('TACTFUL_SMTP_URL is not set: it says where the test copy goes');
        process.exit(2);
      }
      const email = await render(config, template, options, true, options.to);
      const response = await sendTestEmail({
        email,
        to: options.to,
        smtpUrl: config.TACTFUL_SMTP_URL,
        from: config.TACTFUL_MAIL_FROM,
        logger: createLogger({ level: 'silent', name: 'templates' }),
      });
      console.log(`sent "${email.rendered.subject}" to ${options.to} (${response})`);
    });
}

async function render(config: Config, template: string, options: SubjectOptions, test: boolean, to?: string) {
  if ((options.customer === undefined) === (options.data === undefined)) {
    console.error('give exactly one of --customer ID and --data FILE');
    process.exit(2);
  }
  const workspace = await loadTemplateWorkspace(config.TACTFUL_JOURNEYS, config.TACTFUL_TEMPLATES);
  const subject = await subjectOf(config, options);
  const profile = to === undefined ? subject.profile : { ...(subject.profile ?? { fields: {} }), email: to };
  return previewEmail({
    workspace,
    template,
    subject: { ...subject, profile },
    settings: {
      from: config.TACTFUL_MAIL_FROM,
      replyDomain: config.TACTFUL_REPLY_DOMAIN,
      signer: previewSigner(config.TACTFUL_LINK_SECRET),
      publicUrl: publicUrlOf(config),
    },
    now: new Date(),
    test,
  });
}

/** The customer of a preview: from the store, or from a JSON file. */
async function subjectOf(config: Config, options: SubjectOptions): Promise<PreviewSubject> {
  if (options.data !== undefined) {
    const parsed = JSON.parse(await fs.readFile(options.data, 'utf8')) as {
      customer?: Partial<Profile> & { id?: string };
      trigger?: Record<string, unknown>;
    };
    const { id, ...profile } = parsed.customer ?? {};
    return {
      customerId: id ?? 'preview-customer',
      profile: { fields: {}, ...profile },
      data: parsed.trigger ?? {},
    };
  }
  const customerId = options.customer!;
  const redis = createRedisClient(config.REDIS_URL);
  try {
    const store = createStore({ redis, namespace: config.TACTFUL_NAMESPACE });
    const loaded = await store.load(customerId);
    if (loaded.state === null || loaded.state === undefined) {
      console.error(`no customer "${customerId}" in the store of namespace ${config.TACTFUL_NAMESPACE}`);
      process.exit(1);
    }
    return { customerId, profile: stateOfStored(loaded).profile, data: {} };
  } finally {
    redis.disconnect();
  }
}
