import { registerMailApp } from './register.js';
import { startMailDemo } from './server.js';

/** `cloudsync demo mail`: registers the app when no client id is given, then serves until Ctrl-C. */
export async function runMailDemo(options: {
  cloudUrl: string;
  port: number;
  clientId?: string;
}): Promise<void> {
  const demoUrl = `http://127.0.0.1:${options.port}`;
  const clientId = options.clientId ?? (await registerMailApp({ demoUrl }));
  const loopback = /^http:\/\/(127\.|localhost|\[::1\])/.test(options.cloudUrl);
  const demo = await startMailDemo({
    cloudUrl: options.cloudUrl,
    clientId,
    port: options.port,
    allowInsecure: loopback,
  });
  process.stdout.write(`Mail demo at ${demo.url} (client ${clientId}); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await demo.close();
}
