import { lexicalWords, type MemoryRecord } from '@neuromem/core';

/** Speakers (memory roles) the query names as whole words, lower-case. Generic roles never count. */
export function namedSpeakers(query: string, records: readonly MemoryRecord[]): Set<string> {
  const lower = ` ${query.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const named = new Set<string>();
  for (const role of rolesOf(records)) {
    if (GENERIC_ROLES.has(role)) continue;
    const words = role.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (words && lower.includes(` ${words} `)) named.add(role);
  }
  return named;
}

/**
 * The query without the speakers it names (and their possessive "'s"), or the query itself when no
 * content word would remain ("Who is Carmen?" is about the name).
 */
export function withoutNames(query: string, named: ReadonlySet<string>): string {
  let text = query;
  for (const role of named) {
    const words = role.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) continue;
    const name = words.join('[^\\p{L}\\p{N}]+');
    text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${name}(?:['’]s)?(?![\\p{L}\\p{N}])`, 'giu'), ' ');
  }
  if (text === query || lexicalWords(text).length === 0) return query;
  return text.replace(/\s+/g, ' ').trim();
}

const GENERIC_ROLES = new Set(['user', 'assistant', 'system', 'tool', 'human', 'ai']);

/** Roles a chat gives its assistant's own turns. */
const ASSISTANT_ROLES = new Set(['assistant', 'ai', 'system', 'tool']);
/** Roles a chat gives the person it serves. */
const USER_ROLES = new Set(['user', 'human']);
/** The user speaking of themself: "what is my job?", "where did I park?". */
const FIRST_PERSON = /(?<![\p{L}\p{N}'’])(?:i|me|my|mine|myself)(?![\p{L}\p{N}])/iu;

/**
 * The speakers a query is about: those it names (`namedSpeakers`), and, when the user asks in the
 * first person, the user. A question to an assistant says "my job", not "Ada's job", so it names
 * nobody, and every memory then scored as if the question were about someone else. The user is the
 * `user` role, or, beside an assistant's turns, every other speaker (a chat stored with the user's
 * name as the role). Between two named people without an assistant, "I" could be either, so it
 * counts for no one.
 */
export function speakersMeant(query: string, records: readonly MemoryRecord[]): Set<string> {
  const meant = namedSpeakers(query, records);
  if (!FIRST_PERSON.test(query)) return meant;
  const roles = rolesOf(records);
  const withAssistant = [...roles].some((role) => ASSISTANT_ROLES.has(role));
  for (const role of roles) if (USER_ROLES.has(role) || (withAssistant && !GENERIC_ROLES.has(role))) meant.add(role);
  return meant;
}

/** The memories' speakers (roles), lower-case, each once. */
function rolesOf(records: readonly MemoryRecord[]): Set<string> {
  return new Set(records.map((r) => r.role?.toLowerCase()).filter((r): r is string => !!r));
}
