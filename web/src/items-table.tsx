// An invoice's items as the merchant listed them (its metadata, hashed into the signed invoice).
import type { InvoiceItem } from "../../protocol/links/metadata.ts";

/** The items table: name, quantity and price of each; nothing when there are none. */
export function ItemsTable({ items }: { items: readonly InvoiceItem[] }) {
  if (items.length === 0) return null;
  return (
    <table class="items">
      <caption>Items</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Qty</th>
          <th scope="col">Price</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.name}>
            <td>{item.name}</td>
            <td>{item.quantity}</td>
            <td>{item.price}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
