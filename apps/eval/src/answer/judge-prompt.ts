/**
 * The "J" (LLM-as-a-judge) metric of the Mem0 paper: Mem0's `ACCURACY_PROMPT`, copied verbatim from
 * mem0ai/mem0 `evaluation/metrics/llm_judge.py` (commit 2352a44193bd0e36cd544fc5664cbee14e020bc2),
 * curly quotes, trailing spaces and the leading and trailing newline included, so scores stay
 * comparable with published J numbers. Mem0 sends it as the only (user) message at temperature 0
 * and scores 1 exactly when the returned JSON label is "CORRECT".
 */

export type JudgeLabel = 'CORRECT' | 'WRONG';

// Four lines end in a space in the original; keep them (editors set to trim whitespace would not).
export const JUDGE_PROMPT_TEMPLATE = `
Your task is to label an answer to a question as ’CORRECT’ or ’WRONG’. You will be given the following data:
    (1) a question (posed by one user to another user), 
    (2) a ’gold’ (ground truth) answer, 
    (3) a generated answer
which you will score as CORRECT/WRONG.

The point of the question is to ask about something one user should know about the other user based on their prior conversations.
The gold answer will usually be a concise and short answer that includes the referenced topic, for example:
Question: Do you remember what I got the last time I went to Hawaii?
Gold answer: A shell necklace
The generated answer might be much longer, but you should be generous with your grading - as long as it touches on the same topic as the gold answer, it should be counted as CORRECT. 

For time related questions, the gold answer will be a specific date, month, year, etc. The generated answer might be much longer or use relative time references (like "last Tuesday" or "next month"), but you should be generous with your grading - as long as it refers to the same date or time period as the gold answer, it should be counted as CORRECT. Even if the format differs (e.g., "May 7th" vs "7 May"), consider it CORRECT if it's the same date.

Now it's time for the real question:
Question: {question}
Gold answer: {gold_answer}
Generated answer: {generated_answer}

First, provide a short (one sentence) explanation of your reasoning, then finish with CORRECT or WRONG. 
Do NOT include both CORRECT and WRONG in your response, or it will break the evaluation script.

Just return the label CORRECT or WRONG in a json format with the key as "label".
`;

/** Fills the template in one pass, like Python's `str.format`, so an answer containing "{question}" stays as written. */
export function formatJudgePrompt(input: { question: string; goldAnswer: string; generatedAnswer: string }): string {
  const values: Record<string, string> = { question: input.question, gold_answer: input.goldAnswer, generated_answer: input.generatedAnswer };
  return JUDGE_PROMPT_TEMPLATE.replace(/\{(question|gold_answer|generated_answer)\}/g, (_, key: string) => values[key]!);
}

/**
 * Reads the judge's verdict. Mem0 parses the JSON and crashes on anything else; local models often
 * wrap it in code fences or prose, or drop the JSON, so: the "label" of the last JSON object, else
 * the last upper-case CORRECT or WRONG word (the prompt asks to finish with it). Undefined when
 * neither is there; the caller decides what that scores.
 */
export function parseJudgeLabel(text: string): JudgeLabel | undefined {
  // Reasoning models put their deliberation, which may mention both labels, in <think> blocks.
  const reply = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  const objects = reply.match(/\{[^{}]*\}/g) ?? [];
  for (const candidate of objects.reverse()) {
    const label = labelOf(candidate);
    if (label) return label;
  }
  const words = reply.match(/\b(?:CORRECT|WRONG)\b/g);
  return words ? (words.at(-1) as JudgeLabel) : undefined;
}

function labelOf(json: string): JudgeLabel | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null) return undefined;
    const label = (value as { label?: unknown }).label;
    if (typeof label !== 'string') return undefined;
    const upper = label.trim().toUpperCase();
    return upper === 'CORRECT' || upper === 'WRONG' ? upper : undefined;
  } catch {
    return undefined;
  }
}
