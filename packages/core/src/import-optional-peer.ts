import { NeuroMemError } from './errors';

export interface OptionalPeer {
  /** What needs the peers, as the error names it ("`neuromem serve`", "createOnnxScaleHeads"). */
  feature: string;
  /** The packages to install, with version ranges: the error's `npm install` command lists them all. */
  packages: readonly string[];
  /** The module raising the error (`[neuromem] [module]`). */
  module: string;
}

/**
 * Runs `load` (a dynamic `import()` of an optional peer dependency) and turns "that package is not
 * installed" into a `NOT_FOUND` NeuroMemError that names the command installing every package the
 * feature needs. The `import()` stays at the call site, so bundlers keep it external and TypeScript
 * types it. Any other failure (a package that is installed but broken) is thrown as it came.
 */
export async function importOptionalPeer<T>(load: () => Promise<T>, peer: OptionalPeer): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissingPackage(error, peer.packages)) throw error;
    const command = `npm install ${peer.packages.join(' ')}`;
    throw new NeuroMemError('NOT_FOUND', `${peer.feature} needs ${list(peer.packages.map(nameOf))}, optional peer dependencies not installed by default: install them with \`${command}\`.`, {
      module: peer.module,
      cause: error,
      details: { packages: peer.packages.map(nameOf), command },
    });
  }
}

/** A resolution failure of one of `packages` itself (not of a file inside an installed one). */
function isMissingPackage(error: unknown, packages: readonly string[]): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return packages.some((spec) => String(message).includes(`'${nameOf(spec)}'`) || String(message).includes(`'${nameOf(spec)}/`));
}

/** `@scope/name@^1.2` -> `@scope/name`. */
function nameOf(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at === -1 ? spec : spec.slice(0, at);
}

const list = (names: readonly string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
