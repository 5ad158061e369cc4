// A rational approximation of tanh (odd degree-13 polynomial over even degree-6), with the input
// clamped where the approximation meets ±1: within 3e-7 of Math.tanh everywhere, below the float32
// precision its result is used at, and about three times faster than Math.tanh in V8 (which was a
// tenth of a semantic encoding: 256 calls per text). The coefficients are the minimax fit that
// Eigen uses for float32 tanh.
const CLAMP = 7.905311107635498;
const A1 = 4.89352455891786e-3;
const A3 = 6.37261928875436e-4;
const A5 = 1.48572235717979e-5;
const A7 = 5.12229709037114e-8;
const A9 = -8.60467152213735e-11;
const A11 = 2.00018790482477e-13;
const A13 = -2.76076847742355e-16;
const B0 = 4.89352518554385e-3;
const B2 = 2.268434632439e-3;
const B4 = 1.18534705686654e-4;
const B6 = 1.19825839466702e-6;

/** tanh(x) to within 3e-7 (NaN stays NaN). */
export function fastTanh(x: number): number {
  const c = Math.min(CLAMP, Math.max(-CLAMP, x));
  const c2 = c * c;
  const p = c * (A1 + c2 * (A3 + c2 * (A5 + c2 * (A7 + c2 * (A9 + c2 * (A11 + c2 * A13))))));
  const q = B0 + c2 * (B2 + c2 * (B4 + c2 * B6));
  return p / q;
}
