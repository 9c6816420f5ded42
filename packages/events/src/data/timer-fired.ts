import { z } from 'zod';
import { identifier, JourneyVersion, Name, Timestamp } from '../fields';

/**
 * `timer.fired` (internal): a durable wait (`after` in a journey) came due. The timer service writes
 * it to `N.events` keyed by the customer, so it is ordered with everything else the customer did; the
 * gateway and upstream systems can never inject it (`parseEvent` refuses it unless `allowInternal`).
 *
 * The orchestrator applies it only while the customer's journey still holds a pending wait with this
 * `timerId` (same journey, version and stage); otherwise the journey has moved on and the event is
 * ignored. The timer service should derive the envelope `id` from `timerId`, so a wait that fires twice
 * after a crash is deduplicated like any other event, and set `time` to when it fired (`dueAt` is when
 * it was due; the difference is the scheduling lag).
 */
export const TimerFiredData = z
  .looseObject({
    journey: Name.describe('The journey id.'),
    journeyVersion: JourneyVersion.describe('The journey version the customer is on.'),
    timerId: identifier(256).describe('Identifies the wait; unique per customer, journey and state entry.'),
    stage: Name.describe('The state path the wait belongs to, dot-separated (`checkIn`, `trial.reminder`).'),
    delay: Name.describe('The `after` key as written in the journey (`P3D`, `PT30S`, `5000`).'),
    dueAt: Timestamp.describe('When the wait was due.'),
  })
  .describe('Internal, written by the timer service: a durable wait of a journey came due.');
export type TimerFiredData = z.infer<typeof TimerFiredData>;
