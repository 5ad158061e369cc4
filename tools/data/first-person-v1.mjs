// Writes apps/eval/data/first-person-v1.json: a user telling an assistant about their life, in
// LoCoMo format. Hand-written for NeuroMem (CC0 1.0), a probe of the regime the LoCoMo-derived sets
// miss: one person's first-person facts, a small store, questions in the first person. Run:
//   node tools/data/first-person-v1.mjs
import { fileURLToPath } from 'node:url';
import { ASSISTANT, writeFirstPersonSet } from './first-person-set.mjs';

const A = ASSISTANT;
/**
 * Each conversation: the user, sessions of [speaker, text, label?], questions [question, answer,
 * labels, category]. Category 5 (LoCoMo's adversarial) marks a question about something the user
 * never said: no answer, no evidence (a gate should find nothing relevant).
 */
const conversations = [
  {
    id: 'fp-01',
    user: 'Ada',
    sessions: [
      [
        '9:12 am on 6 January, 2025',
        [
          ['Ada', 'Morning! Quick thing before work: can you remind me how long to boil an egg for a runny yolk?'],
          [A, 'About six minutes from boiling water, then straight into cold water.'],
          ['Ada', 'Perfect. Biscuit is staring at me like he has never been fed in his life.', 'biscuit-name'],
          [A, 'Who is Biscuit?'],
          ['Ada', 'My beagle. I adopted him from a shelter in Leeds last spring, he is three now.', 'beagle'],
          [A, 'He sounds like a character.'],
          ['Ada', 'He is. Anyway I have a night shift on the cardiac ward tonight, so I will be quiet for a bit.', 'nurse'],
          [A, 'Good luck with the shift.'],
        ],
      ],
      [
        '7:40 pm on 19 January, 2025',
        [
          ['Ada', "Long week. I finally booked the flight to Lisbon for my sister's wedding, it is on 14 June.", 'wedding'],
          [A, 'Congratulations to your sister! Do you need help planning the trip?'],
          ['Ada', 'Maybe later. I still need a dress and I refuse to wear anything pink.', 'no-pink'],
          ['Ada', 'Oh and my landlord finally fixed the boiler, so the flat is warm again.'],
          [A, 'That must be a relief.'],
          ['Ada', 'I celebrated with a big bowl of tonkotsu ramen, honestly my favourite meal in the world.', 'ramen'],
        ],
      ],
      [
        '8:05 pm on 2 February, 2025',
        [
          ['Ada', 'I started cello lessons again after ten years! Tuesday evenings with a teacher called Mrs Okafor.', 'cello'],
          [A, 'That is wonderful. How did the first lesson go?'],
          ['Ada', 'My fingers hurt but I loved it. Also I am allergic to penicillin, I just found out the hard way.', 'penicillin'],
          [A, 'I am sorry to hear that, I hope you are recovering.'],
          ['Ada', 'I am fine now. What should I cook tomorrow?'],
        ],
      ],
    ],
    qa: [
      ['What kind of pet do I own?', 'A beagle called Biscuit', ['beagle'], 4],
      ['What is my dog called?', 'Biscuit', ['biscuit-name', 'beagle'], 4],
      ['What do I do for a living?', 'A nurse on a cardiac ward (night shifts)', ['nurse'], 4],
      ['When is my sister getting married?', '14 June 2025', ['wedding'], 2],
      ['Where am I flying for the family celebration?', 'Lisbon', ['wedding'], 4],
      ['Which colour should my outfit avoid?', 'Pink', ['no-pink'], 4],
      ['What dish do I love most?', 'Tonkotsu ramen', ['ramen'], 4],
      ['Which instrument am I learning?', 'The cello', ['cello'], 4],
      ['Who teaches my music lessons?', 'Mrs Okafor', ['cello'], 4],
      ['Is there any medicine I should not be given?', 'Penicillin', ['penicillin'], 4],
      ['What car do I drive?', null, [], 5],
      ['Where did I grow up?', null, [], 5],
      ["What is my brother's name?", null, [], 5],
    ],
  },
  {
    id: 'fp-02',
    user: 'Tomasz',
    sessions: [
      [
        '6:30 pm on 3 March, 2025',
        [
          ['Tomasz', 'Hi. I need a packing list for a weekend in the mountains.'],
          [A, 'Sure. Layers, a rain jacket, sturdy boots, a head torch and snacks.'],
          ['Tomasz', 'Good. I drive an old green Volvo estate so there is plenty of room.', 'car'],
          ['Tomasz', 'My partner Ines will come too, she is a structural engineer so she will want to look at every bridge.', 'partner'],
          [A, 'Sounds like a fun trip.'],
          ['Tomasz', 'I have coeliac disease, so any snack ideas have to be gluten free.', 'coeliac'],
          [A, 'Rice cakes, nuts, dried fruit and cheese all travel well.'],
        ],
      ],
      [
        '10:15 am on 17 March, 2025',
        [
          ['Tomasz', 'Back from the trip. Ines twisted her ankle on the second day, but she is fine.', 'ankle'],
          [A, 'Glad she is fine. How was the rest of it?'],
          ['Tomasz', 'Great. We saw a golden eagle over the ridge, I nearly cried.'],
          ['Tomasz', 'I teach chemistry at a secondary school, so I have marking to catch up on now.', 'teacher'],
          [A, 'Good luck with the marking.'],
        ],
      ],
      [
        '9:00 pm on 1 April, 2025',
        [
          ['Tomasz', 'Big news, we signed the lease on a two-bedroom flat in Gdansk, we move on the first of May.', 'move'],
          [A, 'Congratulations! Do you want a moving checklist?'],
          ['Tomasz', 'Yes please. And remind me that the broadband company needs thirty days notice.', 'broadband'],
          ['Tomasz', 'My brother Piotr will lend us his van for the move.', 'van'],
          [A, 'That helps. Here is a checklist to start with.'],
        ],
      ],
    ],
    qa: [
      ['What car do I have?', 'An old green Volvo estate', ['car'], 4],
      ['What does my partner do for work?', 'She is a structural engineer', ['partner'], 4],
      ['Which foods can I not eat?', 'Anything with gluten (coeliac disease)', ['coeliac'], 4],
      ['Who got hurt on our mountain weekend?', 'Ines twisted her ankle', ['ankle'], 4],
      ['What subject do I teach?', 'Chemistry', ['teacher'], 4],
      ['Which city am I relocating to?', 'Gdansk', ['move'], 4],
      ['When do we get the keys to the new place?', 'The first of May', ['move'], 2],
      ['How much warning does my internet provider need?', 'Thirty days', ['broadband'], 4],
      ['Whose vehicle are we borrowing?', "His brother Piotr's van", ['van'], 4],
      ["What is my dog's name?", null, [], 5],
      ['Which instrument do I play?', null, [], 5],
      ['When is my birthday?', null, [], 5],
    ],
  },
  {
    id: 'fp-03',
    user: 'Priya',
    sessions: [
      [
        '8:20 am on 11 May, 2025',
        [
          ['Priya', 'Good morning. Can you help me write a polite email declining a meeting?'],
          [A, 'Of course. Who is it to, and why are you declining?'],
          ['Priya', 'My manager Derek. I already have a dentist appointment on Thursday at 3.', 'dentist'],
          [A, 'Here is a draft you can adapt.'],
          ['Priya', 'Thanks. I work in payroll at a logistics firm, these meetings are endless.', 'job'],
          ['Priya', 'I take the 7:40 train from Reading every morning, which does not help.', 'commute'],
        ],
      ],
      [
        '6:45 pm on 25 May, 2025',
        [
          ['Priya', 'Finished my first half marathon today! 2 hours 11 minutes.', 'half'],
          [A, 'Congratulations, that is a big achievement.'],
          ['Priya', 'Thank you! My knees disagree. My daughter Asha made me a medal out of cardboard.', 'daughter'],
          [A, 'That is lovely. How old is she?'],
          ['Priya', 'She turned seven in April.', 'asha-age'],
          ['Priya', 'Next goal is learning to swim properly, I never learned as a kid.', 'swim'],
        ],
      ],
      [
        '7:30 pm on 8 June, 2025',
        [
          ['Priya', 'We adopted two guinea pigs for Asha, Pepper and Salt.', 'guinea'],
          [A, 'Cute names! Do you need care tips?'],
          ['Priya', 'Please. Also I switched to oat milk, cow milk has been upsetting my stomach.', 'oat'],
          [A, 'Here are the basics for guinea pigs: hay, fresh vegetables, vitamin C, space.'],
          ['Priya', 'I am reading The Overstory for book club, it is slow but beautiful.', 'book'],
        ],
      ],
    ],
    qa: [
      ['When am I seeing the dentist?', 'Thursday at 3', ['dentist'], 2],
      ['What is my job?', 'Payroll at a logistics firm', ['job'], 4],
      ['How do I get to work?', 'The 7:40 train from Reading', ['commute'], 4],
      ['How long did my race take?', '2 hours 11 minutes', ['half'], 4],
      ['How old is my child?', 'Seven', ['asha-age'], 4],
      ['What skill am I hoping to pick up next?', 'Swimming properly', ['swim'], 4],
      ['What animals do we keep at home?', 'Two guinea pigs, Pepper and Salt', ['guinea'], 4],
      ['What do I put in my coffee these days?', 'Oat milk', ['oat'], 4],
      ['Which novel is my reading group on?', 'The Overstory', ['book'], 4],
      ['What car do I drive?', null, [], 5],
      ['Which country was I born in?', null, [], 5],
      ['What does my husband do for work?', null, [], 5],
    ],
  },
  {
    id: 'fp-04',
    user: 'Marcus',
    sessions: [
      [
        '11:00 am on 2 August, 2025',
        [
          ['Marcus', 'Hey. Can you convert 180 degrees Fahrenheit to Celsius?'],
          [A, 'That is about 82 degrees Celsius.'],
          ['Marcus', "Thanks, smoking a brisket in my backyard for my dad's sixtieth.", 'brisket'],
          ['Marcus', 'I am vegetarian myself, funnily enough, so I will not even taste it.', 'veg'],
          [A, 'That is generous of you.'],
          ['Marcus', 'I play bass in a funk band called The Loose Screws, we have a gig on Saturday.', 'band'],
        ],
      ],
      [
        '4:20 pm on 16 August, 2025',
        [
          ['Marcus', 'The gig went well. I sprained my wrist carrying the amp though.', 'wrist'],
          [A, 'Ouch. Rest it and ice it.'],
          ['Marcus', 'I will. Work is a nightmare, I am a paramedic and we are two people short.', 'paramedic'],
          ['Marcus', 'My cat Juniper keeps sleeping on my uniform.', 'cat'],
          [A, 'Cats love anything that smells of their person.'],
        ],
      ],
      [
        '9:10 pm on 30 August, 2025',
        [
          ['Marcus', 'I sold my motorbike. Too many close calls.', 'bike'],
          [A, 'That sounds like a sensible decision.'],
          ['Marcus', 'Now I cycle to the station, it is twenty minutes each way.', 'cycle'],
          ['Marcus', 'Also my twin sister Nadia just got into a law programme in Toronto.', 'nadia'],
          [A, 'Please pass on my congratulations.'],
        ],
      ],
    ],
    qa: [
      ['What am I cooking for the birthday party?', 'A smoked brisket', ['brisket'], 4],
      ['Do I eat meat?', 'No, he is vegetarian', ['veg'], 4],
      ['What do I play in my group?', 'Bass', ['band'], 4],
      ['What injury did I get after the show?', 'A sprained wrist', ['wrist'], 4],
      ['What is my profession?', 'Paramedic', ['paramedic'], 4],
      ['What is the name of my pet?', 'Juniper (a cat)', ['cat'], 4],
      ['What vehicle did I get rid of?', 'His motorbike', ['bike'], 4],
      ['How do I get to the station now?', 'By bicycle, twenty minutes', ['cycle'], 4],
      ['Where is my sibling going to study?', 'Toronto (law)', ['nadia'], 4],
      ['Where am I going on holiday this year?', null, [], 5],
      ['What is my favourite film?', null, [], 5],
      ['How many children do I have?', null, [], 5],
    ],
  },
  {
    id: 'fp-05',
    user: 'Lena',
    sessions: [
      [
        '7:55 am on 4 October, 2025',
        [
          ['Lena', 'Hi! What is a good stretch for a stiff lower back?'],
          [A, "Try cat-cow and child's pose, slowly, a few minutes each."],
          ['Lena', 'Thanks. I sit all day, I am a software tester at a bank.', 'tester'],
          ['Lena', 'I have a nut allergy so please never suggest almond anything.', 'nuts'],
          [A, 'Noted. I will keep suggestions nut-free.'],
          ['Lena', 'My husband Ravi is training for a triathlon, he is up at five every day.', 'ravi'],
        ],
      ],
      [
        '8:30 pm on 18 October, 2025',
        [
          ['Lena', 'We got back from Iceland yesterday! We saw the northern lights twice.', 'iceland'],
          [A, 'How wonderful! What was the highlight?'],
          ['Lena', 'The glacier hike. I bought a wool sweater I will wear until I die.'],
          ['Lena', 'I keep bees on the roof of our building, three hives now.', 'bees'],
          [A, 'That is unusual and lovely. Do you get much honey?'],
          ['Lena', 'About twenty jars a year.', 'honey'],
        ],
      ],
      [
        '6:00 pm on 1 November, 2025',
        [
          ['Lena', 'I have decided to learn Japanese before our trip to Osaka next spring.', 'japanese'],
          [A, 'Great goal. Shall I suggest a study plan?'],
          ['Lena', 'Yes. I can do thirty minutes at lunch.', 'lunch'],
          ['Lena', 'Oh and I got glasses for the first time, I am short-sighted apparently.', 'glasses'],
          [A, 'Here is a gentle plan for thirty minutes a day.'],
        ],
      ],
    ],
    qa: [
      ['Where do I work?', 'At a bank, as a software tester', ['tester'], 4],
      ['What am I allergic to?', 'Nuts', ['nuts'], 4],
      ['What sport is my spouse preparing for?', 'A triathlon', ['ravi'], 4],
      ['Where did we go on holiday?', 'Iceland', ['iceland'], 4],
      ['What insects do I look after?', 'Bees, three hives on the roof', ['bees'], 4],
      ['How much honey do I get each year?', 'About twenty jars', ['honey'], 4],
      ['Which language am I studying?', 'Japanese', ['japanese'], 4],
      ['Which city are we visiting in the spring?', 'Osaka', ['japanese'], 4],
      ['What is wrong with my eyesight?', 'Short-sighted; new glasses', ['glasses'], 4],
      ['What pet do I have?', null, [], 5],
      ['What car do I drive?', null, [], 5],
      ['Which instrument do I play?', null, [], 5],
    ],
  },
  {
    id: 'fp-06',
    user: 'Kofi',
    sessions: [
      [
        '12:30 pm on 7 December, 2025',
        [
          ['Kofi', 'Hello. How many grams of flour in a cup?'],
          [A, 'Roughly 120 grams of all-purpose flour.'],
          ['Kofi', 'Thanks, baking sourdough for the market stall I run on Saturdays.', 'stall'],
          ['Kofi', 'During the week I am an accountant, the bread is my escape.', 'accountant'],
          [A, 'A nice balance. What do you sell?'],
          ['Kofi', 'Mostly rye loaves and cinnamon buns.', 'buns'],
        ],
      ],
      [
        '5:15 pm on 21 December, 2025',
        [
          ['Kofi', 'My son Kwame lost his first tooth today, he is so proud.', 'tooth'],
          [A, 'A big day! How old is he?'],
          ['Kofi', 'Six. He wants to be an astronaut this week.', 'kwame-age'],
          ['Kofi', 'I am flying to Accra on the 28th to see my grandmother.', 'accra'],
          [A, 'Safe travels. Is it a long flight?'],
          ['Kofi', 'About six and a half hours from London.'],
        ],
      ],
      [
        '10:40 am on 5 January, 2026',
        [
          ['Kofi', 'Back home. My grandmother turned ninety while we were there.', 'ninety'],
          [A, 'What a milestone. How was the celebration?'],
          ['Kofi', 'Loud and wonderful. New year goal: run a 10k by June.', 'run'],
          ['Kofi', 'I hate running, so wish me luck. I do love swimming though.', 'swim'],
          [A, 'A couch-to-10k plan could help. Want one?'],
        ],
      ],
    ],
    qa: [
      ['What do I sell at the weekend?', 'Sourdough and baked goods (rye loaves, cinnamon buns) at a market stall', ['stall', 'buns'], 4],
      ['What is my day job?', 'Accountant', ['accountant'], 4],
      ['What happened to my boy recently?', 'He lost his first tooth', ['tooth'], 4],
      ['How old is my kid?', 'Six', ['kwame-age'], 4],
      ['Where am I travelling for the holidays?', 'Accra, to see his grandmother', ['accra'], 4],
      ['How old is my grandmother now?', 'Ninety', ['ninety'], 4],
      ['What fitness goal did I set?', 'Run a 10k by June', ['run'], 4],
      ['Which exercise do I enjoy?', 'Swimming', ['swim'], 4],
      ["What is my wife's name?", null, [], 5],
      ['What do I drive?', null, [], 5],
      ['Which football team do I support?', null, [], 5],
    ],
  },
];

writeFirstPersonSet(conversations, fileURLToPath(new URL('../../apps/eval/data/first-person-v1.json', import.meta.url)));
