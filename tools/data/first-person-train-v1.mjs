// Writes apps/eval/data/first-person-train-v1.json: users telling an assistant about their lives, in
// LoCoMo format. Hand-written for NeuroMem (CC0 1.0) as TRAINING material for the "nothing relevant"
// gate (an answerability model) in the first-person regime. It is independent of first-person-v1
// (other people, sentences and questions), which stays a test set and is never fitted on. Run:
//   node tools/data/first-person-train-v1.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const A = 'Assistant';
/**
 * Each conversation: the user, sessions of [speaker, text, label?], questions [question, answer,
 * labels, category]. Category 5 (LoCoMo's adversarial) marks a question about something the user
 * never said: no answer, no evidence (a gate should find nothing relevant).
 */
const conversations = [
  {
    id: 'fpt-01',
    user: 'Ingrid',
    sessions: [
      [
        '10:05 am on 14 March, 2024',
        [
          [
            'Ingrid',
            'Hello. My granddaughter put you on this tablet for me. I taught at a primary school in Bergen for thirty-eight years before I retired last spring, so be patient with me.',
            'job',
          ],
          [A, 'Thirty-eight years of classrooms is quite a career. Retirement must feel very different.'],
          ['Ingrid', 'It is quiet. I live alone in a little wooden house in Sandviken, north of the harbour, since my husband Arne passed away.', 'home'],
          [A, 'I am sorry about Arne. Sandviken, with its old wooden houses, sounds like a lovely place.'],
          ['Ingrid', 'Could you give me a simple recipe for fish soup? Mine always had carrots, leeks and a good splash of cream.'],
          [
            A,
            'Of course: soften carrot, leek and celeriac in butter, add fish stock and simmer ten minutes, then add chunks of cod and salmon, the cream and chives, and keep it just below the boil for five minutes.',
          ],
          ['Ingrid', 'Trolla will be pleased, my grey Norwegian forest cat. She gets the skin of the salmon.', 'pet'],
          [A, 'A forest cat with salmon skin for supper: she is well looked after.'],
        ],
      ],
      [
        '3:40 pm on 2 May, 2024',
        [
          ['Ingrid', 'I have started Spanish lessons at the library on Wednesday evenings. My head is full of verbs.', 'language'],
          [A, 'Good for you! Regular verbs first, the irregular ones arrive later. Is there a reason for Spanish?'],
          ['Ingrid', 'In September I am flying to Seville with my daughter Sigrid for ten days.', 'trip'],
          [A, 'Seville in September is still hot, so plan the walking for the morning, rest in the afternoon, and book the Alcázar in advance.'],
          ['Ingrid', "How do I say 'where is the toilet'?"],
          [A, '¿Dónde está el baño? That one will serve you well.'],
          ['Ingrid', 'I knit every evening too; right now it is a sweater with a reindeer pattern for my grandson Emil.', 'knit'],
          [A, 'A reindeer sweater will make Emil the best-dressed boy in his class.'],
        ],
      ],
      [
        '8:20 pm on 9 October, 2024',
        [
          ['Ingrid', 'We are back from Spain, and now the doctor says my blood pressure is too high and I must cut down on salt.', 'health'],
          [A, 'Welcome back. Lemon, dill and pepper help a lot, and watch the salt hidden in bread, cheese and cured fish.'],
          ['Ingrid', 'Last week I sold the old Volvo; the bus takes me everywhere I need.', 'car'],
          [A, 'The bus is cheaper, and no more scraping ice off the windscreen.'],
          ['Ingrid', 'Before bed I am rereading Kristin Lavransdatter, my favourite book. I go back to it every winter.', 'book'],
          [A, 'A long book for long evenings. Sleep well.'],
        ],
      ],
    ],
    qa: [
      ['What did I do for a living before I stopped working?', 'I was a primary school teacher in Bergen, for thirty-eight years', ['job'], 4],
      ['Which part of town is my home in?', 'Sandviken, north of the harbour in Bergen', ['home'], 4],
      ['What breed is my pet?', 'a Norwegian forest cat (Trolla)', ['pet'], 4],
      ['When is my trip abroad?', 'in September 2024, ten days in Seville', ['trip'], 2],
      ['Which language am I learning?', 'Spanish', ['language'], 4],
      ['What am I making with my needles at the moment?', 'a sweater with a reindeer pattern for my grandson Emil', ['knit'], 4],
      ['What should I eat less of?', 'salt, because my blood pressure is too high', ['health'], 4],
      ['How do I get around town these days?', 'by bus; I sold my old Volvo', ['car'], 4],
      ['When did I part with my car?', 'the week before 9 October, 2024 (early October 2024)', ['car'], 2],
      ['In which month will my new language lessons be put to the test?', 'September 2024, on the trip to Seville', ['language', 'trip'], 1],
      ['How old is my dog?', null, [], 5],
      ['What does my son do for work?', null, [], 5],
      ['Which choir do I sing in?', null, [], 5],
      ['Which medicine do I take for my blood pressure?', null, [], 5],
    ],
  },
  {
    id: 'fpt-02',
    user: 'Rafael',
    sessions: [
      [
        '7:15 pm on 3 June, 2024',
        [
          ['Rafael', 'Long day. I drive the number 28 tram through Lisbon, mostly the early shift, and the tourists never stop.', 'job'],
          [A, 'The 28 must be one of the busiest routes in the city. How early does the shift start?'],
          ['Rafael', 'Five thirty. Anyway, I need ideas for a birthday party for two five-year-olds.'],
          [A, 'Pick one theme they both like, keep it to two hours, plan a treasure hunt and a craft table, and give each twin their own small cake so nobody has to share the candles.'],
          ['Rafael', 'Good idea about the cakes. Our twin girls, Inês and Marta, turn five on 21 June, and they fight about everything.', 'kids'],
          [A, 'Twins fighting about everything sounds normal. Separate cakes it is.'],
          ['Rafael', 'The party will be squeezed into our tiny rented flat in Graça, so maybe not the treasure hunt.', 'flat1'],
          [A, 'Then move the hunt to a nearby park or miradouro, and keep the flat for cake.'],
        ],
      ],
      [
        '10:30 am on 15 July, 2024',
        [
          ['Rafael', 'Can you suggest a dessert I can eat? I am lactose intolerant, so no milk or cream.', 'diet'],
          [A, 'Try an arroz doce made with rice milk, lemon peel and cinnamon; it works well without dairy.'],
          ['Rafael', 'My wife Joana will approve, she works as a dental hygienist and complains about sugar anyway.', 'wife'],
          [A, 'Then keep the sugar low and add more cinnamon.'],
          ['Rafael', 'Last month we bought a second-hand Renault Clio for the family, so the beach is finally reachable.', 'car'],
          [A, 'Congratulations! The beaches on the Caparica coast are much easier that way.'],
          ['Rafael', 'We are taking the girls to Tavira in the Algarve in August.', 'trip'],
          [A, 'Tavira is calm and good for children; the beach on Ilha de Tavira is a short ferry ride away.'],
        ],
      ],
      [
        '8:45 pm on 11 November, 2024',
        [
          ['Rafael', 'We finally moved! Our new apartment is in Almada, across the river, and it has a balcony.', 'flat2'],
          [A, 'Congratulations! A balcony with a view of Lisbon is a fine reward.'],
          ['Rafael', 'On Sundays I play the cavaquinho with friends at a tasca in Alfama, so the ferry back is my new routine.', 'music'],
          [A, 'A ferry crossing after an evening of music sounds like a good end to a week.'],
          ['Rafael', "What is the English word for 'saudade'? My colleague from Dublin asked me."],
          [A, "There is no exact one: 'longing' or 'wistful nostalgia' come closest."],
        ],
      ],
    ],
    qa: [
      ['What vehicle do I operate at work?', 'a tram, the number 28 in Lisbon', ['job'], 4],
      ['Where is my home at present?', 'Almada, across the river from Lisbon', ['flat2'], 4],
      ['How many daughters do I have?', 'two, the twins Inês and Marta', ['kids'], 4],
      ['When is the birthday of my kids?', '21 June', ['kids'], 2],
      ['What can my stomach not handle?', 'milk (I am lactose intolerant)', ['diet'], 4],
      ['What does my partner do for a living?', 'she is a dental hygienist', ['wife'], 4],
      ['When did we acquire our hatchback?', 'June 2024, the month before 15 July, 2024', ['car'], 2],
      ['Where are we spending our summer break?', 'Tavira, in the Algarve, in August', ['trip'], 4],
      ['Which instrument do I perform on at weekends?', 'the cavaquinho', ['music'], 4],
      ['How many people live in my household?', 'four: me, my wife Joana and our twin daughters', ['wife', 'kids'], 1],
      ['What is my son called?', null, [], 5],
      ['Which football club do I support?', null, [], 5],
      ['What kind of dog do we have?', null, [], 5],
      ['What did I study at university?', null, [], 5],
    ],
  },
  {
    id: 'fpt-03',
    user: 'Mei',
    sessions: [
      [
        '2:10 pm on 19 August, 2024',
        [
          ['Mei', "Hi! New semester starts today. I'm in third year of marine biology at Monash and already behind on readings.", 'study'],
          [A, 'Welcome back to the grind. Want help making a reading plan?'],
          ['Mei', 'Yes please, something I can actually stick to. I have about twelve papers this month.'],
          [A, 'Three papers a week, one per weekday morning with Friday as catch-up; write a three-line summary after each so they stay in your head.'],
          ['Mei', "Mornings might work. Weekends are gone anyway, I'm a barista at a café in Fitzroy.", 'job1'],
          [A, 'Then weekday mornings it is. The coffee will help too.'],
          ['Mei', "Pixel, my leopard gecko, is shedding this week, so she's grumpy and I'm checking her humidity every day.", 'pet'],
          [A, 'A humid hide with damp moss helps geckos shed cleanly, especially around the toes.'],
        ],
      ],
      [
        '11:48 pm on 30 September, 2024',
        [
          ['Mei', "Can't sleep. Give me a quick midnight snack idea? I've been vegan since I was sixteen.", 'diet'],
          [A, 'Peanut butter on toast with banana, or hummus with crackers: quick and plant-based.'],
          ['Mei', 'Toast it is. My forearms are wrecked from bouldering, I go three times a week at a gym in Collingwood.', 'sport'],
          [A, 'Rest days let the forearms recover, and gentle wrist stretches help too.'],
          ['Mei', "Also nervous: I'm presenting my seagrass research at a conference in Hobart on 12 November.", 'talk'],
          [A, 'Practise it out loud a few times; a talk you have said five times is much calmer.'],
        ],
      ],
      [
        '4:25 pm on 6 November, 2024',
        [
          ['Mei', 'Update: I quit the café last Friday. Now I tutor high-school biology online, way better hours.', 'job2'],
          [A, 'That sounds like a good change, and it suits your degree.'],
          ['Mei', 'My older sister Wen thinks so too. She lives in Taipei and works as a nurse, so she knows about bad hours.', 'sister'],
          [A, 'Nurses know shift work better than anyone.'],
          ['Mei', "I've had Mitski on repeat for months; her songs get me through slide-making.", 'music'],
          [A, 'Good music makes slide-making bearable. Good luck in Hobart next week!'],
        ],
      ],
    ],
    qa: [
      ['What subject am I studying?', 'marine biology, at Monash', ['study'], 4],
      ['What reptile do I keep?', 'a leopard gecko called Pixel', ['pet'], 4],
      ['What foods do I avoid?', 'all animal products: I am vegan', ['diet'], 4],
      ['What sport keeps me fit?', 'bouldering, three times a week in Collingwood', ['sport'], 4],
      ['Which city is my sibling based in?', 'Taipei', ['sister'], 4],
      ['What profession does my sibling have?', 'she is a nurse', ['sister'], 4],
      ['When am I giving my talk in Tasmania?', '12 November, 2024', ['talk'], 2],
      ['Which musician do I listen to most?', 'Mitski', ['music'], 4],
      ['How do I earn money at present?', 'I tutor high-school biology online', ['job2'], 4],
      ['When did I hand in my notice at the coffee shop?', 'Friday 1 November, 2024 (the Friday before 6 November)', ['job2'], 2],
      ['What is my brother called?', null, [], 5],
      ['What is my cat called?', null, [], 5],
      ['What make is my scooter?', null, [], 5],
      ['Which suburb was I born in?', null, [], 5],
    ],
  },
  {
    id: 'fpt-04',
    user: 'Amara',
    sessions: [
      [
        '6:30 am on 20 January, 2025',
        [
          ['Amara', "Morning. Before the traffic starts: I've been a senior architect at Okafor & Partners on Victoria Island for eight years, and today I present a hospital design.", 'job1'],
          [A, 'Good luck with the presentation! Do you want to rehearse the key points?'],
          ['Amara', 'Just give me three strong opening lines about designing for patients.'],
          [A, "Try: 'A hospital is where people are at their most fragile.' 'Every corridor here is a shorter walk for a nurse.' 'We designed for daylight, because daylight heals.'"],
          ['Amara', "Perfect. We live in Lekki Phase 1, so I'll rehearse them in the car for two hours.", 'home'],
          [A, 'Two hours of traffic is plenty of rehearsal time.'],
          ['Amara', "Our son Dayo is nine and obsessed with dinosaurs, he'll want to hear them too.", 'son'],
          [A, 'Then add a dinosaur somewhere and he will be your biggest fan.'],
        ],
      ],
      [
        '9:15 pm on 10 March, 2025',
        [
          ['Amara', "Dinner party on Saturday at a friend's. How do I politely say I can't eat prawns or crab? I carry an EpiPen for it.", 'allergy'],
          [A, "Tell the host a few days before, simply: 'I have a serious allergy to prawns and crab; I'm happy to bring a dish I can eat.' Hosts prefer knowing early."],
          ['Amara', 'My husband Tunde says I worry too much. He teaches economics at the University of Lagos and thinks everything is a cost-benefit question.', 'husband'],
          [A, 'A serious allergy is a good cost-benefit case for speaking up.'],
          ['Amara', "Ha. Also, Dayo's school play is on 21 March and he's the narrator, I need to make a costume.", 'play'],
          [A, 'A narrator can wear something simple: a waistcoat, a hat and a scroll made from brown paper.'],
        ],
      ],
      [
        '1:00 pm on 2 June, 2025',
        [
          ['Amara', 'Big change: last month I resigned and opened my own practice, Adeyemi Studio, with one partner.', 'job2'],
          [A, 'Congratulations! That is a brave and exciting step.'],
          ['Amara', 'Scary too. Tennis at the Ikoyi Club every Saturday morning keeps me sane.', 'tennis'],
          [A, 'Saturday tennis is a good way to keep the week in proportion.'],
          ['Amara', "My mother in Enugu keeps calling to ask whether I'm sure about this.", 'mother'],
          [A, 'Mothers worry. Tell her about the first client when it comes.'],
        ],
      ],
    ],
    qa: [
      ['Which company employs me now?', 'my own practice, Adeyemi Studio, which I opened with one partner', ['job2'], 4],
      ['Where is our family home?', 'Lekki Phase 1, in Lagos', ['home'], 4],
      ['What field does my spouse lecture in?', 'economics, at the University of Lagos', ['husband'], 4],
      ['What seafood must I stay away from?', 'prawns and crab (I carry an EpiPen)', ['allergy'], 4],
      ['Which racket sport fills my weekends?', 'tennis, at the Ikoyi Club on Saturday mornings', ['tennis'], 4],
      ['When is my boy performing on stage?', '21 March, 2025; he is the narrator in the school play', ['play'], 2],
      ['In which town does my mum reside?', 'Enugu', ['mother'], 4],
      ['What is my child crazy about?', 'dinosaurs', ['son'], 4],
      ['How long did I work at my previous firm before going independent?', 'eight years, at Okafor & Partners', ['job1', 'job2'], 1],
      ['When did I go out on my own?', 'May 2025, the month before 2 June, 2025', ['job2'], 2],
      ['What is my daughter called?', null, [], 5],
      ['What breed is my dog?', null, [], 5],
      ['Which language am I learning?', null, [], 5],
      ['Which university did I graduate from?', null, [], 5],
    ],
  },
  {
    id: 'fpt-05',
    user: 'Dmitri',
    sessions: [
      [
        '11:20 pm on 5 January, 2025',
        [
          ['Dmitri', "Can't sleep on the night crossing. I'm chief engineer on the car ferry between Tallinn and Helsinki, two weeks on, two weeks off.", 'job1'],
          [A, 'That rhythm must be hard on sleep. Want some tips for sleeping on a ship?'],
          ['Dmitri', 'Tell me, but nothing with pills.'],
          [A, 'Keep the cabin dark and cool, no screens for the last half hour, and the same wake-up time on board and at home.'],
          ['Dmitri', 'At home it is easier, my flat in Kalamaja is quiet, old wooden houses by the sea.', 'home'],
          [A, 'Kalamaja sounds like a good place to rest between shifts.'],
          ['Dmitri', "When I can't sleep I play chess online, my rating is around 1900.", 'chess'],
          [A, '1900 is strong. Maybe a slow game is better than blitz before bed.'],
        ],
      ],
      [
        '7:50 am on 17 February, 2025',
        [
          ['Dmitri', 'Report: I quit smoking on 1 February, after thirty years. Two weeks and two days now.', 'smoke'],
          [A, 'That is a real achievement. The first month is the hardest; cravings get shorter each week.'],
          ['Dmitri', 'My daughter Katja made me promise. She is in her first year of medicine in Tartu and sends me lung pictures.', 'daughter'],
          [A, 'A medical student with pictures is a strong argument.'],
          ['Dmitri', 'In summer I will reward myself at the cottage on Saaremaa, with the smoke sauna I built myself.', 'cottage'],
          [A, 'A smoke sauna is the only smoke allowed now.'],
        ],
      ],
      [
        '6:05 pm on 28 April, 2025',
        [
          ['Dmitri', 'News: from next month I start at the Baltic shipyard in Paljassaare. No more nights at sea.', 'job2'],
          [A, 'Congratulations! Regular hours will help the sleep too.'],
          ['Dmitri', 'I will celebrate with Stalker, the Tarkovsky film. My favourite, I have seen it twenty times.', 'film'],
          [A, 'A long film for the end of a long career at sea. Enjoy it.'],
          ['Dmitri', "How do you say 'shipyard' in Finnish? Half of my new colleagues are Finns."],
          [A, "Telakka. And 'engineer' is insinööri."],
        ],
      ],
    ],
    qa: [
      ['What position do I hold on the vessel?', 'chief engineer on the Tallinn-Helsinki car ferry', ['job1'], 4],
      ['Which part of Tallinn do I reside in?', 'Kalamaja', ['home'], 4],
      ['What is my child studying?', 'medicine, in her first year, in Tartu', ['daughter'], 4],
      ['Where is my holiday house?', 'on Saaremaa (a summer cottage with a smoke sauna)', ['cottage'], 4],
      ['Which board game occupies my evenings?', 'chess, online (rating about 1900)', ['chess'], 4],
      ['When did I give up cigarettes?', '1 February, 2025', ['smoke'], 2],
      ['Which movie do I love most?', 'Stalker, by Tarkovsky', ['film'], 4],
      ['Which employer am I moving to?', 'the Baltic shipyard in Paljassaare', ['job2'], 4],
      ['When does my new position begin?', 'May 2025, the month after 28 April, 2025', ['job2'], 2],
      ['What is my son studying?', null, [], 5],
      ['What breed is my dog?', null, [], 5],
      ['Which pollen gives me hay fever?', null, [], 5],
      ['What brand of guitar do I own?', null, [], 5],
    ],
  },
  {
    id: 'fpt-06',
    user: 'Sofía',
    sessions: [
      [
        '8:10 am on 5 August, 2024',
        [
          ['Sofía', "Good morning! Between farm visits today. I'm a vet for horses and cattle on the estancias around Mendoza.", 'job'],
          [A, 'Good morning! That sounds like a lot of driving. How can I help?'],
          ['Sofía', "I'm training for the Buenos Aires marathon on 22 September and need a long-run plan for the next six weeks.", 'marathon'],
          [A, 'Build the long run by 2 km a week up to 32 km three weeks out, then taper: 24, 18 and an easy 10 the week before.'],
          ['Sofía', 'And fuel? I have coeliac disease, so no regular gels with wheat syrup.', 'coeliac'],
          [A, 'Many gels are gluten-free, but check the labels; dates, rice cakes and bananas also work.'],
          ['Sofía', 'Dates I like. My own criollo mare, Tormenta, steals my bananas at the stable in Luján de Cuyo.', 'horse'],
          [A, 'A criollo mare with a taste for bananas sounds like a character.'],
        ],
      ],
      [
        '9:30 pm on 16 September, 2024',
        [
          ['Sofía', 'My girlfriend Lucía designs wine labels for bodegas and she made me a race shirt with a grape on it.', 'partner'],
          [A, 'That is a lovely good-luck gift. Six days to go!'],
          ['Sofía', "We're eating on the patio of the house we rent in Chacras de Coria, under the vines.", 'home'],
          [A, 'A dinner under the vines is good for the nerves before a race.'],
          ['Sofía', "My parents retired to a town in the hills of Córdoba and they're coming to watch the race.", 'parents'],
          [A, 'Having family at the finish line helps in the last kilometres.'],
        ],
      ],
      [
        '12:40 pm on 25 November, 2024',
        [
          ['Sofía', 'Lucía proposed at the finish line! The wedding is on 8 March.', 'wedding'],
          [A, 'Congratulations to you both! What a finish.'],
          ['Sofía', "We'll serve locro, it's my favourite dish since I was a child.", 'food'],
          [A, 'Locro for a wedding is warm and generous, and it is easy to keep it gluten-free by thickening it with squash.'],
          ['Sofía', 'Good point. Can you remind me to book the civil registry next Monday?'],
          [A, 'Noted: book the civil registry on Monday, 2 December.'],
        ],
      ],
    ],
    qa: [
      ['What kind of animals do I treat at work?', 'horses and cattle, on the estancias around Mendoza', ['job'], 4],
      ['What does my other half do professionally?', 'she designs wine labels for bodegas', ['partner'], 4],
      ['What is my horse called?', 'Tormenta, a criollo mare', ['horse'], 4],
      ['When is my big race?', '22 September, 2024 (the Buenos Aires marathon)', ['marathon'], 2],
      ['Which protein must I keep out of my food?', 'gluten (I have coeliac disease)', ['coeliac'], 4],
      ['Where have my mother and father settled?', 'in a town in the hills of Córdoba', ['parents'], 4],
      ['When am I getting married?', '8 March, 2025', ['wedding'], 2],
      ['What meal do I love most?', 'locro', ['food'], 4],
      ['Which neighbourhood is our home in?', 'Chacras de Coria (a rented house)', ['home'], 4],
      ['What does the person I am marrying do for work?', 'Lucía designs wine labels for bodegas', ['partner', 'wedding'], 1],
      ['What is my brother called?', null, [], 5],
      ['What is the name of my sheepdog?', null, [], 5],
      ['How many cats do we have at home?', null, [], 5],
      ['What is my blood type?', null, [], 5],
    ],
  },
  {
    id: 'fpt-07',
    user: 'Yusuf',
    sessions: [
      [
        '10:45 pm on 12 May, 2025',
        [
          ['Yusuf', "Still in the lab. I'm doing a PhD in chemistry at Leeds, on battery electrolytes, and the samples take forever.", 'study'],
          [A, 'Late nights come with the territory. Anything I can help with while you wait?'],
          ['Yusuf', 'Yes: yesterday I bought a steel road bike, a Genesis Croix de Fer. How often should I oil the chain?', 'bike'],
          [A, 'Every 300 km or so, and after any ride in the rain; wipe off the excess so it does not collect grit.'],
          ['Yusuf', 'In Izmir, where I grew up, it never rains like this, my chain would be fine.', 'origin'],
          [A, 'Yorkshire rain is a different sport. Mudguards are worth it.'],
          ['Yusuf', 'Good tip. My housemate wants a cat, but cats make my eyes swell and I sneeze for hours.', 'allergy'],
          [A, 'Then it is worth a talk with the housemate before anyone brings one home.'],
        ],
      ],
      [
        '3:20 pm on 30 June, 2025',
        [
          ['Yusuf', "I'm flying to Izmir on 14 July for my cousin's wedding. What's a good gift from England?", 'trip'],
          [A, 'Good tea, shortbread in a nice tin, or something from a Yorkshire maker: they travel well and are easy to pack.'],
          ['Yusuf', "I'll bring my oud too, I play in a little Turkish music group at the university and they will make me play.", 'oud'],
          [A, 'A wedding with live oud is a good wedding.'],
          ['Yusuf', "And I'll finally eat my mum's mantı, nothing in Leeds comes close.", 'food'],
          [A, 'Home food after a long time away is the best part of a trip.'],
        ],
      ],
      [
        '5:55 pm on 22 October, 2025',
        [
          ['Yusuf', 'I accepted a postdoc in Manchester, starting in January! Still on batteries.', 'job2'],
          [A, 'Congratulations! Manchester is an easy move by train.'],
          ['Yusuf', 'My brother Emre writes software for a startup in Berlin and says I should have gone to Germany.', 'brother'],
          [A, 'Brothers always have advice. Berlin will still be there for a visit.'],
          ['Yusuf', 'True. Remind me to send my thesis draft to my supervisor on Friday.'],
          [A, 'Noted: send the thesis draft to your supervisor on Friday, 24 October.'],
        ],
      ],
    ],
    qa: [
      ['What is the topic of my doctoral research?', 'battery electrolytes, in chemistry', ['study'], 4],
      ['In which city was I raised?', 'Izmir', ['origin'], 4],
      ['Where does my sibling work?', 'at a startup in Berlin, writing software', ['brother'], 4],
      ['What kind of bicycle did I purchase?', 'a steel road bike, a Genesis Croix de Fer', ['bike'], 4],
      ['When did I get my new bicycle?', '11 May, 2025 (the day before 12 May)', ['bike'], 2],
      ['What traditional instrument do I perform on?', 'the oud', ['oud'], 4],
      ['Which animals am I allergic to?', 'cats', ['allergy'], 4],
      ['When is my family celebration back home?', '14 July, 2025: my cousin’s wedding in Izmir', ['trip'], 2],
      ['Which dish cooked by my mother do I miss most?', 'mantı', ['food'], 4],
      ['Where is my postdoctoral position?', 'Manchester, starting in January 2026', ['job2'], 4],
      ['What is my sister called?', null, [], 5],
      ['What is the name of my girlfriend?', null, [], 5],
      ['What is my cat called?', null, [], 5],
      ['Which Premier League side do I cheer for?', null, [], 5],
    ],
  },
  {
    id: 'fpt-08',
    user: 'Hannah',
    sessions: [
      [
        '9:40 pm on 18 March, 2025',
        [
          ['Hannah', "Tax season. I'm an accountant at a credit union downtown and I haven't seen daylight in weeks.", 'job'],
          [A, 'Hang in there, April is close. Want a quick dinner idea for a tired evening?'],
          ['Hannah', "Please, something the kids will eat. I'm raising three on my own: Noah is 15, Ella 12 and Sam 8.", 'kids'],
          [A, 'Sheet-pan fajitas: chicken, peppers and onion on one tray, 25 minutes, and everyone builds their own.'],
          ['Hannah', 'Perfect. Maple, our golden retriever, will beg for the chicken; last week she ate a sock.', 'dog'],
          [A, 'Keep the socks and the chicken bones out of reach, then.'],
          ['Hannah', 'I get migraines when I skip sleep, and tax season is all skipping sleep. My doctor gave me triptans.', 'migraine'],
          [A, 'Then protect sleep where you can; even a fixed bedtime two nights a week helps.'],
        ],
      ],
      [
        '6:15 am on 5 May, 2025',
        [
          ['Hannah', "Tax season is over! Back to my women's hockey league on Tuesday nights, I play defence.", 'hockey'],
          [A, 'Congratulations on surviving April. Defence suits someone who guards the books all day.'],
          ['Hannah', "Ha. I'm planting the backyard garden this weekend, tomatoes and zucchini as usual.", 'garden'],
          [A, 'In Winnipeg it is safer to wait for the last frost, usually late May, before the tomatoes go out.'],
          ['Hannah', 'Also the minivan, a 2012 Honda Odyssey, makes a grinding noise when I brake.', 'car1'],
          [A, 'Grinding on braking usually means worn pads; get it checked soon.'],
        ],
      ],
      [
        '8:30 pm on 14 July, 2025',
        [
          ['Hannah', 'The van finally died, so on Saturday I bought a used Subaru Outback.', 'car2'],
          [A, 'A good choice for winters on the prairies.'],
          ['Hannah', 'We rent a cabin at Lake of the Woods from 3 August. What do I pack for three kids and a dog?', 'trip'],
          [A, "Life jackets, bug spray, sunscreen, a first-aid kit, rain gear, board games, and Maple's food and leash."],
          ['Hannah', "Thanks, I'll print that."],
          [A, 'Have a wonderful time at the lake.'],
        ],
      ],
    ],
    qa: [
      ['What line of work am I in?', 'accountant at a credit union downtown', ['job'], 4],
      ['How many children am I bringing up?', 'three: Noah (15), Ella (12) and Sam (8)', ['kids'], 4],
      ['What breed is our family pet?', 'a golden retriever, Maple', ['dog'], 4],
      ['Which position do I skate in?', "defence, in a women's hockey league", ['hockey'], 4],
      ['What vegetables grow in my yard?', 'tomatoes and zucchini', ['garden'], 4],
      ['What brings on my headaches?', 'skipping sleep (I get migraines)', ['migraine'], 4],
      ['What car do I drive at the moment?', 'a used Subaru Outback', ['car2'], 4],
      ['When did I replace my old vehicle?', 'Saturday 12 July, 2025', ['car2'], 2],
      ['When does our summer getaway begin?', '3 August, 2025', ['trip'], 2],
      ['How many people are going on our summer getaway, counting me?', 'four: me and my three kids (plus Maple the dog)', ['kids', 'trip'], 1],
      ['What is my husband called?', null, [], 5],
      ['Which instrument does my daughter play?', null, [], 5],
      ['What is my cat called?', null, [], 5],
      ['Which language am I learning?', null, [], 5],
    ],
  },
  {
    id: 'fpt-09',
    user: 'Kenji',
    sessions: [
      [
        '1:30 am on 9 December, 2024',
        [
          ['Kenji', "Just finished service. I'm sous-chef at an izakaya in Namba and my feet are dead.", 'job1'],
          [A, 'A long night on your feet. Time to rest, or something to wind down?'],
          ['Kenji', "I ride home on my Honda CB400 first, even in the rain. It's cold tonight.", 'bike'],
          [A, 'Ride carefully; wet roads at night are slippery, especially on painted lines.'],
          ['Kenji', 'Thursdays I play bass in a garage rock band, the only thing I do besides cooking.', 'band'],
          [A, 'Bass and cooking both need good timing.'],
          ['Kenji', 'My grandmother, who raised me on a dairy farm in Hokkaido, says the same about making butter.', 'grandma'],
          [A, 'She sounds like a wise woman.'],
        ],
      ],
      [
        '4:00 pm on 24 February, 2025',
        [
          ['Kenji', 'Saki and I fly to Copenhagen on 10 April to eat our way through the city. Which places are a must?', 'trip'],
          [A, 'Torvehallerne market for smørrebrød, a bakery for cardamom buns, and Reffen street food on a sunny day.'],
          ['Kenji', 'Saki will want the flowers too, she runs a flower shop in Tenma and has been my girlfriend for five years now.', 'partner'],
          [A, 'Then add the flower stalls on Israels Plads.'],
          ['Kenji', "Also, how do I say 'I'm allergic to peanuts' in Danish? Even a trace is dangerous for me.", 'allergy'],
          [A, "'Jeg er allergisk over for jordnødder.' Show it written down too, just in case."],
        ],
      ],
      [
        '11:10 pm on 4 May, 2025',
        [
          ['Kenji', "Big news: from this month I'm head chef, the owner finally retired and gave me the kitchen.", 'job2'],
          [A, 'Congratulations, chef! Well deserved.'],
          ['Kenji', 'On days off I still bake sourdough; my starter is four years old and has a name.', 'bread'],
          [A, 'A four-year-old starter is part of the family.'],
          ['Kenji', 'Give me a good word for a menu description of grilled mackerel?'],
          [A, "'Smoky', 'charred', 'glistening' or 'crisp-skinned' all work."],
        ],
      ],
    ],
    qa: [
      ['What is my current rank at the restaurant?', 'head chef (promoted from sous-chef)', ['job2'], 4],
      ['What kind of business does my partner own?', 'a flower shop in Tenma', ['partner'], 4],
      ['What motorcycle do I have?', 'a Honda CB400', ['bike'], 4],
      ['Which instrument do I handle in my group?', 'bass, in a garage rock band', ['band'], 4],
      ['Which food could make me seriously ill?', 'peanuts, even a trace', ['allergy'], 4],
      ['What do I make when I am not working?', 'sourdough bread', ['bread'], 4],
      ['When are we travelling to Denmark?', '10 April, 2025', ['trip'], 2],
      ['Who brought me up?', 'my grandmother, on a dairy farm in Hokkaido', ['grandma'], 4],
      ['Who is coming with me to Copenhagen, and what does she do?', 'Saki, my girlfriend, who runs a flower shop in Tenma', ['trip', 'partner'], 1],
      ['When did I get promoted?', 'May 2025', ['job2'], 2],
      ['What breed is my cat?', null, [], 5],
      ['What colour is my car?', null, [], 5],
      ['What does my sister do?', null, [], 5],
      ['Which gym do I go to?', null, [], 5],
    ],
  },
  {
    id: 'fpt-10',
    user: 'Aoife',
    sessions: [
      [
        '7:05 am on 8 September, 2025',
        [
          ['Aoife', 'Just back from Salthill, I swim there every morning, even in January. Freezing and glorious.', 'swim'],
          [A, 'That is a brave habit! A warm drink and a hat right after helps.'],
          ['Aoife', "Then off to open the shop. I've run my own pharmacy on Shop Street for twenty years.", 'job'],
          [A, 'Twenty years on one street; you must know half of Galway.'],
          ['Aoife', "Most of them. In the evenings I sing alto in the cathedral choir, we're learning the Fauré Requiem.", 'choir'],
          [A, 'The Fauré is beautiful, and the alto line suits a warm voice.'],
          ['Aoife', "Can you find me a word that means 'very tired' for a crossword, seven letters?"],
          [A, "'Drained' or 'wearied' fit seven letters."],
        ],
      ],
      [
        '8:50 pm on 17 November, 2025',
        [
          ['Aoife', 'Big news in the family: Niamh, our daughter, is getting married on 14 June in Clifden.', 'wedding'],
          [A, 'Congratulations! A Connemara wedding in June sounds lovely.'],
          ['Aoife', 'Her brother Cian is flying home from Sydney for it; he moved there two years ago and works as a physiotherapist.', 'son'],
          [A, 'It will be good to have the whole family together.'],
          ['Aoife', 'Declan, my husband, is a retired Garda sergeant; now he plays golf full-time and talks about speeches.', 'husband'],
          [A, 'A retired sergeant should give a good, short speech.'],
        ],
      ],
      [
        '6:40 pm on 12 January, 2026',
        [
          ['Aoife', "My left knee is giving out, I'm booked for surgery on 3 February.", 'knee'],
          [A, 'I hope it goes well. Keeping the muscles strong before surgery helps recovery.'],
          ['Aoife', 'Declan will have to look after the six hens in the back garden; they lay more eggs than we can eat.', 'hens'],
          [A, 'Then he can practise omelettes. Any film plans for the recovery?'],
          ['Aoife', "The Quiet Man, my favourite. I watch it every Christmas and I'll watch it again on the sofa.", 'film'],
          [A, 'A classic for the sofa. Get well soon.'],
        ],
      ],
    ],
    qa: [
      ['What kind of business do I own?', 'a pharmacy on Shop Street, for twenty years', ['job'], 4],
      ['What was the career of my spouse?', 'Garda sergeant (Declan is retired now)', ['husband'], 4],
      ['Which vocal range do I have in my group?', 'alto, in the cathedral choir', ['choir'], 4],
      ['Where do I go for a daily dip in the sea?', 'Salthill', ['swim'], 4],
      ['When does my girl tie the knot?', '14 June, 2026, in Clifden', ['wedding'], 2],
      ['In which country does my boy reside?', 'Australia (Sydney)', ['son'], 4],
      ['What poultry do I keep?', 'six hens', ['hens'], 4],
      ['When is my operation?', '3 February, 2026 (knee surgery)', ['knee'], 2],
      ['Which movie do I rewatch each year?', 'The Quiet Man', ['film'], 4],
      ['Which of my children works in health care like me?', 'Cian, a physiotherapist in Sydney', ['job', 'son'], 1],
      ['What is my cat called?', null, [], 5],
      ['What is my granddaughter called?', null, [], 5],
      ['Which instrument did I learn as a girl?', null, [], 5],
      ['What is the job of my sister?', null, [], 5],
    ],
  },
  {
    id: 'fpt-11',
    user: 'Thabo',
    sessions: [
      [
        '5:30 pm on 3 March, 2025',
        [
          ['Thabo', 'Marking again. I teach maths to grade 11 and 12 at a high school in Durban, and the trigonometry tests are painful.', 'job'],
          [A, 'Marking is the hidden half of teaching. Want a trick to speed it up?'],
          ['Thabo', 'Go on.'],
          [A, 'Mark one question across all scripts before the next; you get faster and fairer.'],
          ['Thabo', 'Nice. I need the time, my wife Lindiwe is pregnant with our first child, due on 9 November.', 'wife'],
          [A, 'Congratulations to you both! That is wonderful news.'],
          ['Thabo', "Thanks! We're still in a flat on the third floor in Morningside, which will be fun with a pram.", 'home1'],
          [A, 'Three floors of stairs with a pram would be a workout.'],
        ],
      ],
      [
        '7:45 pm on 21 April, 2025',
        [
          ['Thabo', "We moved last weekend! Now we're in a house in Umhlanga with a garden.", 'home2'],
          [A, 'Congratulations! Room for a pram and a garden.'],
          ['Thabo', 'We got a Boerboel puppy called Zeus to protect the new place.', 'dog'],
          [A, 'Boerboels are loyal; start training early, they grow big fast.'],
          ['Thabo', "I'll walk him after training, I still play flyhalf for the club's veterans side.", 'rugby'],
          [A, 'Just watch the knees at flyhalf.'],
        ],
      ],
      [
        '9:00 am on 30 June, 2025',
        [
          ['Thabo', "In July I'm driving to Maputo with my brother Sipho, just five days. Any tips for the border?", 'trip'],
          [A, 'Have the vehicle papers and a police clearance, reflective vests and triangles, and go early to avoid the queues at Lebombo.'],
          ['Thabo', "It's my white Toyota Hilux bakkie, so the papers are in my name at least.", 'car'],
          [A, 'Good. Keep copies of everything.'],
          ['Thabo', "My mother runs a small shop in Pietermaritzburg; I'll visit her the weekend after.", 'mother'],
          [A, 'A visit to your mother makes a good end to a road trip.'],
        ],
      ],
    ],
    qa: [
      ['Which subject do I instruct teenagers in?', 'mathematics, to grades 11 and 12', ['job'], 4],
      ['When is our little one going to arrive?', '9 November, 2025', ['wife'], 2],
      ['What position do I take on the pitch?', "flyhalf, for the club's veterans side", ['rugby'], 4],
      ['Where is my home these days?', 'a house with a garden in Umhlanga', ['home2'], 4],
      ['When did we change address?', 'the weekend of 19-20 April, 2025', ['home2'], 2],
      ['What breed is our guard dog?', 'a Boerboel (Zeus)', ['dog'], 4],
      ['What kind of truck do I own?', 'a white Toyota Hilux bakkie', ['car'], 4],
      ['What does my mum do for a living?', 'she runs a small shop in Pietermaritzburg', ['mother'], 4],
      ['Who am I going to Mozambique with?', 'my brother Sipho', ['trip'], 4],
      ['Where did we live before the house with the garden?', 'a third-floor flat in Morningside', ['home1', 'home2'], 1],
      ['What is my sister called?', null, [], 5],
      ['Which university did I attend?', null, [], 5],
      ['Which medicine do I take every day?', null, [], 5],
      ['What is the name of my cat?', null, [], 5],
    ],
  },
  {
    id: 'fpt-12',
    user: 'Camille',
    sessions: [
      [
        '4:50 pm on 25 November, 2024',
        [
          ['Camille', 'Salut! First year of law at Lyon 3 and the constitutional law exam is in three weeks.', 'study'],
          [A, 'Salut! Constitutional law rewards good structure. Want a revision plan?'],
          ['Camille', 'Yes, but quiet is hard: I live with my grandmother in her flat in Croix-Rousse and she watches TV loudly.', 'home1'],
          [A, 'Noise-cancelling headphones or the university library might be your friends then.'],
          ['Camille', 'And Noisette, my rabbit, chews every cable in the flat, including my laptop charger.', 'rabbit'],
          [A, 'Cable protectors from a hardware shop will save your chargers.'],
          ['Camille', 'Also I have type 1 diabetes, so long library days need snacks; I wear a glucose sensor on my arm.', 'health'],
          [A, 'Keep fast sugar and a slower snack in your bag, and set an alarm on your sensor for lows.'],
        ],
      ],
      [
        '10:20 pm on 13 January, 2025',
        [
          ['Camille', "Good news: I'm going to Iceland with two friends from 17 to 24 February! What should I pack?", 'trip'],
          [A, 'Layers: thermal base, fleece, waterproof shell, plus crampons for icy paths, a swimsuit for the hot springs and a good hat.'],
          ['Camille', "I'll pay for it with my Saturday work at a second-hand bookshop near Saint-Jean.", 'job'],
          [A, 'Books on Saturdays and Iceland in February: a good balance.'],
          ['Camille', "Also I've played the harp since I was seven and I have an audition for the student orchestra tomorrow.", 'harp'],
          [A, 'Bonne chance! Warm your fingers in lukewarm water before you start.'],
        ],
      ],
      [
        '3:35 pm on 6 October, 2025',
        [
          ['Camille', 'New year at uni, new life: I moved into a student residence near the Rhône in September.', 'home2'],
          [A, 'How does it feel to have a place of your own?'],
          ['Camille', 'Great, and I started fencing épée at the university club twice a week.', 'fencing'],
          [A, 'Épée is a fine choice: the whole body is the target.'],
          ['Camille', "Can you remind me of the French word for 'foil'?"],
          [A, "'Fleuret'. And 'sabre' is the same in both languages."],
        ],
      ],
    ],
    qa: [
      ['What am I studying at university?', 'law, at Lyon 3', ['study'], 4],
      ['Which relative was I rooming with at first?', 'my grandmother, in Croix-Rousse', ['home1'], 4],
      ['Which instrument have I practised from childhood?', 'the harp, since I was seven', ['harp'], 4],
      ['What kind of pet do I have?', 'a rabbit called Noisette', ['rabbit'], 4],
      ['Where do I have a weekend job?', 'a second-hand bookshop near Saint-Jean', ['job'], 4],
      ['What chronic condition do I have?', 'type 1 diabetes', ['health'], 4],
      ['When is my Nordic trip?', '17 to 24 February, 2025, in Iceland with two friends', ['trip'], 2],
      ['Which combat sport do I do?', 'fencing (épée), at the university club', ['fencing'], 4],
      ['Where do I live now?', 'in a student residence near the Rhône', ['home2'], 4],
      ['When did I leave my grandmother’s place?', 'September 2025', ['home1', 'home2'], 2],
      ['What is my boyfriend called?', null, [], 5],
      ['What is my brother studying?', null, [], 5],
      ['Which car am I saving up for?', null, [], 5],
      ['What is the name of my cat?', null, [], 5],
    ],
  },
];

const data = conversations.map(({ id, user, sessions, qa }) => {
  const conversation = { speaker_a: user, speaker_b: A };
  const where = new Map();
  sessions.forEach(([date, turns], s) => {
    conversation[`session_${s + 1}_date_time`] = date;
    conversation[`session_${s + 1}`] = turns.map(([speaker, text, label], t) => {
      const dia_id = `D${s + 1}:${t + 1}`;
      if (label) {
        if (where.has(label)) throw new Error(`${id}: label ${label} used twice`);
        where.set(label, dia_id);
      }
      return { speaker, dia_id, text };
    });
  });
  return {
    sample_id: id,
    conversation,
    qa: qa.map(([question, answer, labels, category]) => ({
      question,
      answer,
      evidence: labels.map((label) => {
        if (!where.has(label)) throw new Error(`${id}: no turn labelled ${label}`);
        return where.get(label);
      }),
      category,
    })),
  };
});
const out = fileURLToPath(new URL('../../apps/eval/data/first-person-train-v1.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
console.log(`wrote ${out}: ${data.length} conversations, ${data.reduce((n, c) => n + c.qa.length, 0)} questions`);
