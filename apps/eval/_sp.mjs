// apps/eval/_sp.ts
import { performance } from "node:perf_hooks";
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { createMemory } from "neuromem";

// apps/eval/src/scale/scale-workload.ts
import { createErrorFactory } from "@neuromem/core";
import { createRandom } from "@neuromem/core/testing";

// apps/eval/src/scale/scale-vocabulary.ts
var PEOPLE = [
  "Alice",
  "Bob",
  "Carmen",
  "Deepak",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kemi",
  "Luca",
  "Mina",
  "Noah",
  "Olga",
  "Priya",
  "Quentin",
  "Rosa",
  "Sami",
  "Tomas",
  "Uma",
  "Viktor",
  "Wen",
  "Ximena",
  "Yusuf",
  "Zara",
  "Aisha",
  "Bruno",
  "Chloe",
  "Dmitri",
  "Esther",
  "Felix",
  "Gita",
  "Hannah",
  "Ivan",
  "Jun",
  "Keiko",
  "Leila",
  "Marco",
  "Nadia"
];
var RELATIONS = ["sister", "brother", "cousin", "neighbour", "coworker", "roommate", "aunt", "uncle", "best friend", "manager", "landlord", "dentist"];
var PLACES = [
  "Lisbon",
  "Kyoto",
  "Nairobi",
  "Berlin",
  "Toronto",
  "Oaxaca",
  "Reykjavik",
  "Marrakesh",
  "Hanoi",
  "Valparaiso",
  "Tbilisi",
  "Krakow",
  "the bakery",
  "the office",
  "the gym",
  "the library",
  "the lake house",
  "the farmers market",
  "the clinic",
  "the climbing hall",
  "the train station",
  "the community garden",
  "the record shop",
  "the night market",
  "the hardware store",
  "the old harbour",
  "the pottery studio",
  "the school gate",
  "the swimming pool",
  "the cinema",
  "the ramen place",
  "the botanical garden"
];
var OBJECTS = [
  "a red bicycle",
  "the quarterly report",
  "a sourdough starter",
  "concert tickets",
  "a used camera",
  "the new laptop",
  "a birthday cake",
  "hiking boots",
  "a second-hand guitar",
  "the garden shed key",
  "a chess set",
  "running shoes",
  "a novel about whales",
  "the tax forms",
  "a cast iron pan",
  "a vintage record player",
  "noise cancelling headphones",
  "a tent for four people",
  "the spare car keys",
  "a box of watercolours",
  "a ceramic teapot",
  "a wool scarf",
  "a standing desk",
  "the passport renewal form",
  "a bag of coffee beans",
  "a telescope",
  "a sewing machine",
  "a kayak paddle",
  "the wedding invitations",
  "a blue raincoat",
  "a packet of tomato seeds",
  "a board game about trains",
  "a phone charger",
  "the library card",
  "a pair of skis",
  "a drone",
  "an electric kettle",
  "a yoga mat",
  "the project proposal",
  "a winter jacket"
];
var VERBS = ["bought", "sold", "lost", "found", "fixed", "borrowed", "painted", "returned", "ordered", "forgot", "wrapped", "repaired", "packed", "lent out", "picked up", "dropped off"];
var ACTIVITIES = [
  "jazz piano",
  "pottery",
  "marathon training",
  "vegan cooking",
  "astronomy",
  "learning Portuguese",
  "board games",
  "rock climbing",
  "photography",
  "gardening",
  "chess openings",
  "bird watching",
  "salsa dancing",
  "woodworking",
  "sailing",
  "knitting",
  "trail running",
  "calligraphy",
  "baking bread",
  "open water swimming",
  "stand-up comedy",
  "beekeeping",
  "learning Japanese",
  "cycling tours"
];
var FEELINGS = ["loves", "hates", "is curious about", "is tired of", "wants to learn", "keeps talking about", "is nervous about", "got really into", "gave up on", "is saving money for"];
var TIMES = [
  "yesterday",
  "last Tuesday",
  "this morning",
  "two weeks ago",
  "over the weekend",
  "in March",
  "after work",
  "last summer",
  "on Friday night",
  "before the holidays",
  "during lunch",
  "three days ago",
  "last month",
  "on her birthday",
  "early on Sunday",
  "in the autumn"
];
var FUTURE_TIMES = ["next week", "in June", "after the exams", "this weekend", "next spring", "on Thursday", "before the wedding", "in two months"];
var REASONS = [
  "because it was on sale",
  "since the old one broke",
  "as a surprise for a friend",
  "to prepare for the trip",
  "after a long debate",
  "on a whim",
  "because the deadline moved",
  "to save some money",
  "after reading the reviews",
  "because the doctor suggested it"
];
var MOODS = ["honestly", "to be fair", "funny enough", "sadly", "luckily", "as usual", "believe it or not", "if I remember right"];
var capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1);
var CLAUSES = [
  ({ pick }) => `${capitalize(pick(TIMES))} ${pick(PEOPLE)} and I ${pick(VERBS)} ${pick(OBJECTS)} at ${pick(PLACES)}.`,
  ({ pick }) => `My ${pick(RELATIONS)} ${pick(PEOPLE)} ${pick(FEELINGS)} ${pick(ACTIVITIES)} and talks about it constantly.`,
  ({ pick, number }) => `We spent ${number(2, 9)} hours doing ${pick(ACTIVITIES)} near ${pick(PLACES)} ${pick(TIMES)}.`,
  ({ pick, number }) => `${pick(PEOPLE)} ${pick(VERBS)} ${pick(OBJECTS)} for ${number(5, 480)} dollars ${pick(REASONS)}.`,
  ({ pick, number }) => `${pick(PEOPLE)} is planning to visit ${pick(PLACES)} ${pick(FUTURE_TIMES)} with ${number(2, 6)} friends.`,
  ({ pick }) => `${capitalize(pick(MOODS))}, I ${pick(VERBS)} ${pick(OBJECTS)} ${pick(REASONS)}.`,
  ({ pick, number }) => `The ${pick(ACTIVITIES)} class at ${pick(PLACES)} starts at ${number(6, 11)} pm and costs ${number(10, 90)} dollars.`,
  ({ pick }) => `I told ${pick(PEOPLE)} that ${pick(PEOPLE)} ${pick(FEELINGS)} ${pick(ACTIVITIES)} now.`,
  ({ pick }) => `Remind me to ask ${pick(PEOPLE)} about ${pick(OBJECTS)} ${pick(FUTURE_TIMES)}.`,
  ({ pick, number }) => `${pick(PEOPLE)} ran ${number(3, 42)} kilometres from ${pick(PLACES)} to ${pick(PLACES)} ${pick(TIMES)}.`,
  ({ pick }) => `${pick(PEOPLE)} moved to ${pick(PLACES)} ${pick(TIMES)} and ${pick(FEELINGS)} ${pick(ACTIVITIES)}.`,
  ({ pick, number }) => `We booked a table for ${number(2, 12)} at ${pick(PLACES)} ${pick(FUTURE_TIMES)}.`
];
var QUESTIONS = [
  ({ pick }) => `What did ${pick(PEOPLE)} buy at ${pick(PLACES)}?`,
  ({ pick }) => `Who ${pick(FEELINGS)} ${pick(ACTIVITIES)}?`,
  ({ pick }) => `When did I go to ${pick(PLACES)} with ${pick(PEOPLE)}?`,
  ({ pick }) => `How much did ${pick(OBJECTS)} cost?`,
  ({ pick }) => `Where is ${pick(PEOPLE)} planning to travel ${pick(FUTURE_TIMES)}?`,
  ({ pick }) => `What does my ${pick(RELATIONS)} think about ${pick(ACTIVITIES)}?`,
  ({ pick }) => `Why did ${pick(PEOPLE)} get ${pick(OBJECTS)}?`,
  ({ pick }) => `Which class at ${pick(PLACES)} was about ${pick(ACTIVITIES)}?`
];

// apps/eval/src/scale/scale-workload.ts
var PROBE_USER = "probe";
var MIN_TURN_WORDS = 15;
var MAX_TURN_WORDS = 30;
var fail = createErrorFactory("eval");
var MINUTE = 6e4;
var HOUR = 60 * MINUTE;
var START = Date.UTC(2024, 0, 1);
function createScaleWorkload({ seed, users: users2, sessionTurns }) {
  const textRandom = createRandom(streamSeed(seed, 0));
  const userRandom = createRandom(streamSeed(seed, 1));
  const vocabulary = vocabularyOf(textRandom);
  const latestRun = /* @__PURE__ */ new Map();
  let sessions = 0;
  let clock = START;
  const turn = () => {
    clock += MINUTE;
    return { content: chatTurn(vocabulary), timestamp: clock };
  };
  const startSession = () => {
    clock = Math.ceil((clock + 1) / HOUR) * HOUR - MINUTE;
  };
  return {
    *probeSessions(memories) {
      for (let done = 0, index = 0; done < memories; index++) {
        startSession();
        const size = Math.min(sessionTurns, memories - done);
        yield { userId: PROBE_USER, runId: `${PROBE_USER}-s${index}`, turns: Array.from({ length: size }, turn) };
        done += size;
      }
    },
    nextSession(maxTurns = sessionTurns) {
      const user = sessions % users2;
      const runId = `s${sessions}`;
      sessions += 1;
      latestRun.set(user, runId);
      startSession();
      return { userId: userName(user), runId, turns: Array.from({ length: Math.min(sessionTurns, maxTurns) }, turn) };
    },
    continuation() {
      const active = Math.min(users2, sessions);
      if (active === 0) throw fail("INVALID_INPUT", "continuation() needs a session first: call nextSession().");
      const user = Math.floor(userRandom() * active);
      return { userId: userName(user), runId: latestRun.get(user), turns: [turn()] };
    },
    turn,
    queries(count, stream = "timed") {
      const random = createRandom(streamSeed(seed, stream === "timed" ? 2 : 3));
      const questions = vocabularyOf(random);
      const active = Math.max(1, Math.min(users2, sessions));
      return Array.from({ length: count }, () => ({ userId: userName(Math.floor(random() * active)), text: questions.pick(QUESTIONS)(questions) }));
    },
    get activeUsers() {
      return Math.min(users2, sessions);
    },
    get sessions() {
      return sessions;
    }
  };
}
var userName = (index) => `user-${index}`;
var wordCount = (text) => text.split(/\s+/).filter(Boolean).length;
function chatTurn(vocabulary) {
  for (; ; ) {
    const clauses = [];
    let words = 0;
    while (words < MIN_TURN_WORDS) {
      const clause = vocabulary.pick(CLAUSES)(vocabulary);
      clauses.push(clause);
      words += wordCount(clause);
    }
    if (words <= MAX_TURN_WORDS) return clauses.join(" ");
  }
}
function vocabularyOf(random) {
  return {
    pick: (items) => items[Math.floor(random() * items.length)],
    number: (min, max) => min + Math.floor(random() * (max - min + 1))
  };
}
function streamSeed(seed, stream) {
  let h = Math.imul(seed ^ 2654435769, 2246822507) ^ Math.imul(stream + 1, 3266489909);
  h = Math.imul(h ^ h >>> 16, 2146121005);
  return (h ^ h >>> 15) >>> 0;
}

// apps/eval/_sp.ts
var users = 100;
var workload = createScaleWorkload({ seed: 42, users, sessionTurns: 20 });
for (let i = 0; i < users; i++) workload.nextSession();
var m = await createMemory({ path: process.env.STORE, trackAccess: false });
var qs = workload.queries(Number(process.env.Q ?? 800));
for (const q of qs.slice(0, 300)) await m.search(q.text, { userId: q.userId, limit: 10 });
var session = new Session();
session.connect();
if (process.env.PROF) {
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
}
var times = [];
for (let r = 0; r < Number(process.env.R ?? 1); r++) for (const q of qs) {
  const t = performance.now();
  await m.search(q.text, { userId: q.userId, limit: 10 });
  times.push(performance.now() - t);
}
if (process.env.PROF) {
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(process.env.PROF, JSON.stringify(profile));
}
times.sort((a, b) => a - b);
console.log("n", times.length, "p50", times[times.length >> 1].toFixed(2), "p95", times[Math.floor(times.length * 0.95)].toFixed(2), "mean", (times.reduce((a, b) => a + b) / times.length).toFixed(2));
await m.close();
