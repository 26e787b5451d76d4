import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cursorsOf, parseWatermark, toWatermark, usnVectorOf } from './watermark.js';

const DC = '37fa3f2a-a793-4ee3-89e1-e87c999b7239';

describe('watermark', () => {
  it('round-trips 64-bit USNs through JSON', () => {
    const big = 0xffff_ffff_ffffn;
    const w = toWatermark(DC, { highObjUpdate: big, reserved: 0n, highPropUpdate: big - 1n }, [
      { dsa: DC, usn: big },
    ]);
    const back = parseWatermark(JSON.stringify(w));
    assert.deepEqual(back, w);
    assert.deepEqual(usnVectorOf(back), { highObjUpdate: big, reserved: 0n, highPropUpdate: big - 1n });
    assert.deepEqual(cursorsOf(back), [{ dsa: DC, usn: big }]);
  });

  it('refuses what is not a watermark', () => {
    const good = toWatermark(DC, { highObjUpdate: 1n, reserved: 0n, highPropUpdate: 1n }, []);
    assert.throws(() => parseWatermark({ ...good, highObjUpdate: '-1' }));
    assert.throws(() => parseWatermark({ ...good, invocationId: 'not-a-guid' }));
    assert.throws(() => parseWatermark('{"truncated":'));
  });
});
