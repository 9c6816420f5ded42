import { z } from 'zod';
import { Name } from '../fields';

/** One line of an order; journeys match their `products` against `sku`. */
export const PurchaseItem = z.looseObject({
  sku: Name.describe('The product bought.'),
  name: z.string().optional().describe('Its display name.'),
});
export type PurchaseItem = z.infer<typeof PurchaseItem>;

/** `purchase.completed`: an order was placed; it ends nurture journeys for the products in it. */
export const PurchaseCompletedData = z
  .looseObject({
    orderId: Name.describe('The order, as the shop knows it.'),
    items: z.array(PurchaseItem).describe('What was bought (may be empty, e.g. for a gift card).'),
    amount: z.number().nonnegative().optional().describe('The order total, in the currency of the shop.'),
  })
  .describe('An order was placed; it ends journeys for the products in it.');
export type PurchaseCompletedData = z.infer<typeof PurchaseCompletedData>;
