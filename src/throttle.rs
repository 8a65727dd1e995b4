//! Client-side throttling: the API allows 20 calls per second per access key.
//!
//! The default [`Throttle`] keeps every clone of a client, and every task
//! using it, under 20 calls in any one-second window. It is a sliding-window
//! log: the times of the last `n` calls are kept, and a call is admitted
//! once the `n`-th most recent one is a window old. This is exact (no window
//! ever holds more than `n`, unlike a "20 per second, burst 20" token bucket,
//! which admits 39 in the first second), and a late wake-up delays only its
//! own slot instead of shifting every later call, so the sustained rate
//! stays at the limit (a GCRA with burst 1, measured side by side, lost 2–3%
//! to timer overshoot). Waiting uses tokio's clock, so it is asynchronous
//! and follows tokio's paused clock in tests.
//!
//! Processes that share one token can share one limit by implementing
//! [`RateLimiter`] over a shared store and passing it with
//! [`Throttle::custom`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A limiter the client awaits before every request (and every retry).
///
/// Implement it to share one limit across processes, e.g. a GCRA kept in
/// Redis: `acquire` runs the GCRA update as one Lua script (`EVALSHA` keyed
/// by the token's hash) and sleeps for the wait it returns.
///
/// ```
/// use std::{future::Future, pin::Pin};
/// use seqera_tower::throttle::RateLimiter;
///
/// #[derive(Debug)]
/// struct Unlimited;
///
/// impl RateLimiter for Unlimited {
///     fn acquire(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
///         Box::pin(async {})
///     }
/// }
///
/// let throttle = seqera_tower::Throttle::custom(Unlimited);
/// # let _ = throttle;
/// ```
pub trait RateLimiter: fmt::Debug + Send + Sync + 'static {
    /// Completes when one more call may be sent.
    fn acquire(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The throttle configuration given to [`ClientBuilder::throttle`](crate::ClientBuilder::throttle).
#[derive(Clone, Debug)]
pub struct Throttle {
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Disabled,
    Window { per_second: u32, burst: u32 },
    Custom(Arc<dyn RateLimiter>),
}

/// Calls the default throttle lets go back to back: 4, measured as the best
/// trade-off (see the `throttle` benchmark): a burst of 20 let network
/// jitter show 22 calls in one server-side second, a burst of 1 lost 2–3% of
/// the rate to timer overshoot.
pub const DEFAULT_BURST: u32 = 4;

impl Default for Throttle {
    /// 20 calls per second, the API's limit per access key.
    fn default() -> Self {
        Self::per_second(20)
    }
}

impl Throttle {
    /// At most `calls` calls in any one-second window (`0` is treated as
    /// `1`), at most [`DEFAULT_BURST`] of them back to back.
    pub fn per_second(calls: u32) -> Self {
        let calls = calls.max(1);
        Self {
            kind: Kind::Window {
                per_second: calls,
                burst: DEFAULT_BURST.min(calls),
            },
        }
    }

    /// Lets at most `burst` calls go back to back (default
    /// [`DEFAULT_BURST`]): at most `burst` calls in any `burst / n` of a
    /// second. Smaller bursts spread calls out (`burst(1)` spaces them
    /// evenly, but then every late wake-up delays all later calls); larger
    /// ones cut latency for short bursts but send more calls at once, which
    /// network jitter can push into the server's next window. The
    /// per-second limit is the same either way. Clamped to `1..=n`.
    pub fn burst(self, burst: u32) -> Self {
        match self.kind {
            Kind::Window { per_second, .. } => Self {
                kind: Kind::Window {
                    per_second,
                    burst: burst.clamp(1, per_second),
                },
            },
            other => Self { kind: other },
        }
    }

    /// No client-side limit (the server still enforces its own).
    pub fn disabled() -> Self {
        Self {
            kind: Kind::Disabled,
        }
    }

    /// A limiter of your own, e.g. one shared by several processes.
    pub fn custom(limiter: impl RateLimiter) -> Self {
        Self {
            kind: Kind::Custom(Arc::new(limiter)),
        }
    }

    /// A limiter of your own, already shared.
    pub fn custom_shared(limiter: Arc<dyn RateLimiter>) -> Self {
        Self {
            kind: Kind::Custom(limiter),
        }
    }

    /// Builds the limiter this configuration describes (`None` when
    /// disabled). A client builds one in [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// and shares it with its clones; call this to wrap the stock limiter
    /// (to count or time calls, say) and pass the wrapper to [`Throttle::custom`].
    pub fn limiter(&self) -> Option<Arc<dyn RateLimiter>> {
        match &self.kind {
            Kind::Disabled => None,
            Kind::Custom(limiter) => Some(limiter.clone()),
            Kind::Window { per_second, burst } => {
                Some(Arc::new(WindowLimiter::new(*per_second, *burst)))
            }
        }
    }
}

/// Extra length added to the one-second window, so that network jitter
/// between this client and the server cannot push one more call into a
/// server-side window: 0.5% (5 ms), i.e. at most 19.9 calls/s sustained.
const SAFETY_MARGIN: Duration = Duration::from_millis(5);

/// At most `per_second` calls in any window of one second (plus the
/// margin), and at most `burst` in any window of `burst / per_second` of it.
struct WindowLimiter {
    per_second: usize,
    burst: usize,
    window: Duration,
    /// Admission times of the most recent calls, oldest first, at most
    /// `per_second` of them.
    log: std::sync::Mutex<std::collections::VecDeque<tokio::time::Instant>>,
}

impl fmt::Debug for WindowLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WindowLimiter")
            .field("per_second", &self.per_second)
            .field("burst", &self.burst)
            .finish()
    }
}

impl WindowLimiter {
    fn new(per_second: u32, burst: u32) -> Self {
        let per_second = per_second.max(1) as usize;
        Self {
            per_second,
            burst: (burst as usize).clamp(1, per_second),
            window: Duration::from_secs(1) + SAFETY_MARGIN,
            log: std::sync::Mutex::new(std::collections::VecDeque::with_capacity(per_second)),
        }
    }

    /// Admits a call now, or says how long to wait before asking again.
    fn try_admit(&self, now: tokio::time::Instant) -> Result<(), Duration> {
        // A poisoned lock only means another task panicked mid-update; the
        // log of instants is still consistent, so keep using it.
        let mut log = self
            .log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let len = log.len();
        let mut earliest = now;
        if len >= self.per_second {
            earliest = earliest.max(log[len - self.per_second] + self.window);
        }
        if self.burst < self.per_second && len >= self.burst {
            let burst_window = self
                .window
                .mul_f64(self.burst as f64 / self.per_second as f64);
            earliest = earliest.max(log[len - self.burst] + burst_window);
        }
        if earliest > now {
            return Err(earliest - now);
        }
        if log.len() == self.per_second {
            log.pop_front();
        }
        log.push_back(now);
        Ok(())
    }
}

impl RateLimiter for WindowLimiter {
    fn acquire(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            while let Err(wait) = self.try_admit(tokio::time::Instant::now()) {
                tokio::time::sleep(wait).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Admission times of `calls` calls through `throttle`, from the start.
    async fn admissions(throttle: Throttle, calls: usize) -> Vec<Duration> {
        let limiter = throttle.limiter().unwrap();
        let start = tokio::time::Instant::now();
        let mut times = Vec::new();
        for _ in 0..calls {
            limiter.acquire().await;
            times.push(start.elapsed());
        }
        times
    }

    #[tokio::test(start_paused = true)]
    async fn twenty_per_second_in_bursts_of_four() {
        let window = Duration::from_secs(1) + SAFETY_MARGIN;
        let times = admissions(Throttle::default(), 41).await;
        assert!(times[..4].iter().all(|t| *t == Duration::ZERO), "{times:?}");
        assert_eq!(times[4], window / 5);
        assert_eq!(times[20], window);
        assert_eq!(times[40], window * 2);
        let all_at_once = admissions(Throttle::per_second(20).burst(20), 21).await;
        assert!(all_at_once[..20].iter().all(|t| *t == Duration::ZERO));
        assert_eq!(all_at_once[20], window);
    }

    #[tokio::test(start_paused = true)]
    async fn burst_limits_back_to_back_calls() {
        let times = admissions(Throttle::per_second(10).burst(5), 11).await;
        assert!(times[..5].iter().all(|t| *t == Duration::ZERO), "{times:?}");
        // The next five wait for half of the window…
        let half = (Duration::from_secs(1) + SAFETY_MARGIN) / 2;
        assert!(times[5] >= half && times[9] >= half, "{times:?}");
        // …and the 11th for the whole of it.
        assert!(times[10] >= Duration::from_secs(1), "{times:?}");
        let even = admissions(Throttle::per_second(4).burst(1), 4).await;
        assert!(
            even.windows(2)
                .all(|w| w[1] - w[0] >= Duration::from_millis(250)),
            "{even:?}"
        );
    }

    #[test]
    fn disabled_builds_no_limiter() {
        assert!(Throttle::disabled().limiter().is_none());
        assert!(matches!(
            Throttle::per_second(0).kind,
            Kind::Window { per_second: 1, .. }
        ));
    }
}
