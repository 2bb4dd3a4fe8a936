/** comparisons.json (results schema): every paired test of a method against the baseline, corrected per table. */
import type { CellComparison, Direction } from './metrics-file.js';

export interface Comparison extends CellComparison {
  readonly dataset: string;
  readonly seed: number;
  readonly task: string;
  readonly method: string;
  readonly metric: string;
  readonly direction: Direction;
}

export interface ComparisonsFile {
  readonly baseline: string | null;
  readonly test: string;
  readonly correction: string;
  readonly alpha: number;
  readonly B: number;
  readonly comparisons: readonly Comparison[];
}
