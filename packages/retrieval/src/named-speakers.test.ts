import type { MemoryRecord } from '@neuromem/core';
import { namedSpeakers, speakersMeant, withoutNames } from './named-speakers';

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

describe('speakersMeant', () => {
  it('should take a first-person question to a chat as being about its user', () => {
    expect(speakersMeant('What is my job?', [said('user'), said('assistant')])).toEqual(new Set(['user']));
    expect(speakersMeant('Where did I park?', [said('user')])).toEqual(new Set(['user']));
    // A chat stored with the user's name as the role: everyone but the assistant is the user.
    expect(speakersMeant('How old is my child?', [said('Priya'), said('Assistant')])).toEqual(new Set(['priya']));
  });

  it('should keep the speakers a query names, and count no one for "I" between two named people', () => {
    expect(speakersMeant('What did Carmen tell me?', [said('Carmen'), said('Jamal')])).toEqual(new Set(['carmen']));
    expect(speakersMeant('What is my job?', [said('Carmen'), said('Jamal')])).toEqual(new Set());
  });

  it('should read "I" and "my" only as whole words, and leave third-person questions as they were', () => {
    const chat = [said('user'), said('assistant')];
    expect(speakersMeant('What is the mileage of the Mini?', chat)).toEqual(new Set());
    expect(speakersMeant("What is Ada's job?", chat)).toEqual(new Set());
    expect(speakersMeant("What's a myth about Iceland's mines?", chat)).toEqual(new Set());
    expect(speakersMeant("I'm moving: when does the lease start?", chat)).toEqual(new Set(['user']));
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
