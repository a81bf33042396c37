/**
 * Service-level targets in business hours of the desk's calendar (weekdays 10:00–18:00 Tokyo).
 * One business day to a first answer, five to a resolution.
 */
export const SLA_TARGET_HOURS = { firstResponse: 8, resolution: 40 } as const;
