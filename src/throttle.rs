//! Client-side throttling: the API allows 20 calls per second per access key.
//!
//! The default [`Throttle`] keeps every clone of a client, and every task
//! using it, under 20 calls in any one-second window. It is a GCRA limiter
//! (governor) whose clock is tokio's, so waiting is asynchronous (and
//! follows tokio's paused clock in tests).
//!
//! Processes that share one token can share one limit by implementing
//! [`RateLimiter`] over a shared store and passing it with
//! [`Throttle::custom`].

use std::fmt;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use governor::Quota;
use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};

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

impl Default for Throttle {
    /// 20 calls per second, the API's limit per access key.
    fn default() -> Self {
        Self::per_second(20)
    }
}

impl Throttle {
    /// At most `calls` calls in any one-second window, spread evenly.
    /// `0` is treated as `1`.
    pub fn per_second(calls: u32) -> Self {
        Self {
            kind: Kind::Window {
                per_second: calls.max(1),
                burst: 1,
            },
        }
    }

    /// Lets up to `burst` calls go back to back (default 1), while still
    /// keeping any one-second window within the per-second limit: after a
    /// burst of `b` the steady rate is `n - b + 1` calls per second, so a
    /// larger burst trades throughput for latency. Clamped to `1..=n`.
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

/// tokio's clock as a governor clock, in time elapsed since the limiter was
/// made, so that waits are tokio sleeps.
#[derive(Clone, Debug)]
struct TokioClock {
    origin: tokio::time::Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

type Gcra = governor::RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;

/// A GCRA limiter that admits at most `per_second` calls in any one-second
/// window.
struct WindowLimiter {
    gcra: Gcra,
    clock: TokioClock,
    per_second: u32,
    burst: u32,
}

impl fmt::Debug for WindowLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WindowLimiter")
            .field("per_second", &self.per_second)
            .field("burst", &self.burst)
            .finish()
    }
}

/// Extra spacing on top of the exact period, so that network jitter between
/// this client and the server cannot push a 21st call into a server-side
/// window: 1% (20 calls take 1.01 s).
const SAFETY_MARGIN: f64 = 1.01;

impl WindowLimiter {
    fn new(per_second: u32, burst: u32) -> Self {
        // A GCRA with burst b and period T admits b + ceil(1s / T) - 1 calls
        // in a one-second window; T = 1s / (n - b + 1) keeps that at n.
        // (A quota of "n per second, burst n" would admit 2n - 1.)
        let steady = per_second.saturating_sub(burst).saturating_add(1).max(1);
        let period = Duration::from_secs_f64(SAFETY_MARGIN / f64::from(steady));
        let burst_nz = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        // `with_period` is None only for a zero period; `steady` is at least 1
        // and the margin positive, so the period is at least ~1 ms.
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst_nz);
        let clock = TokioClock {
            origin: tokio::time::Instant::now(),
        };
        Self {
            gcra: governor::RateLimiter::direct_with_clock(quota, clock.clone()),
            clock,
            per_second,
            burst,
        }
    }
}

impl RateLimiter for WindowLimiter {
    fn acquire(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            loop {
                match self.gcra.check() {
                    Ok(()) => return,
                    Err(not_until) => {
                        let wait = not_until.wait_time_from(self.clock.now());
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn twenty_per_second_is_spaced_evenly() {
        let limiter = Throttle::default().limiter().unwrap();
        let start = tokio::time::Instant::now();
        let mut times = Vec::new();
        for _ in 0..41 {
            limiter.acquire().await;
            times.push(start.elapsed());
        }
        // The 21st call is at least one second after the first.
        assert!(times[20] >= Duration::from_secs(1), "{:?}", times[20]);
        assert!(times[40] < Duration::from_millis(2100), "{:?}", times[40]);
    }

    #[tokio::test(start_paused = true)]
    async fn burst_goes_back_to_back_then_slows() {
        let limiter = Throttle::per_second(10).burst(5).limiter().unwrap();
        let start = tokio::time::Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Five more fit in the first second; the sixth (the 11th call) waits.
        for _ in 0..6 {
            limiter.acquire().await;
        }
        assert!(
            start.elapsed() >= Duration::from_secs(1),
            "{:?}",
            start.elapsed()
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
