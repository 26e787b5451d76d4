// DRSUAPI interface constants ([MS-DRSR] 4.1, 5.x).
import type { SyntaxId } from '../rpc/pdu.js';

export const DRSUAPI_SYNTAX: SyntaxId = { uuid: 'e3514235-4b06-11d1-ab04-00c04fc2dcd2', major: 4, minor: 0 };

export const OP = {
  bind: 0,
  unbind: 1,
  getNcChanges: 3,
  crackNames: 12,
  domainControllerInfo: 16,
} as const;

/** The client DSA GUID a non-DC client binds with ([MS-DRSR] 4.1.3.2, NTDSAPI_CLIENT_GUID). */
export const NTDSAPI_CLIENT_GUID = 'e24d201a-4fd6-11d1-a3da-0000f875ae0d';

/** DRS_EXTENSIONS_INT dwFlags bits ([MS-DRSR] 5.39). */
export const DRS_EXT = {
  BASE: 0x00000001,
  STRONG_ENCRYPTION: 0x00008000,
  GETCHGREQ_V6: 0x00400000,
  GETCHGREQ_V8: 0x01000000,
  GETCHGREPLY_V6: 0x04000000,
} as const;

/** What this client announces: enough for GetNCChanges request V8 / reply V6 with strong encryption. */
export const CLIENT_EXTENSIONS =
  DRS_EXT.BASE |
  DRS_EXT.STRONG_ENCRYPTION |
  DRS_EXT.GETCHGREQ_V6 |
  DRS_EXT.GETCHGREQ_V8 |
  DRS_EXT.GETCHGREPLY_V6;

/** DRS_OPTIONS for IDL_DRSGetNCChanges ([MS-DRSR] 5.41). */
export const DRS_OPT = {
  WRIT_REP: 0x00000010,
  INIT_SYNC: 0x00000020,
  PER_SYNC: 0x00000040,
  GET_ANC: 0x00000800,
  NEVER_SYNCED: 0x00200000,
} as const;

/** Flags for whole-NC replication, as the reference oracle sends them. */
export const NC_REPLICATION_FLAGS =
  DRS_OPT.INIT_SYNC | DRS_OPT.WRIT_REP | DRS_OPT.GET_ANC | DRS_OPT.NEVER_SYNCED | DRS_OPT.PER_SYNC;
/** Flags for a single-object EXOP_REPL_OBJ request. */
export const OBJECT_REPLICATION_FLAGS = DRS_OPT.INIT_SYNC | DRS_OPT.WRIT_REP;

/** EXOP_* extended operations ([MS-DRSR] 5.45). */
export const EXOP = { NONE: 0, REPL_OBJ: 6 } as const;
/** EXOP_ERR_SUCCESS: the extended operation did what was asked. */
export const EXOP_ERR_SUCCESS = 1;

/** DS_NAME_FORMAT values for IDL_DRSCrackNames ([MS-DRSR] 4.1.4.1.3). */
export const NAME_FORMAT = {
  FQDN_1779: 1,
  NT4_ACCOUNT: 2,
  UNIQUE_ID: 6,
  CANONICAL: 7,
  USER_PRINCIPAL: 8,
} as const;

/** Win32 errors that IDL_DRSGetNCChanges returns when the caller lacks replication rights. */
export const ERROR_DS_DRA_ACCESS_DENIED = 8453; // 0x2105
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_DS_DRA_BAD_DN = 8439;
export const ERROR_DS_CANT_FIND_EXPECTED_NC = 8440;

/** The largest reply the client asks the DC to build (bytes), as Samba's tools do. */
export const MAX_NDR_SIZE = 402116;
