import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Partitioners } from 'kafkajs';
import { encodeEvent, topicsFor } from '@tactful/events';
import { createKafkaClient, ensureTopics } from '@tactful/kafka';
import { startStack } from './services/cli/src/run/stack';
import { writePolicy } from './services/cli/src/run/test-stack';
const ns = `smoke-${randomBytes(3).toString('hex')}`;
const topics = topicsFor(ns);
const kafka = createKafkaClient({ brokers: ['127.0.0.1:9092'], clientId: 'smoke' });
const admin = kafka.admin();
await admin.connect();
await ensureTopics(admin, Object.values(topics), 3);
const stack = await startStack({
  env: {
    KAFKA_BROKERS: '127.0.0.1:9092',
    REDIS_URL: 'redis://127.0.0.1:6379',
    TACTFUL_NAMESPACE: ns,
    TACTFUL_JOURNEYS: './journeys',
    TACTFUL_POLICY: await writePolicy(),
    TACTFUL_HTTP_PORT: '0',
    LOG_LEVEL: 'debug',
  },
  services: ['orchestrator'],
  logger: pino({ level: 'debug' }),
  overrides: { host: '127.0.0.1' },
});
const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await p.connect();
const ev = encodeEvent({
  specversion: '1.0',
  id: 'e1',
  source: 's',
  type: 'form.submitted',
  subject: 'ann',
  time: new Date().toISOString(),
  data: { formId: 'contact-us', email: 'a@example.com', fields: { message: 'hi' } },
} as any);
await p.send({ topic: topics.events, messages: [ev, ev] });
await p.send({ topic: topics.events, messages: [ev] });
await p.send({
  topic: topics.events,
  messages: [
    encodeEvent({
      specversion: '1.0',
      id: 'e2',
      source: 's',
      type: 'email.opened',
      subject: 'ann',
      time: new Date().toISOString(),
      data: {},
    } as any),
  ],
});
await new Promise((r) => setTimeout(r, 8000));
const off = await admin.fetchOffsets({ groupId: `${ns}.orchestrator`, topics: [topics.events] });
console.log(JSON.stringify(off));
await p.disconnect();
await stack.close();
await admin.deleteTopics({ topics: Object.values(topics) });
await admin.disconnect();
