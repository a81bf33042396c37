import { normaliseTicketReference } from '@madoguchi/tickets';

/** What the recipients of a mail may name: the address kinds routing tries, in its order. */
export interface RecipientCandidates {
  /** `reply+<token>@…` addresses (any domain: the token is the secret). */
  replyAddresses: string[];
  /** Local parts at the inbound domain that may be a site's slug. */
  slugs: string[];
  /** Values a site's inbound alias may hold: whole addresses, and local parts at the inbound domain. */
  aliases: string[];
}

/** Recipients routing looks at: a mail to thousands of addresses is routed by the first few. */
export const MAX_RECIPIENTS_ROUTED = 50;

/**
 * The recipients in the order they count: the SMTP envelope (where the mail was delivered),
 * then To and Cc; lower-case, angle brackets off, duplicates and non-addresses dropped.
 */
export function recipientsInOrder(
  envelopeTo: readonly string[],
  headerTo: readonly string[],
): string[] {
  const seen = new Set<string>();
  for (const raw of [...envelopeTo, ...headerTo]) {
    const address = raw.trim().replace(/^<|>$/g, '').toLowerCase();
    if (/^[^\s@]{1,64}@[^\s@]{1,253}$/.test(address)) seen.add(address);
    if (seen.size >= MAX_RECIPIENTS_ROUTED) break;
  }
  return [...seen];
}

export function recipientCandidates(
  recipients: readonly string[],
  domain: string,
): RecipientCandidates {
  const ours = domain.toLowerCase();
  const candidates: RecipientCandidates = { replyAddresses: [], slugs: [], aliases: [] };
  for (const address of recipients) {
    const at = address.lastIndexOf('@');
    const localPart = address.slice(0, at);
    const atOurDomain = address.slice(at + 1) === ours;
    if (localPart.startsWith('reply+')) {
      candidates.replyAddresses.push(address);
      continue;
    }
    candidates.aliases.push(address);
    if (atOurDomain) {
      candidates.slugs.push(localPart);
      candidates.aliases.push(localPart);
    }
  }
  return candidates;
}

/** Ticket references in a subject (`Re: 【K7QM-3XHD】…`, full-width or lower case too), at most three. */
export function referencesInSubject(subject: string): string[] {
  const text = subject.normalize('NFKC').toUpperCase();
  const references = new Set<string>();
  for (const match of text.matchAll(/(?<![A-Z0-9])([A-Z0-9]{4})-([A-Z0-9]{4})(?![A-Z0-9])/g)) {
    const reference = normaliseTicketReference(`${match[1]}-${match[2]}`);
    if (reference !== null) references.add(reference);
    if (references.size >= 3) break;
  }
  return [...references];
}
