import type { ProvisioningEntry } from '../api/types.js';

/** Offers `text` as a file download (a blob URL, revoked once clicked). */
export function download(fileName: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const csvCell = (v: string | null | undefined): string => {
  const s = v ?? '';
  // A leading = + - @ would be run as a formula by spreadsheets: quote it away (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Provisioning-log entries as CSV: one line per entry, modified properties as `name: old → new`. */
export function provisioningCsv(entries: readonly ProvisioningEntry[]): string {
  const head = [
    'activityDateTime',
    'status',
    'action',
    'identityType',
    'source',
    'target',
    'cycleId',
    'configurationId',
    'error',
    'modifiedProperties',
  ];
  const lines = entries.map((e) =>
    [
      e.activityDateTime,
      e.statusInfo.status,
      e.provisioningAction,
      e.sourceIdentity.identityType,
      e.sourceIdentity.displayName ?? e.sourceIdentity.id,
      e.targetIdentity.displayName ?? e.targetIdentity.id,
      e.cycleId,
      e.jobId,
      e.statusInfo.errorInformation?.reason ?? '',
      e.modifiedProperties
        .map((m) => `${m.displayName}: ${m.oldValue ?? ''} → ${m.newValue ?? ''}`)
        .join('; '),
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
