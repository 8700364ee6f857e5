//! The intelligence dashboard at scale: generates an organisation with a million doorstep
//! conversations (repeatable: the same seed gives the same data), then times every dashboard
//! query for an admin and for one worker, unfiltered and filtered, on SQLite and, when
//! `MOBILISE_TEST_POSTGRES_URL` names a server, PostgreSQL.
//!
//! `BENCH_INTERACTIONS` (default 1,000,000) sets the size; `BENCH_RUNS` (default 5) the runs per
//! query (the median is reported).

use app::domain::intelligence::Filters;
use app::domain::{OrganisationKind, Role};
use app::server::repo::intelligence as q;
use app::server::{repo, Db};
use std::time::{Duration, Instant};

const AREAS: usize = 8;
const THEMES: usize = 10;
const WORKERS: usize = 20;
const SERVICES: usize = 6;
const RESIDENTS: usize = 50_000;
const START: i64 = 1_735_689_600; // 2025-01-01
const SPAN_DAYS: i64 = 700;

struct Fixture {
    org: String,
    areas: Vec<String>,
    themes: Vec<String>,
    workers: Vec<String>,
}

/// A small deterministic generator: the same bench data every time.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn placeholders(backend_pg: bool, rows: usize, cols: usize) -> String {
    let mut s = String::new();
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            n += 1;
            if backend_pg {
                s.push_str(&format!("${n}"));
            } else {
                s.push_str(&format!("?{n}"));
            }
        }
        s.push(')');
    }
    s
}

enum V {
    T(String),
    I(i64),
    /// NULL in a text column (PostgreSQL wants the type of a NULL to match).
    NT,
    /// NULL in an integer column.
    NI,
}

async fn insert(db: &Db, pg: bool, table: &str, columns: &str, rows: &[Vec<V>]) {
    if rows.is_empty() {
        return;
    }
    let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", placeholders(pg, rows.len(), rows[0].len()));
    let mut query = sqlx::query(&sql);
    for row in rows {
        for v in row {
            query = match v {
                V::T(t) => query.bind(t.clone()),
                V::I(i) => query.bind(*i),
                V::NT => query.bind(None::<String>),
                V::NI => query.bind(None::<i64>),
            };
        }
    }
    query.execute(db).await.unwrap();
}

async fn generate(db: &Db, pg: bool, total: usize) -> Fixture {
    let org = repo::organisations::insert(db, "Bench Council", OrganisationKind::Council, 1).await.unwrap();
    let mut areas = Vec::new();
    for i in 0..AREAS {
        areas.push(repo::outreach::insert_named(db, "areas", &org, &format!("Ward {i:02}")).await.unwrap());
    }
    let mut themes = Vec::new();
    for i in 0..THEMES {
        themes.push(repo::outreach::insert_named(db, "themes", &org, &format!("Theme {i:02}")).await.unwrap());
    }
    let mut services = Vec::new();
    for i in 0..SERVICES {
        services.push(repo::outreach::insert_named(db, "services", &org, &format!("Service {i:02}")).await.unwrap());
    }
    let mut workers = Vec::new();
    for i in 0..WORKERS {
        let email = format!("worker{i}@bench.example");
        let new = repo::users::NewUser {
            organisation_id: &org,
            email: &email,
            display_name: &format!("Worker {i:02}"),
            role: Role::OutreachWorker,
            password_hash: None,
            created_by: None,
            email_verified: true,
        };
        workers.push(repo::users::insert(db, new, 1).await.unwrap());
    }
    let new = repo::users::NewUser {
        organisation_id: &org,
        email: "admin@bench.example",
        display_name: "Admin",
        role: Role::Admin,
        password_hash: None,
        created_by: None,
        email_verified: true,
    };
    repo::users::insert(db, new, 1).await.unwrap();
    let residents: Vec<String> = (0..RESIDENTS).map(|i| format!("00000000-0000-4000-8000-{i:012}")).collect();
    for chunk in residents.chunks(1000) {
        let rows: Vec<Vec<V>> = chunk
            .iter()
            .map(|r| vec![V::T(r.clone()), V::T(org.clone()), V::T("Resident".into()), V::T(workers[0].clone()), V::I(1)])
            .collect();
        insert(db, pg, "residents", "id, organisation_id, name, created_by, created_at", &rows).await;
    }

    let mut rng = Lcg(2026);
    // Commitments draw from their own generator, so the conversations stay as they were.
    let mut agreed = Lcg(2027);
    let started = Instant::now();
    const BATCH: usize = 500;
    let mut done = 0;
    while done < total {
        let n = BATCH.min(total - done);
        let (mut interactions, mut issues, mut follow_ups, mut commitments) = (Vec::with_capacity(n), Vec::new(), Vec::new(), Vec::new());
        for k in 0..n {
            let id = format!("10000000-0000-4000-8000-{:012}", done + k);
            let at = START + rng.next((SPAN_DAYS * 86_400) as u64) as i64;
            let talked = rng.next(10) < 7;
            let action = match (talked, rng.next(10)) {
                (false, _) => "no_action",
                (true, 0..=3) => "resolved_on_the_spot",
                (true, 4..=5) => "referred_to_service",
                (true, 6) => "follow_up",
                _ => "no_action",
            };
            let worker = workers[rng.next(WORKERS as u64) as usize].clone();
            let resident = (talked && rng.next(3) == 0).then(|| residents[rng.next(RESIDENTS as u64) as usize].clone());
            let heard = (talked && rng.next(3) != 0).then(|| 1 + rng.next(5) as i64);
            let kind = if rng.next(5) == 0 { "event" } else { "doorstep" };
            let area = areas[rng.next(AREAS as u64) as usize].clone();
            interactions.push(vec![
                V::T(id.clone()),
                V::T(org.clone()),
                V::T(worker.clone()),
                V::T(kind.into()),
                V::T(area.clone()),
                V::I(at),
                V::T(if talked { "talked".into() } else { "no_one_home".into() }),
                V::T(action.into()),
                if action == "referred_to_service" { V::T(services[rng.next(SERVICES as u64) as usize].clone()) } else { V::NT },
                heard.map(V::I).unwrap_or(V::NI),
                resident.map(V::T).unwrap_or(V::NT),
                V::I(1),
                V::T("bench".into()),
                V::I(at),
                V::I(at),
            ]);
            if talked {
                let first = rng.next(THEMES as u64) as usize;
                issues.push(vec![V::T(id.clone()), V::T(themes[first].clone())]);
                if rng.next(4) == 0 {
                    issues.push(vec![V::T(id.clone()), V::T(themes[(first + 1 + rng.next(THEMES as u64 - 1) as usize) % THEMES].clone())]);
                }
            }
            if action == "follow_up" {
                let resolved = rng.next(3) != 0;
                follow_ups.push(vec![
                    V::T(id.clone()),
                    V::T(org.clone()),
                    V::T(worker.clone()),
                    V::T(app::domain::calendar::uk_date(at + 14 * 86_400)),
                    V::T(if resolved { "resolved".into() } else { "open".into() }),
                    if resolved { V::I(at + (1 + rng.next(30) as i64) * 86_400) } else { V::NI },
                    V::I(1),
                    V::I(at),
                    V::I(at),
                    V::T(area.clone()),
                    V::T(kind.into()),
                    V::T(worker.clone()),
                ]);
                // Up to three commitments a follow-up, settled when it was resolved.
                for position in 1..=agreed.next(4) as i64 {
                    let we = position == 1 || agreed.next(2) == 0;
                    let status = match (resolved, agreed.next(5)) {
                        (false, _) => "open",
                        (true, 0..=2) => "kept",
                        (true, 3) => "not_kept",
                        _ => "not_needed",
                    };
                    commitments.push(vec![
                        V::T(format!("{id}:{position}")),
                        V::T(org.clone()),
                        V::T(id.clone()),
                        V::I(position),
                        V::T(if we { "we".into() } else { "you".into() }),
                        V::T("Chase the repair".into()),
                        if we { V::T(worker.clone()) } else { V::NT },
                        if we { V::T(app::domain::calendar::uk_date(at + 7 * 86_400)) } else { V::NT },
                        V::T(status.into()),
                        V::I(at),
                    ]);
                }
            }
        }
        insert(
            db,
            pg,
            "interactions",
            "id, organisation_id, worker_id, kind, area_id, occurred_at, outcome, action, service_id, felt_heard, resident_id, schema_version, device_id, created_on_device_at, received_at",
            &interactions,
        )
        .await;
        for chunk in issues.chunks(2000) {
            insert(db, pg, "interaction_issues", "interaction_id, theme_id", chunk).await;
        }
        insert(
            db,
            pg,
            "follow_ups",
            "id, organisation_id, owner_id, due_on, status, resolved_at, version, created_at, occurred_at, area_id, kind, worker_id",
            &follow_ups,
        )
        .await;
        insert(
            db,
            pg,
            "commitments",
            "id, organisation_id, follow_up_id, position, side, text, owner_id, due_on, status, created_at",
            &commitments,
        )
        .await;
        done += n;
        if done % 200_000 == 0 {
            eprintln!("  {done} conversations in {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    // Each conversation referred to a service makes a referral: of every sixteen, ten were
    // answered (one to seven days after), two declined, four still waiting.
    sqlx::query(
        "INSERT INTO referrals (id, organisation_id, interaction_id, owner_id, service_id, status, answer, sent_at, closed_at, occurred_at, area_id, kind, worker_id, created_at) \
         SELECT i.id, i.organisation_id, i.id, i.worker_id, i.service_id, \
           CASE WHEN i.occurred_at % 16 < 10 THEN 'answered' WHEN i.occurred_at % 16 < 12 THEN 'declined' ELSE 'sent' END, \
           '', i.occurred_at, \
           CASE WHEN i.occurred_at % 16 < 12 THEN i.occurred_at + (i.occurred_at % 7 + 1) * 86400 END, \
           i.occurred_at, i.area_id, i.kind, i.worker_id, i.received_at \
         FROM interactions i WHERE i.action = 'referred_to_service' AND i.service_id IS NOT NULL",
    )
    .execute(db)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(db).await.unwrap();
    eprintln!("  generated {total} conversations in {:.0} s", started.elapsed().as_secs_f64());
    Fixture { org, areas, themes, workers }
}

async fn median_of(runs: usize, mut f: impl AsyncFnMut()) -> Duration {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

async fn measure(label: &str, db: &Db, fx: &Fixture, runs: usize) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let started = Instant::now();
    q::rebuild_missing(db).await.unwrap();
    sqlx::query("ANALYZE").execute(db).await.unwrap();
    eprintln!("  counted them for the dashboard in {:.0} s", started.elapsed().as_secs_f64());
    let ninety_days_before_end = app::domain::calendar::uk_date(START + (SPAN_DAYS - 90) * 86_400);
    let last_day = app::domain::calendar::uk_date(START + (SPAN_DAYS - 1) * 86_400);
    let one = |w: usize| q::Who::Workers(vec![fx.workers[w].clone()]);
    let scopes: Vec<(&str, Filters, q::Who)> = vec![
        ("everything", Filters::default(), q::Who::Everyone),
        ("one area", Filters { area: Some(fx.areas[3].clone()), ..Default::default() }, q::Who::Everyone),
        (
            "area+theme+90 days",
            Filters {
                area: Some(fx.areas[3].clone()),
                theme: Some(fx.themes[2].clone()),
                from: Some(ninety_days_before_end.clone()),
                to: Some(last_day.clone()),
                ..Default::default()
            },
            q::Who::Everyone,
        ),
        ("one worker", Filters { worker: Some(fx.workers[5].clone()), ..Default::default() }, one(5)),
        (
            "one worker, 90 days",
            Filters {
                worker: Some(fx.workers[5].clone()),
                from: Some(ninety_days_before_end.clone()),
                to: Some(last_day.clone()),
                ..Default::default()
            },
            one(5),
        ),
        (
            "a team of 5",
            Filters { team: Some("Team A".into()), ..Default::default() },
            q::Who::Team { name: "Team A".into(), members: fx.workers[..5].to_vec() },
        ),
    ];
    println!("\n{label}: median of {runs} runs, milliseconds");
    println!("{:<22} {:>10} {:>10} {:>10} {:>10}", "scope", "counts", "trend", "follow-ups", "whole page");
    // Joining the team builds its rows of counts from its members' (as an admin's change does).
    let started = std::time::Instant::now();
    for w in &fx.workers[..5] {
        assert!(app::server::staff::put_in_team(db, &fx.org, w, "Team A").await.unwrap());
    }
    println!("five workers put in a team (its rows of counts built each time): {:.1} ms", ms(started.elapsed()));
    let admin = repo::users::find_by_email(db, "admin@bench.example").await.unwrap().unwrap();
    let today = app::domain::calendar::uk_date(START + SPAN_DAYS * 86_400);
    for (name, filters, workers) in scopes {
        let counts = median_of(runs, async || {
            let _ = q::counts(db, &fx.org, &filters, &workers).await.unwrap();
        })
        .await;
        let period = q::period_for(&filters);
        let trend = median_of(runs, async || {
            let _ = q::trend(db, &fx.org, &filters, &workers, period).await.unwrap();
        })
        .await;
        let follow = median_of(runs, async || {
            let _ = q::follow_ups(db, &fx.org, &filters, &workers, &today).await.unwrap();
        })
        .await;
        let page = median_of(runs, async || {
            let _ = app::server::intelligence::build(db, &admin, filters.clone(), app::language::Locale::default()).await.unwrap();
        })
        .await;
        println!("{name:<22} {:>10.1} {:>10.1} {:>10.1} {:>10.1}", ms(counts), ms(trend), ms(follow), ms(page));
    }

    // Clusters: one issue raised by many residents in one area, over the default 30 days and
    // the 30 before, and over the longest window an admin can ask for (90 days and the 90 before).
    let end_day = app::domain::calendar::uk_day(START + SPAN_DAYS * 86_400);
    for rule in [
        app::domain::cluster::Rule::default(),
        app::domain::cluster::Rule { threshold: 10, window_days: app::domain::cluster::MAX_WINDOW_DAYS },
    ] {
        let mut found = 0;
        let took = median_of(runs, async || {
            let tallies = app::server::repo::community::tallies(db, &fx.org, &rule, end_day).await.unwrap();
            found = app::domain::cluster::clusters(&tallies, &rule).len();
        })
        .await;
        println!("clusters over {} days (and the {} before): {:.1} ms, {found} found", rule.window_days, rule.window_days, ms(took));
    }

    // Data protection at the same scale: one resident's subject access archive, their erasure
    // (rolled back), and a retention dry run over the whole organisation.
    use app::server::repo::privacy;
    let resident = "00000000-0000-4000-8000-000000000007";
    let sar = median_of(runs, async || {
        let tables = privacy::subject_access(db, &fx.org, resident).await.unwrap().unwrap();
        let file = app::types::privacy::ResidentFile {
            resident: app::types::privacy::ResidentSummary {
                id: resident.into(),
                name: String::new(),
                contact: String::new(),
                recorded_on: String::new(),
                last_seen_on: None,
                erased_on: None,
            },
            tables,
            requests: Vec::new(),
            same_person: Vec::new(),
            today: today.clone(),
        };
        let _ = app::server::export::subject_access_archive(&file).unwrap();
    })
    .await;
    let erase = median_of(runs, async || {
        let mut tx = db.begin_write().await.unwrap();
        assert!(!privacy::erase(&mut tx, &fx.org, resident, 0).await.unwrap().is_empty());
        tx.rollback().await.unwrap();
    })
    .await;
    let end = app::domain::calendar::uk_day(START + SPAN_DAYS * 86_400);
    let retention = median_of(runs, async || {
        let _ = privacy::run_retention(db, &fx.org, end, true, None, "").await.unwrap();
    })
    .await;
    println!(
        "subject access archive (one resident) {:.1} ms; erasure {:.1} ms; retention dry run {:.1} ms",
        ms(sar),
        ms(erase),
        ms(retention)
    );
}

#[tokio::main]
async fn main() {
    sqlx::any::install_default_drivers();
    let total: usize = std::env::var("BENCH_INTERACTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    let dir = tempfile::tempdir().unwrap();
    // BENCH_SQLITE=0 measures PostgreSQL alone.
    if std::env::var("BENCH_SQLITE").as_deref() != Ok("0") {
        // BENCH_SQLITE_FILE keeps the generated database (for example, to try a query on it).
        let file = std::env::var("BENCH_SQLITE_FILE").map(std::path::PathBuf::from).unwrap_or_else(|_| dir.path().join("intelligence.db"));
        let url = format!("sqlite://{}?mode=rwc", file.display());
        eprintln!("SQLite: generating {total} conversations…");
        let db = Db::connect(&url).await.unwrap();
        let fx = generate(&db, false, total).await;
        measure(&format!("SQLite, {total} conversations"), &db, &fx, runs).await;
    }

    if let Ok(server) = std::env::var("MOBILISE_TEST_POSTGRES_URL") {
        let admin = sqlx::AnyPool::connect(&format!("{server}/postgres")).await.unwrap();
        sqlx::query("DROP DATABASE IF EXISTS mobilise_bench").execute(&admin).await.unwrap();
        sqlx::query("CREATE DATABASE mobilise_bench").execute(&admin).await.unwrap();
        eprintln!("PostgreSQL: generating {total} conversations…");
        let db = Db::connect(&format!("{server}/mobilise_bench")).await.unwrap();
        let fx = generate(&db, true, total).await;
        measure(&format!("PostgreSQL, {total} conversations"), &db, &fx, runs).await;
        db.pool.close().await;
        sqlx::query("DROP DATABASE IF EXISTS mobilise_bench").execute(&admin).await.unwrap();
    } else {
        println!("\n(PostgreSQL skipped: set MOBILISE_TEST_POSTGRES_URL, for example from scripts/postgres.sh start)");
    }
}
