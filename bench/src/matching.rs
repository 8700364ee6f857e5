//! Volunteer matching benchmark: rank 10,000 opportunities for one resident's profile with the
//! domain's pure matching engine (`app::domain::matching`), as the matches page does.
//! `BENCH_OPPORTUNITIES` and `BENCH_RUNS` change the run.

use app::domain::matching::{rank, AgeBand, Opportunity, Profile, Week};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift), so every run ranks the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// `k` distinct ids out of `pool` names like `interest-7`.
    fn ids(&mut self, prefix: &str, pool: u64, k: u64) -> Vec<String> {
        let mut v: Vec<String> = (0..k).map(|_| format!("{prefix}-{}", self.below(pool))).collect();
        v.sort();
        v.dedup();
        v
    }
}

fn opportunities(n: usize) -> Vec<Opportunity> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let k = rng.below(4) + 1;
            let skills = rng.below(3);
            let areas = rng.below(3);
            let times = if rng.below(4) == 0 { Week::default() } else { Week(rng.next() as u32 & Week::ALL.0) };
            Opportunity {
                id: format!("opportunity-{i:06}"),
                interests: rng.ids("interest", 30, k),
                skills: rng.ids("skill", 20, skills),
                areas: rng.ids("area", 25, areas),
                times,
                minimum_age: [0, 16, 18][rng.below(3) as usize],
                dbs_required: rng.below(5) == 0,
                open: rng.below(10) != 0,
            }
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let n: usize = std::env::var("BENCH_OPPORTUNITIES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(300).max(1);
    let all = opportunities(n);
    let profile = Profile {
        interests: vec!["interest-3".into(), "interest-11".into(), "interest-17".into()],
        skills: vec!["skill-2".into(), "skill-9".into()],
        areas: vec!["area-4".into(), "area-5".into()],
        availability: Week::slot(5, 0).with(5, 1).with(6, 1).with(2, 2),
        age: AgeBand::From25To64,
        has_dbs: false,
    };
    let fits = rank(&profile, &all, usize::MAX).len();
    let time = |limit: usize| -> Vec<Duration> {
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                black_box(rank(black_box(&profile), black_box(&all), limit));
                start.elapsed()
            })
            .collect()
    };
    let top = time(20);
    let every = time(usize::MAX);
    println!("volunteer matching benchmark: {n} opportunities, one profile, {runs} runs ({fits} fit the hard rules)");
    println!(
        "  best 20 (the matches page):   median {:>8.3} ms, 95th percentile {:>8.3} ms",
        ms(median(top.clone())),
        ms(percentile(top, 0.95))
    );
    println!(
        "  all that fit, ranked:         median {:>8.3} ms, 95th percentile {:>8.3} ms",
        ms(median(every.clone())),
        ms(percentile(every, 0.95))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
