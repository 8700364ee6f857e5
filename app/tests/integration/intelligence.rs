//! The intelligence dashboard: the same fixture gives the same figures on SQLite and
//! PostgreSQL, equal to the domain's definitions; small counts are suppressed; workers see their
//! own; organisations never see each other's.

use crate::common::*;
use app::domain::intelligence::{repeat_contacts, shown, Contact};
use app::domain::Role;
use http::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400;
const START: i64 = 1_800_000_000;

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

async fn record(o: &mut Org, rows: &[Row]) {
    for (who, first_area, first_theme, resident, day, resolved, heard) in rows {
        let mut c = doorstep(if *first_area { &o.lists.area } else { &o.lists.other_area });
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
    d[key].as_array().unwrap().iter().map(|b| (b["label"].as_str().unwrap().to_string(), b["shown"].as_str().unwrap().to_string())).collect()
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
            .filter_map(|r| r.3.map(|who| Contact { resident: who.into(), theme: r.2.to_string(), at: START + r.4 * DAY }))
            .collect();
        let (r30, r90) = (repeat_contacts(&contacts, 30), repeat_contacts(&contacts, 90));
        assert_eq!((r30, r90), (2, 3), "the fixture: mo 0→10 and lee 20→21; mo 10→50 within 90 only; kim 5→100 never; mo's day 12 is another theme");
        assert_eq!((d["repeats_30"].as_str(), d["repeats_90"].as_str()), (Some(shown(r30).as_str()), Some(shown(r90).as_str())), "{}", app.backend);

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
        let sam_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&app.db.pool).await.unwrap();
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
        assert_eq!(r.text(), format!("area,count\nMill Ward,{n}\n"), "{}", app.backend);
        assert_eq!(o.admin.get("/intelligence/export/secrets").await.status, StatusCode::NOT_FOUND);
        app.user(&app.organisation("Residents").await, "res@resident.example", Role::Resident).await;
        let mut resident = app.client();
        resident.sign_in("res@resident.example", PASSWORD).await;
        assert_eq!(resident.get("/intelligence/export/themes").await.status, StatusCode::FORBIDDEN);
        assert_eq!(resident.call("intelligence/dashboard", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.client().get("/intelligence/export/themes").await.status, StatusCode::UNAUTHORIZED);
    }
}
