// An authenticated DRSUAPI session: endpoint mapper → TCP → NTLM-sealed bind → IDL_DRSBind.
import { DrsrError } from '../errors.js';
import { NtlmClient, type NtlmCredentials, type NtlmEntropy } from '../ntlm/client.js';
import { RpcConnection, type RpcOptions } from '../rpc/connection.js';
import { resolvePort } from '../rpc/epm.js';
import { decodeBindResponse, encodeBindRequest, encodeUnbindRequest } from './bind.js';
import { DRS_EXT, DRSUAPI_SYNTAX, NAME_FORMAT, OP } from './constants.js';
import { type CrackedName, decodeCrackNamesResponse, encodeCrackNamesRequest } from './crack-names.js';
import { type DcInfo, decodeDcInfoResponse, encodeDcInfoRequest } from './dc-info.js';
import { decodeGetNcChangesResponse, type GetNcChangesReply } from './get-nc-changes-reply.js';
import { encodeGetNcChangesRequest, type GetNcChangesRequest } from './get-nc-changes-request.js';

export interface SessionOptions extends RpcOptions {
  host: string;
  /** DRSUAPI TCP port; asked of the endpoint mapper on 135 when omitted. */
  port?: number;
  credentials: NtlmCredentials;
  /** Fixed NTLM randomness, for replaying a captured exchange in tests only. */
  ntlmEntropy?: NtlmEntropy;
}

export class DrsuapiSession {
  private constructor(
    private readonly conn: RpcConnection,
    private readonly handle: Buffer,
    /** The NTLM exported session key: decrypts secret attributes. Zeroed by close(). */
    readonly sessionKey: Buffer,
    readonly serverExtensions: number,
  ) {}

  static async open(opts: SessionOptions): Promise<DrsuapiSession> {
    const port = opts.port ?? (await resolvePort(opts.host, DRSUAPI_SYNTAX, opts));
    const conn = await RpcConnection.connect(opts.host, port, opts);
    try {
      const ntlm = new NtlmClient(opts.credentials, `host/${opts.host}`, opts.ntlmEntropy);
      const sessionKey = await conn.bind(DRSUAPI_SYNTAX, ntlm);
      if (!sessionKey) throw new Error('NTLM bind returned no session key');
      const reply = decodeBindResponse(await conn.call(OP.bind, encodeBindRequest()));
      if (reply.status !== 0) {
        throw new DrsrError('drsr.rpc_fault', `IDL_DRSBind failed with error ${reply.status}`, {
          status: reply.status,
        });
      }
      if ((reply.serverExtensions & DRS_EXT.GETCHGREPLY_V6) === 0) {
        throw new DrsrError(
          'drsr.rpc_fault',
          'the DC does not offer GetNCChanges reply V6 (Windows Server 2003 or later is required)',
        );
      }
      return new DrsuapiSession(conn, reply.handle, sessionKey, reply.serverExtensions);
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  /** IDL_DRSCrackNames for one name. */
  async crackName(name: string, formatOffered: number, formatDesired: number): Promise<CrackedName> {
    const reply = await this.crackNames([name], formatOffered, formatDesired);
    const item = reply.items[0];
    if (reply.status !== 0 || !item) {
      throw new DrsrError('drsr.rpc_fault', `IDL_DRSCrackNames failed with error ${reply.status}`, {
        status: reply.status,
      });
    }
    return item;
  }

  /** IDL_DRSCrackNames for many names at once (each item carries its own status). */
  async crackNames(
    names: string[],
    formatOffered: number = NAME_FORMAT.NT4_ACCOUNT,
    formatDesired: number = NAME_FORMAT.FQDN_1779,
  ): Promise<{ items: CrackedName[]; status: number }> {
    const stub = encodeCrackNamesRequest(this.handle, { formatOffered, formatDesired, names });
    return decodeCrackNamesResponse(await this.conn.call(OP.crackNames, stub));
  }

  /** IDL_DRSDomainControllerInfo level 2 for a DNS domain name. */
  async domainControllers(dnsDomain: string): Promise<DcInfo[]> {
    const reply = decodeDcInfoResponse(
      await this.conn.call(OP.domainControllerInfo, encodeDcInfoRequest(this.handle, dnsDomain)),
    );
    if (reply.status !== 0) {
      throw new DrsrError('drsr.rpc_fault', `IDL_DRSDomainControllerInfo failed with error ${reply.status}`, {
        status: reply.status,
      });
    }
    return reply.items;
  }

  /** One IDL_DRSGetNCChanges round trip; the caller checks `status`. */
  async getNcChanges(req: GetNcChangesRequest): Promise<GetNcChangesReply> {
    return decodeGetNcChangesResponse(
      await this.conn.call(OP.getNcChanges, encodeGetNcChangesRequest(this.handle, req)),
    );
  }

  /** IDL_DRSUnbind (best effort), then closes the connection and zeroes the session key. */
  async close(): Promise<void> {
    try {
      await this.conn.call(OP.unbind, encodeUnbindRequest(this.handle));
    } catch {
      // The session is going away either way; an unbind failure changes nothing for the caller.
    } finally {
      this.conn.close();
      this.sessionKey.fill(0);
    }
  }
}
