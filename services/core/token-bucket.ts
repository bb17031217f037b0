// A token bucket (rate per second, burst): the rate limit of every link,
// leaf stream and client. Pure: time comes from the caller's clock (env.now).

export interface TokenBucketOptions {
  /** Tokens added per second; 0 = unlimited. */
  ratePerS: number;
  /** Most tokens held at once: the burst allowed after a quiet spell. */
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly options: TokenBucketOptions,
    private readonly now: () => number,
  ) {
    if (!(options.ratePerS >= 0) || !(options.burst >= 1)) throw new RangeError('rate must be >= 0 and burst >= 1');
    this.tokens = options.burst;
    this.last = now();
  }

  get unlimited(): boolean {
    return this.options.ratePerS === 0;
  }

  /** Takes n tokens if there are enough; false (and nothing taken) otherwise. */
  take(n = 1): boolean {
    if (this.unlimited) return true;
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Tokens available now (for status and tests). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const t = this.now();
    // A clock that steps back refills nothing rather than draining the bucket.
    const elapsedMs = Math.max(0, t - this.last);
    this.last = Math.max(this.last, t);
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsedMs * this.options.ratePerS) / 1000);
  }
}
