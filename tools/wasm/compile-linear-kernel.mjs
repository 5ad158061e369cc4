import wabtInit from 'wabt';

/** The WebAssembly bytes of a WAT source with SIMD, without names or debug sections (so the same source gives the same bytes). */
export async function compileLinearKernel(wat) {
  const wabt = await wabtInit();
  const module = wabt.parseWat('linear-kernel.wat', wat, { simd: true });
  try {
    module.validate();
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}
