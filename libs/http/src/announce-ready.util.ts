/** Tells a parent launcher (`npm start`) that this app listens, so it can print the summary last. */
export function announceReady(app: string, url: string): void {
  console.log(`${app} listening on ${url}`);
  process.send?.({ type: 'ready', app });
}
