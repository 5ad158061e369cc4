import shipped from './default-keep-model.json';
import { parseKeepModel, type KeepModel } from './keep-model';

/** The keep-or-drop model fitted by `neuromem-eval fit-compressor` on LoCoMo's dev conversations; see `fittedOn`. */
export const DEFAULT_KEEP_MODEL: KeepModel = parseKeepModel(shipped, 'default-keep-model.json');
