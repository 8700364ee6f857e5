//! Hostile input on every door: generated requests to every server function (the sync endpoints
//! among them), as anyone from a stranger to an administrator, never answered with a 5xx or a
//! panic; a refusal (4xx) carries a message and writes, changes or removes no row (a trigger on
//! every table but those in `LOGS` counts each row touched, so a row changed in place is caught
//! as well as one added or removed). Some generated input is acceptable and rightly succeeds.
//!
//! The doors and their arguments are read from `app/src/api` (each `#[server]` function's endpoint,
//! encoding and parameters, and the fields of a struct parameter from its definition); every
//! server function the app registers must be among them, so a new door is covered from the day it
//! is added. Each case picks a door and a caller and builds a body from the arguments with some
//! of: hostile strings (huge, control characters, header and formula injection, markup, right-to-
//! left overrides), invalid UTF-8, wrong types, missing and extra fields, deep nesting, duplicated
//! keys, NaN, infinities, negative and enormous numbers, dates out of range, and ids of records
//! from another organisation. The sync endpoints get JSON: valid batches with one thing wrong,
//! nested ten thousand deep, numbers out of range, and so on.
//!
//! `MOBILISE_HOSTILE_CASES` cases per backend (10,000 by default); `MOBILISE_SEED` replays a run.

use crate::common::{apps_with, Client, Reply, ORIGIN};
use app::domain::Role;
use axum::body::Body;
use http::{header, Method, StatusCode};
use std::collections::BTreeMap;

/// Tables that a refused request may rightly change: the record of failed sign-ins, of security
/// events and of what each network address has done (all three are what a refusal is for),
/// sessions, a refused consultation response's draft (kept so that the form shows again what the
/// resident typed: nothing is lost), and the dashboard's counts (a cache of the conversations,
/// brought up to date by any request that reads them).
const LOGS: [&str; 8] = [
    "login_attempts",
    "security_events",
    "participation_events",
    "sessions",
    "response_drafts",
    "intelligence_counts",
    "intelligence_dirty",
    "theme_people",
];

#[derive(Clone, Debug)]
enum Ty {
    Text,
    Flag,
    List,
    /// A map of lists (a consultation's answers: `answers[q-<id>][]`).
    Map,
    Maybe(Box<Ty>),
    Form(Vec<(String, Ty)>),
    /// A type the parser does not know: anything goes.
    Other,
}

#[derive(Clone, Debug)]
struct Door {
    endpoint: String,
    json: bool,
    params: Vec<(String, Ty)>,
}

/// The `#[server]` functions in `app/src/api`.
fn doors() -> Vec<Door> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = String::new();
    let mut all = String::new();
    for dir in ["src/api", "src/domain", "src/types"] {
        for entry in walk(&root.join(dir)) {
            let text = std::fs::read_to_string(&entry).unwrap();
            if dir == "src/api" {
                sources.push_str(&text);
            }
            all.push_str(&text);
        }
    }
    let mut out = Vec::new();
    let mut rest = sources.as_str();
    while let Some(at) = rest.find("#[server(") {
        rest = &rest[at..];
        let attr_end = rest.find(")]").unwrap();
        let attr = &rest[..attr_end];
        let endpoint = attr.split("endpoint = \"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let json = attr.contains("input = Json");
        let sig = &rest[rest.find("pub async fn").unwrap()..];
        let open = sig.find('(').unwrap();
        let mut depth = 0;
        let mut close = open;
        for (i, c) in sig[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let params = split_top(&sig[open + 1..close])
            .into_iter()
            .filter_map(|p| p.split_once(':').map(|(n, t)| (n.trim().to_string(), ty(t.trim(), &all, 0))))
            .collect();
        out.push(Door { endpoint, json, params });
        rest = &rest[attr_end..];
    }
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Splits at commas outside `<>`, `()` and `[]`.
fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0i32);
    for c in s.chars() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

fn ty(t: &str, all: &str, depth: usize) -> Ty {
    let t = t.trim();
    if let Some(inner) = t.strip_prefix("Option<").and_then(|x| x.strip_suffix('>')) {
        return Ty::Maybe(Box::new(ty(inner, all, depth)));
    }
    if t.starts_with("Vec<") {
        return Ty::List;
    }
    if t.starts_with("BTreeMap<") || t.starts_with("HashMap<") {
        return Ty::Map;
    }
    match t {
        "String" | "i64" | "u32" | "i32" | "u8" | "u16" | "u64" | "usize" | "f64" => return Ty::Text,
        "bool" => return Ty::Flag,
        _ => {}
    }
    let name = t.rsplit("::").next().unwrap();
    let Some(at) = all.find(&format!("pub struct {name} {{")) else { return Ty::Other };
    if depth > 2 {
        return Ty::Other;
    }
    let body = &all[at..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    let fields = body
        .lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("pub "))
        .filter_map(|l| l.split_once(':'))
        .map(|(n, t)| (n.trim().to_string(), ty(t.trim().trim_end_matches(','), all, depth + 1)))
        .collect();
    Ty::Form(fields)
}

/// xorshift64*: small, and the same everywhere for a given seed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }
}

/// A value for a text field: plausible, hostile or an id (this organisation's or another's).
fn text(d: &mut Dice, ids: &[String]) -> Vec<u8> {
    const PLAIN: [&str; 24] = [
        "",
        " ",
        "12 Mill Lane",
        "Sam",
        "sam@riverside.example",
        "admin@riverside.example",
        "mobilise-demo-2026",
        "true",
        "0",
        "-1",
        "NaN",
        "inf",
        "-inf",
        "1e309",
        "9223372036854775808",
        "-9223372036854775809",
        "2026-02-30",
        "0000-00-00",
        "9999-12-31",
        "-2026-01-01",
        "1970-01-01T00:00:00Z",
        "en",
        "cy",
        "yes",
    ];
    const HOSTILE: [&str; 14] = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+cmd|' /C calc'!A0",
        "a\r\nBcc: victim@example.org",
        "\u{202e}gnp.exe",
        "\u{0}\u{1}\u{7f}",
        "../../../../etc/passwd",
        "'; DROP TABLE residents; --",
        "%00%0d%0a",
        "\u{1F600}\u{200d}\u{1F469}",
        "\u{feff}\u{200b}",
        "{{7*7}}",
        "ðŸ™‚",
    ];
    match d.below(10) {
        0..=2 => d.pick(&PLAIN).as_bytes().to_vec(),
        3..=4 => d.pick(&HOSTILE).as_bytes().to_vec(),
        5..=6 if !ids.is_empty() => d.pick(ids).as_bytes().to_vec(),
        7 => {
            // Huge: up to 300 KB (the body limit is 1 MB; beyond it is a case of its own).
            let n = [1_000, 10_000, 100_000, 300_000][d.below(4)];
            d.pick(&["x", "é", "\u{1F600}", "<"]).repeat(n / 4).into_bytes()
        }
        8 => vec![0xff, 0xfe, b'a', 0xc3, 0x28], // invalid UTF-8
        _ => uuid::Uuid::new_v4().to_string().into_bytes(),
    }
}

fn urlencode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The pairs of a form-encoded body for `params` (`prefix[name]` inside a struct).
fn pairs(d: &mut Dice, ids: &[String], params: &[(String, Ty)], prefix: Option<&str>, out: &mut Vec<(String, Vec<u8>)>) {
    for (name, t) in params {
        let key = match prefix {
            Some(p) => format!("{p}[{name}]"),
            None => name.clone(),
        };
        if d.chance(8) {
            continue; // missing
        }
        match t {
            Ty::Text | Ty::Other => out.push((key, text(d, ids))),
            Ty::Flag => out.push((key, d.pick(&["true", "false", "on", "2", "", "yes"]).as_bytes().to_vec())),
            Ty::List => {
                for i in 0..d.below(4) {
                    let k = if d.chance(50) { format!("{key}[]") } else { format!("{key}[{i}]") };
                    out.push((k, text(d, ids)));
                }
            }
            Ty::Map => {
                for _ in 0..d.below(4) {
                    let entry = if d.chance(70) && !ids.is_empty() { format!("q-{}", d.pick(ids)) } else { urlencode(&text(d, ids)) };
                    let k = if d.chance(80) { format!("{key}[{entry}][]") } else { format!("{key}[{entry}]") };
                    out.push((k, text(d, ids)));
                }
            }
            Ty::Maybe(inner) => {
                if d.chance(70) {
                    pairs(d, ids, &[(name.clone(), (**inner).clone())], prefix, out);
                }
            }
            Ty::Form(fields) => {
                if d.chance(10) {
                    out.push((key, text(d, ids))); // a struct sent as one value
                } else {
                    pairs(d, ids, fields, Some(&key), out);
                }
            }
        }
    }
}

/// A form-encoded body for `door`, with one or two further things wrong.
fn form_body(d: &mut Dice, ids: &[String], door: &Door) -> (String, Vec<u8>) {
    let mut fields = Vec::new();
    pairs(d, ids, &door.params, None, &mut fields);
    match d.below(12) {
        0 => fields.push((d.pick(&["extra", "id", "organisation_id", "role", "__proto__"]).to_string(), text(d, ids))),
        1 if !fields.is_empty() => {
            let i = d.below(fields.len());
            let dup = fields[i].clone();
            fields.push(dup); // the same key twice
        }
        2 if !fields.is_empty() => {
            // Nested deep.
            let i = d.below(fields.len());
            fields[i].0.push_str(&"[a]".repeat(d.below(2_000) + 1));
        }
        3 => {
            // Not a form at all.
            let body = match d.below(4) {
                0 => b"{\"email\": [1, 2, {\"a\": null}]}".to_vec(),
                1 => vec![0xff; 2048],
                2 => "&&&===&=%%%zz&%".into(),
                _ => "a".repeat(1_100_000).into_bytes(), // over the body limit
            };
            return ("application/x-www-form-urlencoded".into(), body);
        }
        4 => return (d.pick(&["application/json", "text/plain", "multipart/form-data", ""]).to_string(), text(d, ids)),
        _ => {}
    }
    let body = fields.iter().map(|(k, v)| format!("{}={}", urlencode(k.as_bytes()), urlencode(v))).collect::<Vec<_>>().join("&");
    ("application/x-www-form-urlencoded".into(), body.into_bytes())
}

/// A hostile JSON value.
fn json_value(d: &mut Dice, ids: &[String]) -> String {
    match d.below(12) {
        0 => "null".into(),
        1 => d.pick(&["-1", "0", "1e400", "-1e400", "NaN", "Infinity", "9223372036854775808", "-9223372036854775809", "1.5"]).to_string(),
        2 => "[".repeat(10_000) + &"]".repeat(10_000),
        3 => "{\"a\":".repeat(5_000) + "1" + &"}".repeat(5_000),
        4 => d.pick(&["true", "[]", "{}", "[1,2,3]", "\"\\ud800\""]).to_string(),
        5 => serde_json::to_string(&"x".repeat(200_000)).unwrap(),
        6 => d.pick(&["4102444800", "-62167219200", "0", "253402300800", "1e15"]).to_string(), // dates out of range
        _ => serde_json::to_string(&String::from_utf8_lossy(&text(d, ids))).unwrap(),
    }
}

/// A sync batch with one thing (or a few) wrong.
fn json_body(d: &mut Dice, ids: &[String], door: &Door, area: &str) -> Vec<u8> {
    if door.endpoint == "sync/v1/erased" {
        let n = d.below(6);
        let list: Vec<String> = (0..n).map(|_| json_value(d, ids)).collect();
        return format!("{{\"ids\":[{}]}}", list.join(",")).into_bytes();
    }
    let kinds = [
        "interaction",
        "event",
        "follow_up_update",
        "consultation_response",
        "consent_change",
        "volunteer_interest",
        "referral_step",
        "commitment_added",
        "referral_made",
        "nonsense",
    ];
    let items: Vec<serde_json::Value> = (0..d.below(5) + 1)
        .map(|_| {
            let payload = serde_json::json!({
                "kind": "doorstep", "area_id": area, "address": "12 Mill Lane", "occurred_at": 1_790_000_000,
                "outcome": "talked", "issues": [], "action": { "action": "no_action" }, "felt_heard": 4, "notes": "Spoke about the park"
            });
            serde_json::json!({ "id": uuid::Uuid::new_v4().to_string(), "kind": d.pick(&kinds), "schema": 1,
                                "payload": payload, "created_on_device_at": 1_790_000_100 })
        })
        .collect();
    let mut text = serde_json::json!({ "batch": { "device_id": "tablet-h", "items": items } }).to_string();
    // Replace one value (or a key's whole value) with something hostile, as text, so that
    // invalid JSON is possible too.
    let targets = [
        "\"tablet-h\"",
        "\"doorstep\"",
        "1790000000",
        "1790000100",
        "4",
        "\"talked\"",
        "[]",
        "\"no_action\"",
        "\"12 Mill Lane\"",
        "\"Spoke about the park\"",
        "1,",
    ];
    for _ in 0..d.below(3) + 1 {
        let target = d.pick(&targets);
        if let Some(at) = text.find(target) {
            let value = json_value(d, ids);
            text.replace_range(at..at + target.len(), &value);
        }
    }
    match d.below(10) {
        0 => text = text.replacen("\"payload\"", "\"payload_extra\":1,\"payload\"", 1),
        1 => text = text.replacen("\"schema\":1,", "", 1),
        2 => text = text.replacen(area, d.pick(ids).as_str(), 1),
        3 => {
            // Cut off in the middle (at a character's edge: the string stays a string).
            let mut half = text.len() / 2;
            while !text.is_char_boundary(half) {
                half -= 1;
            }
            text.truncate(half);
        }
        _ => {}
    }
    text.into_bytes()
}

/// The routes that are not server functions, with `{}` where a generated path segment goes.
const OTHER_DOORS: [(&str, &str); 7] = [
    ("GET", "/manage/consultations/{}/responses.csv"),
    ("GET", "/intelligence/export/{}"),
    ("POST", "/privacy/residents/{}/export"),
    ("POST", "/privacy/residents/{}"),
    ("POST", "/email/unsubscribe/{}"),
    ("POST", "/language"),
    ("GET", "/healthz"),
];

/// A request to one of [`OTHER_DOORS`]: a generated segment, query and form.
fn other_request(d: &mut Dice, ids: &[String]) -> (Method, String, Vec<u8>) {
    let (method, path) = *d.pick(&OTHER_DOORS);
    let segment = match d.below(4) {
        0 => d.pick(&["follow_ups", "people", "areas", "..", "%2e%2e%2fetc", "responses.csv"]).to_string(),
        // An address is at most a few kilobytes: longer ones never get past the HTTP layer.
        _ => urlencode(&text(d, ids)).chars().take(4_000).collect(),
    };
    let mut uri = path.replace("{}", &segment);
    if d.chance(60) {
        let keys = ["from", "to", "area", "theme", "worker", "period", "lang", "back", "who", "format"];
        let query: Vec<String> = (0..d.below(4) + 1)
            .map(|_| format!("{}={}", d.pick(&keys), urlencode(&text(d, ids)).chars().take(2_000).collect::<String>()))
            .collect();
        uri = format!("{uri}?{}", query.join("&"));
    }
    let body = if method == "POST" {
        let keys = ["lang", "back", "reason", "confirm", "show"];
        (0..d.below(3)).map(|_| format!("{}={}", d.pick(&keys), urlencode(&text(d, ids)))).collect::<Vec<_>>().join("&").into_bytes()
    } else {
        Vec::new()
    };
    (if method == "GET" { Method::GET } else { Method::POST }, uri, body)
}

/// Every row written, changed or removed in `tables` is counted by a trigger, so that a refused
/// request that changed a row in place (not only one that added or removed rows) is caught.
async fn count_changes(app: &crate::common::TestApp, tables: &[String]) {
    sqlx::query("CREATE TABLE hostile_changes (name TEXT PRIMARY KEY, n BIGINT NOT NULL)").execute(&app.db).await.unwrap();
    for t in tables {
        sqlx::query("INSERT INTO hostile_changes (name, n) VALUES ($1, 0)").bind(t).execute(&app.db).await.unwrap();
    }
    if app.backend == "sqlite" {
        for t in tables {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                sqlx::query(&format!(
                    "CREATE TRIGGER hostile_{t}_{event} AFTER {event} ON {t} FOR EACH ROW BEGIN \
                     UPDATE hostile_changes SET n = n + 1 WHERE name = '{t}'; END"
                ))
                .execute(&app.db)
                .await
                .unwrap();
            }
        }
    } else {
        sqlx::query(
            "CREATE FUNCTION hostile_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             UPDATE hostile_changes SET n = n + 1 WHERE name = TG_TABLE_NAME; RETURN NULL; END $$",
        )
        .execute(&app.db)
        .await
        .unwrap();
        for t in tables {
            sqlx::query(&format!(
                "CREATE TRIGGER hostile_{t} AFTER INSERT OR UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION hostile_changed()"
            ))
            .execute(&app.db)
            .await
            .unwrap();
        }
    }
}

/// How many rows of each table have been written, changed or removed so far.
async fn fingerprint(app: &crate::common::TestApp) -> BTreeMap<String, i64> {
    sqlx::query_as::<_, (String, i64)>("SELECT name, n FROM hostile_changes").fetch_all(&app.db).await.unwrap().into_iter().collect()
}

#[tokio::test]
async fn every_door_answers_hostile_input_with_a_4xx_never_a_5xx_and_leaves_nothing_half_written() {
    let cases: usize = std::env::var("MOBILISE_HOSTILE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let seed: u64 = std::env::var("MOBILISE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1);
    let doors = doors();
    let mut all_problems: Vec<String> = Vec::new();
    assert!(doors.len() > 100, "{} doors", doors.len());
    // Sign-in throttling stays on, with room for the many wrong passwords below: callers who
    // are signed out by a case sign in again.
    for app in apps_with(|c| {
        c.throttle.max_per_account = 100_000;
        c.throttle.max_per_address = 100_000;
    })
    .await
    {
        // The demo organisations, and an administrator without a second factor.
        let config = app::server::Config { demo_data: true, ..app.config.clone() };
        assert!(app::server::seed::seed_demo_if_empty(&app.db, &config).await.unwrap());
        let riverside: String =
            sqlx::query_scalar("SELECT organisation_id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&app.db).await.unwrap();
        app.user(&riverside, "admin2@riverside.example", Role::Admin).await;
        // Every door the app registers is one read from the source.
        let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
        for path in &registered {
            assert!(doors.iter().any(|d| format!("/api/{}", d.endpoint) == *path), "{path} is registered but not read from app/src/api");
        }
        let mut ids: Vec<String> = Vec::new();
        for table in [
            "organisations",
            "users",
            "residents",
            "areas",
            "themes",
            "services",
            "interactions",
            "follow_ups",
            "consultations",
            "questions",
            "responses",
            "opportunities",
            "volunteer_interests",
            "referrals",
            "commitments",
            "community_responses",
            "outgoing_messages",
            "guidance",
        ] {
            if let Ok(found) =
                sqlx::query_scalar::<_, String>(&format!("SELECT id FROM {table} ORDER BY id LIMIT 6")).fetch_all(&app.db).await
            {
                ids.extend(found);
            }
        }
        assert!(ids.len() > 40, "{} ids", ids.len());
        let area: String = sqlx::query_scalar("SELECT id FROM areas WHERE organisation_id = $1 ORDER BY name LIMIT 1")
            .bind(&riverside)
            .fetch_one(&app.db)
            .await
            .unwrap();
        let list_tables = if app.backend == "sqlite" {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name"
        } else {
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '_sqlx%' ORDER BY tablename"
        };
        let tables: Vec<String> = sqlx::query_scalar::<_, String>(list_tables)
            .fetch_all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|t| !LOGS.contains(&t.as_str()))
            .collect();

        // Callers: a stranger, a resident, an outreach worker, a group's organiser, an administrator.
        let mut callers = vec![app.client()];
        for email in ["alex@resident.example", "sam@riverside.example", "dee@northside-garden.example"] {
            let mut c = app.client();
            assert_eq!(c.sign_in(email, app::server::seed::DEMO_PASSWORD).await.status, StatusCode::OK, "{email}");
            callers.push(c);
        }
        let mut admin = app.client();
        assert_eq!(admin.sign_in("admin2@riverside.example", crate::common::PASSWORD).await.status, StatusCode::OK);
        callers.push(admin);

        // What a case may change about the callers' accounts (a password, whether it is open),
        // put back when they sign in again.
        let accounts: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT email, password_hash FROM users WHERE email IN ('alex@resident.example', 'sam@riverside.example', \
             'dee@northside-garden.example', 'admin2@riverside.example') ORDER BY email",
        )
        .fetch_all(&app.db)
        .await
        .unwrap();
        assert_eq!(accounts.len(), 4);

        let mut d = Dice(seed ^ if app.backend == "sqlite" { 0 } else { 0x9e37_79b9_7f4a_7c15 });
        let mut tally: BTreeMap<u16, usize> = BTreeMap::new();
        // MOBILISE_HOSTILE_KEEP_GOING=1 runs every case and lists every problem found.
        let keep_going = std::env::var("MOBILISE_HOSTILE_KEEP_GOING").as_deref() == Ok("1");
        let mut problems: Vec<String> = Vec::new();
        let started = std::time::Instant::now();
        count_changes(&app, &tables).await;
        // The ledger sees a row changed in place, with the same number of rows as before.
        let seen = fingerprint(&app).await;
        sqlx::query("UPDATE areas SET name = name WHERE id = $1").bind(&area).execute(&app.db).await.unwrap();
        let now = fingerprint(&app).await;
        assert_eq!(now["areas"], seen["areas"] + 1, "the change ledger counts an update in place");
        let mut before = now;
        for case in 0..cases {
            let door = d.pick(&doors).clone();
            let who = d.below(callers.len());
            let (method, uri, ctype, body) = if d.chance(8) {
                let (method, uri, body) = other_request(&mut d, &ids);
                (method, uri, "application/x-www-form-urlencoded".to_string(), body)
            } else if door.json && d.chance(85) {
                (Method::POST, format!("/api/{}", door.endpoint), "application/json".to_string(), json_body(&mut d, &ids, &door, &area))
            } else {
                let (ctype, body) = form_body(&mut d, &ids, &door);
                (Method::POST, format!("/api/{}", door.endpoint), ctype, body)
            };
            let what = format!(
                "case {case} of seed {seed} ({}): caller {who}, {method} {}, {ctype}, {} bytes: {}",
                app.backend,
                &uri[..uri.len().min(300)],
                body.len(),
                String::from_utf8_lossy(&body[..body.len().min(300)])
            );
            let client: &mut Client = &mut callers[who];
            let mut req = client.request(method.clone(), &uri).header(header::ORIGIN, ORIGIN);
            if !ctype.is_empty() && method == Method::POST {
                req = req.header(header::CONTENT_TYPE, ctype.as_str());
            }
            let req = req.header(header::CONTENT_LENGTH, body.len()).body(Body::from(body)).unwrap();
            let reply: Reply = match futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(client.send(req))).await {
                Ok(r) => r,
                Err(_) => panic!("panicked on {what}"),
            };
            let status = reply.status;
            *tally.entry(status.as_u16()).or_default() += 1;
            if status.is_server_error() {
                problems.push(format!("{status} on {what}\n→ {}", &reply.body[..reply.body.len().min(500)]));
            }
            let mut after = fingerprint(&app).await;
            if status.is_success() && uri == "/api/auth/forgot" {
                // A reset link is made after the answer (so that its timing says nothing of
                // whether the account exists): wait for it before the next case is judged.
                // Settled once nothing has changed for 100 ms (at most 2 s).
                let mut quiet = 0;
                for _ in 0..200 {
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    let again = fingerprint(&app).await;
                    quiet = if again == after { quiet + 1 } else { 0 };
                    after = again;
                    if quiet == 10 {
                        break;
                    }
                }
            }
            if status.is_client_error() {
                if reply.body.trim().is_empty() {
                    problems.push(format!("a {status} with no message on {what}"));
                }
                let changed: Vec<String> = after
                    .iter()
                    .filter(|(t, a)| before.get(*t) != Some(a))
                    .map(|(t, a)| format!("{t}: {} row writes", a - before[t]))
                    .collect();
                if !changed.is_empty() {
                    problems.push(format!("a refused request ({status}) wrote, changed or removed rows: {changed:?} on {what}"));
                }
            }
            before = after;
            if !problems.is_empty() && !keep_going {
                break;
            }
            // A caller who signed themselves out (or whose session ended) signs in again.
            if status == StatusCode::UNAUTHORIZED && who > 0 {
                let email =
                    ["", "alex@resident.example", "sam@riverside.example", "dee@northside-garden.example", "admin2@riverside.example"][who];
                let password = if who == 4 { crate::common::PASSWORD } else { app::server::seed::DEMO_PASSWORD };
                if callers[who].sign_in(email, password).await.status != StatusCode::OK {
                    let hash = accounts.iter().find(|(e, _)| e.as_str() == email).unwrap().1.clone();
                    sqlx::query("UPDATE users SET password_hash = $1, active = 1, totp_enabled_at = NULL WHERE email = $2")
                        .bind(hash)
                        .bind(email)
                        .execute(&app.db)
                        .await
                        .unwrap();
                    let again = callers[who].sign_in(email, password).await;
                    assert_eq!(again.status, StatusCode::OK, "{email} signs in again after {what}: {}", again.body);
                }
                before = fingerprint(&app).await;
            }
        }
        println!(
            "hostile input ({}): {cases} cases over {} doors in {:.1} s (seed {seed}); answers: {tally:?}",
            app.backend,
            doors.len(),
            started.elapsed().as_secs_f64()
        );
        all_problems.extend(problems);
    }
    assert!(all_problems.is_empty(), "{} problems:\n{}", all_problems.len(), all_problems.join("\n\n"));
}
