// NDR's order for embedded pointers (DCE 1.1 ch. 14, as MIDL and pidl lay it out): a constructed
// type's scalars first, referent IDs in place; then each referent in the order the IDs appeared,
// each referent's own deferred referents right after that referent's scalars. Worked with an
// explicit stack so a long linked list (REPLENTINFLIST) cannot exhaust the call stack.

export type Deferred = () => void;

export class DeferralQueue {
  private current: Deferred[] | undefined;

  /** Queues `fn` in the innermost open scope, or runs it now if there is none. */
  defer(fn: Deferred): void {
    if (this.current) this.current.push(fn);
    else this.scope(fn);
  }

  /** Runs `scalars`, then drains every referent it queued, depth first. */
  scope(scalars: Deferred): void {
    const saved = this.current;
    const first: Deferred[] = [];
    this.current = first;
    try {
      scalars();
      const stack: { list: Deferred[]; next: number }[] = [{ list: first, next: 0 }];
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (!top || top.next >= top.list.length) {
          stack.pop();
          continue;
        }
        const fn = top.list[top.next++];
        const mine: Deferred[] = [];
        this.current = mine;
        fn?.();
        if (mine.length > 0) stack.push({ list: mine, next: 0 });
      }
    } finally {
      this.current = saved;
    }
  }
}
