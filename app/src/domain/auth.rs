//! Sign-in rules: throttling of failed attempts and session lifetimes.
//! Times are seconds since the Unix epoch (UTC); the callers supply "now".

/// How many failed sign-ins are tolerated before further attempts are refused for a while.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures counted over this many seconds.
    pub window_secs: i64,
    /// Failures for one account (by email, whether or not it exists) within the window.
    pub max_per_account: i64,
    /// Failures from one network address within the window (a shared office counts as one).
    pub max_per_address: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self { window_secs: 15 * 60, max_per_account: 5, max_per_address: 30 }
    }
}

/// What recent failures say about the next attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Throttle {
    Allow,
    /// Refuse without checking the password; try again after this many seconds.
    Refuse {
        retry_after_secs: i64,
    },
}

impl ThrottlePolicy {
    /// `account_failures` / `address_failures`: times of failed attempts inside the window, any
    /// order. The oldest failure that keeps the count at the limit decides when the refusal ends.
    pub fn decide(&self, now: i64, account_failures: &[i64], address_failures: &[i64]) -> Throttle {
        let wait = |failures: &[i64], max: i64| -> Option<i64> {
            let mut recent: Vec<i64> = failures.iter().copied().filter(|t| now - t < self.window_secs).collect();
            if (recent.len() as i64) < max {
                return None;
            }
            recent.sort_unstable();
            // Once the oldest (len - max + 1) failures leave the window, one more try is allowed.
            let pivot = recent[recent.len() - max as usize];
            Some((pivot + self.window_secs - now).max(1))
        };
        match (wait(account_failures, self.max_per_account), wait(address_failures, self.max_per_address)) {
            (None, None) => Throttle::Allow,
            (a, b) => Throttle::Refuse { retry_after_secs: a.unwrap_or(0).max(b.unwrap_or(0)) },
        }
    }
}

/// How long a signed-in session lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle_secs: i64,
    /// Signed out this long after signing in, however busy.
    pub absolute_secs: i64,
    /// Administrators reach every resident's records: they are signed out after this long
    /// without a request, however long others may stay.
    pub admin_idle_secs: i64,
}

impl Default for SessionPolicy {
    /// A working day in the field: an outreach worker who is offline for a morning is still
    /// signed in when the tablet finds a signal again.
    fn default() -> Self {
        Self { idle_secs: 8 * 3600, absolute_secs: 12 * 3600, admin_idle_secs: 30 * 60 }
    }
}

impl SessionPolicy {
    /// Whether a session that signed in at `signed_in_at` is still within its absolute lifetime.
    /// (Idle expiry is enforced by the session store's expiry date, refreshed on each request.)
    pub fn within_absolute(&self, signed_in_at: i64, now: i64) -> bool {
        now >= signed_in_at && now - signed_in_at < self.absolute_secs
    }

    /// Whether an administrator last seen at `seen_at` is still within their shorter idle time.
    pub fn admin_still_active(&self, seen_at: i64, now: i64) -> bool {
        now - seen_at < self.admin_idle_secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_few_mistakes_are_allowed() {
        let p = ThrottlePolicy::default();
        let four = [NOW - 10, NOW - 20, NOW - 30, NOW - 40];
        assert_eq!(p.decide(NOW, &four, &four), Throttle::Allow);
        assert_eq!(p.decide(NOW, &[], &[]), Throttle::Allow);
    }

    #[test]
    fn the_fifth_failure_for_an_account_locks_it_until_the_oldest_leaves_the_window() {
        let p = ThrottlePolicy::default();
        let five = [NOW - 100, NOW - 10, NOW - 20, NOW - 30, NOW - 40];
        assert_eq!(p.decide(NOW, &five, &[]), Throttle::Refuse { retry_after_secs: 900 - 100 });
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let p = ThrottlePolicy::default();
        let old = [NOW - 900, NOW - 901, NOW - 5000, NOW - 10, NOW - 20];
        assert_eq!(p.decide(NOW, &old, &[]), Throttle::Allow);
    }

    #[test]
    fn many_failures_from_one_address_refuse_every_account_from_it() {
        let p = ThrottlePolicy::default();
        let thirty: Vec<i64> = (0..30).map(|i| NOW - i).collect();
        match p.decide(NOW, &[], &thirty) {
            Throttle::Refuse { retry_after_secs } => assert_eq!(retry_after_secs, 900 - 29),
            other => panic!("expected refusal, got {other:?}"),
        }
        assert_eq!(p.decide(NOW, &[], &thirty[..29]), Throttle::Allow);
    }

    #[test]
    fn the_longer_of_two_refusals_wins_and_is_never_zero() {
        let p = ThrottlePolicy { window_secs: 60, max_per_account: 1, max_per_address: 1 };
        assert_eq!(p.decide(NOW, &[NOW - 59], &[NOW - 10]), Throttle::Refuse { retry_after_secs: 50 });
        assert_eq!(p.decide(NOW, &[NOW - 59], &[]), Throttle::Refuse { retry_after_secs: 1 });
    }

    #[test]
    fn sessions_end_at_their_absolute_lifetime_and_never_start_in_the_future() {
        let p = SessionPolicy { idle_secs: 60, absolute_secs: 3600, admin_idle_secs: 30 * 60 };
        assert!(p.admin_still_active(NOW - 29 * 60, NOW));
        assert!(!p.admin_still_active(NOW - 30 * 60, NOW), "an administrator idle for half an hour is signed out");
        assert!(p.within_absolute(NOW - 3599, NOW));
        assert!(!p.within_absolute(NOW - 3600, NOW));
        assert!(!p.within_absolute(NOW + 10, NOW), "a sign-in time from the future is not trusted");
    }
}
