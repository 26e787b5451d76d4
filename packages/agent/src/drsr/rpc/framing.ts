// Splits a TCP byte stream into DCE/RPC PDUs using each header's frag_length. A PDU is at most
// 65535 bytes by construction, so a hostile length cannot make this buffer grow without bound.
import { protocolError } from '../errors.js';
import { COMMON_HEADER_LENGTH } from './pdu.js';

export class PduFramer {
  private pending: Buffer = Buffer.alloc(0);

  /** Appends received bytes and returns every PDU now complete. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    while (this.pending.length >= COMMON_HEADER_LENGTH) {
      if (this.pending[0] !== 5) throw protocolError('the peer does not speak DCE/RPC (bad version byte)');
      const fragLength = this.pending.readUInt16LE(8);
      if (fragLength < COMMON_HEADER_LENGTH)
        throw protocolError(`RPC frag_length ${fragLength} is too small`);
      if (this.pending.length < fragLength) break;
      out.push(Buffer.from(this.pending.subarray(0, fragLength)));
      this.pending = this.pending.subarray(fragLength);
    }
    return out;
  }
}
