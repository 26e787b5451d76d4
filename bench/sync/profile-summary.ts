// Reads a V8 CPU profile (`.cpuprofile`, from `node --cpu-prof` or the inspector) and prints where the
// time went: self time by function and by source area (our packages, each dependency, node, GC, idle).
//
//   node --import tsx bench/sync/profile-summary.ts <file.cpuprofile> [--top 30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The source area a frame belongs to: `cloud/sync-ingest`, `npm:kysely`, `node`, `(idle)`, … */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (npm) return `npm:${npm[1]}`;
  const ours = /packages\/([^/]+)\/src\/([^/]+)/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]?.replace(/\.ts$/, '')}`;
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^file:\/\/.*\/(bench|tests)\//, '$1/');
}

/** Self time (ms) by function and by area, over the whole profile. */
export function summarize(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const file = frame.url.replace(/^.*\/(node_modules|packages)\//, '');
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    functions: sorted(functions),
    areas: sorted(areas),
  };
}

/** Prints a summary of one profile. */
export function printSummary(title: string, profile: CpuProfile, top = 25): void {
  const s = summarize(profile);
  const busy = s.areas.filter(([a]) => a !== '(idle)').reduce((t, [, ms]) => t + ms, 0);
  console.log(`\n${title}: ${(s.wallMs / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy`);
  console.log('  by area (self time):');
  for (const [area, ms] of s.areas.slice(0, top))
    console.log(`    ${(ms / 1000).toFixed(2).padStart(7)} s  ${area}`);
  console.log('  by function (self time):');
  for (const [fn, ms] of s.functions.slice(0, top))
    console.log(`    ${(ms / 1000).toFixed(2).padStart(7)} s  ${fn}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '30' } },
  });
  for (const file of positionals) {
    // A .cpuprofile is V8's JSON; its shape is the one declared above.
    printSummary(file, JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top));
  }
}
