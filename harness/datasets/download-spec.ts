/**
 * What a dataset plugin declares about its downloadable files, as plain data
 * in its plugin object, so that `usersim datasets fetch|list` can fetch and
 * describe any dataset without running its loader.
 */
export type ChecksumAlgorithm = 'sha256' | 'md5';

export interface PinnedChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Lower-case hex digest. */
  readonly value: string;
  /** Where the value comes from: "GroupLens .md5 file", "pinned by third parties", "verified on the shared copy"… */
  readonly source: string;
}

export interface DownloadFile {
  readonly url: string;
  /** File name in the cache folder; defaults to the last segment of the URL path. */
  readonly name?: string;
  /** null when the provider publishes none: the first download's SHA-256 is recorded and later fetches must match it. */
  readonly checksum: PinnedChecksum | null;
  /** Size in bytes when known (for the progress bar before the server says). */
  readonly bytes?: number;
  /**
   * zip: extract into the variant folder; gunzip: write the decompressed file
   * beside it (name without .gz); none: keep as downloaded (loaders stream .gz
   * files themselves, so multi-GB dumps are never expanded on disk).
   */
  readonly unpack: 'zip' | 'gunzip' | 'none';
  /** Sub-folder of the variant folder to put the file in (e.g. mirroring a Hugging Face repo layout). */
  readonly folder?: string;
}

export interface DatasetDownload {
  /** The plugin's `variant` option value this download provides. */
  readonly variant: string;
  readonly description: string;
  /** Licence or terms of use, in one line, as the provider states them. */
  readonly licence: string;
  /** Page where a person can download the files by hand. */
  readonly homepage: string;
  readonly files: readonly DownloadFile[];
  /**
   * Folder, relative to datasets/cache/<plugin>/<variant>/, that the plugin's
   * `path:` option must point at once the files are unpacked (e.g. "ml-1m"
   * for the folder inside ml-1m.zip); "" for the variant folder itself.
   */
  readonly root: string;
}
