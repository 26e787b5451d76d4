import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextUsnWatch, type UsnWatchState } from './usn-watch.js';

/** Runs polls of (usn, notified since the previous poll) from a fresh state; the reports. */
function run(polls: readonly [number, boolean][]): boolean[] {
  let state: UsnWatchState = { unexplained: false };
  return polls.map(([usn, notified]) => {
    const next = nextUsnWatch(state, BigInt(usn), notified);
    state = next.state;
    return next.report;
  });
}

test('the first poll only learns the USN; an unmoved USN reports nothing', () => {
  assert.deepEqual(
    run([
      [10, false],
      [10, false],
      [10, false],
    ]),
    [false, false, false],
  );
});

test('a move no notification explains is reported at the second poll that finds it', () => {
  assert.deepEqual(
    run([
      [10, false],
      [12, false],
      [12, false],
      [12, false],
    ]),
    [false, false, true, false],
  );
});

test('a notification arriving within one poll explains the move', () => {
  assert.deepEqual(
    run([
      [10, false],
      [12, false],
      [12, true],
      [12, false],
    ]),
    [false, false, false, false],
  );
});

test('a move while an earlier one is unexplained is reported with it, once', () => {
  assert.deepEqual(
    run([
      [10, false],
      [12, false],
      [15, false],
      [15, false],
      [16, false],
      [16, false],
    ]),
    [false, false, true, false, false, true],
  );
});

test('a USN that went back (a restored DC) is taken as the new start', () => {
  assert.deepEqual(
    run([
      [10, false],
      [5, false],
      [5, false],
    ]),
    [false, false, false],
  );
});
