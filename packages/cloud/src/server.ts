import { buildCloudApp, type CloudApp } from './app.js';
import { type CloudFlags, loadConfig } from './config.js';

/** A listening cloud. */
export interface RunningCloud {
  cloud: CloudApp;
  /** The address it listens on (`http(s)://host:port`). */
  url: string;
  close(): Promise<void>;
}

/**
 * Loads the configuration, builds the cloud and listens.
 * @example
 *   const running = await startCloudServer({ port: 0 });
 */
export async function startCloudServer(
  flags: CloudFlags = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningCloud> {
  const config = loadConfig({ env, flags });
  const cloud = await buildCloudApp({ config });
  try {
    const url = await cloud.app.listen({ host: config.host, port: config.port });
    cloud.app.log.info(
      { url, publicUrl: config.publicUrl, store: config.databaseUrl ? 'postgresql' : config.sqliteFile },
      'cloudsync cloud is listening',
    );
    return { cloud, url, close: () => cloud.close() };
  } catch (err) {
    await cloud.close();
    throw err;
  }
}

/** `cloudsync cloud serve`: runs until SIGINT or SIGTERM, then closes cleanly. */
export async function runServe(flags: CloudFlags): Promise<void> {
  const running = await startCloudServer(flags);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.cloud.app.log.info('stopping');
      running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
