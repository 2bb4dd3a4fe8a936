/**
 * The shapes a dataset plugin returns and a method receives. Item text is
 * uniform across datasets (title, genres, description) so that no method has to
 * special-case a dataset.
 */
export interface Item {
  readonly id: string;
  readonly title: string;
  /** Genres, categories or tags. */
  readonly genres: readonly string[];
  readonly description?: string;
  /**
   * The item's mean rating as the dataset publishes it, on the dataset's
   * scale (Agent4Rec's movie_detail.csv: the mean over all MovieLens-1M
   * ratings, which its agents are shown). Absent when the dataset publishes
   * none; a simulator may then compute one from the training split.
   */
  readonly meanRating?: number;
}

/** An Agent4Rec social-trait level: 1 low, 2 middle, 3 high. */
export type TraitLevel = 1 | 2 | 3;

/**
 * A simulated user's profile as a dataset publishes it, for simulators that
 * would otherwise derive their own (Agent4Rec's released user_statistic.csv
 * traits and all_personas_like.csv tastes). Never shown as demographics.
 */
export interface PublishedProfile {
  /** Agent4Rec's activity, diversity and conformity levels. */
  readonly traits?: { readonly activity: TraitLevel; readonly diversity: TraitLevel; readonly conformity: TraitLevel };
  /** Taste sentences in the user's own words (first person), as released. */
  readonly taste?: readonly string[];
}

export interface UserRecord {
  readonly id: string;
  /** Demographics or survey answers, as the dataset has them. */
  readonly attributes: Readonly<Record<string, string | number>>;
  /** A profile the dataset publishes for this user (absent for most datasets). */
  readonly published?: PublishedProfile;
}

export interface Interaction {
  readonly user: string;
  readonly item: string;
  /** On the dataset's scale; null for implicit feedback. */
  readonly rating: number | null;
  /** Unix seconds. */
  readonly timestamp: number;
}

export interface RatingScale {
  readonly min: number;
  readonly max: number;
  /** Smallest step between two ratings (1 for stars, 0.5 for ml-latest). */
  readonly step: number;
}

export interface RatingsSplit {
  readonly name: string;
  readonly train: readonly Interaction[];
  readonly valid: readonly Interaction[];
  readonly test: readonly Interaction[];
  /**
   * Interactions of kept users that the split left out of every part (e.g.
   * agent4rec drops held-out items unseen in train). Never shown to methods,
   * but they still count as "interacted" when negatives are drawn.
   */
  readonly excluded?: readonly Interaction[];
}

export interface RatingsDataset {
  readonly kind: 'ratings';
  readonly name: string;
  readonly users: readonly UserRecord[];
  readonly items: readonly Item[];
  /** null when the data is implicit (no ratings): the rating task shows n/a. */
  readonly scale: RatingScale | null;
  readonly split: RatingsSplit;
  /** SHA-256 of every file read, by file name, for the run manifest. */
  readonly checksums: Readonly<Record<string, string>>;
  /** Choices this loader made that the papers leave open, for the manifest. */
  readonly choices: readonly string[];
  /** What the loader kept, left out or could not show, by name (e.g. rows skipped), for the manifest. */
  readonly counts?: Readonly<Record<string, number>>;
}

import type { SessionsDataset } from './sessions.js';

export type Dataset = RatingsDataset | SessionsDataset;

/** The kinds of data a dataset plugin returns (harness/data/dataset-kinds.ts says what each offers the run). */
export type DatasetKind = Dataset['kind'];

/** What a simulator may know of the training data: the train split only. */
export interface TrainData {
  readonly datasetName: string;
  readonly users: readonly UserRecord[];
  readonly items: readonly Item[];
  readonly scale: RatingScale | null;
  readonly interactions: readonly Interaction[];
}

export interface HistoryEntry {
  readonly item: Item;
  readonly rating: number | null;
  readonly timestamp: number;
}

/**
 * One user as a simulator sees them: built from the training split only. It has
 * no field that could carry a held-out label.
 */
export interface UserView {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string | number>>;
  /** Training interactions, oldest first. */
  readonly history: readonly HistoryEntry[];
  readonly scale: RatingScale | null;
  /** The profile the dataset publishes for this user, when it does (training-side data, never held-out labels). */
  readonly published?: PublishedProfile;
}
