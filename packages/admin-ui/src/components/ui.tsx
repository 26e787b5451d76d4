// Small building blocks shared by the pages: headings that take focus, errors in words, fields.
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { ApiError, messageOf } from '../api/client.js';
import type { Loaded } from '../api/hooks.js';

/** A page: its heading takes the focus when the page opens, so screen readers announce it. */
export function Page(props: { title: string; actions?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    document.title = `${props.title} · cloudsync admin center`;
  }, [props.title]);
  return (
    <section aria-labelledby="page-title" className="page">
      <div className="page-head">
        <h1 id="page-title" ref={heading} tabIndex={-1}>
          {props.title}
        </h1>
        {props.actions ? <div className="actions">{props.actions}</div> : null}
      </div>
      {props.children}
    </section>
  );
}

/** An error in words, announced (role=alert); `id` lets the field it is about point at it. */
export function ErrorText(props: { error: unknown; id?: string; prefix?: string }) {
  if (!props.error) return null;
  const message = messageOf(props.error);
  const code = props.error instanceof ApiError ? ` (${props.error.code})` : '';
  return (
    <p className="error" role="alert" id={props.id}>
      {props.prefix ? `${props.prefix}: ` : ''}
      {message}
      {code}
    </p>
  );
}

/** Whether an API error is about this field (Graph's `target`). */
export function errorFor(error: unknown, field: string): unknown {
  return error instanceof ApiError && error.target && error.target.split(/[.[]/)[0] === field
    ? error
    : undefined;
}

/** A labelled text field with its error beside it. */
export function TextField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: unknown;
  hint?: string;
  readOnly?: boolean;
  readOnlyReason?: string;
  type?: string;
  required?: boolean;
  name?: string;
  autoComplete?: string;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const hint = props.readOnly ? props.readOnlyReason : props.hint;
  const described = [props.error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        readOnly={props.readOnly}
        required={props.required}
        autoComplete={props.autoComplete ?? 'off'}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {hint ? (
        <small id={hintId} className="hint">
          {hint}
        </small>
      ) : null}
      <ErrorText error={props.error} id={errorId} />
    </div>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p className="loading" aria-live="polite">
      Loading {props.what}…
    </p>
  );
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toLocaleString('en-GB', { timeZone: 'UTC' })} UTC`;
}

export function StatusBadge(props: { state: string }) {
  return <span className={`badge badge-${props.state.replace(/[^a-z]/gi, '')}`}>{props.state}</span>;
}

/**
 * The one object a page shows: why it could not be read (after `prefix`), that it is loading, or
 * `children` rendered with it.
 * @example
 *   <WhenLoaded loaded={user} what="the user" prefix="The user could not be read">{(u) => <Summary user={u} />}</WhenLoaded>
 */
export function WhenLoaded<T>(props: {
  loaded: Loaded<T>;
  what: string;
  prefix: string;
  children(data: T): ReactNode;
}) {
  const { data, error, loading } = props.loaded;
  return (
    <>
      <ErrorText error={error} prefix={props.prefix} />
      {data === undefined ? loading ? <Loading what={props.what} /> : null : props.children(data)}
    </>
  );
}
