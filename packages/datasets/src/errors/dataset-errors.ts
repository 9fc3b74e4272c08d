import { TrustgradError } from '@trustgrad/core-tensor';

/**
 * Base class of every error the dataset loaders throw on purpose. `file` names
 * the file or folder at fault; the message says what was found, what was
 * expected and how to fix it.
 */
export class DatasetError extends TrustgradError {
  override name = 'DatasetError';
  constructor(
    /** The file or folder the problem is about. */
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** A file exists but its content is not in the expected format (bad magic, truncated, corrupt, wrong colour space). */
export class DatasetFormatError extends DatasetError {
  override name = 'DatasetFormatError';
}

/** A file, folder or class folder the loader needs is missing or empty. */
export class DatasetNotFoundError extends DatasetError {
  override name = 'DatasetNotFoundError';
}

/** A path exists but cannot be read (permissions, a folder where a file was expected). */
export class DatasetReadError extends DatasetError {
  override name = 'DatasetReadError';
}

/** A dataset could not be downloaded (no network, HTTP error). */
export class DatasetDownloadError extends DatasetError {
  override name = 'DatasetDownloadError';
}

/** A downloaded file's SHA-256 differs from the published checksum. */
export class DatasetChecksumError extends DatasetDownloadError {
  override name = 'DatasetChecksumError';
}
