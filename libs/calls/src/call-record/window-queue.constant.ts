/** The Twilio queue every caller of the window waits in, and agents dial with <Dial><Queue>. */
export const WINDOW_QUEUE_NAME = 'window';
