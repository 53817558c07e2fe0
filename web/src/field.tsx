// One named value of a description list (`<dl>`): what a link, a summary or a payment says, one fact a row.

/** A `<dt>` name and its `<dd>` value; `mono` for addresses, hashes and ids. */
export function Field({ name, value, mono, testid }: { name: string; value: string; mono?: boolean; testid?: string }) {
  return (
    <div class="field" data-testid={testid}>
      <dt>{name}</dt>
      <dd class={mono ? "mono" : undefined}>{value}</dd>
    </div>
  );
}
