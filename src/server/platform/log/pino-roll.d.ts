// pino-roll ships no types: what log.ts uses of it.
declare module "pino-roll" {
  import type SonicBoom from "sonic-boom";

  type Options = {
    file: string | (() => string);
    size?: string | number;
    frequency?: "daily" | "hourly" | number;
    extension?: string;
    dateFormat?: string;
    symlink?: boolean;
    limit?: { count: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    sync?: boolean;
    /** The mode a new file is made with (sonic-boom's). */
    mode?: number;
  };
  export default function pinoRoll(options: Options): Promise<SonicBoom>;
}
