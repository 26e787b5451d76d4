import type { Configuration } from '../api/types.js';

/** One `<option>` a sync configuration: its id as the value, named by its domain. */
export function ConfigurationOptions(props: { configurations: readonly Configuration[] | undefined }) {
  return (props.configurations ?? []).map((c) => (
    <option key={c.id} value={c.id}>
      {c.domain.dnsName}
    </option>
  ));
}
