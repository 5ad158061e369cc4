import type { MemoryRecord } from '@neuromem/core';
import { namedSpeakers, withoutNames } from './named-speakers';

const said = (role: string | null) => ({ role }) as MemoryRecord;

describe('namedSpeakers', () => {
  it('should find the speakers a query names, as whole words and whatever the case', () => {
    const records = [said('Carmen'), said('Jamal'), said('Carmen'), said(null)];
    expect(namedSpeakers('Which shift is carmen working?', records)).toEqual(new Set(['carmen']));
    expect(namedSpeakers('What did Carmenita say?', records)).toEqual(new Set());
  });

  it('should never count a generic role such as "user" or "assistant"', () => {
    expect(namedSpeakers('What did the user ask the assistant?', [said('user'), said('assistant')])).toEqual(new Set());
  });
});

describe('withoutNames', () => {
  it('should take the named speakers and their possessives out of the searched text', () => {
    expect(withoutNames("Which shift is Carmen working at Carmen's hospital?", new Set(['carmen']))).toBe('Which shift is working at hospital?');
    expect(withoutNames('What did Mary Ann and Jamal cook?', new Set(['mary ann', 'jamal']))).toBe('What did and cook?');
  });

  it('should keep the query whole when nothing but the name would be searched', () => {
    expect(withoutNames('Who is Carmen?', new Set(['carmen']))).toBe('Who is Carmen?');
    expect(withoutNames('Where does Zoë live?', new Set())).toBe('Where does Zoë live?');
  });

  it('should not take a name out of a longer word', () => {
    expect(withoutNames('Is Ann planning an annual trip?', new Set(['ann']))).toBe('Is planning an annual trip?');
  });
});
