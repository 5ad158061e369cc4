import shipped from './default-ranker.json';
import { parseRankerModel, type RankerModel } from './ranker-model';

/** The ranker fitted by `neuromem-eval fit-ranker` on LoCoMo's dev conversations; see its `fittedOn`. */
export const DEFAULT_RANKER: RankerModel = parseRankerModel(shipped, 'default-ranker.json');
