//! Clusters: one issue raised by many residents in one area within a period, found by the rule
//! the organisation's admins set, compared with the period before, and seen by admins only.

use crate::common::*;
use crate::sync::worker;
use app::domain::Role;
use http::StatusCode;
use serde_json::{json, Value};

/// A conversation `days_ago` about `theme` in `area`, with a named resident (or nobody named).
fn raised(area: &str, theme: &str, days_ago: i64, resident: Option<&str>) -> Value {
    let mut p = doorstep(area);
    p["occurred_at"] = json!(app::server::now() - days_ago * 86_400 - 3_600);
    p["issues"] = json!([theme]);
    if let Some(id) = resident {
        p["resident"] = json!({ "id": id, "name": "A resident" });
        p["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
    }
    item(&new_id(), "interaction", p)
}

async fn page(c: &mut Client) -> Value {
    let r = c.call("community/page", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn residents_raising_one_issue_in_one_area_become_a_cluster_at_the_threshold_the_admin_sets() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        app.user(&org, "priya@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("priya@riverside.example", PASSWORD).await;

        let people: Vec<String> = (0..6).map(|_| new_id()).collect();
        let mut items: Vec<Value> =
            people.iter().enumerate().map(|(n, p)| raised(&lists.area, &lists.theme, n as i64 + 1, Some(p))).collect();
        // The first comes back about it: still one resident. Two more spoke without giving a name.
        items.push(raised(&lists.area, &lists.theme, 2, Some(&people[0])));
        items.push(raised(&lists.area, &lists.theme, 3, None));
        items.push(raised(&lists.area, &lists.theme, 4, None));
        // Elsewhere, another issue, and longer ago: none of them count towards it.
        items.extend((0..3).map(|n| raised(&lists.other_area, &lists.theme, n + 1, Some(&new_id()))));
        items.extend((0..2).map(|n| raised(&lists.area, &lists.other_theme, n + 1, None)));
        items.extend((0..4).map(|n| raised(&lists.area, &lists.theme, 35 + n, Some(&new_id()))));
        items.push(raised(&lists.area, &lists.theme, 70, Some(&new_id())));
        let n = items.len();
        assert_eq!(sam.push_outcomes(items).await, vec!["stored"; n], "{}", app.backend);

        // By the default rule (10 residents in 30 days) there is none yet.
        let p = page(&mut admin).await;
        assert_eq!((p["threshold"].as_i64(), p["window_days"].as_i64()), (Some(10), Some(30)), "{}", app.backend);
        assert_eq!(p["clusters"], json!([]), "{}: {p}", app.backend);

        // Eight residents make one now.
        let r = admin.call("community/rule", &[("threshold", "8"), ("window_days", "30")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let p = page(&mut admin).await;
        let clusters = p["clusters"].as_array().unwrap();
        assert_eq!(clusters.len(), 1, "{}: {p}", app.backend);
        assert_eq!(clusters[0]["summary"], "Damp and mould, Mill Ward: 8 residents in 30 days", "{}", app.backend);
        assert_eq!(clusters[0]["compared"], "up from fewer than 5");
        assert_eq!(clusters[0]["trend"], "Growing");
        let r = admin.call("community/rule", &[("threshold", "9"), ("window_days", "30")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(page(&mut admin).await["clusters"], json!([]), "{}", app.backend);
        // Over 45 days the four from five weeks ago join it; the one from ten weeks ago is before.
        admin.call("community/rule", &[("threshold", "9"), ("window_days", "45")]).await;
        let p = page(&mut admin).await;
        assert_eq!(p["clusters"][0]["summary"], "Damp and mould, Mill Ward: 12 residents in 45 days", "{}: {p}", app.backend);
        assert_eq!(
            (p["clusters"][0]["trend"].as_str(), p["clusters"][0]["compared"].as_str()),
            (Some("Growing"), Some("up from fewer than 5"))
        );

        // The rule is whole numbers within bounds, and a cluster is never under five residents.
        for (threshold, window, field) in
            [("4", "30", "threshold"), ("ten", "30", "threshold"), ("10", "6", "window_days"), ("10", "", "window_days")]
        {
            let r = admin.call("community/rule", &[("threshold", threshold), ("window_days", window)]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {threshold}/{window}", app.backend);
            assert!(r.body.contains(field), "{}: {} names {field}", app.backend, r.body);
        }
        // Admins only, and each organisation its own.
        assert_eq!(sam.call("community/page", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(sam.call("community/rule", &[("threshold", "5"), ("window_days", "30")]).await.status, StatusCode::FORBIDDEN);
        let elsewhere = app.organisation("Hillside").await;
        app.user(&elsewhere, "ola@hillside.example", Role::Admin).await;
        let mut ola = app.client();
        ola.sign_in("ola@hillside.example", PASSWORD).await;
        ola.call("community/rule", &[("threshold", "5"), ("window_days", "365")]).await;
        assert_eq!(page(&mut ola).await["clusters"], json!([]), "{}", app.backend);
    }
}
