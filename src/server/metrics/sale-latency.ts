// How long sale requests take, counted per bucket on every sale from the server's start: cheap enough for the sale
// path, and kept whether or not anyone scrapes /metrics (registry.ts writes it out in Prometheus' histogram form).

/** Upper bounds, in seconds, of the sale latency histogram's buckets. */
export const SALE_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

/** How long sales took since the server started, per bucket: counted on every sale, written out by registry.ts. */
export type SaleLatency = ReturnType<typeof saleLatency>;

export function saleLatency() {
  const counts = new Float64Array(SALE_BUCKETS.length + 1); // the last one: above the largest bound
  let sum = 0;
  return {
    observe(seconds: number) {
      let i = 0;
      while (i < SALE_BUCKETS.length && seconds > SALE_BUCKETS[i]!) i++;
      counts[i]! += 1;
      sum += seconds;
    },
    /** The histogram's samples as Prometheus has them: cumulative buckets, then the sum and the count. */
    values(name: string) {
      let below = 0;
      const buckets = SALE_BUCKETS.map((le, i) => {
        below += counts[i]!;
        return { metricName: `${name}_bucket`, labels: { le }, value: below };
      });
      const count = below + counts[SALE_BUCKETS.length]!;
      return [
        ...buckets,
        { metricName: `${name}_bucket`, labels: { le: "+Inf" }, value: count },
        { metricName: `${name}_sum`, labels: {}, value: sum },
        { metricName: `${name}_count`, labels: {}, value: count },
      ];
    },
  };
}
