import { useState } from 'react';
import { api } from '../../api/client.js';
import type { AttributeMapping, MappingSource, ObjectType } from '../../api/types.js';
import { Field } from '../../components/form-parts.js';
import { TableHead } from '../../components/list-parts.js';
import { ErrorText } from '../../components/ui.js';

interface PreviewRow {
  ok: boolean;
  target: string;
  value?: unknown;
  valueOnCreation?: unknown;
  ignored?: boolean;
  message?: string;
  pointer?: string;
}

const SAMPLE: Record<ObjectType, string> = {
  user: JSON.stringify(
    {
      givenName: 'Bobby',
      sn: 'Tables',
      displayName: 'Bobby Tables',
      sAMAccountName: 'bobby',
      userPrincipalName: 'bobby@corp.example.test',
      mail: 'bobby@corp.example.test',
      department: 'Sales',
      userAccountControl: 512,
      domainFQDN: 'corp.example.test',
      domainNetBios: 'CORP',
    },
    null,
    2,
  ),
  group: JSON.stringify(
    { cn: 'Sales', displayName: 'Sales', sAMAccountName: 'sales', groupType: -2147483646 },
    null,
    2,
  ),
  contact: JSON.stringify(
    { cn: 'Partner Pat', displayName: 'Partner Pat', mail: 'pat@partner.test' },
    null,
    2,
  ),
};

const sourceText = (s: MappingSource) =>
  s.kind === 'attribute' ? s.name : s.kind === 'expression' ? s.expression : s.value;
const withText = (kind: MappingSource['kind'], text: string): MappingSource =>
  kind === 'attribute'
    ? { kind, name: text }
    : kind === 'expression'
      ? { kind, expression: text }
      : { kind, value: text };

/**
 * Attribute mappings of one object type: target, source (attribute, expression or constant), when it
 * applies; and a preview of every mapping against a sample object, run by the cloud's sync engine.
 */
export function MappingEditor(props: {
  objectType: ObjectType;
  mappings: AttributeMapping[];
  onChange(next: AttributeMapping[]): void;
  error?: unknown;
}) {
  const { objectType, mappings } = props;
  const [sample, setSample] = useState(SAMPLE[objectType]);
  const [preview, setPreview] = useState<PreviewRow[]>();
  const [previewError, setPreviewError] = useState<unknown>();
  const update = (i: number, m: AttributeMapping) =>
    props.onChange(mappings.map((x, j) => (j === i ? m : x)));
  const runPreview = async () => {
    setPreviewError(undefined);
    setPreview(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(sample);
    } catch {
      setPreviewError(
        new Error('The sample object is not valid JSON: write it as { "attribute": "value" }.'),
      );
      return;
    }
    try {
      const res = await api<{ value: PreviewRow[] }>('POST', '/v1.0/cloudsync/mappingPreview', {
        objectType,
        mappings,
        sample: parsed,
      });
      setPreview(res.value);
    } catch (err) {
      setPreviewError(err);
    }
  };
  const rowError = (i: number) => {
    const e = props.error;
    return e instanceof Error && 'target' in e && String(e.target).startsWith(`mappings.${objectType}[${i}]`)
      ? e
      : undefined;
  };
  return (
    <div className="mappings">
      <table>
        <caption>Attribute mappings of {objectType}s (AD → cloud)</caption>
        <thead>
          <tr>
            <th scope="col">Target attribute</th>
            <th scope="col">Source kind</th>
            <th scope="col">Source (attribute, expression or constant)</th>
            <th scope="col">Applies</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {mappings.map((m, i) => {
            const err = rowError(i);
            const rowId = `map-${objectType}-${i.toString()}`;
            return (
              <tr key={rowId}>
                <td>
                  <input
                    aria-label={`Target attribute ${i + 1}`}
                    value={m.target}
                    onChange={(e) => update(i, { ...m, target: e.target.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Source kind of ${m.target}`}
                    value={m.source.kind}
                    onChange={
                      (e) =>
                        update(i, {
                          ...m,
                          source: withText(e.target.value as MappingSource['kind'], sourceText(m.source)),
                        }) // one of the options
                    }
                  >
                    <option value="attribute">Attribute</option>
                    <option value="expression">Expression</option>
                    <option value="constant">Constant</option>
                  </select>
                </td>
                <td>
                  <input
                    className={m.source.kind === 'expression' ? 'code' : undefined}
                    aria-label={`Source of ${m.target}`}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `${rowId}-err` : undefined}
                    value={sourceText(m.source)}
                    onChange={(e) => update(i, { ...m, source: withText(m.source.kind, e.target.value) })}
                  />
                  <ErrorText error={err} id={`${rowId}-err`} />
                </td>
                <td>
                  <select
                    aria-label={`When ${m.target} applies`}
                    value={m.applyWhen}
                    onChange={(e) =>
                      update(i, {
                        ...m,
                        applyWhen: e.target.value === 'always' ? 'always' : 'objectCreationOnly',
                      })
                    }
                  >
                    <option value="always">Always</option>
                    <option value="objectCreationOnly">On creation only</option>
                  </select>
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove mapping of ${m.target}`}
                    onClick={() => props.onChange(mappings.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() =>
          props.onChange([
            ...mappings,
            { target: '', source: { kind: 'attribute', name: '' }, applyWhen: 'always' },
          ])
        }
      >
        Add mapping
      </button>
      <Field id={`sample-${objectType}`} label={<>Sample {objectType} (AD attributes as JSON)</>}>
        <textarea
          id={`sample-${objectType}`}
          className="code"
          rows={8}
          value={sample}
          onChange={(e) => setSample(e.target.value)}
          aria-describedby={previewError ? `sample-${objectType}-err` : undefined}
        />
        <ErrorText error={previewError} id={`sample-${objectType}-err`} />
      </Field>
      <button type="button" onClick={() => void runPreview()}>
        Preview mappings
      </button>
      {preview ? (
        <table>
          <caption>Preview of the {objectType} mappings against the sample</caption>
          <TableHead columns={['Target', 'Result']} />
          <tbody>
            {preview.map((p, i) => (
              <tr key={`${p.target}-${i.toString()}`} className={p.ok ? undefined : 'row-error'}>
                <th scope="row">{p.target}</th>
                <td>
                  {p.ok ? (
                    p.ignored ? (
                      <em>not sent (empty)</em>
                    ) : (
                      <code>{JSON.stringify(p.value)}</code>
                    )
                  ) : (
                    <span className="error">
                      {p.message}
                      {p.pointer ? <pre>{p.pointer}</pre> : null}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
