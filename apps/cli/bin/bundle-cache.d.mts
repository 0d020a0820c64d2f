import type { BuildOptions } from 'esbuild';

export interface BundleTarget {
  /** the TypeScript (or JavaScript) entry point */
  sourcePath: string;
  bundlePath: string;
  manifestPath: string;
  /** added to the shared options (ESM, node20, bundled) */
  esbuildOptions?: BuildOptions;
}

export declare function ensureBundle(target: BundleTarget): Promise<void>;
