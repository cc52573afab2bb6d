/** A command line that cannot be carried out as typed: shown with the usage, exit code 2. */
export class UsageError extends Error {}
