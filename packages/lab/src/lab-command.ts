/** `cloudsync lab`: placeholder until the steps land. */
export async function runLabCommand(_opts: { dir: string; ip: string; tenant: string; down?: boolean }) {
  return 1;
}
