//! The intelligence dashboard: the same fixture gives the same figures on SQLite and
//! PostgreSQL, equal to the domain's definitions; small counts are suppressed; workers see their
//! own; organisations never see each other's.

use crate::common::*;
use app::domain::intelligence::{repeat_contacts, shown, Contact};
use app::domain::outreach::InteractionKind;
use app::domain::Role;
use http::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400;
// 2026-01-15 08:00 UTC: winter, in the past (a conversation dated in the future is refused).
const START: i64 = 1_768_464_000;

/// One conversation: (who records it, area, theme, resident, day, resolved on the spot, felt heard).
type Row = (&'static str, bool, bool, Option<&'static str>, i64, bool, Option<u8>);

/// Twenty conversations: Sam and Jo, two areas, two themes, three named residents, some
/// repeats within 30 and 90 days.
fn fixture() -> Vec<Row> {
    let mut rows: Vec<Row> = vec![
        ("sam", true, true, Some("mo"), 0, false, Some(2)),
        ("sam", true, true, Some("mo"), 10, false, Some(3)),
        ("sam", true, true, Some("mo"), 50, true, Some(4)),
        ("jo", true, false, Some("mo"), 12, true, Some(5)),
        ("jo", false, true, Some("kim"), 5, false, None),
        ("jo", false, true, Some("kim"), 100, true, Some(5)),
        ("sam", false, false, Some("lee"), 20, true, Some(5)),
        ("sam", false, false, Some("lee"), 21, true, Some(5)),
    ];
    for d in 0..12 {
        rows.push((if d % 3 == 0 { "jo" } else { "sam" }, d % 2 == 0, d % 4 != 1, None, 30 + d, d % 3 != 2, Some(4)));
    }
    rows
}

struct Org {
    lists: Lists,
    admin: Client,
    sam: Client,
    jo: Client,
    residents: std::collections::HashMap<&'static str, String>,
}

async fn org(app: &TestApp, tag: &str) -> Org {
    let id = app.organisation(tag).await;
    let lists = app.lists(&id).await;
    for who in ["admin", "sam", "jo"] {
        app.user(&id, &format!("{who}@{tag}.example"), if who == "admin" { Role::Admin } else { Role::OutreachWorker }).await;
    }
    let sign = |who: &'static str| {
        let mut c = app.client();
        let email = format!("{who}@{tag}.example");
        async move {
            c.sign_in(&email, PASSWORD).await;
            c
        }
    };
    let residents = ["mo", "kim", "lee"].into_iter().map(|r| (r, new_id())).collect();
    Org { lists, admin: sign("admin").await, sam: sign("sam").await, jo: sign("jo").await, residents }
}

/// The channel of the fixture's `n`th conversation: every channel but events, in turn, so
/// Mo's second contact (a call) repeats her first (a knock).
fn channel(n: usize) -> InteractionKind {
    [InteractionKind::Doorstep, InteractionKind::Phone, InteractionKind::Counter, InteractionKind::HomeVisit, InteractionKind::Online]
        [n % 5]
}

async fn record(o: &mut Org, rows: &[Row]) {
    for (n, (who, first_area, first_theme, resident, day, resolved, heard)) in rows.iter().enumerate() {
        let mut c = doorstep(if *first_area { &o.lists.area } else { &o.lists.other_area });
        c["kind"] = json!(channel(n).as_str());
        c["issues"] = json!([if *first_theme { &o.lists.theme } else { &o.lists.other_theme }]);
        c["occurred_at"] = json!(START + day * DAY);
        c["action"] = if *resolved { json!({ "action": "resolved_on_the_spot" }) } else { json!({ "action": "no_action" }) };
        c["felt_heard"] = heard.map(Value::from).unwrap_or(Value::Null);
        if let Some(r) = resident {
            c["resident"] = json!({ "id": o.residents[r], "name": r });
            c["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
        }
        let client = if *who == "sam" { &mut o.sam } else { &mut o.jo };
        assert_eq!(client.push_outcomes(vec![item(&new_id(), "interaction", c)]).await, ["stored"]);
    }
}

async fn dashboard(c: &mut Client, filters: &[(&str, &str)]) -> Value {
    let r = c.call("intelligence/dashboard", filters).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn counts(d: &Value, key: &str) -> Vec<(String, String)> {
    d[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["label"].as_str().unwrap().to_string(), b["shown"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn the_dashboard_counts_what_the_domain_defines_equally_on_both_databases() {
    let mut seen: Vec<Value> = Vec::new();
    for app in apps().await {
        let mut o = org(&app, "riverside").await;
        let rows = fixture();
        record(&mut o, &rows).await;
        let d = dashboard(&mut o.admin, &[]).await;

        // Issues by theme: "Damp and mould" is the first theme, "Antisocial behaviour" the other.
        let damp = rows.iter().filter(|r| r.2).count() as i64;
        let asb = rows.len() as i64 - damp;
        let mut expected = vec![("Damp and mould".to_string(), shown(damp)), ("Antisocial behaviour".to_string(), shown(asb))];
        expected.sort_by(|a, b| b.1.parse::<i64>().unwrap_or(0).cmp(&a.1.parse::<i64>().unwrap_or(0)).then(a.0.cmp(&b.0)));
        assert_eq!(counts(&d, "issues_by_theme"), expected, "{}", app.backend);

        let resolved = rows.iter().filter(|r| r.5).count() as i64;
        assert_eq!(d["conversations_with_issues"], shown(rows.len() as i64));
        assert_eq!(d["resolved_on_the_spot"], shown(resolved));
        assert_eq!(d["resolution_rate"], ((resolved as f64 * 100.0) / rows.len() as f64).round() as i64);

        // Repeat contacts, by the domain's definition over the same contacts.
        let contacts: Vec<Contact> = rows
            .iter()
            .enumerate()
            .filter_map(|(n, r)| {
                r.3.map(|who| Contact { resident: who.into(), theme: r.2.to_string(), at: START + r.4 * DAY, channel: channel(n) })
            })
            .collect();
        let (r30, r90) = (repeat_contacts(&contacts, 30), repeat_contacts(&contacts, 90));
        assert_eq!(
            (r30, r90),
            (2, 3),
            "the fixture: mo 0→10 and lee 20→21; mo 10→50 within 90 only; kim 5→100 never; mo's day 12 is another theme"
        );
        assert_eq!(
            (d["repeats_30"].as_str(), d["repeats_90"].as_str()),
            (Some(shown(r30).as_str()), Some(shown(r90).as_str())),
            "{}",
            app.backend
        );

        // Felt heard: 1 to 5, small counts suppressed.
        let fives = rows.iter().filter(|r| r.6 == Some(5)).count() as i64;
        let fours = rows.iter().filter(|r| r.6 == Some(4)).count() as i64;
        let heard = counts(&d, "felt_heard");
        assert_eq!(heard[0], ("1 – not at all".to_string(), "0".to_string()));
        assert_eq!(heard[1].1, "<5");
        assert_eq!(heard[3].1, shown(fours));
        assert_eq!(heard[4].1, shown(fives), "{}", app.backend);
        assert!(d["felt_heard"][1]["value"].is_null(), "a small count never leaves the server");
        // The lists carry each database's own ids; the figures must be the same.
        let mut figures = d.clone();
        for key in ["areas", "themes", "workers", "filters"] {
            figures.as_object_mut().unwrap().remove(key);
        }
        seen.push(figures);
    }
    if let [a, b] = seen.as_slice() {
        assert_eq!(a, b, "SQLite and PostgreSQL give the same dashboard");
    }
}

#[tokio::test]
async fn filters_narrow_the_view_and_small_counts_stay_hidden() {
    for app in apps().await {
        let mut o = org(&app, "riverside").await;
        let rows = fixture();
        record(&mut o, &rows).await;
        let area = o.lists.area.clone();
        let theme = o.lists.theme.clone();
        let d = dashboard(&mut o.admin, &[("area", &area), ("theme", &theme)]).await;
        let n = rows.iter().filter(|r| r.1 && r.2).count() as i64;
        assert_eq!(counts(&d, "issues_by_area"), [("Mill Ward".to_string(), shown(n))], "{}", app.backend);
        // The first 10 days (UK dates) hold only Mo's first two conversations and Kim's first.
        let from = app::domain::calendar::uk_date(START);
        let to = app::domain::calendar::uk_date(START + 10 * DAY);
        let d = dashboard(&mut o.admin, &[("from", &from), ("to", &to)]).await;
        assert_eq!(d["conversations_with_issues"], "<5", "{}: {d}", app.backend);
        assert_eq!(d["resolution_rate"], Value::Null, "a rate over fewer than 5 is not shown");
        let d = dashboard(&mut o.admin, &[("kind", "event")]).await;
        assert_eq!(d["conversations_with_issues"], "0");
        // Each channel on its own: the fixture's calls are a few of its twenty conversations.
        let calls = (0..rows.len()).filter(|n| channel(*n) == InteractionKind::Phone).count();
        assert!((1..5).contains(&calls));
        let d = dashboard(&mut o.admin, &[("kind", "phone")]).await;
        assert_eq!(d["conversations_with_issues"], "<5", "{}: {d}", app.backend);
        assert_eq!(d["filters"]["kind"], "phone");
        let d = dashboard(&mut o.admin, &[("kind", "carrier_pigeon")]).await;
        assert_eq!(d["conversations_with_issues"], shown(rows.len() as i64), "{}: a channel that is none is no filter", app.backend);
    }
}

#[tokio::test]
async fn workers_see_their_own_figures_and_organisations_never_see_each_other() {
    for app in apps().await {
        let mut o = org(&app, "riverside").await;
        let rows = fixture();
        record(&mut o, &rows).await;
        let jo_count = rows.iter().filter(|r| r.0 == "jo").count() as i64;
        // Jo asks for Sam's figures: she gets her own.
        let sam_id: String =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&app.db).await.unwrap();
        let d = dashboard(&mut o.jo, &[("worker", &sam_id)]).await;
        assert_eq!(d["conversations_with_issues"], shown(jo_count), "{}", app.backend);
        assert_eq!(d["workers"], json!([]));

        let mut other = org(&app, "hillside").await;
        let area = o.lists.area.clone();
        let d = dashboard(&mut other.admin, &[("area", &area)]).await;
        assert_eq!(d["conversations_with_issues"], "0", "{}: another organisation's area shows nothing", app.backend);
        assert_eq!(d["issues_by_theme"], json!([]));

        // CSV: the same figures, the same rules.
        let r = o.admin.get(&format!("/intelligence/export/areas?area={area}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
        let n = rows.iter().filter(|r| r.1).count() as i64;
        assert_eq!(r.text(), format!("Area,Count\nMill Ward,{n}\n"), "{}", app.backend);
        assert_eq!(o.admin.get("/intelligence/export/secrets").await.status, StatusCode::NOT_FOUND);
        app.user(&app.organisation("Residents").await, "res@resident.example", Role::Resident).await;
        let mut resident = app.client();
        resident.sign_in("res@resident.example", PASSWORD).await;
        assert_eq!(resident.get("/intelligence/export/themes").await.status, StatusCode::FORBIDDEN);
        assert_eq!(resident.call("intelligence/dashboard", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.client().get("/intelligence/export/themes").await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn counts_kept_as_conversations_arrive_in_any_order_equal_a_rebuild_from_scratch() {
    use app::server::repo::intelligence as q;
    for app in apps().await {
        let mut o = org(&app, "riverside").await;
        let org_id: String =
            sqlx::query_scalar("SELECT organisation_id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&app.db).await.unwrap();
        // Latest first: every repeat arrives before the contact it repeats, as when a tablet
        // that was offline for weeks syncs last.
        let mut rows = fixture();
        rows.reverse();
        record(&mut o, &rows).await;
        // Two referrals: Mo comes back about damp 20 days later; Kim about antisocial
        // behaviour 60 days later. Sent later first again.
        let (service, damp, asb) = (o.lists.service.clone(), o.lists.theme.clone(), o.lists.other_theme.clone());
        let (ana, ben) = (new_id(), new_id());
        for (resident, theme, day, referred) in
            [(&ben, &asb, 260, false), (&ana, &damp, 220, false), (&ana, &damp, 200, true), (&ben, &asb, 200, true)]
        {
            let mut c = doorstep(&o.lists.area);
            c["issues"] = json!([theme]);
            c["occurred_at"] = json!(START + day * DAY);
            c["resident"] = json!({ "id": resident, "name": "Resident" });
            c["consents"] = json!([
                { "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" },
                { "purpose": "consultation_invitations", "granted": resident == &ana, "lawful_basis": "consent" }
            ]);
            c["action"] =
                if referred { json!({ "action": "referred_to_service", "service_id": service }) } else { json!({ "action": "no_action" }) };
            assert_eq!(o.sam.push_outcomes(vec![item(&new_id(), "interaction", c)]).await, ["stored"]);
        }

        // The sync noted the days it touched; they are counted before anything reads them.
        assert!(app.count("SELECT COUNT(*) FROM intelligence_dirty").await > 0, "{}", app.backend);
        assert!(q::refresh_dirty(&app.db, None).await.unwrap() > 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM intelligence_dirty").await, 0, "{}", app.backend);
        let rows = q::counts(&app.db, &org_id, &Default::default(), &q::Who::Everyone).await.unwrap();
        let mut total = q::Measures::default();
        for r in rows.iter().filter(|r| r.theme.is_empty()) {
            total.add(&r.m);
        }
        // The fixture's repeats (2 within 30 days, 3 within 90) plus Mo's day-220 return.
        assert_eq!((total.repeats_30, total.repeats_90), (3, 5), "{}", app.backend);
        assert_eq!(total.conversations, 24);
        let referred: Vec<&q::CountRow> = rows.iter().filter(|r| r.theme.is_empty() && r.service == service).collect();
        assert_eq!(referred.len(), 1);
        assert_eq!((referred[0].m.referred, referred[0].m.came_back_30, referred[0].m.came_back_90), (2, 1, 2), "{}", app.backend);
        // Ana said yes to consultation invitations at both her conversations, counted at once.
        assert_eq!(total.consented, 2, "{}", app.backend);

        // The counts kept batch by batch are exactly what a rebuild from the conversations gives.
        let kept = app::server::repo::intelligence::every_count(&app.db, &org_id).await.unwrap();
        assert!(kept.len() > 20, "{}", kept.len());
        q::rebuild_organisation(&app.db, &org_id).await.unwrap();
        assert_eq!(app::server::repo::intelligence::every_count(&app.db, &org_id).await.unwrap(), kept, "{}", app.backend);

        // The whole organisation is the sum of its workers.
        let workers: Vec<String> =
            sqlx::query_scalar("SELECT id FROM users WHERE organisation_id = $1 AND role = 'outreach_worker' ORDER BY id")
                .bind(&org_id)
                .fetch_all(&app.db)
                .await
                .unwrap();
        let together = q::counts(&app.db, &org_id, &Default::default(), &q::Who::Workers(workers.clone())).await.unwrap();
        let sum = |rows: &[q::CountRow]| {
            let mut m = q::Measures::default();
            rows.iter().filter(|r| r.theme.is_empty()).for_each(|r| m.add(&r.m));
            m
        };
        assert_eq!(sum(&together), total);
    }
}

#[tokio::test]
async fn a_date_range_reads_whole_months_and_days_and_matches_the_conversations() {
    use app::server::repo::intelligence as q;
    for app in apps().await {
        let mut o = org(&app, "riverside").await;
        let org_id: String =
            sqlx::query_scalar("SELECT organisation_id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&app.db).await.unwrap();
        // A conversation every 3 days for 100 days, at 23:30 UTC (the next day in London in
        // summer): months, days and UK midnights all matter.
        let mut batch = Vec::new();
        for d in (0..100).step_by(3) {
            let mut c = doorstep(&o.lists.area);
            c["issues"] = json!([o.lists.theme]);
            c["occurred_at"] = json!(START + d * DAY + 23 * 3600 + 1800);
            batch.push(item(&new_id(), "interaction", c));
        }
        assert!(o.jo.push_outcomes(batch).await.iter().all(|r| r == "stored"));
        q::refresh_dirty(&app.db, None).await.unwrap();
        for (from, to) in [(17, 83), (0, 99), (31, 31), (40, 39)] {
            let (from, to) = (app::domain::calendar::uk_date(START + from * DAY), app::domain::calendar::uk_date(START + to * DAY));
            let f = app::domain::intelligence::Filters { from: Some(from.clone()), to: Some(to.clone()), ..Default::default() };
            let expected: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM interactions WHERE organisation_id = $1 AND occurred_at >= $2 AND occurred_at < $3",
            )
            .bind(&org_id)
            .bind(app::domain::calendar::uk_day_start(app::domain::calendar::parse_date(&from).unwrap()))
            .bind(app::domain::calendar::uk_day_start(app::domain::calendar::parse_date(&to).unwrap() + 1))
            .fetch_one(&app.db)
            .await
            .unwrap();
            let rows = q::counts(&app.db, &org_id, &f, &q::Who::Everyone).await.unwrap();
            let counted: i64 = rows.iter().filter(|r| r.theme.is_empty()).map(|r| r.m.conversations).sum();
            assert_eq!(counted, expected, "{} {from}..={to}", app.backend);
            let trend: i64 = q::trend(&app.db, &org_id, &f, &q::Who::Everyone, q::period_for(&f))
                .await
                .unwrap()
                .iter()
                .map(|(_, m)| m.conversations)
                .sum();
            assert_eq!(trend, expected, "{} trend {from}..={to}", app.backend);
        }
    }
}

#[tokio::test]
async fn a_date_that_is_not_a_date_is_reported_and_kept_not_used() {
    for app in apps().await {
        let mut o = org(&app, "riverside").await;
        record(&mut o, &fixture()).await;
        let d = dashboard(&mut o.admin, &[("from", "2026-02-31"), ("to", "31/03/2026")]).await;
        assert_eq!(d["problems"][0]["field"], "from");
        assert_eq!(d["problems"][0]["given"], "2026-02-31");
        assert_eq!(d["problems"][1]["field"], "to");
        assert_eq!(d["filters"]["from"], Value::Null, "ignored, so the figures are for every date");
        assert_eq!(d["conversations_with_issues"], shown(fixture().len() as i64));
        let d = dashboard(&mut o.admin, &[("from", "2026-03-02"), ("to", "2026-03-01")]).await;
        assert_eq!(d["problems"][0]["field"], "to", "{d}");
    }
}

#[tokio::test]
async fn the_influencing_gap_puts_areas_talked_to_but_not_heard_from_first() {
    for app in apps().await {
        let mut o = org(&app, "riverside").await;
        let rows = fixture();
        record(&mut o, &rows).await;
        let area = o.lists.area.clone();
        let form = [
            ("title", "Mill Park"),
            ("summary", "Have your say"),
            ("background", ""),
            ("opens_on", ""),
            ("closes_on", ""),
            ("areas[]", area.as_str()),
        ];
        o.admin.call_form("consultations/manage/create", &form).await;
        let cid: String = sqlx::query_scalar("SELECT id FROM consultations").fetch_one(&app.db).await.unwrap();
        let q = [
            ("consultation_id", cid.as_str()),
            ("prompt", "Which first?"),
            ("hint", ""),
            ("kind", "single_choice"),
            ("required", "yes"),
            ("options", "Play area\nPaths"),
        ];
        o.admin.call("consultations/manage/add-question", &q).await;
        o.admin.call("consultations/manage/stage", &[("consultation_id", &cid), ("stage", "open_for_feedback")]).await;
        let qid: String = sqlx::query_scalar("SELECT id FROM questions").fetch_one(&app.db).await.unwrap();
        let answers: Vec<Value> = (0..6)
            .map(|_| {
                item(
                    &new_id(),
                    "consultation_response",
                    json!({ "consultation_id": cid, "answers": { qid.clone(): ["o1"] }, "area_id": area }),
                )
            })
            .collect();
        assert!(o.sam.push_outcomes(answers).await.iter().all(|r| r == "stored"), "{}", app.backend);

        let d = dashboard(&mut o.admin, &[]).await;
        let mill = rows.iter().filter(|r| r.1).count() as i64;
        let river = rows.len() as i64 - mill;
        let table = &d["influence"]["rows"];
        assert_eq!(table[0], json!(["River Ward", shown(river), "0", "0.0", "0"]), "{}: heard from least, first: {table}", app.backend);
        assert_eq!(table[1], json!(["Mill Ward", shown(mill), "6", format!("{:.1}", 600.0 / mill as f64), "0"]), "{}", app.backend);
        // The council publishes what it did: those residents have heard back.
        let outcome = [
            ("consultation_id", cid.as_str()),
            ("status", "in_progress"),
            ("reason", ""),
            ("progress", "40"),
            ("body", "We are mending the paths first."),
        ];
        let r = o.admin.call("consultations/manage/outcome", &outcome).await;
        assert!(r.status.is_success(), "{}: {}", app.backend, r.body);
        let d = dashboard(&mut o.admin, &[]).await;
        assert_eq!(d["influence"]["rows"][1][4], "6", "{}", app.backend);
        // A worker's own view has no organisation-wide responses in it.
        let d = dashboard(&mut o.sam, &[]).await;
        assert_eq!(d["influence"]["rows"], json!([]));
    }
}

async fn id_of_org(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT organisation_id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_team_sees_its_members_together_and_an_admin_filters_by_team() {
    for app in apps().await {
        let mut o = org(&app, "riverside").await;
        let rows = fixture();
        record(&mut o, &rows).await;
        let staff = o.admin.call("staff/list", &[]).await.json();
        let id_of =
            |email: &str| staff.as_array().unwrap().iter().find(|m| m["email"] == email).unwrap()["id"].as_str().unwrap().to_string();
        let (sam, jo) = (id_of("sam@riverside.example"), id_of("jo@riverside.example"));
        let r = o.admin.call("staff/set_team", &[("user_id", &sam), ("team", "  North   East ")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let long = "x".repeat(61);
        assert_eq!(o.admin.call("staff/set_team", &[("user_id", &jo), ("team", &long)]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(o.sam.call("staff/set_team", &[("user_id", &sam), ("team", "Mine")]).await.status, StatusCode::FORBIDDEN);

        let sam_count = rows.iter().filter(|r| r.0 == "sam").count() as i64;
        // The admin sees Sam's team (of one) as Sam's figures.
        let d = dashboard(&mut o.admin, &[("team", "North East")]).await;
        assert_eq!(d["filters"]["team"], "North East", "{}: {d}", app.backend);
        assert_eq!(d["conversations_with_issues"], shown(sam_count));
        // Sam's team is too small for Sam to be shown it: it would be Sam's own, and in a team
        // of two, the team's less Sam's own would be Jo's.
        let d = dashboard(&mut o.sam, &[("team", "North East")]).await;
        assert_eq!((d["filters"]["team"].clone(), d["teams"].clone()), (Value::Null, json!([])), "{}", app.backend);
        o.admin.call("staff/set_team", &[("user_id", &jo), ("team", "North East")]).await;
        let d = dashboard(&mut o.sam, &[("team", "North East")]).await;
        assert_eq!(d["filters"]["team"], Value::Null, "{}: a team of two", app.backend);
        // With a third member, Sam sees the team's figures: everyone's here.
        let admin = id_of("admin@riverside.example");
        o.admin.call("staff/set_team", &[("user_id", &admin), ("team", "North East")]).await;
        let d = dashboard(&mut o.sam, &[("team", "North East")]).await;
        assert_eq!(d["filters"]["team"], "North East", "{}", app.backend);
        assert_eq!(d["conversations_with_issues"], shown(rows.len() as i64), "{}", app.backend);
        // Someone in no team asking for one gets their own figures.
        app.user(&id_of_org(&app).await, "lee@riverside.example", Role::OutreachWorker).await;
        let mut lee = app.client();
        lee.sign_in("lee@riverside.example", PASSWORD).await;
        let d = dashboard(&mut lee, &[("team", "North East")]).await;
        assert_eq!((d["filters"]["team"].clone(), d["conversations_with_issues"].clone()), (Value::Null, json!("0")));
        let d = dashboard(&mut o.admin, &[("team", "North East")]).await;
        assert_eq!(d["teams"], json!([{ "id": "North East", "name": "North East" }]));
        assert_eq!(d["conversations_with_issues"], shown(rows.len() as i64));
        assert_eq!(d["influence"]["rows"], json!([]), "a team's view has no organisation-wide responses");
        let d = dashboard(&mut o.admin, &[("team", "Nobody")]).await;
        assert_eq!(d["filters"]["team"], Value::Null, "an unknown team is no filter");
        // Jo leaves the team: its figures are the others' at once (a team has rows of its own,
        // rebuilt when someone joins or leaves), and the counts kept are what a rebuild gives.
        let jo_count = rows.iter().filter(|r| r.0 == "jo").count() as i64;
        assert!(jo_count > 0);
        let r = o.admin.call("staff/set_team", &[("user_id", &jo), ("team", "")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let d = dashboard(&mut o.admin, &[("team", "North East")]).await;
        assert_eq!(d["conversations_with_issues"], shown(rows.len() as i64 - jo_count), "{}", app.backend);
        // Straight from one team with members to another: Jo is in South, then the admin
        // moves from North East to South. One more conversation then counts once for everyone.
        for (who, team) in [(&jo, "South"), (&admin, "South")] {
            let r = o.admin.call("staff/set_team", &[("user_id", who), ("team", team)]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let sam_rows = rows.iter().filter(|r| r.0 == "sam").count() as i64;
        let d = dashboard(&mut o.admin, &[("team", "North East")]).await;
        assert_eq!(d["conversations_with_issues"], shown(sam_rows), "{}: Sam alone now", app.backend);
        let mut one_more = doorstep(&o.lists.area);
        one_more["issues"] = json!([o.lists.theme]);
        assert_eq!(o.sam.push_outcomes(vec![item(&new_id(), "interaction", one_more)]).await, ["stored"]);
        let d = dashboard(&mut o.admin, &[]).await;
        assert_eq!(d["conversations_with_issues"], shown(rows.len() as i64 + 1), "{}: the whole organisation counts it once", app.backend);
        let d = dashboard(&mut o.admin, &[("team", "North East")]).await;
        assert_eq!(d["conversations_with_issues"], shown(sam_rows + 1), "{}", app.backend);
        let org_id = id_of_org(&app).await;
        let kept = app::server::repo::intelligence::every_count(&app.db, &org_id).await.unwrap();
        assert!(kept.iter().any(|row| row[0] == "team:North East"), "{}", app.backend);
        assert!(kept.iter().any(|row| row[0] == "team:South"), "{}", app.backend);
        app::server::repo::intelligence::rebuild_organisation(&app.db, &org_id).await.unwrap();
        assert_eq!(app::server::repo::intelligence::every_count(&app.db, &org_id).await.unwrap(), kept, "{}", app.backend);
        // Another organisation's admin cannot put Sam in a team.
        let mut other = org(&app, "hillside").await;
        assert_eq!(other.admin.call("staff/set_team", &[("user_id", &sam), ("team", "Ours")]).await.status, StatusCode::NOT_FOUND);
    }
}
