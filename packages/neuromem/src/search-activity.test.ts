import { createSearchActivity } from './search-activity';

const search = (userId: string, at: number) => ({ userId, at, query: `${userId} at ${at}`, resultIds: [] });

describe('createSearchActivity', () => {
  it("should give a user's latest search, before and after the ring wraps, and none once it is gone", () => {
    const activity = createSearchActivity(3);
    expect(activity.latestOf('alice')).toBeUndefined();
    activity.record(search('alice', 1));
    activity.record(search('bob', 2));
    activity.record(search('alice', 3));
    expect(activity.latestOf('alice')?.at).toBe(3);
    activity.record(search('bob', 4));
    activity.record(search('bob', 5));
    // The ring holds 3, 4 and 5 now.
    expect(activity.latestOf('alice')?.at).toBe(3);
    expect(activity.latestOf('bob')?.at).toBe(5);
    activity.record(search('carol', 6));
    expect(activity.latestOf('alice')).toBeUndefined();
    expect(activity.since(3).map((entry) => entry.at)).toEqual([4, 5, 6]);
  });
});
