import { z } from 'zod';

export const CUSTOMER_STATUSES = ['prospect', 'customer', 'former-customer'] as const;

/** Where a person stands with the company; journeys may exclude a status (`audience.exclude`). */
export const CustomerStatus = z.enum(CUSTOMER_STATUSES);
export type CustomerStatus = z.infer<typeof CustomerStatus>;

/** `customer.status_changed`: the CRM moved the person to another status. */
export const CustomerStatusChangedData = z
  .looseObject({
    status: CustomerStatus.describe('The new status.'),
  })
  .describe('The CRM moved the person to another status.');
export type CustomerStatusChangedData = z.infer<typeof CustomerStatusChangedData>;
