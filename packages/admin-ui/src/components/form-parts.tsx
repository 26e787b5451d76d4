// Pieces the pages' forms share: a card form with its heading, a labelled checkbox, a status note.
import type { ReactNode } from 'react';

/** A form shown as a card, named by its heading; submitting it runs `onSubmit` (no page load). */
export function CardForm(props: { titleId: string; title: string; onSubmit(): void; children: ReactNode }) {
  return (
    <form
      className="card"
      aria-labelledby={props.titleId}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <h2 id={props.titleId}>{props.title}</h2>
      {props.children}
    </form>
  );
}

/** A checkbox with its label after it. */
export function Checkbox(props: {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange(checked: boolean): void;
}) {
  return (
    <div className="check">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={props.id}>{props.label}</label>
    </div>
  );
}

/**
 * What just went well, announced politely (role=status); renders nothing without children.
 * @example
 *   <StatusNote>{saved ? 'Saved.' : null}</StatusNote>
 */
export function StatusNote(props: { children?: ReactNode }) {
  if (!props.children) return null;
  return (
    <p role="status" className="ok">
      {props.children}
    </p>
  );
}

/** A labelled form control: `id` is the control's, so the label names it. */
export function Field(props: { id: string; label: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}
