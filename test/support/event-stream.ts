import { get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** A Server-Sent Events stream read with Node's own HTTP client, as a browser's EventSource would. */
export interface EventStream {
  status: number;
  headers: IncomingHttpHeaders;
  events: ServerSentEvent[];
  comments: string[];
  retry: number | null;
  ended: Promise<void>;
  /** Resolves with the first event (already received or still to come) that matches. */
  waitFor(match: (event: ServerSentEvent) => boolean, timeoutMs?: number): Promise<ServerSentEvent>;
  close(): void;
}

export function openStream(
  port: number,
  cookie?: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/events',
        headers: { accept: 'text/event-stream', ...headers, ...(cookie ? { cookie } : {}) },
      },
      (res: IncomingMessage) => {
        const waiters: Array<() => void> = [];
        let buffer = '';
        const stream: EventStream = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          events: [],
          comments: [],
          retry: null,
          ended: new Promise((done) => res.on('close', () => done())),
          waitFor(match, timeoutMs = 10_000) {
            return new Promise((found, fail) => {
              const timer = setTimeout(
                () =>
                  fail(
                    new Error(
                      `no matching event within ${timeoutMs} ms: ${JSON.stringify(stream.events)}`,
                    ),
                  ),
                timeoutMs,
              );
              const check = (): boolean => {
                const event = stream.events.find(match);
                if (!event) return false;
                clearTimeout(timer);
                found(event);
                return true;
              };
              if (!check()) waiters.push(() => void check());
            });
          },
          close() {
            req.destroy();
          },
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) stream.comments.push(line.slice(1).trim());
              else if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
              else if (line.startsWith('retry: ')) stream.retry = Number(line.slice(7));
            }
            if (data.length > 0) stream.events.push({ event, data: data.join('\n') });
          }
          for (const waiter of [...waiters]) waiter();
        });
        res.on('error', () => undefined);
        resolve(stream);
      },
    );
    req.on('error', reject);
  });
}
