declare const SIMPLEPIPE_VERSION: string;

/** The package version, set by the build; `dev` when the sources run unbundled (the unit tests). */
export const VERSION: string = typeof SIMPLEPIPE_VERSION === 'string' ? SIMPLEPIPE_VERSION : 'dev';
