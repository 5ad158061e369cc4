import { formatJudgePrompt, JUDGE_PROMPT_TEMPLATE, parseJudgeLabel } from './judge-prompt';

describe('JUDGE_PROMPT_TEMPLATE', () => {
  it("should keep Mem0's text byte for byte, curly quotes and trailing spaces included", () => {
    expect(JUDGE_PROMPT_TEMPLATE.startsWith('\nYour task is to label an answer to a question as ’CORRECT’ or ’WRONG’.')).toBe(true);
    expect(JUDGE_PROMPT_TEMPLATE.endsWith('Just return the label CORRECT or WRONG in a json format with the key as "label".\n')).toBe(true);
    expect(JUDGE_PROMPT_TEMPLATE.split('\n').filter((line) => line.endsWith(' '))).toHaveLength(4);
    expect(JUDGE_PROMPT_TEMPLATE).toHaveLength(1657);
  });
});

describe('formatJudgePrompt', () => {
  it('should fill the question, gold answer and generated answer once each', () => {
    const prompt = formatJudgePrompt({ question: 'When did Mel paint?', goldAnswer: '7 May 2023', generatedAnswer: 'On {question} $& day' });
    expect(prompt).toContain('Question: When did Mel paint?\nGold answer: 7 May 2023\nGenerated answer: On {question} $& day\n');
    expect(prompt).not.toContain('{gold_answer}');
  });
});

describe('parseJudgeLabel', () => {
  it('should read the label of a JSON reply, fenced or not, in any case', () => {
    expect(parseJudgeLabel('{"label": "CORRECT"}')).toBe('CORRECT');
    expect(parseJudgeLabel('```json\n{ "label": "WRONG" }\n```')).toBe('WRONG');
    expect(parseJudgeLabel('{"label": " correct "}')).toBe('CORRECT');
  });

  it('should prefer the JSON label over words in the explanation', () => {
    expect(parseJudgeLabel('The gold answer says WRONG city but this matches. {"label": "CORRECT"}')).toBe('CORRECT');
  });

  it('should fall back to the last CORRECT or WRONG word when there is no JSON', () => {
    expect(parseJudgeLabel('It names the same date, so: CORRECT')).toBe('CORRECT');
    expect(parseJudgeLabel('Not CORRECT at all; the label is WRONG.')).toBe('WRONG');
    expect(parseJudgeLabel('label: "WRONG"')).toBe('WRONG');
  });

  it('should not read INCORRECT or lower-case prose as a label', () => {
    expect(parseJudgeLabel('This is INCORRECT.')).toBeUndefined();
    expect(parseJudgeLabel('that would be correct')).toBeUndefined();
  });

  it('should ignore what a reasoning model says inside <think>', () => {
    expect(parseJudgeLabel('<think>CORRECT? no, {"label": "CORRECT"} is wrong</think>\n{"label": "WRONG"}')).toBe('WRONG');
    expect(parseJudgeLabel('<think>maybe WRONG</think>')).toBeUndefined();
  });

  it('should give undefined for a reply with no verdict', () => {
    expect(parseJudgeLabel('')).toBeUndefined();
    expect(parseJudgeLabel('{"label": "MAYBE"}')).toBeUndefined();
  });
});
