// The one clock and the one id source, as the domain sees them: values passed in, never read inside it. The composition
// root gives the real ones (server/platform/clock.ts); tests give their own.
export type Clock = { now(): Date };
export type Ids = { next(): string };
