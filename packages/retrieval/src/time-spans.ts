/**
 * One end of a window. `floating` marks a month or day named without a year ("May", "March 5th"): its
 * year is chosen later, from the other end of a range or as the most recent one at the reference.
 */
export interface Anchor {
  from: number;
  to: number;
  floating: { month: number; day: number | null; modifier: string | null } | null;
}

/** A window found in a text, with where its words are. */
export interface Found {
  /** Where the words removed from `text` start (a leading "in", "during the", "before"...). */
  spanStart: number;
  /** Where the window's own words start. */
  index: number;
  end: number;
  text: string;
  /** The window, set once ranges are merged and prepositions read (0 until then). */
  from: number;
  to: number;
  start: Anchor;
  last: Anchor | null;
}
