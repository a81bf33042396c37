const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** One calendar day in Tokyo (UTC+9 all year: Japan has no daylight saving time). */
export interface TokyoDay {
  /** `YYYY-MM-DD` */
  date: string;
  /** Midnight in Tokyo, as an instant. */
  start: Date;
  /** The next day's midnight in Tokyo (exclusive end). */
  end: Date;
}

/** The Tokyo day `at` falls in. */
export function tokyoDayOf(at: Date): TokyoDay {
  const shifted = at.getTime() + TOKYO_OFFSET_MS;
  const startShifted = shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS);
  return {
    date: new Date(startShifted).toISOString().slice(0, 10),
    start: new Date(startShifted - TOKYO_OFFSET_MS),
    end: new Date(startShifted - TOKYO_OFFSET_MS + DAY_MS),
  };
}

/** The Tokyo day before the one `at` falls in. */
export function previousTokyoDay(at: Date): TokyoDay {
  return tokyoDayOf(new Date(tokyoDayOf(at).start.getTime() - 1));
}

/** The hour (0–23) on a Tokyo clock at `at`. */
export function tokyoHourOf(at: Date): number {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).getUTCHours();
}
