const CITIES = ['Lisbon', 'Oslo', 'Kyoto', 'Denver', 'Nairobi', 'Lima'];
const JOBS = ['nurse', 'teacher', 'pilot', 'baker', 'lawyer', 'carpenter'];
const FOODS = ['ramen', 'pizza', 'tacos', 'curry', 'paella'];
const PETS = ['Rex', 'Biscuit', 'Luna', 'Max'];
const HOBBIES = ['kayaking', 'climbing', 'camping', 'sailing'];
const FRIENDS = ['Maria', 'Tomás', 'Aiko', 'Jonas', 'Priya'];

/** The kinds of statement `sleepFactText` makes: five facts that change, and one-off events. */
export const FACT_KINDS = ['home', 'job', 'food', 'phone', 'dog', 'outing'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/**
 * A statement from a small vocabulary of facts that change (where someone lives, their job, their
 * favourite food, phone number, dog), which the consolidation agent links, and of one-off events it
 * should leave alone; of the given kinds only (default all).
 */
export function sleepFactText(random: () => number, kinds: readonly FactKind[] = FACT_KINDS): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  switch (pick(kinds)) {
    case 'home':
      return `I live in ${pick(CITIES)} these days.`;
    case 'job':
      return `These days I work as a ${pick(JOBS)}.`;
    case 'food':
      return `My favourite food is ${pick(FOODS)}.`;
    case 'phone':
      return `My phone number is 555-0${String(Math.floor(random() * 1000)).padStart(3, '0')}.`;
    case 'dog':
      return `My dog is called ${pick(PETS)}.`;
    case 'outing':
      return `I went ${pick(HOBBIES)} with ${pick(FRIENDS)} last weekend.`;
  }
}
